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
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.errors import ApiError
from inge_tui.api.models import PostboxEntry
from inge_tui.app_commands import CommandRunner, FrontEnd, palette
from inge_tui.commands.base import Session
from inge_tui.config import Config, Connection
from inge_tui.connection import ConnectionWatch, Target, open_clients
from inge_tui.embedded import DemoServiceError, EmbeddedService
from inge_tui.i18n import N_, _, set_language
from inge_tui.screens.bulk_run import BulkRun
from inge_tui.screens.postbox import PostboxScreen
from inge_tui.startup import log_startup
from inge_tui.widgets.command_keys import command_binding
from inge_tui.widgets.postbox_list import PostboxList
from inge_tui.widgets.postbox_source import EntryCache, ServiceLink
from inge_tui.widgets.status import StatusLine
from inge_tui.widgets.trouble import TroubleDesk

if TYPE_CHECKING:
    pass


DEMO_SOURCE = N_("DEMO-DATEN · synthetisch")


class IngeApp(CommandRunner, FrontEnd, App[int]):
    """The caseworker's app: the Postkorb first, the case screens on top of it."""

    CSS_PATH = "app.tcss"
    TITLE = "inge-tui"
    # only our commands: Textual's system commands are English and bypass the registry
    COMMANDS: ClassVar = {palette}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", N_("Beenden"), id="app.quit"),
        Binding("ctrl+q", "quit", N_("Beenden"), show=False, priority=True, id="app.quit-ctrl"),
        command_binding("help"),
        Binding("colon", "prompt", N_("Befehl"), show=False, id="app.command"),
        command_binding("theme", show=False),
        Binding("ctrl+e", "error_details", N_("Fehlerdetails"), show=False, id="app.error-details"),
        command_binding("copy-id", show=False),
        command_binding("stats", show=False),
        Binding(
            "x", "cancel_bulk", N_("Sammelausstellung abbrechen"), show=False, id="app.bulk-cancel"
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
        self.bulk = BulkRun(self)
        self.desk = TroubleDesk(self)
        self.embedded = target if isinstance(target, EmbeddedService) else None
        self.demo = self.embedded is not None if demo is None else demo
        self.link = ServiceLink(target if isinstance(target, IngeClient) else None)
        self.entries = EntryCache()
        self.session: Session | None = None
        self.connection_watch: ConnectionWatch | None = None
        self.first_page_seconds: float | None = None
        self._busy_command: str | None = None
        self.status_state = ""
        self._clashes: set[str] = set()
        profile = config.profiles.get(target.profile) if isinstance(target, Connection) else None
        # before the first screen is made: everything from here on speaks this language
        set_language((profile.language if profile else None) or config.ui.language)
        self.use_configured_theme((profile.theme if profile else None) or config.ui.theme)

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
        self.screen_change_signal.subscribe(self, self.desk.sync_banner)
        if self.get_theme(self._configured_theme) is None:
            self.notify(
                _("Farbschema „{name}“ unbekannt – Standard wird verwendet.").format(
                    name=self._configured_theme
                ),
                severity="warning",
            )
        self.set_status(_("Demo-Dienst startet…") if self.embedded else _("verbinde…"))
        self.run_worker(self._connect(), name="connect", group="connect", exit_on_error=False)

    async def _connect(self) -> None:
        try:
            client, probe = await open_clients(self.target, self._startup_progress)
        except DemoServiceError as error:
            self.fatal(str(error))
            return
        views = {name: (view.filter, view.sort or None) for name, view in self.config.views.items()}
        self.session = Session(
            client,
            ui=self,
            views=views,
            save_view=self._save_view,
            documents=self.config.ui.documents_dir,
        )
        self.link.connect(client)
        self.set_status("")
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
            self.set_status(_("Demo wird angelegt… {seconds} s").format(seconds=f"{waited:.0f}"))

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
        import inge_tui.commands.case  # noqa: F401  (the case's commands, for the keymap)
        from inge_tui.screens.keymap import app_keymap, keymap_warnings

        self.set_keymap(app_keymap(self.config, type(self)))
        for warning in keymap_warnings(self.config, type(self)):
            self.notify(warning, severity="warning", timeout=10)

    # ---------------------------------------------------------------- bulk issuing

    def on_postbox_list_marks_changed(self, event: PostboxList.MarksChanged) -> None:
        if self.session is not None:
            self.session.marked = {int(i) for i in event.marked}

    async def confirm_bulk(self, plan: Any) -> bool:
        return await self.bulk.confirm(plan)

    @property
    def bulk_cancel(self) -> asyncio.Event | None:
        return self.bulk.cancel_event

    def bulk_progress(self, done: int, total: int, result: Any) -> None:
        self.bulk.progress(done, total)

    def action_cancel_bulk(self) -> None:
        self.bulk.cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # x is bound only while a bulk run goes on; otherwise it is a stray letter (on_key)
        if action == "cancel_bulk":
            return self.bulk.running
        return True

    def on_app_focus(self, _event: events.AppFocus) -> None:
        """The browser gave focus (textual-serve starts an app as not focused, before the
        Postkorb has focused its list): focus what the screen focuses on its own, so the
        list's keys work and show in the footer without a click first."""
        self.call_after_refresh(self._focus_default)

    def _focus_default(self) -> None:
        screen = self.screen
        if screen.focused is None and screen.AUTO_FOCUS:
            chosen = screen.query(screen.AUTO_FOCUS).first()
            if chosen.focusable:
                chosen.focus()

    def on_key(self, event: events.Key) -> None:
        """A printable key that no binding took (the Postkorb, a case, the Kennzahlen) does
        nothing but say so: typing meant for the filter or the `:` line must not act."""
        if not event.is_printable or event.character is None or event.character == " ":
            return
        from inge_tui.widgets.outcome_line import OutcomeLine

        if not self.screen.query(OutcomeLine):  # a form or a modal: its own keys
            return
        if event.key in self.screen.active_bindings:  # a binding took it (Textual calls both)
            return
        self.notify(
            _(
                "Taste „{key}“ hat hier keine Funktion – / filtert, : öffnet die "
                "Befehlszeile, ? zeigt alle Tasten."
            ).format(key=event.character),
            severity="warning",
        )

    # ---------------------------------------------------------------- trouble

    @property
    def trouble(self) -> str | None:
        """The service trouble the banner shows now; None while all is well."""
        return self.desk.text

    def report_failure(self, error: BaseException, context: str = "") -> None:
        self.desk.report(error, context)

    def action_error_details(self) -> None:
        self.desk.show_details()

    def service_failed_elsewhere(self, *, check_now: bool) -> None:
        """A request failed outside the connection watch: it looks now, or soon."""
        if self.connection_watch is not None:
            self.connection_watch.failed_elsewhere(check_now=check_now)

    def _watch_trouble(self, text: str, error: ApiError | None) -> None:
        died = None
        if error is None and self.embedded is not None and self.embedded.exit_code() is not None:
            died = self.embedded.died_detail()
        self.desk.watch_failed(text, error, died)

    def _recovered(self) -> None:
        self.desk.show(None)
        self.postbox_screen.reload()
        self.notify(_("Verbindung zum Dienst wieder da – Liste neu geladen."))

    def entry_highlighted(self, entry: PostboxEntry | None) -> None:
        """The Postkorb's cursor is on `entry` (None: nothing, or still loading)."""
        if self.session is not None:
            self.session.entry = entry

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: Any) -> None:
        names = ", ".join(sorted(b.id or b.action for b in clashed_bindings))
        if names not in self._clashes:
            self._clashes.add(names)
            self.notify(
                _("[keymap]: Taste doppelt vergeben ({names}).").format(names=names),
                severity="warning",
            )

    def set_status(self, state: str) -> None:
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
            return _(DEMO_SOURCE)
        if isinstance(self.target, Connection):
            return _("Profil {profile} · {url}").format(
                profile=self.target.profile, url=self.target.url
            )
        return self.link.client.base_url if self.link.client else ""
