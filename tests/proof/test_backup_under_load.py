"""Backups taken while the office works restore to a store whose invariants hold (issue 15.5).

The load benchmark's workload (`bench/_workload.py`) runs against a service on its own SQLite
store: caseworkers of two offices claim, issue (some retried, some cut off) and decide while a
course provider, the test institute and OET feed new cases. Meanwhile `inge-tui backup` takes
two copies. Each copy must be the store as of one moment: it restores (into a new store) to a
store where `bench/_invariants.py` finds nothing wrong (nothing decided twice, at most one
Zertifikat each, every decision audited, every claim consistent, numbers unique and each
document printable, the audit chain whole), and its history is the beginning of the live one:
every document in it is in the live store unchanged, and its audit chains end at a link the
live chains pass through.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from _invariants import check_store
from _workload import Outcome, run_workload
from burst import burst_plan
from sqlalchemy import select
from support.live import LiveService, start_live_service, stop_live_service

from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store import audit_chain
from inge_tui.server.store.backup import Checked, backup, restore
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.schema import audit, certificates

OFFICES = ["RS-NBG", "RS-BER"]
SECONDS = float(os.environ.get("INGE_PROOF_LOAD_SECONDS", "6"))


@pytest.fixture
def sqlite_service(tmp_path: Path) -> Iterator[LiveService]:
    """The embedded store: backup and restore are its tools (PostgreSQL has pg_dump)."""
    live, server, thread = start_live_service(f"sqlite:///{tmp_path / 'buero.db'}")
    try:
        yield live
    finally:
        stop_live_service(live, server, thread)


def _documents(url: str) -> dict[str, tuple[Any, ...]]:
    """number -> what never changes once issued: participant, kind, when, the facts it states."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            c = certificates.c
            stmt = select(c.certificate_id, c.participant_id, c.kind, c.issued_at, c.inputs)
            return {r[0]: tuple(r[1:]) for r in conn.execute(stmt)}
    finally:
        engine.dispose()


def _live_hash_at(url: str, chain: str, seq: int) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            office = audit.c.office == chain if chain else audit.c.office.is_(None)
            stmt = select(audit.c.row_hash).where(office, audit.c.chain_seq == seq)
            return conn.execute(stmt).scalar_one_or_none()
    finally:
        engine.dispose()


@pytest.mark.slow
def test_backups_taken_while_issuing_restore_to_a_consistent_store(
    sqlite_service: LiveService, tmp_path: Path
) -> None:
    url = sqlite_service.database_url
    seed_demo(url, participants=600, offices=OFFICES, make_tokens=False)
    plan = burst_plan(
        sqlite_service,
        [sqlite_service.base_url],
        OFFICES,
        caseworkers=8,
        label="Sicherung",
        seconds=SECONDS,
        timeout_share=0.1,
    )
    outcomes: list[Outcome] = []

    def work() -> None:
        for burst in range(1, 4):  # a busy machine may issue little in one burst: bounded more
            outcomes.append(asyncio.run(run_workload(replace(plan, seed=burst))))
            if sum(len(o.issued) for o in outcomes) >= 20:
                return

    worker = threading.Thread(target=work)
    worker.start()
    copies: list[tuple[Path, Checked]] = []
    for n in (1, 2):
        time.sleep(SECONDS / 3)
        target = tmp_path / f"sicherung-{n}.db"
        copies.append((target, backup(url, target)))
    worker.join(timeout=SECONDS * 3 + 120)
    assert not worker.is_alive()
    assert [p for o in outcomes for p in o.problems] == []

    live = _documents(url)
    assert sum(len(o.issued) for o in outcomes) > 0
    for n, (copy, checked) in enumerate(copies, start=1):
        assert checked.faults == (), checked.faults
        restored = tmp_path / f"wiederhergestellt-{n}.db"
        restored_url = f"sqlite:///{restored}"
        _checked, kept = restore(restored_url, copy, now=sqlite_service.clock())
        assert kept is None  # nothing stood there to keep

        failed = [f"{c.name}: {c.detail}" for c in check_store(restored_url) if not c.ok]
        assert not failed, f"Sicherung {n}:\n" + "\n".join(failed)

        documents = _documents(restored_url)
        changed = {k: v for k, v in documents.items() if live.get(k) != v}
        assert not changed, f"Sicherung {n}: Dokumente, die es so im Dienst nicht gibt: {changed}"
        for chain, head in checked.heads.items():
            assert _live_hash_at(url, chain, head.seq) == head.hash, (n, chain)

    # the copies are moments of a store at work: the second holds more than the first, the
    # live store more than both
    first, second = (c.audit_rows for _, c in copies)
    engine = make_engine(url)
    try:
        live_rows = audit_chain.verify_store(engine).rows
    finally:
        engine.dispose()
    print(f"Sicherungen: {first} und {second} Prüfspurzeilen, im Dienst danach {live_rows}")
    assert first <= second <= live_rows and first < live_rows
