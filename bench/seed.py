"""Time `demo seed` for N participants, then a Postkorb page at the start and at the very end.

    uv run python bench/seed.py                                  # 1,000,000 into a temp SQLite
    uv run python bench/seed.py --participants 200000 --explain  # smaller, with query plans
    uv run python bench/seed.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test

A PostgreSQL URL names the server: the benchmark creates a database of its own there
(`inge_bench_<random>`) and drops it afterwards (`--keep` keeps it, and a SQLite file too).
Prints the seeding time and rate, then the median time of a first page and of a page whose
cursor sits at the last entry, for the filters the Postkorb offers.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, make_url, select, text

from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store.db import make_engine, normalise_url
from inge_tui.server.store.postbox import PostboxQuery, count_statement, page_statement
from inge_tui.server.store.schema import postbox_entries

pb = postbox_entries.c

QUERIES = {
    "alle": lambda office: PostboxQuery(office),
    "offen": lambda office: PostboxQuery(office, statuses=("offen",)),
    "offen, abschluss": lambda office: PostboxQuery(office, statuses=("offen",), kind="abschluss"),
    "offen, blockiert": lambda office: PostboxQuery(office, statuses=("offen",), blocked=True),
    "offen, Zertifikat": lambda office: PostboxQuery(
        office, statuses=("offen",), document="zertifikat"
    ),
    "offen, älteste zuerst": lambda office: PostboxQuery(
        office, statuses=("offen",), newest_first=False
    ),
    "q=Yıl": lambda office: PostboxQuery(office, q="Yıl"),
}


def _median_ms(run, repeat: int = 15) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_pages(url: str, office: str, explain: bool) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.connect() as conn:
        for label, build in QUERIES.items():
            query = build(office)
            total = conn.execute(count_statement(query, now)).scalar_one()
            order = (
                [pb.created_at, pb.entry_id]
                if query.newest_first
                else [pb.created_at.desc(), pb.entry_id.desc()]
            )
            # the 51st entry from the end: the page after it is the very last page
            tail = conn.execute(
                page_statement(query, now, after=None, limit=51).order_by(None).order_by(*order)
            ).all()
            last = tail[-1] if tail else None
            first_ms = _median_ms(
                lambda q=query: conn.execute(page_statement(q, now, after=None, limit=50)).all()
            )
            deep_ms = float("nan")
            if last is not None:
                position = (last.created_at, last.entry_id)
                deep_ms = _median_ms(
                    lambda q=query, p=position: conn.execute(
                        page_statement(q, now, after=p, limit=50)
                    ).all()
                )
            count_ms = _median_ms(lambda q=query: conn.execute(count_statement(q, now)).one(), 3)
            print(
                f"  {label:<24} {total:>9,} Treffer   erste Seite {first_ms:7.2f} ms   "
                f"letzte Seite {deep_ms:7.2f} ms   Anzahl {count_ms:8.1f} ms"
            )
            if explain:
                stmt = page_statement(query, now, after=(now, 2**31 - 1), limit=50)
                sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
                prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
                for row in conn.execute(text(prefix + sql)):
                    print(f"      {row[-1]}")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="postgresql://… (a server) or sqlite:///…")
    parser.add_argument("--workers", type=int, help="worker processes (default: 2 for big runs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="print the page query plans")
    parser.add_argument("--keep", action="store_true", help="keep the store afterwards")
    args = parser.parse_args()

    cleanup = None
    url = args.database_url
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="inge-bench-"))
        url = f"sqlite:///{folder / 'bench.db'}"
        if not args.keep:
            cleanup = lambda: [p.unlink() for p in folder.iterdir()] and None  # noqa: E731
    elif normalise_url(url).startswith("postgresql"):
        name = "inge_bench_" + secrets.token_hex(4)
        admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(normalise_url(url)).set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        cleanup = None if args.keep else drop

    try:
        print(
            f"Seeding {args.participants:,} participants into {make_url(url).get_backend_name()} …"
        )
        result = seed_demo(
            url,
            participants=args.participants,
            seed=args.seed,
            workers=args.workers,
            make_tokens=False,
            progress=lambda line: print("  " + line, file=sys.stderr, end="\r"),
        )
        print(file=sys.stderr)
        print(
            f"seeded {result.participants:,} participants, {result.entries:,} Postkorb entries "
            f"in {result.seconds:.1f} s ({result.participants / result.seconds:,.0f}/s)"
        )
        engine = make_engine(url)
        with engine.connect() as conn:
            office = conn.execute(select(pb.office).limit(1)).scalar_one()
        engine.dispose()
        print(f"Postkorb pages of 50 for office {office} (median):")
        measure_pages(url, office, args.explain)
    finally:
        if cleanup is not None:
            cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
