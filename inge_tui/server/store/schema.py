"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

This module is the schema that the service, the demo seeding and the benchmarks write to.
Columns are only ever added by a migration step (`migrations.py`), never renamed or dropped.

Conventions:
- identifiers and search keys are `Key` columns: bytewise ("C") collation on PostgreSQL so a
  prefix search is a plain index range on both databases;
- timestamps are `UtcDateTime` (aware UTC in Python; naive UTC text on SQLite);
- JSON payloads (inputs, stored answers) are text written with `json.dumps`;
- `postbox_entries` carries denormalised list columns so that one Postkorb page is one indexed
  query; they are recomputed on every write that concerns the participant.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def Key(length: int) -> String:
    """A string compared bytewise on both databases (index-backed prefix ranges)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime; stored naive-UTC on SQLite, as timestamptz on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, UtcDateTime(), nullable=nullable)


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    _ts("applied_at"),
)

offices = Table(
    "offices",
    metadata,
    Column("code", Key(16), primary_key=True),
    Column("name", String(200), nullable=False),
    _ts("created_at"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex, never the token
    Column("role", String(20), nullable=False),
    Column("office", Key(16), ForeignKey("offices.code"), nullable=True),
    Column("name", String(200), nullable=False),
    _ts("created_at"),
    _ts("revoked_at", nullable=True),
    _ts("expires_at", nullable=True),  # schema 7; None: never (tokens made before schema 7)
)

participants = Table(
    "participants",
    metadata,
    Column("participant_id", Key(40), primary_key=True),
    Column("office", Key(16), ForeignKey("offices.code"), nullable=False),
    Column("surname", String(200), nullable=False),
    Column("given_name", String(200), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("course_type", String(24), nullable=False),
    Column("contingent_hours", Integer, nullable=False),
    Column("hours_used", Integer, nullable=False),
    Column("self_payer", Boolean, nullable=False),
    Column("entitlement_date", Date, nullable=True),
    Column("registered_on", Date, nullable=True),
    Column("course_start", Date, nullable=True),
    # schema 4: the course provider that registered the participant (its token's name): the
    # one that answers the office's data requests (domain.md A.16)
    Column("provider", String(200), nullable=True),
    Column("version", Integer, nullable=False, server_default=text("1")),
    _ts("created_at"),
    _ts("updated_at"),
    Index(None, "office", "participant_id"),
)

identities = Table(
    "identities",
    metadata,
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), primary_key=True),
    Column("document_type", String(20), nullable=True),
    Column("document_number", String(40), nullable=True),  # personal data: never logged
    Column("street", String(200), nullable=True),
    Column("postal_code", String(10), nullable=True),
    Column("city", String(200), nullable=True),
    _ts("updated_at"),
)


def _attempt_columns() -> list[Any]:
    """Columns shared by DTZ and LiD results: one row per revision of one attempt."""
    return [
        Column(
            "participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False
        ),
        Column("exam_date", Date, nullable=False),
        Column("revision", Integer, nullable=False, server_default=text("1")),
        Column("is_current", Boolean, nullable=False, server_default=text("true")),
        Column("funded", Boolean, nullable=False, server_default=text("true")),
        _ts("recorded_at"),
        _ts("superseded_at", nullable=True),
    ]


dtz_results = Table(
    "dtz_results",
    metadata,
    Column("dtz_id", Integer, primary_key=True, autoincrement=True),
    *_attempt_columns(),
    Column("exam_center", String(200), nullable=False),
    Column("source", String(12), nullable=False),  # webservice | paper
    Column("hoeren_lesen", Float, nullable=True),
    Column("schreiben", Float, nullable=True),
    Column("sprechen", Float, nullable=True),
    Column("complete", Boolean, nullable=False),
    Column("overall", String(10), nullable=True),  # B1 | A2 | unter_A2 once complete
    # written by schema 1 from the registration; no rule reads it (the hours of the exam day
    # come from `hours_reports`, domain.md A.15)
    Column("hours_used_at_exam", Integer, nullable=True),
    Column("within_repetition", Boolean, nullable=False, server_default=text("false")),
    # schema 2: an exam broken off by the candidate (R2a), and why a sitting of someone who is
    # not a self-payer was captured from paper (R8)
    Column("aborted", Boolean, nullable=False, server_default=text("false")),
    Column("capture_reason", Text, nullable=True),
    # a web-service sitting and a paper capture of one exam day are separate rows (R8)
    UniqueConstraint("participant_id", "exam_date", "source", "revision"),
)
Index(
    "uq_dtz_results_current_source",
    dtz_results.c.participant_id,
    dtz_results.c.exam_date,
    dtz_results.c.source,
    unique=True,
    sqlite_where=dtz_results.c.is_current,
    postgresql_where=dtz_results.c.is_current,
)

lid_results = Table(
    "lid_results",
    metadata,
    Column("lid_id", Integer, primary_key=True, autoincrement=True),
    *_attempt_columns(),
    Column("points", Integer, nullable=False),
    Column("passed", Boolean, nullable=False),
    UniqueConstraint("participant_id", "exam_date", "revision"),
)
Index(
    "uq_lid_results_current",
    lid_results.c.participant_id,
    lid_results.c.exam_date,
    unique=True,
    sqlite_where=lid_results.c.is_current,
    postgresql_where=lid_results.c.is_current,
)

alt_b1_proofs = Table(
    "alt_b1_proofs",
    metadata,
    Column("proof_id", Integer, primary_key=True, autoincrement=True),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("exam_name", String(200), nullable=False),
    Column("level", String(4), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("presented_on", Date, nullable=False),
    Column("is_current", Boolean, nullable=False, server_default=text("true")),
    Column("recorded_by", String(200), nullable=False),
    _ts("recorded_at"),
    Index(None, "participant_id"),
)

transmissions = Table(
    "transmissions",
    metadata,
    Column("transmission_id", Key(64), primary_key=True),
    Column("kind", String(8), nullable=False),  # dtz | lid
    Column("participant_id", Key(40), nullable=False),
    Column("token_id", Integer, ForeignKey("tokens.token_id"), nullable=True),
    Column("fingerprint", String(64), nullable=False),
    Column("response_status", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    _ts("received_at"),
)

repetition_applications = Table(
    "repetition_applications",
    metadata,
    Column("application_id", Integer, primary_key=True, autoincrement=True),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("requested_hours", Integer, nullable=False),
    Column("provider_confirmation", Boolean, nullable=False),
    Column("repetition_starts_on", Date, nullable=True),
    Column("in_ninth_section", Boolean, nullable=False, server_default=text("false")),
    Column("proper_attendance", Boolean, nullable=False, server_default=text("true")),
    Column("obliged_44a", Boolean, nullable=False, server_default=text("false")),
    Column("status", String(12), nullable=False),  # offen | genehmigt | abgelehnt
    Column("decided_hours", Integer, nullable=True),
    Column("waive_dtz_condition", Boolean, nullable=True),
    Column("decision_reason", Text, nullable=True),
    Column("decided_by", String(200), nullable=True),
    _ts("decided_at", nullable=True),
    Column("rules_version", String(40), nullable=True),
    Column("version", Integer, nullable=False, server_default=text("1")),
    _ts("created_at"),
    # schema 3: an approval that waives the DTZ condition (R13.3) waits for a supervisor's
    # confirmation (four eyes, domain.md A.12); the proposal while it waits, then who confirmed
    Column("waiver_hours", Integer, nullable=True),
    Column("waiver_reason", Text, nullable=True),
    Column("waiver_proposed_by", String(200), nullable=True),
    Column("waiver_proposed_by_token", Integer, nullable=True),
    _ts("waiver_proposed_at", nullable=True),
    Column("waiver_confirmed_by", String(200), nullable=True),
    Index(None, "participant_id"),
)

postbox_entries = Table(
    "postbox_entries",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("office", Key(16), ForeignKey("offices.code"), nullable=False),
    Column("kind", String(16), nullable=False),  # abschluss | wiederholung | erstattung
    Column("status", String(16), nullable=False),  # offen | in_bearbeitung | erledigt
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column(
        "application_id",
        Integer,
        ForeignKey("repetition_applications.application_id"),
        nullable=True,
    ),
    # which exam pair (abschluss) or application (wiederholung) this entry stands for
    Column("pair_key", Key(64), nullable=False),
    _ts("created_at"),
    _ts("updated_at"),
    _ts("closed_at", nullable=True),
    # denormalised list columns, recomputed on every relevant write
    Column("surname", String(200), nullable=False),
    Column("given_name", String(200), nullable=False),
    Column("name_key", Key(400), nullable=False),  # folded "surname given_name" for `q`
    Column("self_payer", Boolean, nullable=False),
    Column("dtz_overall", String(10), nullable=True),
    Column("lid_points", Integer, nullable=True),
    Column("expected_document", String(16), nullable=True),
    Column("blocker_codes", String(400), nullable=False, server_default=text("''")),
    Column("blocked", Boolean, nullable=False),
    Column("flags", String(200), nullable=False, server_default=text("''")),
    # schema 3: what the entry waits for from someone other than its caseworker: `freigabe`
    # (a supervisor's four eyes on a withdrawal or a waiver), else NULL
    Column("awaiting", String(16), nullable=True),
    # schema 4: the case's open data requests to the course provider (domain.md A.16): when
    # the first was made and the nearest deadline, else NULL (`angefordert:ja`,
    # `ueberfaellig:ja` is a deadline before today)
    Column("requested_on", Date, nullable=True),
    Column("request_due", Date, nullable=True),
    # schema 5: the refund application an `erstattung` entry stands for
    Column("refund_id", Integer, nullable=True),
    # schema 6: for the Kennzahlen, the case's course type and the Prüfstelle of the counted
    # DTZ sitting (NULL without one), kept like the other list columns
    Column("course_type", String(24), nullable=True),
    Column("exam_center", String(200), nullable=True),
    # the claim
    Column("claimed_by_token", Integer, nullable=True),
    Column("claimed_by_name", String(200), nullable=True),
    _ts("claimed_at", nullable=True),
    _ts("claim_expires_at", nullable=True),
    Column("version", Integer, nullable=False, server_default=text("1")),
    UniqueConstraint("participant_id", "kind", "pair_key"),
)
_pb = postbox_entries.c
# At most one open `abschluss` entry per participant, enforced by the database.
Index(
    "uq_postbox_open_abschluss",
    _pb.participant_id,
    unique=True,
    sqlite_where=(_pb.kind == "abschluss") & (_pb.status != "erledigt"),
    postgresql_where=(_pb.kind == "abschluss") & (_pb.status != "erledigt"),
)
# Keyset paging: one index per filter the Postkorb offers, each ending in the sort key.
Index("ix_postbox_office_created", _pb.office, _pb.created_at, _pb.entry_id)
Index("ix_postbox_office_status_created", _pb.office, _pb.status, _pb.created_at, _pb.entry_id)
Index(
    "ix_postbox_office_status_kind_created",
    _pb.office,
    _pb.status,
    _pb.kind,
    _pb.created_at,
    _pb.entry_id,
)
Index(
    "ix_postbox_office_status_blocked_created",
    _pb.office,
    _pb.status,
    _pb.blocked,
    _pb.created_at,
    _pb.entry_id,
)
Index(
    "ix_postbox_office_status_document_created",
    _pb.office,
    _pb.status,
    _pb.expected_document,
    _pb.created_at,
    _pb.entry_id,
)
Index("ix_postbox_office_name", _pb.office, _pb.name_key)
Index("ix_postbox_office_participant", _pb.office, _pb.participant_id)
Index("ix_postbox_claim_expiry", _pb.status, _pb.claim_expires_at)
# `wartet:freigabe`: the few entries waiting for a supervisor, without a scan of the office
Index(
    "ix_postbox_office_awaiting_created",
    _pb.office,
    _pb.awaiting,
    _pb.created_at,
    _pb.entry_id,
    sqlite_where=_pb.awaiting.is_not(None),
    postgresql_where=_pb.awaiting.is_not(None),
)

# `angefordert:ja` and `ueberfaellig:ja`: the entries with an open data request, few of them
Index(
    "ix_postbox_office_requested_created",
    _pb.office,
    _pb.created_at,
    _pb.entry_id,
    sqlite_where=_pb.request_due.is_not(None),
    postgresql_where=_pb.request_due.is_not(None),
)

certificates = Table(
    "certificates",
    metadata,
    Column(
        "certificate_id", Key(32), primary_key=True
    ),  # the document number, e.g. ZIK-2026-0000123
    Column("kind", String(16), nullable=False),  # zertifikat | bescheinigung
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("office", Key(16), ForeignKey("offices.code"), nullable=False),
    Column("pair_key", Key(64), nullable=False),
    Column("issued_on", Date, nullable=False),
    _ts("issued_at"),
    Column("issued_by", String(200), nullable=False),
    Column("rules_version", String(40), nullable=False),
    Column("inputs", Text, nullable=False),
    Column("pdf", LargeBinary, nullable=False),  # b"" until first rendered (schema 3)
    # schema 2: the life of a document (domain.md A.12): gueltig, ersetzt, zurueckgenommen
    Column("status", String(16), nullable=False, server_default=text("'gueltig'")),
    Column("superseded_by", Key(32), nullable=True),
    _ts("superseded_at", nullable=True),
    # schema 3: reversal (storniert) by whom and why, the decision record (Aktenvermerk, JSON)
    # that stays in the case file, and the day the office posted the document
    Column("ended_by", String(200), nullable=True),
    Column("ended_reason", Text, nullable=True),
    Column("record", Text, nullable=True),
    _ts("dispatched_at", nullable=True),
    # what the PDF prints, as canonical JSON, and its SHA-256: the PDF is rendered from it on
    # first use and stored then (`pdf` is empty until that moment); a mismatch is refused
    Column("printed", Text, nullable=True),
    Column("printed_sha256", String(64), nullable=True),
    Index(None, "participant_id", "issued_at"),
    Index(None, "office", "dispatched_at"),
    Index(None, "office", "issued_on", "kind"),  # schema 6: documents per day
)
# At most one document in force per participant: a later one supersedes it in the same
# transaction, so at most one valid Zertifikat too.
Index(
    "uq_certificates_in_force",
    certificates.c.participant_id,
    unique=True,
    sqlite_where=certificates.c.status == "gueltig",
    postgresql_where=certificates.c.status == "gueltig",
)

hours_reports = Table(
    "hours_reports",
    metadata,
    # the course provider's own id for the report: the same id again is a no-op
    Column("report_id", Key(64), primary_key=True),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("hours_used", Integer, nullable=False),
    Column("token_id", Integer, nullable=True),
    Column("fingerprint", String(64), nullable=False),
    _ts("recorded_at"),
    Index(None, "participant_id", "as_of"),
)

withdrawals = Table(
    "withdrawals",
    metadata,
    Column("withdrawal_id", Integer, primary_key=True, autoincrement=True),
    Column("certificate_id", Key(32), ForeignKey("certificates.certificate_id"), nullable=False),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("office", Key(16), nullable=False),
    Column("status", String(16), nullable=False),  # offen | bestaetigt | abgelehnt
    Column("reason", Text, nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("proposed_by_token", Integer, nullable=False),
    _ts("proposed_at"),
    Column("decided_by", String(200), nullable=True),
    Column("decided_by_token", Integer, nullable=True),
    _ts("decided_at", nullable=True),
    Column("decision_reason", Text, nullable=True),
    Index(None, "participant_id"),
)
# one open proposal per document
Index(
    "uq_withdrawals_open",
    withdrawals.c.certificate_id,
    unique=True,
    sqlite_where=withdrawals.c.status == "offen",
    postgresql_where=withdrawals.c.status == "offen",
)

# Every document number handed out (domain.md A.13): `verwendet`, taken in the transaction that
# issues the document; `verworfen` with the reason for numbers that were not used (before schema 3
# a number was reserved before the checks; the migration records those gaps).
document_numbers = Table(
    "document_numbers",
    metadata,
    Column("number", Key(32), primary_key=True),
    Column("series", Key(16), nullable=False),  # ZIK-2026
    Column("participant_id", Key(40), nullable=True),
    Column("office", Key(16), nullable=True),
    Column("state", String(16), nullable=False),  # reserviert | verwendet | verworfen
    _ts("reserved_at"),
    Column("reserved_by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Index(None, "series", "state"),
)

# What the office posts besides the documents themselves: a Zweitschrift (the same document
# again, marked as a copy) and the letter that tells the participant of a withdrawal.
letters = Table(
    "letters",
    metadata,
    Column("letter_id", Key(40), primary_key=True),  # ZIK-2026-0000123-Z1, ZIK-…-R
    Column("kind", String(16), nullable=False),  # zweitschrift | ruecknahme
    Column("certificate_id", Key(32), ForeignKey("certificates.certificate_id"), nullable=False),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("office", Key(16), nullable=False),
    Column("issued_on", Date, nullable=False),
    _ts("issued_at"),
    Column("issued_by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Column("pdf", LargeBinary, nullable=False),
    _ts("dispatched_at", nullable=True),
    Index(None, "certificate_id"),
    Index(None, "office", "dispatched_at"),
)

# A caseworker's request to the course provider for data a blocker names (domain.md A.16):
# open until the blocker clears (the provider reported it), then `erledigt` by itself.
data_requests = Table(
    "data_requests",
    metadata,
    Column("request_id", Integer, primary_key=True, autoincrement=True),
    Column("office", Key(16), nullable=False),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("item", String(40), nullable=False),  # the blocker's code: ausweisnummer_fehlt, …
    Column("provider", String(200), nullable=True),  # who is asked (participants.provider)
    Column("note", Text, nullable=True),
    Column("requested_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    _ts("requested_at"),
    Column("requested_by", String(200), nullable=False),
    Column("reminders", Integer, nullable=False, server_default=text("0")),
    _ts("reminded_at", nullable=True),
    Column("reminded_by", String(200), nullable=True),
    Column("status", String(16), nullable=False),  # offen | erledigt
    _ts("closed_at", nullable=True),
    Index(None, "participant_id", "request_id"),
    Index(None, "provider", "status", "due_on"),
    Index(None, "office", "status", "due_on"),
    # one open request per item and case, kept by the database too
    Index(
        "uq_data_requests_open_item",
        "participant_id",
        "item",
        unique=True,
        sqlite_where=text("status = 'offen'"),
        postgresql_where=text("status = 'offen'"),
    ),
)

# An application to refund 50 % of the contribution paid (§ 9 Abs. 6 IntV, R16), filed through
# the course provider; decided once by a caseworker, who is sent the Bescheid as a PDF letter.
refund_applications = Table(
    "refund_applications",
    metadata,
    Column("refund_id", Integer, primary_key=True, autoincrement=True),
    Column("participant_id", Key(40), ForeignKey("participants.participant_id"), nullable=False),
    Column("office", Key(16), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("contribution_paid_cents", Integer, nullable=False),
    Column("contribution_full_cents", Integer, nullable=True),
    Column("iban", String(34), nullable=False),  # shown masked; never in the audit
    Column("account_holder", String(200), nullable=False),
    Column("filed_by", String(200), nullable=False),  # the course provider's token name
    Column("status", String(12), nullable=False),  # offen | bewilligt | abgelehnt
    Column("amount_cents", Integer, nullable=True),  # the amount granted
    Column("decision_reason", Text, nullable=True),
    Column("decided_by", String(200), nullable=True),
    _ts("decided_at", nullable=True),
    Column("rules_version", String(40), nullable=True),
    Column("letter_id", Key(40), nullable=True),  # the Bescheid's number, ERB-2026-0000001
    Column("pdf", LargeBinary, nullable=True),
    _ts("dispatched_at", nullable=True),
    Column("version", Integer, nullable=False, server_default=text("1")),
    _ts("created_at"),
    Index(None, "participant_id"),
    Index(None, "office", "status"),
    # one application open or granted per participant: a refused one may be filed again
    Index(
        "uq_refund_applications_live",
        "participant_id",
        unique=True,
        sqlite_where=text("status IN ('offen', 'bewilligt')"),
        postgresql_where=text("status IN ('offen', 'bewilligt')"),
    ),
)

# The Kennzahlen kept up to date in the transaction that changes an entry (schema 6), so that a
# period's figures read a few hundred rows, not every entry of a busy office: entries by the
# UTC day they arrived with their counted results, and entries closed per UTC day by how many
# whole hours they were open. `figures.rebuild` recomputes both from the entries.
figures_arrived = Table(
    "figures_arrived",
    metadata,
    Column("office", Key(16), nullable=False),
    Column("day", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("course_type", String(24), nullable=False),  # '' for none
    Column("exam_center", String(200), nullable=False),  # '' for none
    Column("entries", Integer, nullable=False),
    Column("dtz_complete", Integer, nullable=False),
    Column("dtz_b1", Integer, nullable=False),
    Column("lid_results", Integer, nullable=False),
    Column("lid_passed", Integer, nullable=False),
    PrimaryKeyConstraint("office", "day", "kind", "course_type", "exam_center"),
)
figures_closed = Table(
    "figures_closed",
    metadata,
    Column("office", Key(16), nullable=False),
    Column("day", Date, nullable=False),
    Column("hours", Integer, nullable=False),
    Column("entries", Integer, nullable=False),
    PrimaryKeyConstraint("office", "day", "hours"),
)

counters = Table(
    "counters",
    metadata,
    Column("name", Key(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("token_id", Integer, nullable=False),
    Column("key", Key(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(12), nullable=False),  # done (only answers that succeeded are kept)
    Column("response_status", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    _ts("created_at"),
    PrimaryKeyConstraint("token_id", "key"),
)

audit = Table(
    "audit",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    _ts("at"),
    Column("office", Key(16), nullable=True),
    Column("participant_id", Key(40), nullable=True),
    Column("entry_id", Integer, nullable=True),
    Column("actor_token", Integer, nullable=True),
    Column("actor_name", String(200), nullable=False),
    Column("actor_role", String(20), nullable=False),
    Column("action", String(40), nullable=False),
    Column("inputs", Text, nullable=False, server_default=text("'{}'")),
    Column("outcome", Text, nullable=False, server_default=text("'{}'")),
    Column("rules_version", String(40), nullable=True),
    # schema 8: the row's place in its office's chain, the hash of the row before, its own
    Column("chain_seq", Integer, nullable=True),
    Column("prev_hash", String(64), nullable=True),
    Column("row_hash", String(64), nullable=True),
    Index(None, "participant_id", "audit_id"),
    Index(None, "office", "audit_id"),
)

# schema 8: the last link of each office's audit chain ('' for rows of no office); the row
# lock on it orders the chain when several processes write the audit of one office
audit_heads = Table(
    "audit_heads",
    metadata,
    Column("chain", Key(16), primary_key=True),
    Column("chain_seq", Integer, nullable=False),
    Column("row_hash", String(64), nullable=False),
)

V1_TABLES = [
    offices,
    tokens,
    participants,
    identities,
    dtz_results,
    lid_results,
    alt_b1_proofs,
    transmissions,
    repetition_applications,
    postbox_entries,
    certificates,
    counters,
    idempotency_keys,
    audit,
]
# added by schema 2
V2_TABLES = [hours_reports, withdrawals]
# added by schema 3
V3_TABLES = [document_numbers, letters]
# added by schema 4
V4_TABLES = [data_requests]
# added by schema 5
V5_TABLES = [refund_applications]
# added by schema 6
V6_TABLES = [figures_arrived, figures_closed]
# added by schema 8
V8_TABLES = [audit_heads]
