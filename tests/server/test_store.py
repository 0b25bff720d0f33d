"""The store: migrations under concurrent starts, refusing a newer schema, the index plans."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from support.live import empty_store

from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import LATEST_VERSION, migrate
from inge_tui.server.store.postbox import PostboxQuery, page_statement


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store of its own for one test."""
    with empty_store(request.param, tmp_path / "fresh.db") as url:
        yield url


def test_several_processes_migrating_at_once_agree(fresh_url: str) -> None:
    code = (
        "import sys; from inge_tui.server.store.db import make_engine; "
        "from inge_tui.server.store.migrations import migrate; "
        "print(migrate(make_engine(sys.argv[1])))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, fresh_url], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120)[0].strip() for p in processes]
    assert [p.returncode for p in processes] == [0] * 4
    assert outputs == [str(LATEST_VERSION)] * 4
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version FROM schema_version")).scalars().all()
        assert versions == list(range(1, LATEST_VERSION + 1))
    finally:
        engine.dispose()


def test_a_newer_schema_is_refused_not_dropped(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO schema_version (version, name, applied_at) VALUES (:v, 'x', :t)"),
                {"v": LATEST_VERSION + 1, "t": datetime.now(UTC)},
            )
        with pytest.raises(RuntimeError, match="Schemaversion"):
            migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM participants")).scalar() == 0
    finally:
        engine.dispose()


QUERIES = {
    "office": PostboxQuery("RS-NBG"),
    "status": PostboxQuery("RS-NBG", statuses=("offen",)),
    "kind": PostboxQuery("RS-NBG", statuses=("offen",), kind="abschluss"),
    "blocked": PostboxQuery("RS-NBG", statuses=("offen",), blocked=True),
    "document": PostboxQuery("RS-NBG", statuses=("offen",), document="bescheinigung"),
    "oldest first": PostboxQuery("RS-NBG", statuses=("offen",), newest_first=False),
    "older than": PostboxQuery("RS-NBG", statuses=("offen",), older_than_days=30),
    "awaiting": PostboxQuery("RS-NBG", statuses=("offen", "in_bearbeitung"), awaiting="freigabe"),
    "requested": PostboxQuery("RS-NBG", requested=True),
    "overdue": PostboxQuery("RS-NBG", statuses=("offen", "in_bearbeitung"), overdue=True),
}


def test_every_postbox_page_walks_an_index_without_sorting(fresh_url: str) -> None:
    """The page query reads an index in sort order from the cursor on (no sort step)."""
    seed_demo(fresh_url, participants=3000, make_tokens=False)
    engine = make_engine(fresh_url)
    now = datetime.now(UTC)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # A small table: make the planner show whether an ordered index path exists
                # (at scale it picks it by cost; `bench/seed.py --explain` shows that).
                for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                    conn.exec_driver_sql(f"SET {setting} = off")
            for label, query in QUERIES.items():
                for after in (None, (now, 2**31 - 1)):
                    stmt = page_statement(query, now, after=after, limit=50)
                    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
                    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
                    rows = conn.exec_driver_sql(prefix + sql).fetchall()
                    plan = " / ".join(str(row[-1]) for row in rows)
                    assert "ix_postbox_office" in plan, (label, plan)
                    if query.awaiting:  # the few waiting entries, not a walk through the office
                        assert "ix_postbox_office_awaiting_created" in plan, plan
                    assert "TEMP B-TREE" not in plan and "Sort" not in plan, (label, plan)
    finally:
        engine.dispose()
