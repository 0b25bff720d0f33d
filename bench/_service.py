"""What the HTTP benchmarks share: a store to seed, the real service in its own process."""

from __future__ import annotations

import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

from inge_tui.server.auth import create_token
from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store.db import make_engine, normalise_url
from inge_tui.server.store.uow import Store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_service(
    database_url: str, port: int, workers: int = 1, threads: int | None = None
) -> subprocess.Popen[bytes]:
    """`inge-tui serve` in its own process; returns once `/v1/health` answers 200."""
    command = [sys.executable, "-m", "inge_tui.cli", "serve", "--port", str(port)]
    command += ["--database-url", database_url, "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the service did not start within 60 s")


def stop_service(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def mint_token(database_url: str, role: str, office: str | None, name: str = "bench") -> str:
    engine = make_engine(database_url)
    try:
        store = Store(engine, lambda: datetime.now(UTC))
        return store.run(lambda tx: create_token(tx, role=role, office=office, name=name))[0]
    finally:
        engine.dispose()


def prepare_store(
    database_url: str | None, sqlite_file: str | None
) -> tuple[str, Callable[[], None]]:
    """A store URL and its clean-up: a new PostgreSQL database, the given file, or a temp file."""
    if database_url:
        name = "inge_bench_" + secrets.token_hex(4)
        admin_url = normalise_url(database_url)
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return url, drop
    if sqlite_file:
        return f"sqlite:///{Path(sqlite_file).resolve()}", lambda: None
    folder = tempfile.mkdtemp(prefix="inge-bench-")
    return f"sqlite:///{folder}/inge.db", lambda: None


def has_participants(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT count(*) FROM participants")).scalar())
    except Exception:
        return False
    finally:
        engine.dispose()


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 of the samples."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    return statistics.median(ordered), p99


@contextmanager
def caseworker_client(
    database_url: str | None,
    sqlite_file: str | None,
    *,
    participants: int,
    office: str,
    timeout: float = 30,
) -> Iterator[tuple[httpx.Client, str]]:
    """A seeded store (seeded only if empty), the real service in its own process, and an
    `httpx.Client` signed in as a caseworker of `office`; yields the client and the backend
    name, and cleans everything up afterwards."""
    url, cleanup = prepare_store(database_url, sqlite_file)
    try:
        if not has_participants(url):
            started = time.perf_counter()
            seed_demo(url, participants=participants, offices=[office], make_tokens=False)
            print(f"seeded {participants:,} in {time.perf_counter() - started:.1f} s")
        token = mint_token(url, "caseworker", office)
        port = free_port()
        service = start_service(url, port)
        try:
            headers = {"Authorization": f"Bearer {token}"}
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, headers=headers, timeout=timeout) as client:
                yield client, "postgresql" if url.startswith("postgresql") else "sqlite"
        finally:
            stop_service(service)
    finally:
        cleanup()
