"""Backups of the embedded SQLite store: `inge-tui backup FILE` and `inge-tui restore FILE`.

A backup is SQLite's online backup API in one step: one read transaction, so the copy is the
store as of one moment while the service goes on issuing (WAL: readers do not stop writers).
The copy is checked before it takes its name: the database's own integrity check, a schema
this program knows, the audit chain, and every document printable (its PDF, or the text it
prints with a matching SHA-256). A restore checks the file the same way first and keeps the
store it replaces beside it, so nothing is lost either way. PostgreSQL has its own tools
(`pg_dump`, docs/reliability.md).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url

from inge_tui.server.store import audit_chain
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import LATEST_VERSION, current_version
from inge_tui.server.store.schema import certificates

PG_HINT = (
    "für PostgreSQL sichern pg_dump und pg_restore (docs/reliability.md, „Sicherung“); "
    "backup und restore gelten dem eingebauten SQLite-Speicher"
)


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why, in German."""


@dataclass(frozen=True)
class Checked:
    """What a checked store file holds."""

    version: int
    audit_rows: int
    documents: int
    heads: dict[str, audit_chain.Link]
    faults: tuple[str, ...] = ()  # what does not hold although the database is readable

    def describe(self) -> str:
        chain = "unterbrochen" if any("Prüfspur" in f for f in self.faults) else "lückenlos"
        return (
            f"Schema {self.version}, {self.documents} Dokumente, Prüfspur {self.audit_rows} "
            f"Zeilen in {len(self.heads)} Ketten, {chain}"
        )


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(PG_HINT)
    if not url.database or url.database == ":memory:":
        raise BackupError("ein Speicher im Arbeitsspeicher lässt sich nicht sichern")
    return Path(url.database).expanduser()


def backup(database_url: str, target: Path) -> Checked:
    """Copy the store to `target` (which must not exist yet) and check the copy. A copy that
    the database cannot read is not kept; one with faults (`Checked.faults`) is: it is what
    the store holds, and an office needs its backups most when something is wrong."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"kein Speicher unter {source}")
    if target.exists():
        raise BackupError(f"{target} gibt es schon; nichts überschrieben (anderen Namen wählen)")
    part = target.with_name(target.name + ".teil")
    part.unlink(missing_ok=True)
    try:
        _copy(source, part)
        with sqlite3.connect(part) as copy:  # one file: no -wal beside it
            copy.execute("PRAGMA journal_mode = DELETE")
        copy.close()
        checked = check_file(part)
        _fsync(part)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return checked


def restore(
    database_url: str, source: Path, *, now: datetime, despite_faults: bool = False
) -> tuple[Checked, Path | None]:
    """Replace the store by the checked backup `source`; the store it replaces is kept beside
    it (returned). A backup with faults only with `despite_faults`. Run it while no service
    uses the store."""
    target = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"keine Sicherung unter {source}")
    checked = check_file(source)
    if checked.faults and not despite_faults:
        raise BackupError(
            f"{source}: {'; '.join(checked.faults)} (--force stellt sie dennoch wieder her)"
        )
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.name}.vor-wiederherstellung-{now:%Y%m%d-%H%M%S}")
        _copy(target, kept)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    return checked, kept


def check_file(path: Path) -> Checked:
    """Check a store file as a backup must be; BackupError names the first fault."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
        try:
            verdict = raw.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} ist keine lesbare SQLite-Datenbank ({exc})") from exc
    raw.close()
    if verdict != "ok":
        raise BackupError(f"{path}: die Datenbank meldet einen Schaden ({verdict})")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return _check_store(conn, path)
    finally:
        engine.dispose()


def _check_store(conn: Connection, path: Path) -> Checked:
    version = current_version(conn)
    if not 1 <= version <= LATEST_VERSION:
        raise BackupError(
            f"{path}: keine inge-tui-Datenbank, die dieses Programm kennt (Schema {version})"
        )
    report = audit_chain.verify(conn)
    faults = []
    if report.broken is not None:
        faults.append(f"Prüfspur unterbrochen – {report.broken.describe()}")
    documents, unprintable = _documents(conn)
    if unprintable:
        faults.append(f"{unprintable} Dokument(e) ohne druckbares PDF")
    return Checked(version, report.rows, documents, report.heads, tuple(faults))


def _documents(conn: Connection) -> tuple[int, int]:
    """How many documents, and how many of them cannot be printed: no PDF stored and no text
    whose SHA-256 matches the one recorded at issue."""
    from inge_tui.server.documents import data_hash

    c = certificates.c
    total, unprintable = 0, 0
    rows = conn.execute(
        select(
            func.coalesce(func.length(c.pdf), 0),
            func.substr(c.pdf, 1, 5),
            c.printed,
            c.printed_sha256,
        )
    )
    for size, head, printed, digest in rows:
        total += 1
        if size:
            unprintable += bytes(head) != b"%PDF-"
        else:
            unprintable += not printed or data_hash(printed) != digest
    return total, unprintable


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into `target`, all pages in one step."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
