"""Helpers for `test_faults.py`: `inge-tui serve` and `inge-tui run` as real processes, reading
the store directly (never through the service), and the checks an operator relies on after a
fault: every document exactly once, nothing half-written.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx
from _invariants import check_store
from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.pool import NullPool

from inge_tui.server.documents import data_hash
from inge_tui.server.store.db import normalise_url
from inge_tui.server.store.schema import audit, certificates, postbox_entries

SERVE = (sys.executable, "-m", "inge_tui.cli", "serve")
SERVICE_APP_NAME = "inge_serve_under_test"
BULK_LINES = ("filter kind:abschluss blockiert:nein", "issue-document --all --yes")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reader(database_url: str) -> Engine:
    """An engine that opens a new connection per use (survives the service's backends being
    terminated, and holds nothing between polls)."""
    return create_engine(normalise_url(database_url), poolclass=NullPool)


class Service:
    """`inge-tui serve` as a subprocess on a fixed loopback port; its log goes to a file."""

    def __init__(self, database_url: str, home: Path, port: int | None = None) -> None:
        self.database_url = database_url
        self.home = home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def log(self) -> Path:
        return self.home / f"serve-{self.starts}.log"

    def start(self, timeout: float = 60) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "INGE_HOME": str(self.home)}
        env.pop("INGE_DATABASE_URL", None)
        deadline = time.monotonic() + timeout
        while True:  # the port may still be held for a moment after a kill: try again
            self.starts += 1
            with self.log.open("wb") as log:
                self.process = subprocess.Popen(
                    [*SERVE, "--port", str(self.port), "--database-url", self.database_url],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if httpx.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            if self.process.poll() is None or time.monotonic() >= deadline:
                self.stop()
                raise AssertionError(f"the service did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.3)  # it exited (address in use?): start it again

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def bulk_command(url: str) -> list[str]:
    return [sys.executable, "-m", "inge_tui.cli", "--url", url, "run", "--json", *BULK_LINES]


def start_bulk(url: str, token: str, home: Path) -> subprocess.Popen[str]:
    """`inge-tui run … 'issue-document --all --yes'` as a subprocess (token in INGE_TOKEN)."""
    env = {**os.environ, "INGE_TOKEN": token, "INGE_HOME": str(home)}
    return subprocess.Popen(
        bulk_command(url),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def rerun_until_done(url: str, token: str, home: Path, attempts: int = 5) -> list[int]:
    """Run the bulk again until it exits 0; answers the exit status of every attempt."""
    codes: list[int] = []
    for _ in range(attempts):
        process = start_bulk(url, token, home)
        out, err = process.communicate(timeout=180)
        codes.append(process.returncode)
        if process.returncode == 0:
            return codes
        time.sleep(0.5)  # a moment for the service to come back before the next attempt
    raise AssertionError(f"the bulk never finished: exit codes {codes}\n{out[-2000:]}{err[-2000:]}")


def count_certificates(engine: Engine, pids: Iterable[str]) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(certificates)
                .where(certificates.c.participant_id.in_(list(pids)))
            ).scalar_one()
        )


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        time.sleep(0.01)


def named_for_the_service(database_url: str) -> str:
    """The PostgreSQL URL with the service's connections named, so only those are cut."""
    return (
        make_url(database_url)
        .update_query_dict({"application_name": SERVICE_APP_NAME})
        .render_as_string(hide_password=False)
    )


def terminate_backends(engine: Engine) -> list[str]:
    """Cut the service's connections to its database; answers the state each one was in
    (`idle`, `active`, `idle in transaction`)."""
    with engine.connect() as conn:
        cut = conn.execute(
            text(
                "SELECT state, pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND application_name = :name"
            ),
            {"name": SERVICE_APP_NAME},
        ).all()
        conn.commit()
    return [str(state) for state, _ok in cut]


class Cutter(threading.Thread):
    """Cuts the database's connections every `every` seconds until stopped."""

    def __init__(self, engine: Engine, every: float = 0.03) -> None:
        super().__init__(daemon=True)
        self.engine = engine
        self.every = every
        self.states: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(self.every):
            self.states.extend(terminate_backends(self.engine))

    def stop(self) -> list[str]:
        self.halt.set()
        self.join(timeout=30)
        return self.states


def assert_exactly_once_nothing_half_written(database_url: str, pids: list[str]) -> None:
    """The checks of the module docstring, read from the store."""
    engine = reader(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    certificates.c.certificate_id,
                    certificates.c.participant_id,
                    certificates.c.printed,
                    certificates.c.printed_sha256,
                )
            ).all()
            entries = conn.execute(
                select(postbox_entries.c.participant_id, postbox_entries.c.status).where(
                    postbox_entries.c.kind == "abschluss"
                )
            ).all()
            audited = conn.execute(
                select(audit.c.outcome).where(audit.c.action == "dokument_ausgestellt")
            ).scalars()
            audited_text = [str(outcome) for outcome in audited]
            if database_url.startswith("sqlite"):
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()

    per_pid: dict[str, list[str]] = {}
    for number, pid, _printed, _digest in rows:
        per_pid.setdefault(pid, []).append(number)
    # every issuable participant has exactly one document
    assert {pid: len(per_pid.get(pid, [])) for pid in pids} == dict.fromkeys(pids, 1)
    assert set(per_pid) <= set(pids)  # and nobody else got one
    # every document number once, each with the text it prints and that text's hash (the PDF
    # is rendered from it on first use; check_store below also checks stored PDFs)
    numbers = [number for number, *_ in rows]
    assert len(numbers) == len(set(numbers))
    unprintable = [n for n, _pid, text, digest in rows if not text or data_hash(text) != digest]
    assert unprintable == []
    # no entry erledigt without a document, no document whose entry is still open
    torn = [(pid, status) for pid, status in entries if (status == "erledigt") != (pid in per_pid)]
    assert torn == []
    # every document in the audit history
    assert [n for n in numbers if not any(f'"{n}"' in o for o in audited_text)] == []
    failing = [c for c in check_store(database_url) if not c.ok]
    assert failing == [], failing
