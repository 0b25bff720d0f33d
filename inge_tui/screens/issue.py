"""Issuing, as the caseworker sees it: the preview of exactly what the document will say
(confirmed with one key); the front end the case commands talk to (`CaseScreenUi`: preview
and file delivery); the words for a 409 (the current state and what the other person did);
and, once issued, closing the case and opening the next entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from inge_tui.api.errors import ApiError
from inge_tui.commands.base import REGISTRY, OpensNext, Session
from inge_tui.commands.issue_preview import IssuePreview
from inge_tui.i18n import N_, _
from inge_tui.widgets.delivery import deliver_file


class IssuePreviewScreen(ModalScreen[bool]):
    """What the document will say; `y` or Enter issues it, Esc or `n` does not."""

    DEFAULT_CSS = """
    IssuePreviewScreen { align: center middle; }
    IssuePreviewScreen > Vertical {
        width: 96%;
        max-width: 110;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        border-title-style: bold;
        border-subtitle-style: bold;
        background: $surface;
        padding: 0 1;
    }
    IssuePreviewScreen #preview-reasons { height: auto; max-height: 5; margin-top: 1; }
    IssuePreviewScreen.-tall #preview-reasons { max-height: 16; }
    """
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j,enter", "confirm", N_("Ausstellen"), id="issue.confirm"),
        Binding("n,escape", "cancel", N_("Abbrechen"), id="issue.cancel"),
    ]

    def __init__(self, preview: IssuePreview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        width = max(len(label) for label, _value in self.preview.lines)
        rows = Content("\n").join(
            Content.assemble((label.ljust(width + 2), "bold"), value)
            for label, value in self.preview.lines
        )
        reasons = Content("\n").join(
            [
                Content.styled(_("Grundlage der Entscheidung"), "bold"),
                *(Content.styled(f"· {reason}", "dim") for reason in self.preview.reasons),
            ]
        )
        with Vertical() as box:
            box.border_title = self.preview.title
            box.border_subtitle = _("y/Enter ausstellen · Esc abbrechen")
            yield Static(rows, id="preview-lines")
            with VerticalScroll(id="preview-reasons"):
                yield Static(reasons)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def conflict_lines(
    message: str, current: dict[str, object] | None, audit: Iterable[str]
) -> list[str]:
    """A 409 in words: the service's message, the current state, the latest history."""
    lines = [message, ""]
    if current and any(key in current for key in CURRENT_LABELS):
        lines.append(_("Aktueller Stand laut Dienst:"))
        lines.extend(
            f"  {_(label)}: {_value(current[key])}"
            for key, label in CURRENT_LABELS.items()
            if key in current
        )
        lines.append("")
    recent = list(audit)
    if recent:
        lines.append(_("Zuletzt im Verlauf:"))
        lines.extend(f"  {line}" for line in recent)
        lines.append("")
    lines.append(_("Der Fall wurde neu geladen. Bitte den angezeigten Stand prüfen."))
    return lines


CURRENT_LABELS = {  # message ids, shown through _
    "version": N_("Version"),
    "document": N_("Dokument"),
    "certificate_id": N_("Dokumentnummer"),
    "claimed_by": N_("in Bearbeitung von"),
    "entry_id": N_("Eintrag"),
    "status": N_("Status"),
    "updated_at": N_("geändert am"),
}


def _value(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, str) and len(value) > 18 and value[4] == "-" and "T" in value:
        try:
            return f"{datetime.fromisoformat(value).astimezone():%d.%m.%Y %H:%M}"
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    return str(value)


class CaseScreen(Protocol):
    """What `CaseScreenUi` needs of the screen it serves."""

    app: Any
    session: Session
    documents_dir: Path

    def notify(self, message: str, *, severity: Any = ..., markup: bool = ...) -> None: ...

    def dismiss(self, result: Any = None) -> Any: ...

    def issuing(self) -> None: ...


class CaseScreenUi:
    """The `Ui` the case commands see from this screen: the app's, plus preview and delivery."""

    def __init__(self, base: Any, screen: CaseScreen) -> None:
        self.base = base
        self.screen = screen

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        await self.base.show_participant(participant_id, entry_id)

    async def show_postbox(self) -> None:
        await self.base.show_postbox()

    async def refresh_postbox(self) -> None:
        await self.base.refresh_postbox()

    def notify(self, message: str, *, error: bool = False) -> None:
        self.screen.notify(message, severity="error" if error else "information", markup=False)

    async def confirm_issue(self, preview: IssuePreview) -> bool:
        confirmed = bool(await self.screen.app.push_screen_wait(IssuePreviewScreen(preview)))
        if confirmed:
            self.screen.issuing()
        return confirmed

    async def deliver(self, data: bytes, filename: str, mime_type: str) -> str:
        return await deliver_file(
            self.screen.app, data, filename, mime_type, directory=self.screen.documents_dir
        )


def open_next(screen: CaseScreen) -> None:
    """Close the case and ask the app for the next entry (`next` command, else the app)."""
    app, session = screen.app, screen.session
    session.participant = None
    screen.dismiss(None)
    app.run_worker(_open_next(app, session), group="case-next", exit_on_error=False)


async def _open_next(app: Any, session: Session) -> None:
    announces = isinstance(app, OpensNext)  # the app says what it opened
    command = REGISTRY.get("next")
    try:
        if command is not None and command.available(session).ok:
            outcome = await command.run(session)
        elif isinstance(app, OpensNext):
            outcome = await app.open_next_entry()
        else:
            return
        if outcome.ok:
            return
        if not announces and outcome.message:
            app.notify(outcome.message, severity="warning", markup=False)
        await session.ui.refresh_postbox()  # nothing opened: at least show the list as it is
    except ApiError as error:
        app.notify(error.message, severity="error", markup=False)
