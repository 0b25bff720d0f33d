"""A scrollable modal for details (an error in full, a long message) with a copy key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from inge_tui.api.errors import ApiError
from inge_tui.i18n import N_, _


class TextModal(ModalScreen[None]):
    """Shows `text` under `title`; c copies it (OSC 52 also works over SSH), Esc closes."""

    DEFAULT_CSS = """
    TextModal {
        align: center middle;
        & > #text-modal {
            width: 90%;
            max-width: 100;
            height: auto;
            max-height: 90%;
            border: round $error;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & #text-modal-body { height: auto; max-height: 18; }
        & #text-modal-hint { color: $text-muted; height: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", N_("Schließen"), id="detail.close"),
        Binding("c", "copy", N_("Kopieren"), id="detail.copy"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="text-modal") as frame:
            frame.border_title = self.title_text
            with VerticalScroll(id="text-modal-body"):
                yield Static(self.text, markup=False)
            yield Static(_("c kopieren · ↑↓ blättern · Esc schließen"), id="text-modal-hint")

    def on_mount(self) -> None:
        self.query_one("#text-modal-body").focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.app.notify(_("In die Zwischenablage kopiert."), timeout=3)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def error_detail(error: ApiError, context: str = "") -> str:
    """Everything known about an API error, as the details modal shows it."""
    lines = [context or _("Fehler"), "", error.message, ""]
    kind = _("Art: {kind}, HTTP-Status: {status}")
    lines.append(kind.format(kind=type(error).__name__, status=error.status or "–"))
    if error.code:
        lines.append(f"Code: {error.code}")
    field, blocker, reason = (
        _("Feld {field}: {text}"),
        _("Hindernis {code}: {text} (von: {supplier})"),
        _("Grund {rule}: {text} ({citation})"),
    )
    lines += [field.format(field=f.field, text=f.message) for f in error.fields]
    lines += [blocker.format(code=b.code, text=b.text, supplier=b.supplier) for b in error.blockers]
    lines += [
        reason.format(rule=r.rule_id, text=r.text, citation=r.citation) for r in error.reasons
    ]
    return "\n".join(lines)
