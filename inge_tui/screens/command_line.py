"""The command line (`:`): a small modal at the bottom that takes a line such as
`view-save offen` or `open TN-123`, completes command names and argument values, and hands the
line back to the app (`inge_tui.app_commands`). The palette (ctrl+p) is `inge_tui.screens.palette`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input

from inge_tui.commands.base import REGISTRY
from inge_tui.i18n import N_, _


class CommandSuggester(Suggester):
    """Completes the command name, then the first argument from its completion source."""

    def __init__(self, completions: Callable[[str], Sequence[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._completions = completions

    async def get_suggestion(self, value: str) -> str | None:
        name, space, rest = value.partition(" ")
        if not space:
            found = next((n for n in sorted(REGISTRY) if n.startswith(name) and n != name), None)
            if found is None:
                return None
            return f"{found} " if REGISTRY[found].args else found
        command = REGISTRY.get(name)
        if command is None or not command.args or " " in rest:
            return None
        source = command.args[0].complete or ""
        options = list(command.args[0].choices) or list(self._completions(source))
        match = next((o for o in options if o.startswith(rest) and o != rest), None)
        return f"{name} {match}" if match else None


class CommandPrompt(ModalScreen[str | None]):
    """A one-line command prompt at the bottom; Enter returns the line, Esc returns None."""

    DEFAULT_CSS = """
    CommandPrompt {
        align: left bottom;
        background: $background 20%;
        & > Input {
            dock: bottom;
            margin-bottom: 1;
            padding: 0 1;
            background: $panel;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Abbrechen"), id="prompt.cancel"),
    ]

    def __init__(self, value: str = "", completions: Callable[[str], Sequence[str]] | None = None):
        super().__init__()
        self._initial = value
        self._completions = completions or (lambda _source: ())

    def compose(self) -> ComposeResult:
        yield Input(
            self._initial,
            placeholder=_("Befehl, z. B. filter status:offen · view-load NAME · help"),
            suggester=CommandSuggester(self._completions),
            id="command-input",
            select_on_focus=False,
            compact=True,
        )

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(self._initial)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
