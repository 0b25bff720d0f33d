"""The unit of work: one database transaction, with the repositories bound to it.

A use case runs as `store.run(fn)`: `fn(tx)` gets a `Tx` whose repositories share one
connection and one clock reading; the transaction commits when `fn` returns and rolls back
when it raises. A unique-constraint race (two processes inserting the same key) or a
PostgreSQL deadlock/serialization failure is retried in a fresh transaction, where `fn`
sees the winner's row and answers as if it had come second.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

try:
    import fcntl
except ImportError:  # Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from inge_tui.server.store.cases import CaseRepository
from inge_tui.server.store.db import is_sqlite, make_engine
from inge_tui.server.store.ledger import LedgerRepository, NumberDesk
from inge_tui.server.store.postbox import PostboxRepository

T = TypeVar("T")
log = logging.getLogger(__name__)

_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


@dataclass
class Tx:
    """What a use case sees inside its transaction."""

    conn: Connection
    now: datetime
    cases: CaseRepository
    postbox: PostboxRepository
    ledger: LedgerRepository


class Store:
    """The engine and the clock; hands out transactions."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self._numbers: NumberDesk | None = None
        self._numbers_lock = threading.Lock()
        # SQLite: this process's writers queue here, not in SQLite's busy handler (see `_once`)
        self._sqlite_writers = threading.Lock() if is_sqlite(engine) else None
        self._held = threading.local()  # .writing: this thread holds both locks
        database = engine.url.database if self._sqlite_writers is not None else None
        self._writer_lock_file = (
            f"{database}-schreiber.lock" if database and database != ":memory:" else None
        )

    def numbers(self) -> NumberDesk | None:
        """PostgreSQL: the desk that reserves document numbers on a small pool of its own
        (`NumberDesk`); SQLite: None, numbers are taken in the issuing transaction."""
        if self._sqlite_writers is not None:
            return None
        with self._numbers_lock:
            if self._numbers is None:
                url = self.engine.url.render_as_string(hide_password=False)
                self._numbers = NumberDesk(make_engine(url, pool_size=4, max_overflow=4))
            return self._numbers

    def dispose(self) -> None:
        """Close every pooled connection (the service's end)."""
        self.engine.dispose()
        if self._numbers is not None:
            self._numbers.engine.dispose()

    def run(self, fn: Callable[[Tx], T], *, readonly: bool = False, retries: int = 2) -> T:
        """Run `fn` in one transaction; retry on a lost race (see the module docstring)."""
        attempt = 0
        while True:
            try:
                return self._once(fn, readonly)
            except IntegrityError:
                if attempt >= retries:
                    raise
                log.info("unique-constraint race, retrying the transaction")
            except OperationalError as exc:
                if attempt >= retries or _sqlstate(exc) not in _RETRY_SQLSTATES:
                    raise
                log.info("transaction conflict (%s), retrying", _sqlstate(exc))
            attempt += 1

    def _once(self, fn: Callable[[Tx], T], readonly: bool) -> T:
        """One attempt. On SQLite a write transaction first waits for this process's other
        writers: SQLite's busy handler retries a locked database by sleeping (1 ms growing to
        100 ms) and wakes in no order, so under 40 clients a writer could wait seconds while
        others that came later went first (claim p99 4.9 s, docs/reliability.md). A thread
        lock hands the database on at once; only writers of other processes still meet the
        busy handler."""
        if self._sqlite_writers is None or readonly or getattr(self._held, "writing", False):
            return self._transaction(fn, readonly)  # (a write inside a write: already ours)
        with self._sqlite_writers, _file_lock(self._writer_lock_file):
            self._held.writing = True
            try:
                return self._transaction(fn, readonly)
            finally:
                self._held.writing = False

    def _transaction(self, fn: Callable[[Tx], T], readonly: bool) -> T:
        with self.engine.connect() as conn:
            if readonly:
                conn = conn.execution_options(readonly=True)
            with conn.begin():
                tx = Tx(
                    conn=conn,
                    now=self.clock(),
                    cases=CaseRepository(conn),
                    postbox=PostboxRepository(conn),
                    ledger=LedgerRepository(conn, None if readonly else self.numbers()),
                )
                result = fn(tx)
                tx.ledger.seal()
                return result


@contextmanager
def _file_lock(path: str | None) -> Iterator[None]:
    """An exclusive flock on `path` (the processes of one SQLite store queue here; the kernel
    wakes the next at once). Without a path, or where flock is missing, nothing."""
    if path is None or fcntl is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sqlstate(exc: OperationalError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)
