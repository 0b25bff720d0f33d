"""How the app reaches its service: the clients for a target, and the watch on the connection.

`open_clients` turns what the app was started with (a remote `Connection`, the embedded demo,
or a ready client) into the client commands use and a quick probe for health checks.
`ConnectionWatch.run` checks health every few seconds; when a check fails it reports the
trouble and checks again sooner, backing off from 0.5 s to 5 s, and reports the recovery when
the service answers again. No Textual here: the app passes callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from inge_tui.api.client import IngeClient
from inge_tui.api.errors import ApiError
from inge_tui.config import Connection
from inge_tui.embedded import EmbeddedService
from inge_tui.i18n import _

Target = Connection | EmbeddedService | IngeClient
PROBE_TIMEOUT = 3.0
FIRST_RETRY = 0.5
MAX_RETRY = 5.0


async def open_clients(
    target: Target, progress: Callable[[float], None] | None = None
) -> tuple[IngeClient, IngeClient]:
    """The client for commands and a probe (no retries, short timeout) for health checks.

    For the embedded demo this waits until the service answers; it raises `DemoServiceError`
    when it does not come up.
    """
    if isinstance(target, EmbeddedService):
        token = await target.wait_ready(progress=progress)
        return target.client(token), target.client(token, retries=0, timeout=PROBE_TIMEOUT)
    if isinstance(target, Connection):
        assert target.url is not None
        verify: Any = target.verify
        if target.verify and target.ca_bundle is not None:
            import ssl  # httpx deprecates a path here; a context does the same

            verify = ssl.create_default_context(cafile=str(target.ca_bundle))
        client = IngeClient(target.url, target.token, verify=verify, timeout=target.timeout)
        probe = IngeClient(
            target.url,
            target.token,
            verify=verify,
            timeout=min(PROBE_TIMEOUT, target.timeout),
            retries=0,
        )
        return client, probe
    return target, target


def trouble_text(error: ApiError) -> str:
    """The banner's text for a service problem: what happened, what is kept, what to do."""
    return _(
        "{message} Die Liste zeigt den letzten Stand. Hält die Störung an, den Betrieb "
        "informieren (Details: Strg+E)."
    ).format(message=error.message)


class ConnectionWatch:
    """Health checks in a loop; `on_trouble(text)` when they fail, `on_recovered()` after."""

    def __init__(
        self,
        probe: IngeClient,
        *,
        interval: float,
        on_trouble: Callable[[str, ApiError | None], None],
        on_recovered: Callable[[], None],
        embedded: EmbeddedService | None = None,
    ) -> None:
        self.probe = probe
        self.interval = interval
        self.on_trouble = on_trouble
        self.on_recovered = on_recovered
        self.embedded = embedded
        self.failing = False
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Check now (something else just failed)."""
        self._wake.set()

    def failed_elsewhere(self, *, check_now: bool) -> None:
        """A request outside the watch failed: report the recovery once health answers."""
        self.failing = True
        if check_now:
            self._wake.set()

    async def check(self) -> bool:
        """One health check; reports trouble or recovery. True when the service answered."""
        if self.embedded is not None and self.embedded.exit_code() is not None:
            self.failing = True
            self.on_trouble(self.embedded.died_message(), None)
            return False
        try:
            await self.probe.health()
        except ApiError as error:
            self.failing = True
            self.on_trouble(trouble_text(error), error)
            return False
        if self.failing:
            self.failing = False
            self.on_recovered()
        return True

    async def run(self) -> None:
        """Check forever: every `interval` while healthy, from 0.5 s up to 5 s while not."""
        delay = self.interval
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            was_failing = self.failing
            self._wake.clear()
            try:
                healthy = await self.check()
            except Exception as error:  # the watch must outlive any surprise
                self.failing = True
                said = _("Verbindungsprüfung fehlgeschlagen: {error}").format(error=error)
                self.on_trouble(said, None)
                healthy = False
            if healthy:
                delay = self.interval
            else:
                delay = min(MAX_RETRY, delay * 2) if was_failing else FIRST_RETRY
