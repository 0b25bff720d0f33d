"""Faults in the middle of a bulk issue: every document exactly once, nothing half-written.

- `inge-tui serve` (a real process) is killed with SIGKILL while `inge-tui run … 'issue-document
  --all --yes'` issues through it, after at least three documents are stored; the service is
  started again on the same store and port, and the bulk is run again until it exits 0.
- On PostgreSQL, the service's database connections are cut (`pg_terminate_backend`) twice
  while the bulk runs; the service keeps running and answers again without a restart, and the
  bulk is run again until it exits 0.

Afterwards, read from the database (`fault_support.assert_exactly_once_nothing_half_written`):
every issuable participant has exactly one document, every document row has its PDF
(`%PDF-`), no Postkorb entry is `erledigt` without a document nor open with one, document
numbers are unique, every document is in the audit history, and `bench/_invariants.py` holds.

Drafts in the app across a stopped service are shown by `tests/app/test_case_drafts.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fault_support import (
    Cutter,
    Service,
    assert_exactly_once_nothing_half_written,
    count_certificates,
    named_for_the_service,
    reader,
    rerun_until_done,
    start_bulk,
    wait_until,
)
from support.cases import Actors
from support.live import LiveService

CASES = 14


def issuable_cases(live: LiveService) -> tuple[list[str], str]:
    """`CASES` ready cases in an office of their own, and a caseworker's token for it."""
    actors = Actors(live)
    try:
        pids = [actors.ready_case(b1=i % 3 != 0) for i in range(CASES)]
    finally:
        actors.close()
    return pids, live.token("caseworker", actors.office, "Sachbearbeiterin Weber")


@pytest.mark.slow
def test_service_killed_mid_bulk_then_rerun_issues_each_exactly_once(
    own_service: LiveService, tmp_path: Path
) -> None:
    pids, token = issuable_cases(own_service)
    service = Service(own_service.database_url, tmp_path / "serve")
    service.start()
    engine = reader(own_service.database_url)
    bulk = start_bulk(service.url, token, tmp_path / "client")
    try:
        wait_until(lambda: count_certificates(engine, pids) >= 3, "three documents stored")
        service.kill()
        at_kill = count_certificates(engine, pids)
        assert 3 <= at_kill < CASES, "the kill should land in the middle of the bulk"

        bulk.communicate(timeout=180)  # the interrupted run ends by itself
        assert bulk.returncode != 0  # and says it did not finish
        service.start()  # same store, same port
        rerun_until_done(service.url, token, tmp_path / "client")
        assert service.alive()
    finally:
        if bulk.poll() is None:
            bulk.kill()
            bulk.wait(timeout=30)
        service.stop()
        engine.dispose()
    assert_exactly_once_nothing_half_written(own_service.database_url, pids)


@pytest.mark.slow
def test_database_connections_cut_mid_bulk_then_rerun_issues_each_exactly_once(
    own_service: LiveService, tmp_path: Path
) -> None:
    if own_service.backend != "postgresql":
        pytest.skip("cutting the service's database connections needs PostgreSQL's backends")
    pids, token = issuable_cases(own_service)
    service = Service(named_for_the_service(own_service.database_url), tmp_path / "serve")
    service.start()
    engine = reader(own_service.database_url)
    bulk = start_bulk(service.url, token, tmp_path / "client")
    cutter = Cutter(engine)
    try:
        wait_until(lambda: count_certificates(engine, pids) >= 2, "two documents stored")
        cutter.start()  # cut again and again while the bulk issues
        wait_until(
            lambda: count_certificates(engine, pids) >= CASES - 4 or bulk.poll() is not None,
            "the bulk to issue more or stop",
        )
        cut = cutter.stop()
        assert cut, "no connection of the service was cut"
        out, err = bulk.communicate(timeout=180)
        if bulk.returncode != 0:  # it stopped: on a 5xx answer, never a half-done item
            report = json.loads(out.splitlines()[-1])["data"]["results"]
            failed = [r["message"] for r in report if r["status"] == "fehlgeschlagen"]
            assert failed and all("HTTP 5" in m for m in failed), (failed, err[-2000:])

        # the service outlives the cut: it answers again without a restart
        assert service.alive()
        wait_until(
            lambda: httpx.get(f"{service.url}/v1/health", timeout=5).status_code == 200,
            "the service answering again",
        )
        rerun_until_done(service.url, token, tmp_path / "client")
        assert service.alive()
    finally:
        cutter.stop()
        if bulk.poll() is None:
            bulk.kill()
            bulk.wait(timeout=30)
        service.stop()
        engine.dispose()
    assert_exactly_once_nothing_half_written(own_service.database_url, pids)
