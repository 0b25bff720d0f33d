"""Schema 2 on a store that schema 1 made: documents get a life, hours a history, and nothing on
file is lost (domain.md A.12, A.15).

`schema1/` holds the tables exactly as the released schema-1 code created them (dumped from a
store it made: `sqlite_master` for SQLite, `pg_dump --schema-only` for PostgreSQL). A store is
built from them, filled with what schema 1 allowed (two documents for one person, one per exam
pair), and migrated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from support.live import empty_store

from inge_tui.domain.types import DocumentKind, DocumentStatus, NextStep
from inge_tui.server.store import audit_chain
from inge_tui.server.store.cases import CaseRepository
from inge_tui.server.store.db import is_sqlite, make_engine
from inge_tui.server.store.migrations import LATEST_VERSION, migrate
from inge_tui.server.store.schema import audit, certificates, document_numbers, hours_reports
from inge_tui.server.usecases.facts import case_facts
from inge_tui.server.usecases.rules import Rules

SCHEMA1 = Path(__file__).parent / "schema1"
REGISTERED = datetime(2025, 12, 1, 8, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def schema1_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with empty_store(request.param, tmp_path / "schema1.db") as url:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                ddl = (
                    SCHEMA1 / ("sqlite.sql" if is_sqlite(conn) else "postgresql.sql")
                ).read_text()
                if is_sqlite(conn):
                    conn.connection.driver_connection.executescript(ddl)  # type: ignore[union-attr]
                else:
                    conn.exec_driver_sql(ddl)
            with engine.begin() as conn:
                _fill_as_schema1_did(conn)
            yield engine
        finally:
            engine.dispose()


# audit rows as schema 1 wrote them: two offices' and one of no office
SCHEMA1_AUDIT = (
    ("RS-NBG", "TN-A", "fall_angesehen"),
    (None, None, "token_angelegt"),
    ("RS-NBG", "TN-B", "dokument_ausgestellt"),
    ("RS-BER", None, "postkorb_uebernommen"),
)


def _fill_as_schema1_did(conn) -> None:  # type: ignore[no-untyped-def]
    now = REGISTERED
    conn.execute(
        text("INSERT INTO schema_version (version, name, applied_at) VALUES (1, 'v1', :now)"),
        {"now": now if not is_sqlite(conn) else now.replace(tzinfo=None)},
    )
    stamp = now if not is_sqlite(conn) else now.replace(tzinfo=None)
    conn.execute(
        text("INSERT INTO offices (code, name, created_at) VALUES ('RS-NBG', 'Nürnberg', :t)"),
        {"t": stamp},
    )
    for office, pid, action in SCHEMA1_AUDIT:
        conn.execute(
            text(
                "INSERT INTO audit (at, office, participant_id, actor_name, actor_role, action,"
                " inputs, outcome) VALUES (:t, :office, :pid, 'Weber', 'caseworker', :action,"
                " '{}', '{\"ok\": true}')"
            ),
            {"t": stamp, "office": office, "pid": pid, "action": action},
        )
    for pid in ("TN-A", "TN-B"):
        conn.execute(
            text(
                "INSERT INTO participants (participant_id, office, surname, given_name,"
                " birth_date, course_type, contingent_hours, hours_used, self_payer, version,"
                " created_at, updated_at) VALUES (:pid, 'RS-NBG', 'Muster', 'Erika',"
                " '1990-05-17', 'allgemein', 600, 600, false, 1, :t, :t)"
            ),
            {"pid": pid, "t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO identities (participant_id, document_type, document_number, street,"
                " postal_code, city, updated_at) VALUES (:pid, 'reisepass', 'C01X00T47',"
                " 'Königstraße 12', '90402', 'Nürnberg', :t)"
            ),
            {"pid": pid, "t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO dtz_results (participant_id, exam_date, revision, is_current,"
                " funded, recorded_at, exam_center, source, hoeren_lesen, schreiben, sprechen,"
                " complete, overall, hours_used_at_exam, within_repetition) VALUES (:pid,"
                " '2025-11-10', 1, true, true, :t, 'VHS', 'webservice', 40, 16, 80, true, 'B1',"
                " 600, false)"
            ),
            {"pid": pid, "t": stamp},
        )
    # schema 1 issued one document per exam pair: a Bescheinigung, then a Zertifikat that
    # printed the latest LiD (9) although the best (24) counted
    lid_9 = {"points": 9, "exam_date": "2025-12-10"}
    documents = [
        ("BSC-2025-0000001", "bescheinigung", "TN-A", "L2025-11-20|D2025-11-10", 1, lid_9),
        ("ZIK-2025-0000001", "zertifikat", "TN-A", "L2025-12-10|D2025-11-10", 2, lid_9),
        ("ZIK-2025-0000002", "zertifikat", "TN-B", "L2025-11-20|D2025-11-10", 3, None),
    ]
    for number, kind, pid, pair, minute, lid in documents:
        inputs = {
            "participant_id": pid,
            "document": kind,
            "dtz": {
                "exam_date": "2025-11-10",
                "overall": "B1",
                "source": "webservice",
                "hoeren_lesen": 40.0,
                "schreiben": 16.0,
                "sprechen": 80.0,
            },
            "lid": lid or {"points": 24, "exam_date": "2025-11-20"},
            "alt_b1": None,
            "alt_b1_valid": False,
        }
        at = stamp.replace(minute=minute)
        conn.execute(
            text(
                "INSERT INTO certificates (certificate_id, kind, participant_id, office, pair_key,"
                " issued_on, issued_at, issued_by, rules_version, inputs, pdf) VALUES (:n, :k,"
                " :pid, 'RS-NBG', :pair, '2025-12-01', :at, 'Weber', 'abschluss-2023-02-01',"
                " :inputs, :pdf)"
            ),
            {
                "n": number,
                "k": kind,
                "pid": pid,
                "pair": pair,
                "at": at,
                "inputs": json.dumps(inputs),
                "pdf": b"%PDF-1.4 schema 1",
            },
        )
    # ZIK-2025-0000003 was reserved and never used (schema 1 kept no record of why)
    for name, value in (("ZIK-2025", 3), ("BSC-2025", 1)):
        conn.execute(
            text("INSERT INTO counters (name, value) VALUES (:n, :v)"), {"n": name, "v": value}
        )
    lids = (("TN-A", 24, "2025-11-20"), ("TN-A", 9, "2025-12-10"), ("TN-B", 24, "2025-11-20"))
    for pid, points, day in lids:
        conn.execute(
            text(
                "INSERT INTO lid_results (participant_id, exam_date, revision, is_current,"
                " funded, recorded_at, points, passed) VALUES (:pid, :day, 1, true, true, :t,"
                " :points, :passed)"
            ),
            {"pid": pid, "day": day, "t": stamp, "points": points, "passed": points >= 15},
        )


def test_schema1_store_migrates_without_losing_a_document(schema1_store: Engine) -> None:
    assert migrate(schema1_store) == LATEST_VERSION == 8
    with schema1_store.connect() as conn:  # schema 7: tokens made before keep no expiry
        stamps = conn.execute(text("SELECT expires_at FROM tokens")).scalars().all()
        assert all(stamp is None for stamp in stamps)
    with schema1_store.connect() as conn:
        rows = conn.execute(
            select(
                certificates.c.certificate_id,
                certificates.c.status,
                certificates.c.superseded_by,
                certificates.c.pdf,
            ).order_by(certificates.c.certificate_id)
        ).all()
        reports = conn.execute(
            select(
                hours_reports.c.participant_id, hours_reports.c.as_of, hours_reports.c.hours_used
            )
        ).all()
    # every document is still on file with its PDF; the later one of a person is in force
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("BSC-2025-0000001", "ersetzt", "ZIK-2025-0000001"),
        ("ZIK-2025-0000001", "gueltig", None),
        ("ZIK-2025-0000002", "gueltig", None),
    ]
    assert all(r[3] == b"%PDF-1.4 schema 1" for r in rows)
    # the registration's hours become a report of the day of registration
    assert sorted(reports) == [("TN-A", date(2025, 12, 1), 600), ("TN-B", date(2025, 12, 1), 600)]
    # schema 3: every number handed out is accounted for, the old gap with its reason
    with schema1_store.connect() as conn:
        numbers = conn.execute(
            select(
                document_numbers.c.number, document_numbers.c.state, document_numbers.c.reason
            ).order_by(document_numbers.c.number)
        ).all()
    assert [(n, state) for n, state, _ in numbers] == [
        ("BSC-2025-0000001", "verwendet"),
        ("ZIK-2025-0000001", "verwendet"),
        ("ZIK-2025-0000002", "verwendet"),
        ("ZIK-2025-0000003", "verworfen"),
    ]
    assert "nicht erfasst" in numbers[-1][2]


def test_schema8_chains_the_audit_schema1_wrote_and_keeps_it_append_only(
    schema1_store: Engine,
) -> None:
    migrate(schema1_store)
    with schema1_store.connect() as conn:
        report = audit_chain.verify(conn)
        rows = conn.execute(
            select(audit.c.office, audit.c.chain_seq).order_by(audit.c.audit_id)
        ).all()
    assert report.ok, report.broken
    assert report.rows == 4
    assert [tuple(r) for r in rows] == [("RS-NBG", 1), (None, 1), ("RS-NBG", 2), ("RS-BER", 1)]
    with pytest.raises(DBAPIError, match="append-only"), schema1_store.begin() as conn:
        conn.execute(text("UPDATE audit SET action = 'x'"))


def test_after_migration_the_rules_see_what_schema1_printed(schema1_store: Engine) -> None:
    migrate(schema1_store)
    with schema1_store.connect() as conn:
        case_a = CaseRepository(conn).load("TN-A")
        case_b = CaseRepository(conn).load("TN-B")
    assert case_a is not None and case_b is not None
    facts = case_facts(case_a)
    in_force = facts.in_force
    assert in_force is not None and in_force.kind is DocumentKind.ZERTIFIKAT
    assert [d.status for d in facts.documents] == [DocumentStatus.ERSETZT, DocumentStatus.GUELTIG]
    # the Zertifikat printed LiD 9; the best LiD is 24: a corrected Zertifikat is due (A.11)
    a = Rules().assess(case_a, on=date(2026, 3, 2))
    assert a.next_step is NextStep.AUSSTELLEN and a.supersedes == "ZIK-2025-0000001"
    # one whose Zertifikat printed what counts needs nothing
    assert Rules().assess(case_b, on=date(2026, 3, 2)).next_step is NextStep.KEINER


def test_after_migration_one_document_in_force_is_enforced(schema1_store: Engine) -> None:
    migrate(schema1_store)
    with pytest.raises(IntegrityError), schema1_store.begin() as conn:
        conn.execute(
            certificates.insert().values(
                certificate_id="BSC-2026-0000009",
                kind="bescheinigung",
                participant_id="TN-B",
                office="RS-NBG",
                pair_key="x",
                issued_on=date(2026, 3, 2),
                issued_at=datetime(2026, 3, 2, tzinfo=UTC),
                issued_by="Weber",
                rules_version="abschluss-2023-02-01",
                inputs="{}",
                pdf=b"%PDF",
            )
        )
    # a paper capture beside a transmission of the same day: separate rows now (R8)
    with schema1_store.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dtz_results (participant_id, exam_date, revision, is_current,"
                " funded, recorded_at, exam_center, source, complete, within_repetition)"
                " VALUES ('TN-B', '2025-11-10', 1, true, false, :t, 'VHS', 'paper', false, false)"
            ),
            {"t": datetime(2026, 3, 2, tzinfo=UTC)},
        )
    assert migrate(schema1_store) == LATEST_VERSION  # a second start changes nothing
