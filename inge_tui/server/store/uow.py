"""The unit of work: one database transaction, with the repositories bound to it.

A use case runs as `store.run(fn)`: `fn(tx)` gets a `Tx` whose repositories share one
connection and one clock reading; the transaction commits when `fn` returns and rolls back
when it raises. A unique-constraint race (two processes inserting the same key) or a
PostgreSQL deadlock/serialization failure is retried in a fresh transaction, where `fn`
sees the winner's row and answers as if it had come second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from inge_tui.server.store.cases import CaseRepository
from inge_tui.server.store.ledger import LedgerRepository
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
        with self.engine.connect() as conn:
            if readonly:
                conn = conn.execution_options(readonly=True)
            with conn.begin():
                tx = Tx(
                    conn=conn,
                    now=self.clock(),
                    cases=CaseRepository(conn),
                    postbox=PostboxRepository(conn),
                    ledger=LedgerRepository(conn),
                )
                result = fn(tx)
                tx.ledger.seal()
                return result


def _sqlstate(exc: OperationalError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)
