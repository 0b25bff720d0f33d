"""The Textual app: connects, runs commands, shows trouble, and is the commands' `Ui`.

Start-up never blocks the UI: the Postkorb screen is up at once and its list waits on a
`ServiceLink`, which a worker connects once the service answers (the embedded demo: once its
health check answers and its token is there). A `ConnectionWatch` worker then checks health;
trouble shows as a banner on the current screen until the service answers again.

`inge_tui.launch` starts it (`run_app`, `make_app`), light enough to start the demo service
before Textual is imported.
"""

from __future__ import annotations

import asyncio
import difflib
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.theme import BUILTIN_THEMES

from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.errors import ApiError, Forbidden, ServiceUnreachable, Unauthorized
from inge_tui.api.models import PostboxEntry
from inge_tui.commands import postbox as postbox_commands
from inge_tui.commands.base import REGISTRY, Outcome, Session
from inge_tui.config import Config, Connection, config_path, save_preference
from inge_tui.connection import ConnectionWatch, Target, open_clients
from inge_tui.embedded import DemoServiceError, EmbeddedService
from inge_tui.screens.postbox import PostboxScreen
from inge_tui.startup import log_startup
from inge_tui.widgets.command_runner import CommandRunner
from inge_tui.widgets.postbox_list import PostboxList
from inge_tui.widgets.postbox_source import EntryCache, ServiceLink
from inge_tui.widgets.status import StatusLine, TroubleBanner

if TYPE_CHECKING:
    from textual.command import Provider


ANSI_THEME = "ansi"
DEMO_SOURCE = "DEMO-DATEN · synthetisch"
BULK_PREVIEW_LINES = 15


def _palette() -> type[Provider]:
    # loaded on first use: the palette, the help and the modals are not needed for page one
    from inge_tui.palette import CommandLineProvider

    return CommandLineProvider


class IngeApp(CommandRunner, App[int]):
    """The caseworker's app: the Postkorb first, the case screens on top of it."""

    CSS_PATH = "app.tcss"
    TITLE = "inge-tui"
    # only our commands: Textual's system commands are English and bypass the registry
    COMMANDS: ClassVar = {_palette}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Beenden", id="app.quit"),
        Binding("ctrl+q", "quit", "Beenden", show=False, priority=True, id="app.quit-ctrl"),
        Binding("question_mark,f1", "run_command('help')", "Hilfe", id="app.help"),
        Binding("colon", "prompt", "Befehl", show=False, id="app.command"),
        Binding("ctrl+t", "run_command('theme')", "Farbschema", show=False, id="app.theme"),
        Binding("ctrl+e", "error_details", "Fehlerdetails", show=False, id="app.error-details"),
        Binding("y", "run_command('copy-id')", "TN kopieren", show=False, id="app.copy-id"),
        Binding(
            "x", "cancel_bulk", "Sammelausstellung abbrechen", show=False, id="app.bulk-cancel"
        ),
    ]

    def __init__(
        self,
        config: Config,
        target: Target,
        *,
        clock: Callable[[], datetime] | None = None,
        poll_seconds: float = 5.0,
        started_at: float | None = None,
        exit_after_first_page: bool = False,
        demo: bool | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.target = target
        self.clock = clock or datetime.now
        self.poll_seconds = poll_seconds
        self.started_at = time.monotonic() if started_at is None else started_at
        self.exit_after_first_page = exit_after_first_page
        self.bulk_cancel: asyncio.Event | None = None
        self.embedded = target if isinstance(target, EmbeddedService) else None
        self.demo = self.embedded is not None if demo is None else demo
        self.link = ServiceLink(target if isinstance(target, IngeClient) else None)
        self.entries = EntryCache()
        self.session: Session | None = None
        self.connection_watch: ConnectionWatch | None = None
        self.trouble: str | None = None
        self.first_page_seconds: float | None = None
        self._busy_command: str | None = None
        self.status_state = ""
        self._detail: tuple[str, str] | None = None
        self._clashes: set[str] = set()
        self.register_theme(replace(BUILTIN_THEMES["ansi-dark"], name=ANSI_THEME))
        profile = config.profiles.get(target.profile) if isinstance(target, Connection) else None
        self._configured_theme = (profile.theme if profile else None) or config.ui.theme
        if self.get_theme(self._configured_theme) is not None:
            self.theme = self._configured_theme

    # ---------------------------------------------------------------- start-up

    def get_default_screen(self) -> Screen[Any]:
        return PostboxScreen(
            self.link, self.entries, PostboxQuery(), now=self.clock, poll_seconds=self.poll_seconds
        )

    @property
    def postbox_screen(self) -> PostboxScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, PostboxScreen)
        return screen

    def on_mount(self) -> None:
        self.set_keymap(dict(self.config.keymap))
        self.screen_change_signal.subscribe(self, self._sync_banner)
        if self.get_theme(self._configured_theme) is None:
            self.notify(
                f"Farbschema „{self._configured_theme}“ unbekannt – Standard wird verwendet.",
                severity="warning",
            )
        self._set_status("Demo-Dienst startet…" if self.embedded else "verbinde…")
        self.run_worker(self._connect(), name="connect", group="connect", exit_on_error=False)

    async def _connect(self) -> None:
        try:
            client, probe = await open_clients(self.target, self._startup_progress)
        except DemoServiceError as error:
            self.fatal(str(error))
            return
        views = {name: (view.filter, view.sort or None) for name, view in self.config.views.items()}
        self.session = Session(client, ui=self, views=views, save_view=self._save_view)
        self.link.connect(client)
        self._set_status("")
        self.connection_watch = ConnectionWatch(
            probe,
            interval=self.poll_seconds,
            on_trouble=self._watch_trouble,
            on_recovered=self._recovered,
            embedded=self.embedded,
        )
        self.run_worker(
            self.connection_watch.run(), name="watch", group="watch", exit_on_error=False
        )

    def _startup_progress(self, waited: float) -> None:
        if self.embedded is not None and self.embedded.first_run and waited > 1.5:
            self._set_status(f"Demo wird angelegt… {waited:.0f} s")

    def exit(
        self, result: int | None = None, return_code: int = 0, message: Any | None = None
    ) -> None:
        super().exit(result, return_code, message)
        if self.embedded is not None:
            # the demo service shuts down while Textual tears down (~0.15 s less to the prompt)
            self.embedded.request_stop()

    def fatal(self, message: str) -> None:
        """End the app with `message`, printed after the terminal is restored; exit code 2."""
        self.exit(return_code=2, message=f"inge-tui: {message}")

    def on_postbox_screen_first_page(self, _message: PostboxScreen.FirstPage) -> None:
        self.call_after_refresh(self._first_page_drawn)

    def _first_page_drawn(self) -> None:
        if self.first_page_seconds is None:
            self.first_page_seconds = time.monotonic() - self.started_at
            log_startup(self.first_page_seconds, demo=self.demo)
            if self.exit_after_first_page:
                self.exit(return_code=0)
                return
            self._after_first_page()

    def _after_first_page(self) -> None:
        """What can wait until the caseworker sees the Postkorb."""
        import inge_tui.commands.case
        import inge_tui.commands.extra  # noqa: F401  (copy-id, mark)
        from inge_tui.keymap import app_keymap, keymap_warnings

        self.set_keymap(app_keymap(self.config))
        for warning in keymap_warnings(self.config):
            self.notify(warning, severity="warning", timeout=10)

    # ---------------------------------------------------------------- bulk issuing

    def on_postbox_list_marks_changed(self, event: PostboxList.MarksChanged) -> None:
        if self.session is not None:
            self.session.marked = {int(i) for i in event.marked}

    async def confirm_bulk(self, plan: Any) -> bool:
        """Show the dry run and ask; the run itself goes entry by entry and can be cancelled."""
        from inge_tui.screens.forms import ConfirmScreen

        lines = plan.text().splitlines()
        shown = lines[:BULK_PREVIEW_LINES]
        if len(lines) > len(shown):
            shown.append(f"… und {len(lines) - len(shown)} weitere Zeilen (inge-tui run --dry-run)")
        self.bulk_cancel = asyncio.Event()
        confirmed = await self.push_screen_wait(
            ConfirmScreen("Sammelausstellung – Probelauf", "\n".join(shown))
        )
        return bool(confirmed)

    def bulk_progress(self, done: int, total: int, result: Any) -> None:
        self._set_status(f"Sammelausstellung {done}/{total} · x bricht ab")
        if done == total:
            self._set_status("bereit")

    def action_cancel_bulk(self) -> None:
        if self.bulk_cancel is not None and not self.bulk_cancel.is_set():
            self.bulk_cancel.set()
            self.notify("Sammelausstellung wird nach dem laufenden Eintrag angehalten.")

    # ---------------------------------------------------------------- trouble

    def show_trouble(self, text: str | None) -> None:
        """Show (or, with None, clear) the trouble banner on the current screen."""
        self.trouble = text
        self._sync_banner(self.screen)
        self._set_status("Verbindung gestört" if text else "")

    def _watch_trouble(self, text: str, error: ApiError | None) -> None:
        from inge_tui.widgets.text_modal import error_detail

        if error is not None:
            self._detail = ("Verbindung zum Dienst", error_detail(error, "Verbindungsprüfung"))
        elif self.embedded is not None and self.embedded.exit_code() is not None:
            self._detail = ("Demo-Dienst beendet", self.embedded.died_detail())
        self.show_trouble(text)

    def _recovered(self) -> None:
        self.show_trouble(None)
        self.postbox_screen.reload()
        self.notify("Verbindung zum Dienst wieder da – Liste neu geladen.")

    def _sync_banner(self, screen: Screen[Any]) -> None:
        if isinstance(screen, ModalScreen):
            return
        banners = screen.query(TroubleBanner)
        if banners:
            banners.first().show(self.trouble)
        elif self.trouble:
            banner = TroubleBanner()
            screen.mount(banner, before=0)
            banner.show(self.trouble)

    def report_failure(self, error: BaseException, context: str = "") -> None:
        """Say what went wrong: service trouble in the banner, anything else as a notification."""
        if isinstance(error, Unauthorized | Forbidden) and self.first_page_seconds is None:
            self.fatal(error.message)  # a wrong token at start: nothing here can work
            return
        if isinstance(error, ApiError):
            from inge_tui.widgets.text_modal import error_detail

            self._detail = (context or "Fehler", error_detail(error, context))
            if not error.retryable:
                self.notify(f"{error.message} (Details: Strg+E)", severity="error", timeout=10)
                return
            self.show_trouble(f"{error.message} Details: Strg+E")
            if context:
                self.notify(
                    f"{context}: nicht ausgeführt – der Dienst ist gestört.", severity="error"
                )
            if self.connection_watch is not None:
                self.connection_watch.failed_elsewhere(
                    check_now=isinstance(error, ServiceUnreachable)
                )
            return
        self._detail = (
            context or "Unerwarteter Fehler",
            "".join(traceback.format_exception(error)),
        )
        self.notify(
            f"{context or 'Fehler'}: unerwartet ({type(error).__name__}). Nichts wurde geändert. "
            "Details: Strg+E",
            severity="error",
            timeout=10,
        )

    def action_error_details(self) -> None:
        from inge_tui.widgets.text_modal import TextModal

        if self._detail is None:
            self.notify("Bisher kein Fehler.")
        else:
            self.push_screen(TextModal(*self._detail))

    def entry_highlighted(self, entry: PostboxEntry | None) -> None:
        """The Postkorb's cursor is on `entry` (None: nothing, or still loading)."""
        if self.session is not None:
            self.session.entry = entry

    # ---------------------------------------------------------------- Ui (for the commands)

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        try:
            from inge_tui.screens.participant import ParticipantScreen
        except ImportError:
            self.notify(
                f"{participant_id}: die Teilnehmeransicht fehlt in dieser Version.",
                severity="warning",
            )
            return
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

    async def open_next_entry(self, *, announce: bool = True) -> Outcome:
        """Open the next free entry after the current one in the current list and filter."""
        if self.session is None:
            return Outcome(False, "Noch keine Verbindung zum Dienst.")
        try:
            outcome = await postbox_commands.open_next(self.session)
        except ApiError as error:
            self.report_failure(error, "Nächster Eintrag")
            return Outcome(False, "")
        if outcome.ok and self.session.entry is not None:
            self.postbox_screen.reload(keep_id=self.session.entry.entry_id)
        if announce and outcome.message:
            self.notify(outcome.message, severity="information" if outcome.ok else "warning")
        return outcome

    def set_theme(self, name: str | None) -> str:
        """Switch to `name`, or without one between the configured theme and `ansi`."""
        if name is None:
            name = self._configured_theme if self.theme == ANSI_THEME else ANSI_THEME
        if self.get_theme(name) is None:
            near = difflib.get_close_matches(name, list(self.available_themes), n=1)
            hint = f" – meinten Sie „{near[0]}“?" if near else ""
            raise ValueError(f"Farbschema „{name}“ gibt es nicht{hint}")
        self.theme = name
        return name

    async def show_help(self) -> None:
        from inge_tui.screens.help import CommandRow, HelpScreen, key_rows

        screen = self.screen
        commands = [
            CommandRow(c.usage(), c.title, c.binding or "", c.available(self.session).ok)
            for c in sorted(REGISTRY.values(), key=lambda c: c.id)
            if self.session is not None
        ]
        title = "Postkorb" if isinstance(screen, PostboxScreen) else screen.title or "Ansicht"
        rows = key_rows(screen.active_bindings, self.get_key_display)
        await self.push_screen(HelpScreen(title, rows, commands))

    # ---------------------------------------------------------------- config-backed bits

    def _save_view(self, name: str, text: str, sort: str | None) -> None:
        path = self.config.path or config_path()
        self.config = save_preference(path, ("views", name), {"filter": text, "sort": sort or ""})

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: Any) -> None:
        names = ", ".join(sorted(b.id or b.action for b in clashed_bindings))
        if names not in self._clashes:
            self._clashes.add(names)
            self.notify(f"[keymap]: Taste doppelt vergeben ({names}).", severity="warning")

    def _set_status(self, state: str) -> None:
        self.status_state = state
        self.refresh_status()

    def refresh_status(self) -> None:
        """Put the data source and the connection state on the Postkorb's status line."""
        lines = self.postbox_screen.query(StatusLine)
        if lines:
            line = lines.first()
            line.demo = self.demo
            line.source = self.status_source()
            line.state = self.status_state

    def status_source(self) -> str:
        """What the app is connected to, in words (DEMO for the demo)."""
        if self.demo:
            return DEMO_SOURCE
        if isinstance(self.target, Connection):
            return f"Profil {self.target.profile} · {self.target.url}"
        return self.link.client.base_url if self.link.client else ""
