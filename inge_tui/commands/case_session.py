"""The open case as the case commands see it: which case is open (`current_case`), who may
change it now (`change_availability`), the `CaseUi` an interactive front end adds (preview,
file delivery), and API errors as outcomes the screens can read. No Textual here.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol, runtime_checkable

from inge_tui.api.errors import ApiError, Conflict, ServiceFailed, ServiceUnreachable
from inge_tui.api.models import Participant
from inge_tui.api.query import format_query
from inge_tui.commands.base import READY, Availability, Command, Outcome, Session
from inge_tui.commands.issue_preview import IssuePreview
from inge_tui.drafts import atomic_write
from inge_tui.i18n import N_, _


# made when asked, in the interface's language of that moment
def no_case() -> Availability:
    return Availability(False, _("Kein Fall geöffnet"))


def no_selection() -> Availability:
    return Availability(
        False, _("Kein Fall geöffnet – für mehrere: Filter setzen oder Einträge markieren")
    )


KEPT = N_(
    "Entwurf gespeichert; wird nicht verloren gehen. Senden, sobald der Dienst wieder "
    "erreichbar ist."
)  # shown through _


@runtime_checkable
class CaseUi(Protocol):
    """What an interactive front end adds for the case commands."""

    async def confirm_issue(self, preview: IssuePreview) -> bool: ...

    async def deliver(self, data: bytes, filename: str, mime_type: str) -> str:
        """Hand a file to the user; answers where it went, in the interface's language."""
        ...


def failure(error: ApiError, *, draft: bool = False) -> Outcome:
    """An API error as an outcome the screens can read (`status`, `code`, `current`, …)."""
    unreachable = isinstance(error, ServiceUnreachable | ServiceFailed)
    message = error.message
    if draft and unreachable:
        message = f"{error.message.split('.')[0]}. {_(KEPT)}"
    return Outcome(
        False,
        message,
        {
            "status": error.status,
            "code": error.code,
            "unreachable": unreachable,
            "conflict": isinstance(error, Conflict),
            "current": error.current,
            "fields": [f.model_dump() for f in error.fields],
            "blockers": [b.model_dump() for b in error.blockers],
            "reasons": [r.model_dump() for r in error.reasons],
        },
    )


async def current_case(session: Session) -> Participant | None:
    """The open case: the session's, or the current Postkorb entry's, loaded once."""
    if session.participant is None and session.entry is not None:
        session.participant = await session.client.participant(session.entry.participant_id)
    return session.participant


async def loaded_case(session: Session) -> Participant | Outcome:
    """The open case, loaded; otherwise the outcome that says why not (the service
    unreachable, no case open)."""
    try:
        participant = await current_case(session)
    except ApiError as error:
        return failure(error)
    if participant is None:
        return Outcome(False, no_case().why)
    return participant


async def case_for(command: Command, session: Session) -> Participant | Outcome:
    """`loaded_case`, with `command` available on it; otherwise the outcome that says why."""
    participant = await loaded_case(session)
    if isinstance(participant, Outcome):
        return participant
    allowed = command.available(session)
    if not allowed.ok:
        return Outcome(False, allowed.why)
    return participant


async def refresh_case(session: Session, participant_id: str) -> None:
    """After a change: the case as it is now (None if it cannot be read just now)."""
    try:
        session.participant = await session.client.participant(participant_id)
    except ApiError:
        session.participant = None


async def deliver(session: Session, data: bytes, filename: str, mime_type: str) -> str:
    """Hand a file over through the front end, or keep it in the documents folder."""
    if isinstance(session.ui, CaseUi):
        return await session.ui.deliver(data, filename, mime_type)
    target = session.documents_folder() / Path(filename).name
    await asyncio.to_thread(atomic_write, target, data)
    return str(target)


def case_availability(session: Session) -> Availability:
    return no_case() if session.participant is None else READY


def change_availability(session: Session) -> Availability:
    """A case to change: open, and not held by another caseworker (the service would refuse)."""
    if session.participant is None:
        return no_case()
    entry = session.entry
    if entry is not None and entry.claimed_by and not entry.claimed_by_me:
        said = _("Nur Lesen: in Bearbeitung von {name}")
        return Availability(False, said.format(name=entry.claimed_by))
    return READY


def has_selection(session: Session) -> bool:
    """A bulk run needs marked entries or a filter: never the whole Postkorb by accident."""
    return bool(session.marked) or bool(format_query(session.query, with_sort=False))
