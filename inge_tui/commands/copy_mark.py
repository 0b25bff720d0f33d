"""Two small commands: copy a participant id to the caseworker's own clipboard (`copy-id`), and
mark entries for bulk work from a script (`mark`).

`copy-id` asks a front end that `HasClipboard` (Textual's `App.copy_to_clipboard` sends OSC 52,
so over SSH and tmux the id lands on the caseworker's machine, not the server's); a front end
without one (a script) prints the id. `mark` is the script's way to do what space does
in the Postkorb list: the marked entries are what `issue-document --all` works on.
Importing this module registers both.
"""

from __future__ import annotations

from typing import Any

from inge_tui.commands.base import (
    READY,
    Arg,
    Availability,
    Command,
    HasClipboard,
    Outcome,
    Session,
    register,
)
from inge_tui.commands.postbox_entries import find_entry
from inge_tui.i18n import N_, _


def nothing_to_copy() -> Availability:
    return Availability(False, _("Kein Eintrag und kein Fall gewählt"))


def current_participant_id(session: Session) -> str | None:
    """The participant the caseworker looks at: the open case, else the highlighted entry."""
    if session.participant is not None:
        return session.participant.participant_id
    if session.entry is not None:
        return session.entry.participant_id
    return None


@register
class CopyId(Command):
    id = "copy-id"
    title = N_("Teilnehmernummer kopieren")
    help = N_(
        "Kopiert die Teilnehmernummer des gewählten Eintrags bzw. Falls in die Zwischenablage "
        "des eigenen Rechners (OSC 52, auch über SSH und tmux)."
    )
    binding = "app.copy-id"
    key = "y"
    label = N_("TN kopieren")

    def available(self, session: Session) -> Availability:
        return nothing_to_copy() if current_participant_id(session) is None else READY

    async def run(self, session: Session, **_kwargs: Any) -> Outcome:
        participant_id = current_participant_id(session)
        if participant_id is None:
            return Outcome(False, nothing_to_copy().why)
        if not isinstance(session.ui, HasClipboard):
            return Outcome(
                True,
                _("Teilnehmernummer: {participant}").format(participant=participant_id),
                {"participant_id": participant_id},
            )
        session.ui.copy_to_clipboard(participant_id)
        return Outcome(
            True,
            _("{participant} in die Zwischenablage kopiert.").format(participant=participant_id),
            {"participant_id": participant_id, "copied": True},
        )


@register
class MarkEntries(Command):
    id = "mark"
    title = N_("Einträge markieren")
    help = N_(
        "Markiert die Einträge der genannten Teilnehmernummern für die Sammelausstellung "
        "(issue-document --all); ohne Nummer den gewählten Eintrag; --clear hebt alle auf."
    )
    binding = "postbox.toggle-mark"
    key = "space"
    label = N_("Markieren")
    args = (
        Arg(
            "participant_ids",
            N_("Teilnehmernummern"),
            required=False,
            rest=True,
            complete="participant",
        ),
        Arg("clear", N_("alle Markierungen aufheben"), kind=bool, required=False),
    )

    async def run(
        self, session: Session, participant_ids: str = "", clear: bool = False, **_kwargs: Any
    ) -> Outcome:
        if clear:
            session.marked.clear()
            if not participant_ids:
                return Outcome(True, _("Alle Markierungen aufgehoben."), {"marked": []})
        wanted = participant_ids.split()
        if not wanted:
            if session.entry is None:
                said = _("Kein Eintrag gewählt – Teilnehmernummern angeben: mark NR …")
                return Outcome(False, said)
            session.marked.add(session.entry.entry_id)
            return _marked(session, [session.entry.participant_id], [])
        found: list[str] = []
        missing: list[str] = []
        for participant_id in wanted:
            entry = await find_entry(session.client, participant_id)
            if entry is None:
                missing.append(participant_id)
            else:
                session.marked.add(entry.entry_id)
                found.append(entry.participant_id)
        return _marked(session, found, missing)


def _marked(session: Session, found: list[str], missing: list[str]) -> Outcome:
    data = {"marked": sorted(session.marked), "missing": missing}
    text = _("Markiert: {found} – insgesamt {count}").format(
        found=", ".join(found) or _("nichts"), count=len(session.marked)
    )
    if missing:
        said = _("{marked}. Kein Postkorb-Eintrag für: {missing}")
        return Outcome(False, said.format(marked=text, missing=", ".join(missing)), data)
    return Outcome(True, f"{text}.", data)
