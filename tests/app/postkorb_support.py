"""Helpers for the Postkorb app tests (the fixtures that use them are in `conftest.py`).

`seed_office` feeds an office through the service's HTTP API as the outside systems would:
entries a few days apart (the test service's clock is moved between them), some blocked, a
self-payer waiting for the paper DTZ and a repetition application. `AppEnv.run()` starts the
app the CLI starts (`make_app`) on a client of that service, with the age column's clock
pinned to `TODAY`. `RestartableService` is the service on a fixed port that a test can stop.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn
from support.app_env import wait_for
from support.cases import Actors
from support.live import LiveService

from inge_tui.api.client import IngeClient
from inge_tui.app import IngeApp
from inge_tui.config import Config
from inge_tui.launch import make_app

TODAY = datetime(2026, 4, 20, 10, 0)
"""The app's clock in these tests: the age column counts from here."""
CASEWORKER = "Sachbearbeiterin Weber"
OTHER = "Sachbearbeiter Öztürk"
NAMES = (
    ("Müller", "Anna"),
    ("Yılmaz", "Mehmet"),
    ("Nguyen", "Thi Lan"),
    ("Kowalski", "Piotr"),
    ("Haddad", "Rania"),
    ("Abdullahi", "Fatuma"),
    ("Schäfer", "Jürgen"),
    ("Petrenko", "Oksana"),
    ("Al-Hassan", "Omar"),
    ("Dimitrov", "Elena"),
    ("Ortega García", "María José"),
    ("Öztürk", "Zeynep"),
    ("Ivanova", "Tatjana"),
    ("Kaya", "Emre"),
)


def seed_office(live: LiveService, prefix: str, count: int = len(NAMES)) -> Actors:
    """An office with `count` entries a few days apart (oldest first), some blocked,
    one self-payer waiting for the paper DTZ, one repetition application."""
    actors = Actors(live)
    for number in range(count):
        surname, given = NAMES[number % len(NAMES)]
        pid = f"{prefix}-{number:04d}"
        if number == 3:
            actors.register(pid, surname=surname, given_name=given, self_payer=True)
            actors.identity(pid)
            assert actors.lid(pid, 24).status_code == 201
        else:
            actors.ready_case(
                participant_id=pid,
                surname=surname,
                given_name=given,
                b1=number % 3 != 0,
                identity=number % 5 != 1,
                lid_points=12 + number,
            )
        if number == 6:
            body = {
                "participant_id": pid,
                "received_on": "2026-02-20",
                "requested_hours": 300,
                "provider_confirmation": True,
            }
            response = actors.provider.post("/v1/repetition-applications", json=body)
            assert response.status_code == 201, response.text
        live.clock.advance(days=3, hours=1)
    return actors


@dataclass
class AppEnv:
    """One office on the test service and the caseworker who works it in the app."""

    live: LiveService
    actors: Actors
    token: str
    home: Path

    def client(self, base_url: str | None = None) -> IngeClient:
        return IngeClient(base_url or self.live.base_url, self.token, retries=1, backoff=0.05)

    def app(
        self, config: Config | None = None, *, client: IngeClient | None = None, **options: Any
    ) -> IngeApp:
        options.setdefault("poll_seconds", 60.0)
        options.setdefault("demo", True)  # pins the status line (no port number in it)
        return make_app(config or Config(), client or self.client(), clock=lambda: TODAY, **options)

    @asynccontextmanager
    async def run(
        self,
        config: Config | None = None,
        *,
        size: tuple[int, int] = (80, 24),
        client: IngeClient | None = None,
        **options: Any,
    ) -> AsyncIterator[tuple[IngeApp, Any]]:
        """The app on its first page (the list has rows, or says it has none)."""
        client = client or self.client()
        app = self.app(config, client=client, **options)
        try:
            async with app.run_test(size=size) as pilot:
                await wait_for(pilot, lambda: app.first_page_seconds is not None, "erste Seite")
                yield app, pilot
        finally:
            await client.aclose()


def secrets_hex() -> str:
    import secrets

    return secrets.token_hex(3).upper()


# ---------------------------------------------------------------- a service that can stop


class RestartableService:
    """The service on a fixed loopback port that a test can stop and start again."""

    def __init__(self, live: LiveService) -> None:
        self.live = live
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from inge_tui.server.app import create_app

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        config = uvicorn.Config(
            create_app(self.live.settings), log_level="warning", access_log=False, lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the service did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=30)
            self._server = None
