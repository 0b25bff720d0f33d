"""Where the outcome of an action is said: one line above the footer, not a toast over the
list or the case (issue 14: after `y` two or three toasts covered the next case's DTZ rows for
ten seconds). The app keeps the last outcome (`FrontEnd.notify`); every screen with an
`OutcomeLine` shows it, also the screen that opens next, with the time it happened. Screens
with the line show no toast for information and warnings; errors still toast as well.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

STYLES = {"information": "$text", "warning": "$warning", "error": "bold $error"}
MARKS = {"information": "✔", "warning": "!", "error": "✖"}


class OutcomeLine(Static):
    DEFAULT_CSS = """
    OutcomeLine {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $panel;
    }
    OutcomeLine.-empty { display: none; }
    """

    def on_mount(self) -> None:
        last = getattr(self.app, "last_outcome", None)
        if last is None:
            self.add_class("-empty")
        else:
            self.say(*last)

    def say(self, message: str, level: str, at: datetime) -> None:
        """Show `message` (a mark and its colour by `level`, the local time it happened)."""
        self.remove_class("-empty")
        style = STYLES.get(level, "$text")
        self.update(
            Content.assemble(
                (f"{MARKS.get(level, '·')} ", style),
                (f"{at:%H:%M:%S} ", "dim"),
                (" ".join(message.split()), style),
            )
        )
