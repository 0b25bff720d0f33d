"""Schema versions: ordered steps, applied in one transaction, never dropping anything.

Several service processes may start at once against one store. The steps therefore run under
a lock the database holds: a transaction-scoped advisory lock on PostgreSQL and a `BEGIN
IMMEDIATE` write lock on SQLite. The first process applies what is missing; the others wait,
then find nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select

from inge_tui.server.db import is_sqlite
from inge_tui.server.schema import V1_TABLES, metadata, schema_version

# An arbitrary constant that names "the inge-tui schema lock" for pg_advisory_xact_lock.
_PG_LOCK_KEY = 470_2024_12


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _v1_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=V1_TABLES)
    _audit_append_only(conn)


def _audit_append_only(conn: Connection) -> None:
    """The audit history is append-only: UPDATE and DELETE fail in the database itself."""
    if is_sqlite(conn):
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER audit_no_{op.lower()} BEFORE {op} ON audit "
                "BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END"
            )
        return
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION inge_audit_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'restrict_violation'; "
        "END $$"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION inge_audit_append_only()"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
        "FOR EACH STATEMENT EXECUTE FUNCTION inge_audit_append_only()"
    )


STEPS: tuple[Step, ...] = (Step(1, "tables, indexes and the append-only audit", _v1_tables),)

LATEST_VERSION = STEPS[-1].version


def current_version(conn: Connection) -> int:
    """The store's schema version; 0 for an empty store."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    value = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc()))
    return value.scalar() or 0


def migrate(engine: Engine, *, now: Callable[[], datetime] | None = None) -> int:
    """Bring the store to the latest schema version; returns the version it ended at."""
    clock = now or (lambda: datetime.now(UTC))
    with engine.begin() as conn:
        if not is_sqlite(conn):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
        schema_version.create(conn, checkfirst=True)
        done = current_version(conn)
        if done > LATEST_VERSION:
            raise RuntimeError(
                f"Die Datenbank hat Schemaversion {done}, dieses Programm kennt nur bis "
                f"{LATEST_VERSION}: bitte inge-tui aktualisieren."
            )
        for step in STEPS:
            if step.version <= done:
                continue
            step.apply(conn)
            conn.execute(
                schema_version.insert().values(
                    version=step.version, name=step.name, applied_at=clock()
                )
            )
        return current_version(conn)
