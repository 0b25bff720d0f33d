"""A command's key binding, made from the command's own declaration: its key(s), binding id,
footer label and help (as the tooltip). A key that runs a command is declared once, on the
command; the App and the screens list `command_binding(...)` in their `BINDINGS`, and
`[keymap]` remaps it by the command's binding id.
"""

from __future__ import annotations

from textual.binding import Binding

from inge_tui.commands import copy_mark, postbox, stats  # noqa: F401  (the Postkorb's and the app's keys)
from inge_tui.commands.base import REGISTRY


def command_binding(
    command_id: str, action: str | None = None, *, show: bool = True, prompt: bool = False
) -> Binding:
    """The binding of `command_id`: it runs the command (`app.run_command`), opens the command
    line with it typed in (`prompt`: the command needs an argument), or runs `action`, a
    screen's own action that does what the command does (the list's mark, the filter line)."""
    command = REGISTRY.get(command_id)
    if command is None:
        raise LookupError(f"command {command_id!r} is not registered: import its module first")
    if not command.key or not command.binding:
        raise ValueError(f"command {command_id!r} declares no key")
    default = f"app.prompt('{command_id}')" if prompt else f"app.run_command('{command_id}')"
    return Binding(
        command.key,
        action or default,
        command.label or command.title,
        show=show,
        id=command.binding,
        tooltip=command.help,
    )
