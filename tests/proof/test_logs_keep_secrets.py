"""No log line carries an ID document number, a token or a searched name (domain.md A.10).

Two runs of `proof_traffic.exercise` (a case from registration to document, plus the usual
mistakes), each grepped for every secret it used:

- in process, with uvicorn's error and access logs and every other logger at DEBUG (the
  `sqlalchemy` loggers keep their own WARNING default: turning on SQL echo is a debugging
  tool that prints result rows, see `docs/reliability.md`);
- `inge-tui serve --workers 2` as an operator runs it, its output written to a file in the
  log directory of an `INGE_HOME` of its own, and every file under that home's log and state
  directories read afterwards.

Both also check that access lines were written at all, so the test cannot pass by logging
nothing.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from proof_traffic import exercise

from inge_tui.server.app import create_app
from inge_tui.server.auth import create_token
from inge_tui.server.settings import Settings
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import migrate
from inge_tui.server.store.uow import Store

OFFICE = "RS-LOG"
ROLES = ("caseworker", "supervisor", "course_provider", "test_institute", "oet")


def mint(database_url: str) -> dict[str, str]:
    """One token per role (office roles of `OFFICE`), on a migrated store."""
    engine = make_engine(database_url)
    try:
        migrate(engine)
        store = Store(engine, lambda: datetime.now(UTC))
        return {
            role: store.run(
                lambda tx, r=role: create_token(
                    tx, role=r, office=OFFICE if r in {"caseworker", "supervisor"} else None
                )
            )[0]
            for role in ROLES
        }
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def debug_capture() -> Iterator[io.StringIO]:
    """Every record of the root logger and uvicorn's loggers at DEBUG, as text."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    # The test's own HTTP client logs in this process too; only the service's records count.
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))
    loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.error", "uvicorn.access")]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    root = loggers[0]
    root.addHandler(handler)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in loggers[1:]:
        logger.propagate = True
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        for logger, level, propagate in saved:
            logger.setLevel(level)
            logger.propagate = propagate


@pytest.mark.slow
def test_debug_logs_in_process_carry_no_secret(tmp_path: Path, debug_capture: io.StringIO) -> None:
    url = f"sqlite:///{tmp_path / 'inge.db'}"
    tokens = mint(url)
    app = create_app(Settings(database_url=url))
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, log_level="debug", access_log=True
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_healthy(f"http://127.0.0.1:{port}")
        found = exercise(f"http://127.0.0.1:{port}", tokens, OFFICE)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    logged = debug_capture.getvalue()
    leaked = [s for s in found.all() if s in logged]
    assert leaked == []
    assert '"GET /v1/postbox HTTP/1.1" 200' in logged  # access lines were captured
    assert "uvicorn.error" in logged


@pytest.mark.slow
def test_service_output_and_log_files_carry_no_secret(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log_dir = home / "log"
    log_dir.mkdir(parents=True)
    url = f"sqlite:///{tmp_path / 'inge.db'}"
    tokens = mint(url)
    port = _free_port()
    env = {**os.environ, "INGE_HOME": str(home)}
    env.pop("INGE_DATABASE_URL", None)
    command = [sys.executable, "-m", "inge_tui.cli", "serve", "--port", str(port)]
    command += ["--workers", "2", "--database-url", url]
    with open(log_dir / "service.log", "wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(f"http://127.0.0.1:{port}")
            found = exercise(f"http://127.0.0.1:{port}", tokens, OFFICE)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    files = [
        p for folder in (log_dir, home / "state") if folder.exists() for p in folder.rglob("*")
    ]
    written = "\n".join(p.read_text("utf-8", "replace") for p in files if p.is_file())
    leaked = [s for s in found.all() if s in written]
    assert leaked == []
    assert '"GET /v1/postbox HTTP/1.1" 200' in written  # the workers' access lines are there


def _wait_healthy(base_url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the service did not start")
