"""The App's side of the command set: keys, the command line and the palette all come here.

`run_command(id, **kwargs)` checks that the command can run now (and says why not), runs it
in a worker, and shows its outcome; one command at a time. `action_prompt` opens the command
line (`screens/command_line.py`). A mixin of `inge_tui.app.IngeApp` (these are the App's own
actions, which bindings name as `app.…`), which supplies the session, `report_failure` and
Textual's App methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from inge_tui.commands.base import REGISTRY, CommandLineError, Session, parse_line

if TYPE_CHECKING:
    from inge_tui.config import Config


class CommandRunner:
    """The app's side of the command set (mixed into the App)."""

    session: Session | None
    config: Config
    _busy_command: str | None

    if TYPE_CHECKING:

        def report_failure(self, error: BaseException, context: str = "") -> None: ...
        def notify(
            self, message: str, *, severity: str = ..., timeout: float | None = ...
        ) -> None: ...
        def run_worker(self, work: Any, **kwargs: Any) -> Any: ...
        def push_screen(self, screen: Any, callback: Any = ...) -> Any: ...
        def refresh_bindings(self) -> None: ...
        def get_key_display(self, binding: Any) -> str: ...
        @property
        def screen(self) -> Any: ...
        @property
        def available_themes(self) -> dict[str, Any]: ...

        use_command_palette: bool

    def _refuse(self, command_id: str) -> str | None:
        """Why the command cannot run now, or None."""
        command = REGISTRY.get(command_id)
        if command is None:
            return f"Befehl „{command_id}“ ist nicht verfügbar."
        if self.session is None:
            return "Noch keine Verbindung zum Dienst – bitte einen Moment warten."
        ready = command.available(self.session)
        return None if ready.ok else f"{command.title}: {ready.why}"

    def run_command(self, command_id: str, **kwargs: Any) -> None:
        """Run a command by id in a worker, if it can run now; say why not otherwise.

        Commands that change data run one at a time (a second key press while one runs is
        refused, so nothing happens twice); a command that only reads replaces the read before
        it (the last filter typed wins, a slow service never blocks the keys).
        """
        why = self._refuse(command_id)
        command = REGISTRY.get(command_id)
        writes = command is not None and command.changes_data
        if why is None and writes and self._busy_command is not None:
            why = f"Bitte warten: „{self._busy_command}“ läuft noch."
        if why is not None or command is None:
            self.notify(why or "", severity="warning")
            return
        if writes:
            self._busy_command = command.title
        group = "command-write" if writes else "command-read"
        self.run_worker(
            self._run(command_id, kwargs), group=group, exclusive=not writes, exit_on_error=False
        )

    async def _run(self, command_id: str, kwargs: dict[str, Any]) -> None:
        command = REGISTRY[command_id]
        try:
            assert self.session is not None
            outcome = await command.run(self.session, **kwargs)
        except Exception as error:
            self.report_failure(error, command.title)
            return
        finally:
            if command.changes_data:
                self._busy_command = None
        self.refresh_bindings()
        if outcome.ok and command.changes_data:
            self.data_changed()
        if outcome.message:
            self.notify(outcome.message, severity="information" if outcome.ok else "warning")

    def data_changed(self) -> None:
        """A command changed data: the App shows the change (the open case reloads)."""

    def action_run_command(self, command_id: str) -> None:
        self.run_command(command_id)

    def action_prompt(self, command_id: str = "") -> None:
        """Open the command line, with `command_id ` typed already when given."""
        why = self._refuse(command_id) if command_id else None
        if why is not None:
            self.notify(why, severity="warning")
            return
        from inge_tui.screens.command_line import CommandPrompt

        line = f"{command_id} " if command_id else ""
        self.push_screen(CommandPrompt(line, self.completions), self.run_line)

    def run_line(self, line: str | None) -> None:
        """Run a command line such as `view-save offen`; a mistake reopens it with the text."""
        if not line:
            return
        try:
            command, kwargs = parse_line(line)
        except CommandLineError as error:
            from inge_tui.screens.command_line import CommandPrompt

            self.notify(str(error), severity="error", timeout=8)
            self.push_screen(CommandPrompt(line, self.completions), self.run_line)
            return
        self.run_command(command.id, **kwargs)

    def action_command_palette(self) -> None:
        """The palette, with a German prompt (the commands come from `inge_tui.palette`)."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette", placeholder="Befehl suchen …"))

    def completions(self, source: str) -> Sequence[str]:
        if source == "view":
            return sorted(self.session.views if self.session else self.config.views)
        if source == "theme":
            return sorted(self.available_themes)
        return ()
