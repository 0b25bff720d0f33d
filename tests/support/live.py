"""The real service on a free loopback port, for any test that needs one (server and app tests).

Fixtures (session-scoped; `tests/conftest.py` makes them available everywhere):

- `live_service`: parametrised over the stores: a temporary SQLite file, and PostgreSQL when
  `INGE_TEST_DATABASE_URL` is set (a fresh database `inge_t_<random>` for the session, dropped
  at the end; without the variable that half is skipped with the reason).
- `sqlite_service`: the same on SQLite only (for tests that need a service, not both stores).

Each yields a `LiveService`: `base_url`, `token(role, office=None, name=None)` to mint a token,
`client(role, office=None)` for an authenticated `httpx.Client`, `new_office()` for an office
of one's own (so listings are not shared between tests), `clock` (a `ManualClock` the service
reads; `advance(minutes=31)` moves it), and `engine` for reading the store directly.
`start_live_service(url, claim_minutes=…)` / `stop_live_service(...)` do the same by hand.

`empty_store(backend, sqlite_file)` gives the URL of an empty store of one's own (the same
SQLite/PostgreSQL choice), and `serve_processes(url, home, count)` runs `inge-tui serve` as
real processes over a store.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, create_engine, make_url, text

from inge_tui.server.app import create_app
from inge_tui.server.auth import create_token
from inge_tui.server.settings import Settings
from inge_tui.server.store.db import make_engine, normalise_url
from inge_tui.server.store.uow import Store

PG_ENV = "INGE_TEST_DATABASE_URL"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class ManualClock:
    """A clock tests move by hand; every reading advances it by a millisecond (distinct times)."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(milliseconds=1)
            return self._now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)


@dataclass
class LiveService:
    base_url: str
    backend: str
    database_url: str
    clock: ManualClock
    engine: Engine
    settings: Settings
    _offices: set[str] = field(default_factory=set)

    def token(self, role: str, office: str | None = None, name: str | None = None) -> str:
        store = Store(self.engine, self.clock)
        # no expiry: tests move the clock by months (tests/server/test_token_expiry.py checks it)
        return store.run(
            lambda tx: create_token(tx, role=role, office=office, name=name, expires=False)
        )[0]

    def client(self, role: str, office: str | None = None, name: str | None = None) -> httpx.Client:
        token = self.token(role, office, name)
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    def new_office(self) -> str:
        """A fresh office code (created with the first token that names it)."""
        code = "T" + secrets.token_hex(4).upper()
        self._offices.add(code)
        self.token("admin", code)  # creates the office row
        return code


def _serve(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # keep-alive longer than any pause of a test: with uvicorn's 5 s, a client that reused a
    # connection just as the server closed it got "Connection reset by peer" on a loaded
    # machine (CI, the case-life machine)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=120
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@dataclass
class _PgDatabase:
    url: str
    admin_url: str
    name: str


def _create_pg_database(base: str) -> _PgDatabase:
    name = "inge_t_" + secrets.token_hex(6)
    admin_url = normalise_url(base)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return _PgDatabase(url=url, admin_url=admin_url, name=name)


def _drop_pg_database(db: _PgDatabase) -> None:
    admin = create_engine(db.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def empty_store(backend: str, sqlite_file: Path) -> Iterator[str]:
    """The URL of an empty store: the SQLite file `sqlite_file` (`backend` "sqlite"), or a new
    PostgreSQL database under `INGE_TEST_DATABASE_URL`, dropped on leaving (without the variable
    the test is skipped with the reason)."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} ist nicht gesetzt: die PostgreSQL-Hälfte wird übersprungen")
    db = _create_pg_database(base)
    try:
        yield db.url
    finally:
        _drop_pg_database(db)


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty store per session: SQLite file, or a new PostgreSQL database."""
    with empty_store(request.param, tmp_path_factory.mktemp("store") / "inge.db") as url:
        yield url


def start_live_service(
    database_url: str, *, claim_minutes: int = 30, **settings_changes: Any
) -> tuple[LiveService, uvicorn.Server, threading.Thread]:
    """The service over `database_url` in a thread; stop it with `stop_live_service`.
    `settings_changes` go into its `Settings` (other `dtz_thresholds`, say)."""
    clock = ManualClock()
    settings = Settings(
        database_url=database_url, claim_minutes=claim_minutes, clock=clock, **settings_changes
    )
    server, thread, base_url = _serve(settings)
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    live = LiveService(base_url, backend, database_url, clock, make_engine(database_url), settings)
    return live, server, thread


def stop_live_service(live: LiveService, server: uvicorn.Server, thread: threading.Thread) -> None:
    """Stop what `start_live_service` started."""
    server.should_exit = True
    thread.join(timeout=30)
    live.engine.dispose()


_stop = stop_live_service  # the name the app's tests first used


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_processes(database_url: str, home: Path, count: int = 1) -> Iterator[list[str]]:
    """`inge-tui serve` `count` times, each on a free loopback port over `database_url` (with
    `home` as INGE_HOME); yields their base URLs once each answers `/v1/health` (all within a
    minute), and stops them on leaving."""
    env = {**os.environ, "INGE_HOME": str(home)}
    env.pop("INGE_DATABASE_URL", None)
    urls: list[str] = []
    processes: list[subprocess.Popen[bytes]] = []
    for _ in range(count):
        port = free_port()
        command = [sys.executable, "-m", "inge_tui.cli", "serve", "--port", str(port)]
        command += ["--database-url", database_url]
        processes.append(
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                try:
                    if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "service process did not start"
                time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def live_service(store_url: str) -> Iterator[LiveService]:
    """The service over each store (SQLite; PostgreSQL when configured)."""
    live, server, thread = start_live_service(store_url)
    try:
        yield live
    finally:
        _stop(live, server, thread)


@pytest.fixture(scope="session")
def sqlite_service() -> Iterator[LiveService]:
    """The service over a temporary SQLite file only."""
    with tempfile.TemporaryDirectory(prefix="inge-live-") as folder:
        live, server, thread = start_live_service(f"sqlite:///{Path(folder) / 'inge.db'}")
        try:
            yield live
        finally:
            _stop(live, server, thread)
