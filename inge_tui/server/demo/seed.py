"""`inge-tui demo seed`: fill a store with deterministic synthetic cases, fast.

Cases come from `inge_tui.server.demo.cases` (deterministic, invented). The parent process draws
them and hands chunks to worker processes; each worker turns its chunk into rows (the rules
compute the Postkorb columns in the same pass, `rows.case_rows`) and loads them over its
own connection: `executemany` on the raw SQLite connection (one transaction per chunk; the
writers take turns on SQLite's lock while the others compute), `COPY` on PostgreSQL.
`bench/seed.py` measures a million participants.

Participant ids are `cases`'s (`TN-` + 9 digits); seeding the same seed into the same store
twice adds nothing the second time. At the end one token per role and office is made.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import multiprocessing
import operator
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, make_url, select

from inge_tui.server.auth import create_token
from inge_tui.server.demo.cases import OFFICES, DemoCase, generate
from inge_tui.server.demo.rows import COLUMNS, TABLES, case_dict, case_rows, provider_for
from inge_tui.server.store.db import make_engine, normalise_url
from inge_tui.server.store.migrations import migrate
from inge_tui.server.store.schema import (
    alt_b1_proofs,
    dtz_results,
    hours_reports,
    identities,
    lid_results,
    participants,
    postbox_entries,
    repetition_applications,
)
from inge_tui.server.store.uow import Store
from inge_tui.server.usecases.rules import Rules

DEFAULT_OFFICES = ("RS-NBG", "RS-BER", "RS-HAM")
ROLES_PER_OFFICE = ("caseworker", "supervisor", "course_provider")
ROLES_GLOBAL = ("test_institute", "oet", "admin")
CHUNK = 10_000
IN_FLIGHT = 4  # chunks handed to workers ahead of time (bounds memory)
BULK_INDEXES_FROM = 50_000  # from this size on, indexes are built after the load
CLOSED_AFTER_DAYS = 75  # ready entries older than this are seeded as `erledigt`


@dataclass
class SeedResult:
    participants: int
    entries: int
    seconds: float
    tokens: list[tuple[str, str | None, str]] = field(default_factory=list)

    def token_lines(self) -> list[str]:
        """`ROLE OFFICE TOKEN` lines (office `-` for roles without one)."""
        return [f"{role} {office or '-'} {token}" for role, office, token in self.tokens]


@dataclass(frozen=True)
class _Setup:
    database_url: str
    thresholds: Mapping[str, Mapping[str, float]]
    today: date
    close_before: datetime
    application_base: int


class _Loader:
    """One process's connection and rules; `load(chunk)` writes one chunk in one transaction."""

    def __init__(self, setup: _Setup) -> None:
        self.setup = setup
        self.rules = Rules(setup.thresholds)
        url = make_url(normalise_url(setup.database_url))
        self.sqlite = url.get_backend_name() == "sqlite"
        if self.sqlite:
            self.db: Any = sqlite3.connect(url.database or "", timeout=120, isolation_level=None)
            for pragma in (
                "busy_timeout = 120000",
                "synchronous = OFF",
                "cache_size = -400000",
                "wal_autocheckpoint = 20000",
            ):
                self.db.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
            self.db = psycopg.connect(conninfo)
            self.db.execute("SET TIME ZONE 'UTC'")
        self.inserts = {
            t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})"
            for t, c in COLUMNS.items()
        }

    def rows(self, first_index: int, cases: list[DemoCase]) -> dict[str, list[tuple[Any, ...]]]:
        out: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
        for offset, case in enumerate(cases):
            if isinstance(case, tuple):
                case = DemoCase(*case)
            produced = case_rows(
                case_dict(case),
                participant_id=case.participant_id,
                office=case.office,
                created=case.created_at,
                application_id=self.setup.application_base + first_index + offset,
                rules=self.rules,
                today=self.setup.today,
                close_before=self.setup.close_before,
            )
            for table, table_rows in produced.items():
                out[table].extend(table_rows)
        return out

    def load(self, first_index: int, cases: list[DemoCase]) -> tuple[int, int]:
        rows = self.rows(first_index, cases)
        if self.sqlite:
            self.db.execute("BEGIN IMMEDIATE")
            for table in TABLES:
                self.db.executemany(self.inserts[table], rows[table])
            self.db.execute("COMMIT")
        else:
            with self.db.cursor() as cur:
                for table in TABLES:
                    if rows[table]:
                        columns = ", ".join(COLUMNS[table])
                        with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                            for row in rows[table]:
                                copy.write_row(row)
            self.db.commit()
        return len(cases), len(rows["postbox_entries"])

    def close(self) -> None:
        self.db.close()


_LOADER: _Loader | None = None
_as_tuple = operator.attrgetter(*(f.name for f in dataclasses.fields(DemoCase)))


def _init_worker(setup: _Setup) -> None:
    global _LOADER
    _LOADER = _Loader(setup)


def _load_in_worker(first_index: int, cases: list[DemoCase]) -> tuple[int, int]:
    assert _LOADER is not None
    return _LOADER.load(first_index, cases)


def _chunks(cases: Iterator[DemoCase], size: int) -> Iterator[tuple[int, list[DemoCase]]]:
    first = 0
    while chunk := list(itertools.islice(cases, size)):
        yield first, chunk
        first += len(chunk)


def _load_all(
    setup: _Setup, chunks: Iterator[tuple[int, list[DemoCase]]], workers: int
) -> Iterator[tuple[int, int]]:
    """Load every chunk; yields (participants, entries) per chunk as it is written."""
    if workers <= 1:
        loader = _Loader(setup)
        try:
            for first, cases in chunks:
                yield loader.load(first, cases)
        finally:
            loader.close()
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(setup,)) as pool:
        pending: collections.deque[Any] = collections.deque()
        for first, cases in chunks:
            # plain tuples pickle about three times faster than the dataclass
            packed = [_as_tuple(case) for case in cases]
            pending.append(pool.apply_async(_load_in_worker, (first, packed)))
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


BULK_TABLES = (
    participants,
    hours_reports,
    identities,
    dtz_results,
    lid_results,
    alt_b1_proofs,
    repetition_applications,
    postbox_entries,
)


def _drop_indexes_for_bulk(database_url: str, participants_to_add: int) -> bool:
    """Into an empty store, a big seed loads faster without the secondary indexes.

    They are built again (sorting once instead of inserting a million times) by
    `_restore_indexes`, which also runs when the seeding fails half-way.
    """
    if participants_to_add < BULK_INDEXES_FROM:
        return False
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            if conn.execute(select(func.count()).select_from(postbox_entries)).scalar():
                return False
            for table in BULK_TABLES:
                for index in table.indexes:
                    index.drop(conn, checkfirst=True)
        return True
    finally:
        engine.dispose()


def _restore_indexes(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            for table in BULK_TABLES:
                for index in table.indexes:
                    index.create(conn, checkfirst=True)
    finally:
        engine.dispose()


def number_history(database_url: str) -> int:
    """Number the seeded documents (`DEMO-…`) in the order they were issued, each series of a
    year without a gap, with their numbers recorded as used, the counters set and the issue in
    the audit: as if the service had issued them one by one. Returns how many were numbered."""
    from sqlalchemy import bindparam, update

    from inge_tui.server.demo.rows import ISSUER, PLACEHOLDER
    from inge_tui.server.documents import data_hash
    from inge_tui.server.store import audit_chain
    from inge_tui.server.store.ledger import dumps
    from inge_tui.server.store.schema import certificates, counters, document_numbers
    from inge_tui.server.usecases.issuing import PREFIX

    prefixes = {kind.value: prefix for kind, prefix in PREFIX.items()}
    c = certificates.c
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            seeded = conn.execute(
                select(c.certificate_id, c.kind, c.participant_id, c.office, c.issued_at, c.printed)
                .where(c.certificate_id.like("DEMO-%"))
                .order_by(c.issued_at, c.certificate_id)
            ).all()
            last = {str(name): int(value) for name, value in conn.execute(select(counters)).all()}
            changes, numbers, audited = [], [], []
            for old, kind, pid, office, issued_at, printed in seeded:
                series = f"{prefixes[kind]}-{issued_at.year}"
                last[series] = last.get(series, 0) + 1
                number = f"{series}-{last[series]:07d}"
                text = printed.replace(PLACEHOLDER, number)
                changes.append(
                    {"old": old, "number": number, "text": text, "hash": data_hash(text)}
                )
                audited.append(
                    {
                        "at": issued_at,
                        "office": office,
                        "participant_id": pid,
                        "actor_name": ISSUER,
                        "actor_role": "caseworker",
                        "action": "dokument_ausgestellt",
                        "inputs": "{}",
                        "outcome": dumps(
                            {"certificate_id": number, "kind": kind, "supersedes": None}
                        ),
                    }
                )
                numbers.append(
                    {
                        "number": number,
                        "series": series,
                        "participant_id": pid,
                        "office": office,
                        "state": "verwendet",
                        "reserved_at": issued_at,
                        "reserved_by": ISSUER,
                    }
                )
            for start in range(0, len(changes), 5000):
                conn.execute(
                    update(certificates)
                    .where(c.certificate_id == bindparam("old"))
                    .values(
                        certificate_id=bindparam("number"),
                        printed=bindparam("text"),
                        printed_sha256=bindparam("hash"),
                    ),
                    changes[start : start + 5000],
                )
                conn.execute(insert(document_numbers), numbers[start : start + 5000])
                audit_chain.append(conn, audited[start : start + 5000])
            for name, value in last.items():
                done = conn.execute(
                    update(counters).where(counters.c.name == name).values(value=value)
                )
                if not done.rowcount:
                    conn.execute(insert(counters).values(name=name, value=value))
        return len(changes)
    finally:
        engine.dispose()


def _rebuild_figures(database_url: str) -> None:
    """The Kennzahlen by day from the seeded entries (the bulk load bypassed the repository)."""
    from inge_tui.server.store import figures

    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            figures.rebuild(conn)
    finally:
        engine.dispose()


def _finish(database_url: str) -> None:
    """Statistics for the planner and, on PostgreSQL, the sequence past the explicit ids."""
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('repetition_applications', "
                    "'application_id'), (SELECT coalesce(max(application_id), 0) + 1 "
                    "FROM repetition_applications), false)"
                )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(
                    "PRAGMA analysis_limit = 1000"
                )  # sampled: seconds, not minutes
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def seed_demo(
    database_url: str,
    *,
    participants: int,
    offices: list[str] | None = None,
    seed: int = 1,
    thresholds: Mapping[str, Mapping[str, float]] | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    make_tokens: bool = True,
    chunk_size: int = CHUNK,
) -> SeedResult:
    """Seed `participants` synthetic cases into the store; returns counts, time and tokens."""
    say = progress or (lambda _text: None)
    codes = tuple(offices or DEFAULT_OFFICES)
    started = time.perf_counter()
    engine = make_engine(database_url)
    try:
        migrate(engine)
        store = Store(engine, lambda: datetime.now(UTC))
        now = datetime.now(UTC)
        cases = generate(participants, offices=codes, seed=seed, today=now.date())
        first = next(cases, None)

        def prepare(tx: Any) -> tuple[bool, int]:
            for code in codes:
                tx.ledger.ensure_office(code, OFFICES.get(code, f"Regionalstelle {code}"), tx.now)
            seeded = first is not None and tx.cases.get(first.participant_id) is not None
            top = tx.conn.execute(select(func.max(repetition_applications.c.application_id)))
            return seeded, int(top.scalar() or 0) + 1

        already, app_base = store.run(prepare)
    finally:
        engine.dispose()
    done = entries = 0
    if already:
        say(f"Demodaten mit --seed {seed} sind schon angelegt; nichts hinzugefügt.")
    elif first is not None:
        setup = _Setup(
            database_url,
            dict(thresholds or {}),
            now.date(),
            now - timedelta(days=CLOSED_AFTER_DAYS),
            app_base,
        )
        chosen = workers if workers is not None else (2 if participants >= 4 * chunk_size else 1)
        chunks = _chunks(itertools.chain([first], cases), chunk_size)
        dropped = _drop_indexes_for_bulk(database_url, participants)
        try:
            for count, chunk_entries in _load_all(setup, chunks, chosen):
                done += count
                entries += chunk_entries
                rate = done / max(time.perf_counter() - started, 1e-9)
                say(
                    f"{done:,} / {participants:,} Teilnehmende, {entries:,} Einträge, {rate:,.0f}/s"
                )
        finally:
            if dropped:
                say("Indizes werden aufgebaut …")
                _restore_indexes(database_url)
        numbered = number_history(database_url)
        say(f"{numbered:,} erledigte Einträge mit ihrem Dokument nummeriert")
        _rebuild_figures(database_url)
        _finish(database_url)
        from inge_tui.server.demo.lives import document_lives

        lives = document_lives(database_url, codes[0])
        if lives:
            say(f"Dokumente mit Lebenslauf: {', '.join(lives)}")
    tokens = _make_tokens(database_url, codes) if make_tokens else []
    return SeedResult(done, entries, time.perf_counter() - started, tokens)


def _make_tokens(database_url: str, codes: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    """One token per role and office (and one per office-less role)."""
    tokens: list[tuple[str, str | None, str]] = []
    engine = make_engine(database_url)

    def make(tx: Any) -> None:
        for code in codes:
            for role in ROLES_PER_OFFICE:
                # the course provider's token carries the name its participants know it by
                name = provider_for(code) if role == "course_provider" else f"Demo {role} {code}"
                token = create_token(tx, role=role, office=code, name=name)[0]
                tokens.append((role, code, token))
        for role in ROLES_GLOBAL:
            tokens.append((role, None, create_token(tx, role=role, name=f"Demo {role}")[0]))

    try:
        Store(engine, lambda: datetime.now(UTC)).run(make)
    finally:
        engine.dispose()
    return tokens
