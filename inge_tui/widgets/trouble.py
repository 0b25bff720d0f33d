"""Saying what went wrong: service trouble in the banner on every screen, anything else as a
notification, and the last error's details for Strg+E.

The App owns one `TroubleDesk`; the connection watch, the command runner and the screens report
to it through the App (`report_failure`). What it needs of the App is `TroubleHost`.
"""

from __future__ import annotations

import traceback
from typing import Any, Protocol

from textual.screen import ModalScreen, Screen

from inge_tui.api.errors import ApiError, Forbidden, ServiceUnreachable, Unauthorized
from inge_tui.i18n import _
from inge_tui.widgets.status import TroubleBanner


class TroubleHost(Protocol):
    """What the desk needs of the App (`inge_tui.app.IngeApp`)."""

    first_page_seconds: float | None

    @property
    def screen(self) -> Screen[Any]: ...
    def notify(self, message: str, *, severity: str = ..., timeout: float | None = ...) -> None: ...
    def push_screen(self, screen: Any, callback: Any = ...) -> Any: ...
    def fatal(self, message: str) -> None: ...
    def set_status(self, state: str) -> None: ...
    def service_failed_elsewhere(self, *, check_now: bool) -> None: ...


class TroubleDesk:
    """The trouble shown now (`text`, None while all is well) and the last error's details."""

    def __init__(self, host: TroubleHost) -> None:
        self.host = host
        self.text: str | None = None
        self.detail: tuple[str, str] | None = None

    def show(self, text: str | None) -> None:
        """Show (or, with None, clear) the trouble banner on the current screen."""
        self.text = text
        self.sync_banner(self.host.screen)
        self.host.set_status(_("Verbindung gestört") if text else "")

    def sync_banner(self, screen: Screen[Any]) -> None:
        """The banner of `screen` shows the trouble now (a screen without one gets one)."""
        if isinstance(screen, ModalScreen):
            return
        banners = screen.query(TroubleBanner)
        if banners:
            banners.first().show(self.text)
        elif self.text:
            banner = TroubleBanner()
            screen.mount(banner, before=0)
            banner.show(self.text)

    def watch_failed(self, text: str, error: ApiError | None, died: str | None = None) -> None:
        """The connection watch says the service is not answering (`died`: the demo's end)."""
        from inge_tui.widgets.text_modal import error_detail

        if error is not None:
            self.detail = (
                _("Verbindung zum Dienst"),
                error_detail(error, _("Verbindungsprüfung")),
            )
        elif died is not None:
            self.detail = (_("Demo-Dienst beendet"), died)
        self.show(text)

    def report(self, error: BaseException, context: str = "") -> None:
        """Say what went wrong: service trouble in the banner, anything else as a notification."""
        host = self.host
        if isinstance(error, Unauthorized | Forbidden) and host.first_page_seconds is None:
            host.fatal(error.message)  # a wrong token at start: nothing here can work
            return
        if isinstance(error, ApiError):
            from inge_tui.widgets.text_modal import error_detail

            self.detail = (context or _("Fehler"), error_detail(error, context))
            if not error.retryable:
                said = _("{message} (Details: Strg+E)").format(message=error.message)
                host.notify(said, severity="error", timeout=10)
                return
            self.show(_("{message} Details: Strg+E").format(message=error.message))
            if context:
                host.notify(
                    _("{context}: nicht ausgeführt – der Dienst ist gestört.").format(
                        context=context
                    ),
                    severity="error",
                )
            host.service_failed_elsewhere(check_now=isinstance(error, ServiceUnreachable))
            return
        self.detail = (
            context or _("Unerwarteter Fehler"),
            "".join(traceback.format_exception(error)),
        )
        host.notify(
            _("{context}: unerwartet ({error}). Nichts wurde geändert. Details: Strg+E").format(
                context=context or _("Fehler"), error=type(error).__name__
            ),
            severity="error",
            timeout=10,
        )

    def show_details(self) -> None:
        from inge_tui.widgets.text_modal import TextModal

        if self.detail is None:
            self.host.notify(_("Bisher kein Fehler."))
        else:
            self.host.push_screen(TextModal(*self.detail))
