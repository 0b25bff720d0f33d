"""Textual's footer, with each key's label and tooltip in the interface's language.

Bindings are declared when their class is made, before the app knows its language, so their
German labels are message ids (`N_`) that this footer passes through `_` as it draws them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from inge_tui.i18n import _


class Footer(TextualFooter):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if widget.tooltip is not None:
                    widget.tooltip = _(str(widget.tooltip))
            yield widget
