"""Durable commits: an answered document survives the service being killed mid-work.

- The store runs as `docs/service.md` says: SQLite in WAL mode with `synchronous=FULL`,
  foreign keys and a 30 s busy timeout; PostgreSQL with `fsync` and `synchronous_commit` on
  (a server setting: the test says so when a development server has them off).
- `inge-tui serve` is killed with SIGKILL while eight caseworkers are issuing through it. Every
  document a caseworker got a 201 for is in the store with its PDF (a 201 is sent only after
  the commit), the store is intact (SQLite's `integrity_check`), the invariants of
  `bench/_invariants.py` hold, and a new process opens the store and answers again: each
  case issued again with its key replays what was answered and issues the rest, one each.

What this does not show: survival of a power cut, which no test here can cut. With
`synchronous=FULL` SQLite syncs the WAL at every commit, before the answer is sent; see
`docs/reliability.md`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from _invariants import check_store
from sqlalchemy import select, text
from support.cases import Actors
from support.live import LiveService

from inge_tui.server.store.schema import certificates


def test_the_store_is_configured_for_durable_commits(own_service: LiveService) -> None:
    with own_service.engine.connect() as conn:
        if own_service.backend == "sqlite":
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            assert pragmas == {
                "journal_mode": "wal",
                "synchronous": 2,  # FULL
                "foreign_keys": 1,
                "busy_timeout": 30_000,
            }
        else:
            settings = {
                name: conn.execute(text(f"SHOW {name}")).scalar()
                for name in ("fsync", "synchronous_commit", "full_page_writes")
            }
            assert settings == {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


def _serve(database_url: str, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "INGE_HOME": str(home)}
    env.pop("INGE_DATABASE_URL", None)
    command = [sys.executable, "-m", "inge_tui.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--database-url", database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the service process did not start")


@pytest.mark.slow
def test_a_killed_service_loses_no_answered_document(
    own_service: LiveService, tmp_path: Path
) -> None:
    actors = Actors(own_service)
    try:
        cases = [actors.ready_case() for _ in range(40)]
    finally:
        actors.close()
    token = own_service.token("caseworker", actors.office, "Sachbearbeiterin Weber")
    process, url = _serve(own_service.database_url, tmp_path / "home")
    answered: dict[str, str] = {}
    lock = threading.Lock()

    def issue(pid: str) -> None:
        try:
            response = httpx.post(
                f"{url}/v1/participants/{pid}/certificates",
                json={},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": pid},
                timeout=30,
            )
        except httpx.TransportError:
            return  # in flight when the process died: may or may not be stored
        if response.status_code == 201:
            with lock:
                answered[pid] = response.json()["certificate_id"]

    def kill_when_half_done() -> None:
        deadline = time.monotonic() + 30
        while len(answered) < len(cases) // 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)

    killer = threading.Thread(target=kill_when_half_done)
    killer.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(issue, cases))
    killer.join()
    process.wait(timeout=30)
    assert 0 < len(answered) < len(cases), "the kill should land while documents are issued"

    with own_service.engine.connect() as conn:
        stored = {
            pid: (number, bool(printed and digest))
            for number, pid, printed, digest in conn.execute(
                select(
                    certificates.c.certificate_id,
                    certificates.c.participant_id,
                    certificates.c.printed,
                    certificates.c.printed_sha256,
                ).where(certificates.c.participant_id.in_(cases))
            )
        }
        if own_service.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    for pid, number in answered.items():
        assert stored.get(pid) == (number, True), pid  # what it prints, with its hash
    assert [c for c in check_store(own_service.database_url) if not c.ok] == []

    again, url = _serve(own_service.database_url, tmp_path / "home")
    try:  # every case again with its key: the answered ones replay, the rest issue once
        for pid in cases:
            retry = httpx.post(
                f"{url}/v1/participants/{pid}/certificates",
                json={},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": pid},
                timeout=30,
            )
            assert retry.status_code == 201, retry.text
            if pid in answered:
                assert retry.json()["certificate_id"] == answered[pid]
                assert retry.headers["Idempotent-Replayed"] == "true"
                pdf = httpx.get(
                    f"{url}/v1/certificates/{answered[pid]}/pdf",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                assert pdf.content[:5] == b"%PDF-", pid  # rendered from what was stored
    finally:
        again.terminate()
        again.wait(timeout=30)
    with own_service.engine.connect() as conn:
        per_case = conn.execute(
            select(certificates.c.participant_id).where(certificates.c.participant_id.in_(cases))
        ).scalars()
        assert sorted(per_case) == sorted(cases)  # exactly one document each
