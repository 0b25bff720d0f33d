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

from sqlalchemy import (
    Connection,
    Engine,
    String,
    Table,
    bindparam,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import ColumnClause

from inge_tui.server.store import audit_chain, figures
from inge_tui.server.store.db import is_sqlite
from inge_tui.server.store.schema import (
    V1_TABLES,
    V2_TABLES,
    V3_TABLES,
    V4_TABLES,
    V5_TABLES,
    V6_TABLES,
    V8_TABLES,
    audit,
    certificates,
    counters,
    document_numbers,
    dtz_results,
    metadata,
    participants,
    postbox_entries,
    repetition_applications,
    schema_version,
    tokens,
)

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
        _audit_triggers(conn, on=True)
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


def _document_lives(conn: Connection) -> None:
    """Schema 2 (domain.md A.11–A.15): a document has a status and may be superseded, a paper
    capture and a transmission of one exam day are separate rows, exams can be aborted, hours
    are dated reports, withdrawals wait for a second person.

    A store that step 1 made from today's tables already has the new columns: then only the new
    tables and the backfill of hours reports are made. An older store is changed in place.
    """
    if "status" not in _columns(conn, "certificates"):
        if is_sqlite(conn):
            _sqlite_rebuild(conn, dtz_results)
            _sqlite_rebuild(conn, certificates, _CERTIFICATE_LIVES)
        else:
            _postgres_upgrade(conn)
    metadata.create_all(conn, tables=V2_TABLES)
    _backfill_hours(conn)


# Documents issued before schema 2: the latest of a person is in force, each earlier one is
# superseded by the next (that is what schema 1 meant by issuing again for a newer exam pair).
_CERTIFICATE_LIVES = {
    "status": "CASE WHEN next_id IS NULL THEN 'gueltig' ELSE 'ersetzt' END",
    "superseded_by": "next_id",
    "superseded_at": "next_at",
}
_NEXT = "LEAD({col}) OVER (PARTITION BY participant_id ORDER BY issued_at, certificate_id)"


def _columns(conn: Connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def _add_columns(conn: Connection, added: dict[Table, tuple[tuple[str, str], ...]]) -> None:
    """Add the nullable columns a step brings (those not there yet), then their indexes: a plain
    ALTER TABLE that both databases take."""
    for table, columns in added.items():
        have = _columns(conn, table.name)
        for name, sql_type in columns:
            if name not in have:
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {name} {sql_type}")
        _create_indexes(conn, table)


def _create_indexes(conn: Connection, table: Table) -> None:
    """Create the table's indexes that are missing, except those of a later step: an index
    waits until every column it names, also in its WHERE clause, exists."""
    have = _columns(conn, table.name)
    for index in table.indexes:
        where = index.dialect_options["sqlite"].get("where")
        named = {column.name for column in index.columns}
        if where is not None:
            named |= {e.name for e in visitors.iterate(where) if isinstance(e, ColumnClause)}
        if named <= have:
            index.create(conn, checkfirst=True)


def _sqlite_rebuild(conn: Connection, table: Table, computed: dict[str, str] | None = None) -> None:
    """SQLite cannot drop a constraint: move the rows into the table as schema.py has it now."""
    old = f"{table.name}_schema1"
    kept = [c for c in _columns(conn, table.name) if c not in (computed or {})]
    conn.exec_driver_sql(f'ALTER TABLE "{table.name}" RENAME TO "{old}"')
    indexes = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (old,),
    )
    for (name,) in indexes.fetchall():
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    table.create(conn)
    names = ", ".join(f'"{c}"' for c in [*kept, *(computed or {})])
    values = ", ".join([f'"{c}"' for c in kept] + list((computed or {}).values()))
    source = f'"{old}"'
    if computed:
        next_id = _NEXT.format(col="certificate_id")
        next_at = _NEXT.format(col="issued_at")
        source = f'(SELECT *, {next_id} AS next_id, {next_at} AS next_at FROM "{old}")'
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) SELECT {values} FROM {source}')
    conn.exec_driver_sql(f'DROP TABLE "{old}"')


def _postgres_upgrade(conn: Connection) -> None:
    run = conn.exec_driver_sql
    run("ALTER TABLE dtz_results ADD COLUMN aborted boolean NOT NULL DEFAULT false")
    run("ALTER TABLE dtz_results ADD COLUMN capture_reason text")
    run("ALTER TABLE dtz_results DROP CONSTRAINT uq_dtz_results_participant_id_exam_date_revision")
    run(
        "ALTER TABLE dtz_results ADD CONSTRAINT"
        " uq_dtz_results_participant_id_exam_date_source_revision"
        " UNIQUE (participant_id, exam_date, source, revision)"
    )
    run("DROP INDEX uq_dtz_results_current")
    run("ALTER TABLE certificates ADD COLUMN status varchar(16) NOT NULL DEFAULT 'gueltig'")
    run('ALTER TABLE certificates ADD COLUMN superseded_by varchar(32) COLLATE "C"')
    run("ALTER TABLE certificates ADD COLUMN superseded_at timestamptz")
    run(
        "UPDATE certificates AS c SET status = 'ersetzt', superseded_by = n.next_id,"
        " superseded_at = n.next_at FROM (SELECT certificate_id,"
        f" {_NEXT.format(col='certificate_id')} AS next_id,"
        f" {_NEXT.format(col='issued_at')} AS next_at FROM certificates) AS n"
        " WHERE c.certificate_id = n.certificate_id AND n.next_id IS NOT NULL"
    )
    run("ALTER TABLE certificates DROP CONSTRAINT uq_certificates_participant_id_pair_key")
    run("DROP INDEX uq_certificates_one_zertifikat")
    for table in (dtz_results, certificates):
        _create_indexes(conn, table)


def _backfill_hours(conn: Connection) -> None:
    """Every participant without an hours report gets one: the hours its registration gave, on
    the day it was registered."""
    day = "date(created_at)" if is_sqlite(conn) else "(created_at AT TIME ZONE 'UTC')::date"
    conn.exec_driver_sql(
        "INSERT INTO hours_reports (report_id, participant_id, as_of, hours_used, token_id,"
        " fingerprint, recorded_at)"
        f" SELECT '{REGISTRATION_REPORT}' || participant_id, participant_id, {day}, hours_used,"
        " NULL, '', created_at FROM participants p WHERE NOT EXISTS"
        " (SELECT 1 FROM hours_reports h WHERE h.participant_id = p.participant_id)"
    )


def _document_dispatch(conn: Connection) -> None:
    """Schema 3 (domain.md A.12, A.13): documents can be reversed and dispatched and keep their
    decision record; every number is accounted for; copies and withdrawal letters are stored;
    what a document prints is kept with its hash; a waiver of the DTZ condition waits for four
    eyes; an entry says when it waits for a supervisor (`awaiting`).

    Columns are only added (nullable), so both databases take a plain ALTER TABLE. The numbers
    handed out before this step are recorded: each carried by a document as `verwendet`, each
    gap as `verworfen` with the reason that it was not recorded then.
    """
    stamp = "timestamp" if is_sqlite(conn) else "timestamptz"
    added = {
        certificates: (
            ("ended_by", "varchar(200)"),
            ("ended_reason", "text"),
            ("record", "text"),
            ("dispatched_at", stamp),
            ("printed", "text"),
            ("printed_sha256", "varchar(64)"),
        ),
        postbox_entries: (("awaiting", "varchar(16)"),),
        repetition_applications: (
            ("waiver_hours", "integer"),
            ("waiver_reason", "text"),
            ("waiver_proposed_by", "varchar(200)"),
            ("waiver_proposed_by_token", "integer"),
            ("waiver_proposed_at", stamp),
            ("waiver_confirmed_by", "varchar(200)"),
        ),
    }
    _add_columns(conn, added)
    conn.execute(  # entries whose withdrawal waits for the supervisor (the only kind before)
        update(postbox_entries)
        .where(postbox_entries.c.blocker_codes.like("%ruecknahme_freigabe%"))
        .values(awaiting="freigabe")
    )
    metadata.create_all(conn, tables=V3_TABLES)
    _backfill_numbers(conn)


def _backfill_numbers(conn: Connection) -> None:
    rows = conn.execute(select(counters.c.name, counters.c.value)).all()
    issued = {
        number: (participant, office, issued_at)
        for number, participant, office, issued_at in conn.execute(
            select(
                certificates.c.certificate_id,
                certificates.c.participant_id,
                certificates.c.office,
                certificates.c.issued_at,
            )
        )
    }
    known = set(conn.execute(select(document_numbers.c.number)).scalars())
    now = datetime.now(UTC)
    values = []
    for series, last in rows:
        for value in range(1, int(last) + 1):
            number = f"{series}-{value:07d}"
            if number in known:
                continue
            participant, office, at = issued.get(number, (None, None, None))
            values.append(
                {
                    "number": number,
                    "series": series,
                    "participant_id": participant,
                    "office": office,
                    "state": "verwendet" if participant else "verworfen",
                    "reserved_at": at or now,
                    "reserved_by": "inge-tui (Schema 3)",
                    "reason": None if participant else BEFORE_SCHEMA_3,
                }
            )
    for start in range(0, len(values), 5000):
        conn.execute(document_numbers.insert(), values[start : start + 5000])


def _data_requests(conn: Connection) -> None:
    """Schema 4 (domain.md A.16): data requests to the course provider. A participant knows the
    course provider that registered it, taken for stores before this step from the audit of
    the registration; the Postkorb shows open requests and their deadline."""
    added = {
        participants: (("provider", "varchar(200)"),),
        postbox_entries: (("requested_on", "date"), ("request_due", "date")),
    }
    _add_columns(conn, added)
    metadata.create_all(conn, tables=V4_TABLES)
    registered = (
        select(audit.c.actor_name)
        .where(
            audit.c.participant_id == participants.c.participant_id,
            audit.c.action == "teilnehmer_angemeldet",
            audit.c.actor_role == "course_provider",
        )
        .order_by(audit.c.audit_id)
        .limit(1)
        .scalar_subquery()
    )
    conn.execute(
        update(participants).where(participants.c.provider.is_(None)).values(provider=registered)
    )


def _refunds(conn: Connection) -> None:
    """Schema 5 (R16): refund applications, and the Postkorb entry that stands for one."""
    _add_columns(conn, {postbox_entries: (("refund_id", "integer"),)})
    metadata.create_all(conn, tables=V5_TABLES)


def _figures(conn: Connection) -> None:
    """Schema 6 (the Kennzahlen): each Postkorb entry knows its course type and the Prüfstelle
    of the counted DTZ sitting (stores before this step take the course type from the
    participant and the Prüfstelle from the current DTZ sitting of the entry's exam pair), and
    the figures by day are computed from the entries once, then kept by every change."""
    _add_columns(
        conn, {postbox_entries: (("course_type", "varchar(24)"), ("exam_center", "varchar(200)"))}
    )
    _create_indexes(conn, certificates)
    course = (
        select(participants.c.course_type)
        .where(participants.c.participant_id == postbox_entries.c.participant_id)
        .scalar_subquery()
    )
    pb = postbox_entries.c
    if is_sqlite(conn):
        dtz_day = func.substr(pb.pair_key, func.instr(pb.pair_key, "|D") + 2, 10)
    else:
        dtz_day = func.split_part(pb.pair_key, "|D", 2)
    center = (
        select(dtz_results.c.exam_center)
        .where(
            dtz_results.c.participant_id == pb.participant_id,
            dtz_results.c.is_current,
            func.cast(dtz_results.c.exam_date, String) == dtz_day,
        )
        .order_by(dtz_results.c.dtz_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    conn.execute(update(postbox_entries).values(course_type=course))
    conn.execute(
        update(postbox_entries)
        .where(pb.kind == "abschluss", pb.pair_key.like("%|D%"))
        .values(exam_center=center)
    )
    metadata.create_all(conn, tables=V6_TABLES)
    figures.rebuild(conn)


def _token_expiry(conn: Connection) -> None:
    """Schema 7: tokens expire. Tokens made before keep no expiry (nobody is locked out by an
    upgrade); rotate them (docs/service.md)."""
    stamp = "timestamp" if is_sqlite(conn) else "timestamptz"
    _add_columns(conn, {tokens: (("expires_at", stamp),)})


def _audit_chain(conn: Connection) -> None:
    """Schema 8: the audit rows are chained by hashes per office (audit_chain.py). The rows
    already there are chained in the order they were written; for that one step the
    append-only triggers stand aside, inside this transaction."""
    _add_columns(
        conn,
        {
            audit: (
                ("chain_seq", "integer"),
                ("prev_hash", "varchar(64)"),
                ("row_hash", "varchar(64)"),
            )
        },
    )
    metadata.create_all(conn, tables=V8_TABLES)
    heads: dict[str, audit_chain.Link] = {}
    a = audit.c
    sealed = (
        update(audit)
        .where(a.audit_id == bindparam("id"))
        .values(chain_seq=bindparam("seq"), prev_hash=bindparam("prev"), row_hash=bindparam("hash"))
    )
    _audit_triggers(conn, on=False)
    for rows in audit_chain.pages(conn):
        audit_chain.link_rows(rows, heads)
        conn.execute(
            sealed,
            [
                {
                    "id": r["audit_id"],
                    "seq": r["chain_seq"],
                    "prev": r["prev_hash"],
                    "hash": r["row_hash"],
                }
                for r in rows
            ],
        )
    _audit_triggers(conn, on=True)
    audit_chain.lock_heads(conn, heads)
    audit_chain.save_heads(conn, heads)


def _audit_triggers(conn: Connection, *, on: bool) -> None:
    if not is_sqlite(conn):
        state = "ENABLE" if on else "DISABLE"
        conn.exec_driver_sql(f"ALTER TABLE audit {state} TRIGGER audit_no_change")
        return
    if not on:
        for op in ("update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_no_{op}")
        return
    for op in ("UPDATE", "DELETE"):
        conn.exec_driver_sql(
            f"CREATE TRIGGER audit_no_{op.lower()} BEFORE {op} ON audit "
            "BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END"
        )


BEFORE_SCHEMA_3 = (
    "vor der Nummernbuchführung (Schema 3) vergeben und nicht verwendet; der Grund wurde damals"
    " nicht erfasst"
)

# the id of the hours report a registration makes ('#' never starts a provider's own ids)
REGISTRATION_REPORT = "#anmeldung:"

STEPS: tuple[Step, ...] = (
    Step(1, "tables, indexes and the append-only audit", _v1_tables),
    Step(2, "the life of documents, dated hours, aborted exams, withdrawals", _document_lives),
    Step(3, "reversal, dispatch, decision records, copies, letters, numbers", _document_dispatch),
    Step(4, "data requests to the course provider", _data_requests),
    Step(5, "refund applications", _refunds),
    Step(6, "figures: course type and Prüfstelle on entries, indexes", _figures),
    Step(7, "tokens expire", _token_expiry),
    Step(8, "the audit chained by hashes per office", _audit_chain),
)

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
