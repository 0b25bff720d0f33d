"""The app's side of a bulk issue (`issue-document --all`): show the dry run and ask, show the
progress on the status line, and stop between two entries when the caseworker presses x."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from inge_tui.i18n import _

BULK_PREVIEW_LINES = 15


class BulkHost(Protocol):
    """What the bulk front end needs of the App (`inge_tui.app.IngeApp`)."""

    async def push_screen_wait(self, screen: Any) -> Any: ...
    def notify(self, message: str, *, severity: str = ..., timeout: float | None = ...) -> None: ...
    def set_status(self, state: str) -> None: ...


class BulkRun:
    """One bulk run at a time: its confirmation, its progress and its cancel event."""

    def __init__(self, host: BulkHost) -> None:
        self.host = host
        self.cancel_event: asyncio.Event | None = None

    async def confirm(self, plan: Any) -> bool:
        """Show the dry run and ask; the run itself goes entry by entry and can be cancelled."""
        from inge_tui.screens.forms import ConfirmScreen

        lines = plan.text().splitlines()
        shown = lines[:BULK_PREVIEW_LINES]
        if len(lines) > len(shown):
            more = _("… und {count} weitere Zeilen (inge-tui run --dry-run)")
            shown.append(more.format(count=len(lines) - len(shown)))
        self.cancel_event = asyncio.Event()
        confirmed = await self.host.push_screen_wait(
            ConfirmScreen(_("Sammelausstellung – Probelauf"), "\n".join(shown))
        )
        if not confirmed:
            self.cancel_event = None
        return bool(confirmed)

    def progress(self, done: int, total: int) -> None:
        self.host.set_status(
            _("Sammelausstellung {done}/{total} · x bricht ab").format(done=done, total=total)
        )
        if done == total:
            self.cancel_event = None
            self.host.set_status(_("bereit"))

    @property
    def running(self) -> bool:
        """A run was confirmed and has neither finished nor been cancelled."""
        return self.cancel_event is not None and not self.cancel_event.is_set()

    def cancel(self) -> None:
        if self.cancel_event is not None and not self.cancel_event.is_set():
            self.cancel_event.set()
            self.host.notify(_("Sammelausstellung wird nach dem laufenden Eintrag angehalten."))
