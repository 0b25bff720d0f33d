"""The status line (where am I, on what data, is the service there) and the trouble banner.

The status line says in words what matters before anything else: that the demo shows
synthetic data, which profile and office the app talks to, and what the connection does.
The banner appears only while something is wrong and says what happened and what to do.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from inge_tui.i18n import _


class StatusLine(Widget):
    """One line: app and screen, the data source (DEMO in words), the connection state."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    title: reactive[str] = reactive("Postkorb")  # a message id: shown through _
    source: reactive[str] = reactive("")
    demo: reactive[bool] = reactive(False)
    state: reactive[str] = reactive("")

    def render(self) -> Content:
        left = Content.assemble(
            (f" inge-tui · {_(self.title)} ", "bold"),
            (f" {self.source} ", "bold reverse $warning") if self.demo else f" {self.source} ",
        )
        right = Content(f"{self.state} ") if self.state else Content("")
        gap = max(1, self.size.width - left.cell_length - right.cell_length)
        return Content.assemble(left, " " * gap, right)


class TroubleBanner(Static):
    """What went wrong with the service and what to do; hidden while all is well.

    Not docked: it takes its lines from the screen's content, under a docked header.
    """

    DEFAULT_CSS = """
    TroubleBanner {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
        display: none;
        &.-shown { display: block; }
        &:ansi { background: ansi_red; color: ansi_bright_white; }
    }
    """

    def __init__(self, *, id: str | None = "trouble-banner") -> None:
        super().__init__("", id=id, markup=False)

    def show(self, text: str | None) -> None:
        """Show `text`, or hide the banner for None."""
        self.update(text or "")
        self.set_class(bool(text), "-shown")
