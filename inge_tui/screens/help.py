"""Help: the keys that work on the screen underneath right now, and every command.

The app reads the active bindings of the screen the caseworker was on (so a key remapped in
`[keymap]` shows as remapped) and hands them here as rows; nothing here is a fixed list.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from inge_tui.i18n import N_, _

if TYPE_CHECKING:
    from inge_tui.commands.base import Session


@dataclass(frozen=True)
class KeyRow:
    """One key as the help shows it."""

    key: str
    description: str
    binding_id: str
    enabled: bool = True


@dataclass(frozen=True)
class CommandRow:
    """One command: how to type it, and what it does."""

    usage: str
    title: str
    binding_id: str = ""
    available: bool = True


TEXTUAL_WORDS = {  # Textual's own bindings, in German (by action, without its namespace)
    "focus_next": N_("Nächstes Element"),
    "focus_previous": N_("Vorheriges Element"),
    "copy_text": N_("Markierten Text kopieren"),
    "command_palette": N_("Befehlspalette"),
    "quit": N_("Beenden"),
}


def key_rows(
    bindings: Mapping[str, ActiveBinding], key_display: Callable[[Binding], str]
) -> list[KeyRow]:
    """One row per binding (its keys together), in the order the bindings apply."""
    keys: dict[str, list[str]] = {}
    first: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.system:
            continue
        group = binding.id or binding.action
        keys.setdefault(group, []).append(key_display(replace(binding, key=key)))
        first.setdefault(group, active)
    rows = []
    for group, active in first.items():
        binding = active.binding
        action = binding.action.rpartition(".")[2]
        text = TEXTUAL_WORDS.get(action) or binding.description or binding.action
        rows.append(KeyRow(" ".join(keys[group]), _(text), binding.id or "", active.enabled))
    return rows


class HelpScreen(ModalScreen[None]):
    """Keys of the screen underneath (as remapped) and the commands of the command line."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > #help {
            width: 100%;
            max-width: 110;
            height: 100%;
            max-height: 40;
            border: round $primary;
            border-title-style: bold;
            background: $surface;
        }
        & DataTable { height: 1fr; scrollbar-size-vertical: 1; }
        & #help-hint { height: auto; color: $text-muted; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "close", N_("Schließen"), id="help.close"),
    ]

    def __init__(
        self,
        screen_title: str,
        keys: Sequence[KeyRow],
        commands: Sequence[CommandRow],
        documents: Path | None = None,
    ):
        super().__init__()
        self.screen_title = screen_title
        self.documents = documents
        self.keys = list(keys)
        self.commands = list(commands)

    def compose(self) -> ComposeResult:
        with Vertical(id="help") as frame:
            frame.border_title = _("Hilfe – {screen}").format(screen=self.screen_title)
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=False)
            folder = (
                _("Dateien (PDF, Export, CSV) landen in {folder} ([app] documents_dir). ").format(
                    folder=self.documents
                )
                if self.documents is not None
                else ""
            )
            yield Static(
                folder
                + _(
                    "Tasten ändern: [keymap] in config.toml, z. B. "
                    '"postbox.next" = "ctrl+n". Befehle mit : eingeben. Esc schließt.'
                ),
                id="help-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        """Nothing cut: a long command or text wraps onto more lines of its row; below 110
        columns the keymap ids (for `[keymap]`, shown wide) give their room to the text."""
        table = self.query_one(DataTable)
        wide = self.app.size.width >= 110
        widths = (30, 44, 24) if wide else (32, 40)
        for title, width in zip(
            (_("Taste / Befehl"), _("Wirkung"), _("ID für keymap")), widths, strict=False
        ):
            table.add_column(title, width=width)

        def add(*cells: str) -> None:
            wrapped = [
                "\n".join(textwrap.wrap(cell, width, break_on_hyphens=False)) or ""
                for cell, width in zip(cells, widths, strict=False)
            ]
            table.add_row(*wrapped, height=max(1, *(c.count("\n") + 1 for c in wrapped)))

        not_now = " " + _("(gerade nicht möglich)")
        for row in self.keys:
            suffix = "" if row.enabled else not_now
            add(row.key, row.description + suffix, row.binding_id)
        add("", "", "")
        add("", _("Befehle – mit : eingeben"), "")
        for command in self.commands:
            suffix = "" if command.available else not_now
            add(f":{command.usage}", command.title + suffix, command.binding_id)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)


def help_screen(
    screen: Screen[Any], session: Session | None, key_display: Callable[[Binding], str]
) -> HelpScreen:
    """The help for `screen`: the keys that work there now, and every command of the set."""
    from inge_tui.commands.base import REGISTRY

    commands = [
        CommandRow(c.usage(), _(c.title), c.binding or "", c.available(session).ok)
        for c in sorted(REGISTRY.values(), key=lambda c: c.id)
        if session is not None
    ]
    title = screen.title or _("Ansicht")
    documents = session.documents_folder() if session is not None else None
    rows = key_rows(screen.active_bindings, key_display)
    return HelpScreen(title, rows, commands, documents)
