"""Document numbers while issues run side by side (issue 15.6; domain.md A.13).

On PostgreSQL a number is reserved and committed in a short transaction of its own, so the
series' counter row is not locked for the rest of an issue: a second issue gets its number
while the first is still running. An issue that then rolls back leaves its number on file as
`reserviert` with the reason, and the series report shows no unexplained gap. On SQLite the
number is taken in the issuing transaction (its write lock serialises issuing anyway) and a
rollback gives it back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from support.live import empty_store

from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import migrate
from inge_tui.server.store.schema import counters, document_numbers
from inge_tui.server.store.uow import Store, Tx

NOW = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with empty_store(request.param, tmp_path / "numbers.db") as url:
        engine = make_engine(url)
        migrate(engine)
        s = Store(engine, lambda: NOW)
        try:
            yield s
        finally:
            s.dispose()


def _take(tx: Tx, participant_id: str) -> str:
    return tx.ledger.take_number(
        "ZIK", 2026, participant_id=participant_id, office="RS-NBG", by="SB Test", at=tx.now
    )


def _recorded(store: Store) -> dict[str, tuple[str, str | None]]:
    n = document_numbers.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(n.number, n.state, n.reason).order_by(n.number))
        return {r.number: (r.state, r.reason) for r in rows}


def _counter(store: Store) -> int | None:
    with store.engine.connect() as conn:
        stmt = select(counters.c.value).where(counters.c.name == "ZIK-2026")
        return conn.execute(stmt).scalar_one_or_none()


class _Abort(Exception):
    pass


def test_a_finished_issue_marks_its_number_used(store: Store) -> None:
    number = store.run(lambda tx: _take(tx, "TN-1"))
    assert number == "ZIK-2026-0000001"
    assert _recorded(store) == {number: ("verwendet", None)}


def test_an_issue_that_rolls_back_leaves_its_number_accounted_for(store: Store) -> None:
    def fails(tx: Tx) -> None:
        _take(tx, "TN-1")
        raise _Abort

    with pytest.raises(_Abort):
        store.run(fails)
    after = store.run(lambda tx: _take(tx, "TN-2"))
    recorded = _recorded(store)
    if store.numbers() is None:  # SQLite: the rollback gave the number back
        assert after == "ZIK-2026-0000001" and _counter(store) == 1
        assert recorded == {after: ("verwendet", None)}
        return
    assert after == "ZIK-2026-0000002" and _counter(store) == 2
    state, reason = recorded["ZIK-2026-0000001"]
    assert state == "reserviert"
    assert reason is not None and "TN-1" in reason and "nicht abgeschlossen" in reason
    assert recorded[after] == ("verwendet", None)


def test_a_second_issue_gets_its_number_while_the_first_still_runs(store: Store) -> None:
    if store.numbers() is None:
        pytest.skip("SQLite serialises every writer: one issue at a time by design")
    first_has_number = threading.Event()
    second_done = threading.Event()
    taken: dict[str, str] = {}

    def slow(tx: Tx) -> None:  # an issue that takes its number, then has much left to do
        taken["first"] = _take(tx, "TN-1")
        first_has_number.set()
        assert second_done.wait(timeout=20), "the second issue waited for the first"

    runner = threading.Thread(target=lambda: store.run(slow))
    runner.start()
    assert first_has_number.wait(timeout=20)
    started = time.perf_counter()
    taken["second"] = store.run(lambda tx: _take(tx, "TN-2"))
    waited = time.perf_counter() - started
    second_done.set()
    runner.join(timeout=20)
    assert waited < 2.0
    assert (taken["first"], taken["second"]) == ("ZIK-2026-0000001", "ZIK-2026-0000002")
    assert set(_recorded(store).values()) == {("verwendet", None)}
