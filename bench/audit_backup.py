"""What the audit chain and the backup cost, each against a reference from the same run.

    uv run python bench/audit_backup.py                 # SQLite, 20,000 cases, 100,000 audit rows
    uv run python bench/audit_backup.py --rows 20000
    uv run python bench/audit_backup.py --database-url postgresql://…/empty_db

1. Writing: transactions of 4 audit rows (what an issue writes) sealed into the chain, against
   the same rows inserted plainly (no head lock, no hashes), interleaved rounds.
2. `audit verify` (one snapshot, every hash recomputed) against a plain read of the same rows.
3. SQLite only: `inge-tui backup` (online backup API, integrity check, chain, documents) against
   a plain copy of the file.

Prints the figures and the ratios; docs/reliability.md keeps them with this command.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine, Index, MetaData, Table, select

from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store import audit_chain
from inge_tui.server.store.backup import backup, sqlite_path
from inge_tui.server.store.db import is_sqlite, make_engine
from inge_tui.server.store.ledger import dumps
from inge_tui.server.store.migrations import migrate
from inge_tui.server.store.schema import audit
from inge_tui.server.store.uow import Store, Tx

ACTOR = SimpleNamespace(token_id=None, name="Bench SB", role="caseworker")
OFFICES = ("RS-NBG", "RS-BER", "RS-HH")
PER_TX = 4


def _rows(n: int, at: datetime) -> list[dict[str, object]]:
    return [
        {
            "at": at + timedelta(microseconds=k),
            "office": OFFICES[k % len(OFFICES)],
            "participant_id": f"TN-{k:09d}",
            "entry_id": k,
            "actor_token": None,
            "actor_name": ACTOR.name,
            "actor_role": ACTOR.role,
            "action": "dokument_ausgestellt",
            "inputs": dumps({"kind": "zertifikat", "k": k}),
            "outcome": dumps({"number": f"ZIK-2026-{k:07d}"}),
            "rules_version": "2026-12",
        }
        for k in range(n)
    ]


def _chained(store: Store, office: str) -> None:
    def write(tx: Tx) -> None:
        for k in range(PER_TX):
            tx.ledger.audit(
                at=tx.now,
                actor=ACTOR,
                action="dokument_ausgestellt",
                office=office,
                participant_id=f"TN-{k:09d}",
                inputs={"kind": "zertifikat", "k": k},
                outcome={"number": f"ZIK-2026-{k:07d}"},
                rules_version="2026-12",
            )

    store.run(write)


def _plain_table() -> Table:
    """A table like `audit` with its indexes, outside the chain: the reference."""
    plain = Table("bench_audit_plain", MetaData(), *(c._copy() for c in audit.columns))
    for index in audit.indexes:
        Index(f"bench_{index.name}", *(plain.c[c.name] for c in index.columns))
    return plain


def _plain(engine: Engine, plain: Table, office: str, now: datetime) -> None:
    rows = _rows(PER_TX, now)
    for row in rows:
        row["office"] = office
    with engine.begin() as conn:
        conn.execute(plain.insert(), rows)


def bench_writes(store: Store, transactions: int) -> tuple[float, float]:
    """Median milliseconds per transaction: chained, plain (interleaved in rounds of 50)."""
    table = _plain_table()
    table.create(store.engine)
    chained: list[float] = []
    plain: list[float] = []
    try:
        for n in range(transactions):
            office = OFFICES[n % len(OFFICES)]
            started = time.perf_counter()
            _chained(store, office)
            chained.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _plain(store.engine, table, office, store.clock())
            plain.append((time.perf_counter() - started) * 1000)
    finally:
        table.drop(store.engine)
    return statistics.median(chained), statistics.median(plain)


def fill(store: Store, rows: int) -> None:
    """`rows` chained audit rows, written in batches through the chain's own append."""
    now = store.clock()
    for start in range(0, rows, 5000):
        batch = _rows(min(5000, rows - start), now)
        with store.engine.begin() as conn:
            audit_chain.append(conn, batch)


def bench_verify(engine: Engine) -> tuple[float, float, int]:
    """Seconds for `audit verify` and for a plain read of every audit row; rows verified."""
    started = time.perf_counter()
    report = audit_chain.verify_store(engine)
    verify_s = time.perf_counter() - started
    assert report.ok, report.broken
    started = time.perf_counter()
    with engine.connect() as conn:
        for _row in conn.execute(select(audit).order_by(audit.c.audit_id)).yield_per(5000):
            pass
    return verify_s, time.perf_counter() - started, report.rows


def bench_backup(url: str, folder: Path) -> tuple[float, float, int]:
    source = sqlite_path(url)
    started = time.perf_counter()
    backup(url, folder / "sicherung.db")
    backup_s = time.perf_counter() - started
    started = time.perf_counter()
    shutil.copyfile(source, folder / "kopie.db")
    return backup_s, time.perf_counter() - started, source.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=300)
    parser.add_argument("--participants", type=int, default=20_000, help="demo cases first")
    parser.add_argument("--database-url", help="an empty store (default: a new SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
        engine = make_engine(url)
        migrate(engine)
        store = Store(engine, lambda: datetime.now(UTC))
        print(f"Speicher: {'SQLite' if is_sqlite(engine) else 'PostgreSQL'}")

        if args.participants:
            seed_demo(url, participants=args.participants, offices=list(OFFICES))
        chained, plain = bench_writes(store, args.transactions)
        print(
            f"Schreiben, {PER_TX} Prüfspurzeilen je Transaktion (Median aus {args.transactions}):"
            f" verkettet {chained:.2f} ms, einfach {plain:.2f} ms, Verhältnis {chained / plain:.2f}"
        )
        fill(store, args.rows)
        verify_s, read_s, rows = bench_verify(engine)
        print(
            f"audit verify: {rows:,} Zeilen in {verify_s:.2f} s ({rows / verify_s:,.0f} Zeilen/s);"
            f" bloßes Lesen {read_s:.2f} s, Verhältnis {verify_s / read_s:.2f}"
        )
        if is_sqlite(engine):
            backup_s, copy_s, size = bench_backup(url, folder)
            print(
                f"backup: {size / 1e6:.1f} MB in {backup_s:.2f} s (geprüft);"
                f" Dateikopie {copy_s:.3f} s, Verhältnis {backup_s / copy_s:.1f}"
            )
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
