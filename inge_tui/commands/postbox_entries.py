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

NO_ENTRY = Availability(False, "Kein Eintrag gewählt")
WALK_PAGE = 500
WALK_PAGES = 20  # `next` looks at most this many pages ahead (10,000 entries)


# ---------------------------------------------------------------- shared pieces


def full_name(entry: PostboxEntry) -> str:
    return f"{entry.given_name} {entry.surname}"


def claim_note(entry: PostboxEntry) -> str:
    """`in Bearbeitung bei Weber seit 02.03. 10:15` (local time)."""
    since = entry.claimed_since
    when = f" seit {since.astimezone():%d.%m. %H:%M}" if since is not None else ""
    return f"in Bearbeitung bei {entry.claimed_by}{when}"


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
        return Outcome(True, f"{name}: Eintrag erledigt – nur Lesen.", {"read_only": True})
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
        return Outcome(True, f"Nur Lesen: {name} ist {note}.", {"read_only": True})
    session.entry = claimed
    session.user = claimed.claimed_by or session.user
    await session.ui.show_participant(claimed.participant_id, claimed.entry_id)
    await session.ui.refresh_postbox()
    return Outcome(True, f"Übernommen: {name}", {"entry_id": claimed.entry_id})


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
    for _ in range(WALK_PAGES):
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
        return Outcome(False, "Die Ansicht zeigt nur blockierte Einträge – Filter ändern.")
    query = replace(session.query, blocked=False)
    current = session.entry
    async for entry in entries_after(session.client, query, current):
        if not eligible_for_next(entry):
            continue
        outcome = await open_entry(session, entry, skip_if_taken=True)
        if outcome is not None:
            return outcome
    return Outcome(False, "Kein weiterer freier Eintrag in dieser Ansicht.")


# ---------------------------------------------------------------- opening


@register
class OpenCommand(Command):
    id = "open"
    title = "Fall öffnen"
    help = (
        "Öffnet den gewählten Eintrag (oder den der Teilnehmernummer) und übernimmt ihn; "
        "bearbeitet ihn jemand anderes, nur zum Lesen."
    )
    binding = "postbox.open"
    key = "o"
    label = "TN öffnen"
    changes_data = True  # it claims
    args = (Arg("participant_id", "Teilnehmernummer", required=False, complete="participant"),)

    async def run(self, session: Session, participant_id: str | None = None, **_: Any) -> Outcome:
        if participant_id:
            entry = await find_entry(session.client, participant_id)
            if entry is None:
                session.entry = None
                await session.ui.show_participant(participant_id, None)
                return Outcome(True, f"{participant_id}: kein Postkorb-Eintrag – nur Lesen.")
        elif session.entry is None:
            return Outcome(False, f"{NO_ENTRY.why} – Teilnehmernummer angeben: open NUMMER")
        else:
            entry = session.entry
        outcome = await open_entry(session, entry)
        assert outcome is not None
        return outcome


@register
class NextCommand(Command):
    id = "next"
    title = "Nächster Eintrag"
    help = (
        "Öffnet den nächsten freien Eintrag der Ansicht (nicht blockiert, nicht bei jemand "
        "anderem in Bearbeitung) und übernimmt ihn."
    )
    binding = "postbox.next"
    key = "N"  # capitals for what claims: a stray letter neither opens nor claims
    label = "Nächster"
    changes_data = True  # it claims

    async def run(self, session: Session, **_: Any) -> Outcome:
        if isinstance(session.ui, OpensNext):
            return await session.ui.open_next_entry(announce=False)
        return await open_next(session)


# ---------------------------------------------------------------- claims


@register
class ClaimCommand(Command):
    id = "claim"
    title = "Übernehmen"
    help = "Übernimmt den gewählten Eintrag zur Bearbeitung (für andere gesperrt)."
    binding = "postbox.claim"
    key = "C"
    label = "Übernehmen"
    changes_data = True

    def available(self, session: Session) -> Availability:
        entry = session.entry
        if entry is None:
            return NO_ENTRY
        if entry.status == EntryStatus.ERLEDIGT:
            return Availability(False, "Eintrag ist erledigt")
        if entry.claimed_by_me:
            return Availability(False, "Sie bearbeiten diesen Eintrag bereits")
        if taken_by_other(entry):
            return Availability(False, f"{claim_note(entry)} – Leitung: take-over GRUND")
        return READY

    async def run(self, session: Session, **_: Any) -> Outcome:
        assert session.entry is not None
        entry = await session.client.claim(session.entry.entry_id)
        session.entry = entry
        session.user = entry.claimed_by or session.user
        await session.ui.refresh_postbox()
        return Outcome(True, f"Übernommen: {full_name(entry)} ({entry.participant_id})")


@register
class ReleaseCommand(Command):
    id = "release"
    title = "Freigeben"
    help = "Gibt einen übernommenen Eintrag wieder frei."
    binding = "postbox.release"
    key = "U"
    label = "Freigeben"
    changes_data = True

    def available(self, session: Session) -> Availability:
        entry = session.entry
        if entry is None:
            return NO_ENTRY
        if not entry.claimed_by_me:
            return Availability(False, "Sie bearbeiten diesen Eintrag nicht")
        return READY

    async def run(self, session: Session, **_: Any) -> Outcome:
        assert session.entry is not None
        entry = await session.client.release(session.entry.entry_id)
        session.entry = entry
        await session.ui.refresh_postbox()
        return Outcome(True, f"Freigegeben: {full_name(entry)} ({entry.participant_id})")


@register
class TakeOverCommand(Command):
    id = "take-over"
    title = "Übernahme durch die Leitung"
    help = "Leitung: übernimmt einen Eintrag, den jemand anderes bearbeitet (mit Begründung)."
    binding = "postbox.take-over"
    key = "T"
    label = "Übernahme (Leitung)"
    args = (Arg("reason", "Begründung", rest=True),)
    changes_data = True

    def available(self, session: Session) -> Availability:
        entry = session.entry
        if entry is None:
            return NO_ENTRY
        if not taken_by_other(entry):
            return Availability(False, "Nur für Einträge, die jemand anderes bearbeitet")
        return READY

    async def run(self, session: Session, reason: str = "", **_: Any) -> Outcome:
        assert session.entry is not None
        before = session.entry
        entry = await session.client.take_over(before.entry_id, reason)
        session.entry = entry
        await session.ui.refresh_postbox()
        return Outcome(True, f"Von {before.claimed_by} übernommen: {full_name(entry)}")
