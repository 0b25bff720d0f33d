"""The Postkorb's entry commands: open, next, claim, release, take-over, and what they share.

Opening an entry claims it; an entry someone else holds opens read-only, with that person's
name. `next` walks the current list and filter from the current entry on and opens the first
entry that is free to work on. `inge_tui.commands.postbox` registers these with the rest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.errors import Conflict
from inge_tui.api.models import EntryStatus, PostboxEntry
from inge_tui.commands.base import (
    READY,
    Arg,
    Availability,
    Command,
    OpensNext,
    Outcome,
    Session,
    register,
)
from inge_tui.i18n import N_, _


def no_entry() -> Availability:
    return Availability(False, _("Kein Eintrag gewählt"))


WALK_PAGE = 500
WALK_PAGES = 20  # `next` looks at most this many pages ahead (10,000 entries)


# ---------------------------------------------------------------- shared pieces


def full_name(entry: PostboxEntry) -> str:
    return f"{entry.given_name} {entry.surname}"


def claim_note(entry: PostboxEntry) -> str:
    """`in Bearbeitung bei Weber seit 02.03. 10:15` (local time)."""
    since = entry.claimed_since
    if since is None:
        return _("in Bearbeitung bei {name}").format(name=entry.claimed_by)
    return _("in Bearbeitung bei {name} seit {when}").format(
        name=entry.claimed_by, when=f"{since.astimezone():%d.%m. %H:%M}"
    )


def taken_by_other(entry: PostboxEntry) -> bool:
    return bool(entry.claimed_by) and not entry.claimed_by_me


def eligible_for_next(entry: PostboxEntry) -> bool:
    """What `next` may open: not done, not blocked, not held by someone else."""
    return entry.status != EntryStatus.ERLEDIGT and not entry.blocked and not taken_by_other(entry)


def _entry_from(current: dict[str, Any] | None) -> PostboxEntry | None:
    if not current:
        return None
    try:
        return PostboxEntry.model_validate(current)
    except ValueError:
        return None


async def open_entry(
    session: Session, entry: PostboxEntry, *, skip_if_taken: bool = False
) -> Outcome | None:
    """Claim `entry` and show its participant; held by someone else: show it read-only.

    With `skip_if_taken` an entry someone else holds is not shown and None is returned.
    """
    name = f"{full_name(entry)} ({entry.participant_id})"
    if entry.status == EntryStatus.ERLEDIGT:
        if skip_if_taken:
            return None
        session.entry = entry
        await session.ui.show_participant(entry.participant_id, entry.entry_id)
        said = _("{name}: Eintrag erledigt – nur Lesen.").format(name=name)
        return Outcome(True, said, {"read_only": True})
    try:
        claimed = await session.client.claim(entry.entry_id)
    except Conflict as error:
        current = _entry_from(error.current) or entry
        if skip_if_taken:
            return None
        session.entry = current
        await session.ui.show_participant(current.participant_id, current.entry_id)
        await session.ui.refresh_postbox()
        note = claim_note(current) if current.claimed_by else error.message
        said = _("Nur Lesen: {name} ist {note}.").format(name=name, note=note)
        return Outcome(True, said, {"read_only": True})
    session.entry = claimed
    session.user = claimed.claimed_by or session.user
    await session.ui.show_participant(claimed.participant_id, claimed.entry_id)
    await session.ui.refresh_postbox()
    said = _("Übernommen: {name}").format(name=name)
    return Outcome(True, said, {"entry_id": claimed.entry_id})


async def find_entry(client: IngeClient, participant_id: str) -> PostboxEntry | None:
    """The participant's entry to work on: an open one before a done one, newest first."""
    page = await client.postbox_page(PostboxQuery(q=participant_id), limit=50)
    own = [e for e in page.items if e.participant_id.upper() == participant_id.upper()]
    own.sort(key=lambda e: (e.status == EntryStatus.ERLEDIGT, -e.created_at.timestamp()))
    return own[0] if own else None


async def entries_after(
    client: IngeClient, query: PostboxQuery, current: PostboxEntry | None
) -> AsyncIterator[PostboxEntry]:
    """The entries of `query`'s order that come after `current` (all of them without one)."""
    newest = query.sort != "oldest"
    mark = None if current is None else (current.created_at, current.entry_id)
    cursor: str | None = None
    for _page in range(WALK_PAGES):
        page = await client.postbox_page(query, cursor=cursor, limit=WALK_PAGE)
        for entry in page.items:
            key = (entry.created_at, entry.entry_id)
            if mark is None or (key < mark if newest else key > mark):
                yield entry
        cursor = page.next_cursor
        if cursor is None:
            return


async def open_next(session: Session) -> Outcome:
    """Open the entry after the current one that is free to work on (the `next` command)."""
    if session.query.blocked is True:
        return Outcome(False, _("Die Ansicht zeigt nur blockierte Einträge – Filter ändern."))
    query = replace(session.query, blocked=False)
    current = session.entry
    async for entry in entries_after(session.client, query, current):
        if not eligible_for_next(entry):
            continue
        outcome = await open_entry(session, entry, skip_if_taken=True)
        if outcome is not None:
            return outcome
    return Outcome(False, _("Kein weiterer freier Eintrag in dieser Ansicht."))


# ---------------------------------------------------------------- opening


@register
class OpenCommand(Command):
    id = "open"
    title = N_("Fall öffnen")
    help = N_(
        "Öffnet den gewählten Eintrag (oder den der Teilnehmernummer) und übernimmt ihn; "
        "bearbeitet ihn jemand anderes, nur zum Lesen."
    )
    binding = "postbox.open"
    key = "o"
    label = N_("TN öffnen")
    changes_data = True  # it claims
    args = (Arg("participant_id", N_("Teilnehmernummer"), required=False, complete="participant"),)

    async def run(
        self, session: Session, participant_id: str | None = None, **_kwargs: Any
    ) -> Outcome:
        if participant_id:
            entry = await find_entry(session.client, participant_id)
            if entry is None:
                session.entry = None
                await session.ui.show_participant(participant_id, None)
                said = _("{participant}: kein Postkorb-Eintrag – nur Lesen.")
                return Outcome(True, said.format(participant=participant_id))
        elif session.entry is None:
            said = _("{why} – Teilnehmernummer angeben: open NUMMER")
            return Outcome(False, said.format(why=no_entry().why))
        else:
            entry = session.entry
        outcome = await open_entry(session, entry)
        assert outcome is not None
        return outcome


@register
class NextCommand(Command):
    id = "next"
    title = N_("Nächster Eintrag")
    help = N_(
        "Öffnet den nächsten freien Eintrag der Ansicht (nicht blockiert, nicht bei jemand "
        "anderem in Bearbeitung) und übernimmt ihn."
    )
    binding = "postbox.next"
    key = "N"  # capitals for what claims: a stray letter neither opens nor claims
    label = N_("Nächster")
    changes_data = True  # it claims

    async def run(self, session: Session, **_kwargs: Any) -> Outcome:
        if isinstance(session.ui, OpensNext):
            return await session.ui.open_next_entry(announce=False)
        return await open_next(session)


# ---------------------------------------------------------------- claims


@register
class ClaimCommand(Command):
    id = "claim"
    title = N_("Übernehmen")
    help = N_("Übernimmt den gewählten Eintrag zur Bearbeitung (für andere gesperrt).")
    binding = "postbox.claim"
    key = "C"
    label = N_("Übernehmen")
    changes_data = True

    def available(self, session: Session) -> Availability:
        entry = session.entry
        if entry is None:
            return no_entry()
        if entry.status == EntryStatus.ERLEDIGT:
            return Availability(False, _("Eintrag ist erledigt"))
        if entry.claimed_by_me:
            return Availability(False, _("Sie bearbeiten diesen Eintrag bereits"))
        if taken_by_other(entry):
            said = _("{note} – Leitung: take-over GRUND").format(note=claim_note(entry))
            return Availability(False, said)
        return READY

    async def run(self, session: Session, **_kwargs: Any) -> Outcome:
        assert session.entry is not None
        entry = await session.client.claim(session.entry.entry_id)
        session.entry = entry
        session.user = entry.claimed_by or session.user
        await session.ui.refresh_postbox()
        said = _("Übernommen: {name}").format(name=f"{full_name(entry)} ({entry.participant_id})")
        return Outcome(True, said)


@register
class ReleaseCommand(Command):
    id = "release"
    title = N_("Freigeben")
    help = N_("Gibt einen übernommenen Eintrag wieder frei.")
    binding = "postbox.release"
    key = "U"
    label = N_("Freigeben")
    changes_data = True

    def available(self, session: Session) -> Availability:
        entry = session.entry
        if entry is None:
            return no_entry()
        if not entry.claimed_by_me:
            return Availability(False, _("Sie bearbeiten diesen Eintrag nicht"))
        return READY

    async def run(self, session: Session, **_kwargs: Any) -> Outcome:
        assert session.entry is not None
        entry = await session.client.release(session.entry.entry_id)
        session.entry = entry
        await session.ui.refresh_postbox()
        said = _("Freigegeben: {name}").format(name=f"{full_name(entry)} ({entry.participant_id})")
        return Outcome(True, said)


@register
class TakeOverCommand(Command):
    id = "take-over"
    title = N_("Übernahme durch die Leitung")
    help = N_("Leitung: übernimmt einen Eintrag, den jemand anderes bearbeitet (mit Begründung).")
    binding = "postbox.take-over"
    key = "T"
    label = N_("Übernahme (Leitung)")
    args = (Arg("reason", N_("Begründung"), rest=True),)
    changes_data = True

    def available(self, session: Session) -> Availability:
        entry = session.entry
        if entry is None:
            return no_entry()
        if not taken_by_other(entry):
            return Availability(False, _("Nur für Einträge, die jemand anderes bearbeitet"))
        return READY

    async def run(self, session: Session, reason: str = "", **_kwargs: Any) -> Outcome:
        assert session.entry is not None
        before = session.entry
        entry = await session.client.take_over(before.entry_id, reason)
        session.entry = entry
        await session.ui.refresh_postbox()
        said = _("Von {holder} übernommen: {name}")
        return Outcome(True, said.format(holder=before.claimed_by, name=full_name(entry)))
