"""Engines for the store: SQLite (default) and PostgreSQL with the same code.

SQLite gets WAL, foreign keys, a busy timeout and `synchronous=FULL` on every connection, and
its write transactions start with `BEGIN IMMEDIATE` so that concurrent writers queue at the start
instead of failing half-way. PostgreSQL URLs (`postgresql://…`) are mapped to psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """Map `postgresql://` and `postgres://` to the psycopg 3 driver; leave others as they are."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<ungültige URL>"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; creates the SQLite file's directory when needed."""
    url = normalise_url(url)
    parsed = make_url(url)
    # Error messages and logs never show statement parameters (ID document numbers, names).
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 15)
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    raise ValueError(f"Nicht unterstützte Datenbank: {redact_url(url)}")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level; SQLAlchemy's `begin` below emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: the WAL is synced at every commit, so a document number handed out survives a
        # power cut too; it costs 2 ms at the median of an issue here (docs/reliability.md)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get("readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "sqlite"


def insert_ignore(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT that does nothing on a unique conflict; True when a row was written."""
    # each dialect's module on first use: a SQLite service never loads PostgreSQL's (~25 ms)
    if is_sqlite(conn):
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    stmt = insert(table).values(**values).on_conflict_do_nothing()
    # psycopg's cursor is closed before SQLAlchemy reads an INSERT's rowcount (-1) unless asked.
    result = conn.execute(stmt, execution_options={"preserve_rowcount": True})
    return result.rowcount == 1
