"""The App's side of the command set: keys, the command line and the palette all come here,
and what the commands ask of the App back.

`CommandRunner`: `run_command(id, **kwargs)` checks that the command can run now (and says why
not), runs it in a worker, and shows its outcome; one command at a time. `action_prompt` opens
the command line (`screens/command_line.py`). `FrontEnd`: the App as the commands' `Ui` and
their optional abilities (`OpensNext`, `SwitchesTheme`, `ShowsHelp`, see `commands/base.py`):
show a case or the Postkorb, open the next entry, switch the theme, save a view.

Both are mixins of `inge_tui.app.IngeApp` (these are the App's own actions, which bindings name
as `app.…`), which supplies the session, the Postkorb screen, `report_failure` and Textual's
App methods.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.theme import BUILTIN_THEMES

from inge_tui.api.errors import ApiError
from inge_tui.commands import postbox as postbox_commands
from inge_tui.commands.base import REGISTRY, CommandLineError, Outcome, Session, parse_line
from inge_tui.config import config_path, save_preference
from inge_tui.i18n import _

if TYPE_CHECKING:
    from textual.command import Provider

    from inge_tui.config import Config
    from inge_tui.screens.postbox import PostboxScreen

ANSI_THEME = "ansi"


def palette() -> type[Provider]:
    """The palette's provider, loaded on first use: not needed for page one."""
    from inge_tui.screens.palette import CommandLineProvider

    return CommandLineProvider


class CommandRunner:
    """The app's side of the command set (mixed into the App)."""

    session: Session | None
    config: Config
    _busy_command: str | None

    if TYPE_CHECKING:

        def report_failure(self, error: BaseException, context: str = "") -> None: ...
        def data_changed(self) -> None: ...
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
            return _("Befehl „{command}“ ist nicht verfügbar.").format(command=command_id)
        if self.session is None:
            return _("Noch keine Verbindung zum Dienst – bitte einen Moment warten.")
        ready = command.available(self.session)
        return None if ready.ok else f"{_(command.title)} – {ready.why}"

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
            why = _("Bitte warten: „{command}“ läuft noch.").format(command=self._busy_command)
        if why is not None or command is None:
            self.notify(why or "", severity="warning")
            return
        if writes:
            self._busy_command = _(command.title)
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
            self.report_failure(error, _(command.title))
            return
        finally:
            if command.changes_data:
                self._busy_command = None
        self.refresh_bindings()
        if outcome.ok and command.changes_data:
            self.data_changed()
        if outcome.message:
            self.notify(outcome.message, severity="information" if outcome.ok else "warning")

    def action_run_command(self, command_id: str) -> None:
        self.run_command(command_id)

    def action_prompt(self, command_id: str = "") -> None:
        """Open the command line, with `command_id ` typed already when given. A command that
        cannot run now says why, and the line opens all the same: what the user types next
        (a reason) lands in it instead of acting as keys."""
        why = self._refuse(command_id) if command_id else None
        if why is not None:
            self.notify(why, severity="warning")
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
        """The palette, with a German prompt (the commands come from `inge_tui.screens.palette`)."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            prompt = _("Befehl suchen …")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=prompt))

    def completions(self, source: str) -> Sequence[str]:
        if source == "view":
            return sorted(self.session.views if self.session else self.config.views)
        if source == "theme":
            return sorted(self.available_themes)
        return ()


class FrontEnd:
    """The App as the commands see it (mixed into the App)."""

    session: Session | None
    config: Config
    _configured_theme: str
    # the last outcome said (message, severity, when): the outcome line of every screen
    last_outcome: tuple[str, str, datetime] | None = None

    if TYPE_CHECKING:

        @property
        def postbox_screen(self) -> PostboxScreen: ...
        @property
        def screen(self) -> Any: ...
        @property
        def screen_stack(self) -> list[Any]: ...
        @property
        def available_themes(self) -> dict[str, Any]: ...

        theme: str

        def report_failure(self, error: BaseException, context: str = "") -> None: ...
        def get_theme(self, name: str) -> Any: ...
        def register_theme(self, theme: Any) -> None: ...
        def get_key_display(self, binding: Any) -> str: ...
        async def push_screen(self, screen: Any) -> Any: ...
        async def pop_screen(self) -> Any: ...

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        from inge_tui.screens.participant import ParticipantScreen

        await self.show_postbox()
        await self.push_screen(ParticipantScreen(self.session, participant_id, entry_id))

    def data_changed(self) -> None:
        """After a command from the `:` line or the palette changed a case: the case screen on
        top shows it as it is now (its own keys reload it themselves)."""
        from inge_tui.screens.participant import ParticipantScreen

        if isinstance(self.screen, ParticipantScreen):
            self.screen.load()

    async def show_postbox(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    async def refresh_postbox(self) -> None:
        screen = self.postbox_screen
        if self.session is not None and self.session.query != screen.current_query:
            screen.apply_query(self.session.query)
        else:
            screen.reload()

    def notify(  # type: ignore[override]
        self,
        message: str,
        *,
        title: str = "",
        severity: str = "information",
        timeout: float | None = None,
        markup: bool = False,
        error: bool = False,
    ) -> None:
        """Textual's notify, and the `Ui` protocol's (`error=True`); no markup by default."""
        level = "error" if error else severity
        super().notify(message, title=title, severity=level, timeout=timeout, markup=markup)  # type: ignore[arg-type]
        said = f"{title}: {message}" if title else message
        clock = getattr(self, "clock", datetime.now)  # the app's clock (pinned in tests)
        self.last_outcome = (said, level, clock().astimezone())
        from inge_tui.widgets.outcome_line import OutcomeLine

        for line in self.screen.query(OutcomeLine):
            line.say(*self.last_outcome)

    async def open_next_entry(self, *, announce: bool = True) -> Outcome:
        """Open the next free entry after the current one in the current list and filter."""
        if self.session is None:
            return Outcome(False, _("Noch keine Verbindung zum Dienst."))
        try:
            outcome = await postbox_commands.open_next(self.session)
        except ApiError as error:
            self.report_failure(error, _("Nächster Eintrag"))
            return Outcome(False, "")
        if outcome.ok and self.session.entry is not None:
            self.postbox_screen.reload(keep_id=self.session.entry.entry_id)
        if announce and outcome.message:
            self.notify(outcome.message, severity="information" if outcome.ok else "warning")
        return outcome

    def use_configured_theme(self, name: str) -> None:
        """The theme the config asks for (and `ansi` beside it); a wrong name warns at mount."""
        self.register_theme(replace(BUILTIN_THEMES["ansi-dark"], name=ANSI_THEME))
        self._configured_theme = name
        if self.get_theme(name) is not None:
            self.theme = name

    def set_theme(self, name: str | None) -> str:
        """Switch to `name`, or without one between the configured theme and `ansi`."""
        if name is None:
            name = self._configured_theme if self.theme == ANSI_THEME else ANSI_THEME
        if self.get_theme(name) is None:
            near = difflib.get_close_matches(name, list(self.available_themes), n=1)
            hint = _(" – meinten Sie „{name}“?").format(name=near[0]) if near else ""
            raise ValueError(_("Farbschema „{name}“ gibt es nicht").format(name=name) + hint)
        self.theme = name
        return name

    async def show_stats(self, spec: Any, stats: Any) -> None:
        """The Kennzahlen screen for `spec` (a `commands.stats.StatsSpec`) with the figures
        the command fetched (`stats`), on top."""
        from inge_tui.screens.stats import StatsScreen

        screen = StatsScreen(self.session, spec, stats)
        if isinstance(self.screen, StatsScreen):  # another period: in place of the last one
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    async def show_help(self) -> None:
        from inge_tui.screens.help import help_screen

        await self.push_screen(help_screen(self.screen, self.session, self.get_key_display))

    def _save_view(self, name: str, text: str, sort: str | None) -> None:
        path = self.config.path or config_path()
        self.config = save_preference(path, ("views", name), {"filter": text, "sort": sort or ""})
