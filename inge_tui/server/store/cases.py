"""The case repository: participants, identity, results, alternative proofs, applications.

Every write to a case starts with `lock(participant_id)`: a row lock on PostgreSQL
(`SELECT … FOR UPDATE`) and, on SQLite, the write lock `BEGIN IMMEDIATE` already holds. So
writes to one case queue up across all service processes, and the checks that follow (is the
Postkorb entry there yet? is this transmission new?) see the winner's committed rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from inge_tui.server.store.schema import (
    alt_b1_proofs,
    certificates,
    data_requests,
    dtz_results,
    hours_reports,
    identities,
    letters,
    lid_results,
    participants,
    refund_applications,
    repetition_applications,
    withdrawals,
)

Row = dict[str, Any]


@dataclass
class CaseRecord:
    """One participant's stored case, as plain dicts (current result revisions only)."""

    participant: Row
    identity: Row | None = None
    dtz: list[Row] = field(default_factory=list)  # oldest exam first
    lid: list[Row] = field(default_factory=list)  # oldest exam first
    alt_b1: Row | None = None
    applications: list[Row] = field(default_factory=list)
    certificates: list[Row] = field(default_factory=list)  # without the PDF bytes, oldest first
    hours: list[Row] = field(default_factory=list)  # hours reports, oldest `as_of` first
    withdrawals: list[Row] = field(default_factory=list)  # proposals, oldest first
    letters: list[Row] = field(default_factory=list)  # copies and letters, no PDF, oldest first
    data_requests: list[Row] = field(default_factory=list)  # to the course provider, oldest first
    refunds: list[Row] = field(default_factory=list)  # refund applications, no PDF, oldest first

    @property
    def open_requests(self) -> list[Row]:
        return [r for r in self.data_requests if r["status"] == "offen"]

    @property
    def participant_id(self) -> str:
        return str(self.participant["participant_id"])


class CaseRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ---- participants

    def get(self, participant_id: str) -> Row | None:
        row = self.conn.execute(_PARTICIPANT, {"pid": participant_id}).first()
        return dict(row._mapping) if row else None

    def names(self, participant_ids: set[str]) -> dict[str, str]:
        """Participant id -> "Given Surname", for lists such as the print run's cover."""
        found: dict[str, str] = {}
        ids = sorted(participant_ids)
        for start in range(0, len(ids), 500):
            stmt = select(
                participants.c.participant_id, participants.c.given_name, participants.c.surname
            ).where(participants.c.participant_id.in_(ids[start : start + 500]))
            for pid, given, surname in self.conn.execute(stmt):
                found[str(pid)] = f"{given or ''} {surname}".strip()
        return found

    def any_participant(self) -> str | None:
        """Some participant id, or None for an empty store."""
        row = self.conn.execute(select(participants.c.participant_id).limit(1)).first()
        return str(row[0]) if row else None

    def lock(self, participant_id: str) -> Row | None:
        """The participant row, locked for this transaction (None when unknown)."""
        row = self.conn.execute(_LOCK, {"pid": participant_id}).first()
        return dict(row._mapping) if row else None

    def insert_participant(self, values: Row) -> None:
        self.conn.execute(insert(participants), values)

    def touch(self, participant_id: str, now: datetime) -> int:
        """Bump the case's version (every change to the case does); returns the new one."""
        return int(self.conn.execute(_TOUCH, {"pid": participant_id, "now": now}).scalar_one())

    def load(self, participant_id: str) -> CaseRecord | None:
        """The whole case, or None."""
        participant = self.get(participant_id)
        if participant is None:
            return None
        found = {
            name: [dict(r._mapping) for r in self.conn.execute(stmt, {"pid": participant_id})]
            for name, stmt in _CASE_PARTS.items()
        }
        identity, proofs = found.pop("identity"), found.pop("alt_b1")
        return CaseRecord(
            participant=participant,
            identity=identity[0] if identity else None,
            alt_b1=proofs[0] if proofs else None,
            **found,
        )

    # ---- identity

    def save_identity(self, participant_id: str, values: Row, now: datetime) -> None:
        """Merge `values` into the stored identity (fields not given stay as they are)."""
        exists = self.conn.execute(
            select(identities.c.participant_id).where(identities.c.participant_id == participant_id)
        ).first()
        if exists:
            self.conn.execute(
                update(identities)
                .where(identities.c.participant_id == participant_id)
                .values(**values, updated_at=now)
            )
        else:
            self.conn.execute(
                insert(identities).values(participant_id=participant_id, updated_at=now, **values)
            )

    # ---- hours reports (domain.md A.15)

    def hours_report(self, report_id: str) -> Row | None:
        stmt = select(hours_reports).where(hours_reports.c.report_id == report_id)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def insert_hours_report(self, values: Row) -> None:
        self.conn.execute(insert(hours_reports), values)

    def set_registered_on(self, participant_id: str, day: date) -> None:
        self.conn.execute(
            update(participants)
            .where(participants.c.participant_id == participant_id)
            .values(registered_on=day)
        )

    def set_hours_used(self, participant_id: str, hours: int) -> None:
        """The participant's current standing, as the latest report gives it."""
        self.conn.execute(
            update(participants)
            .where(participants.c.participant_id == participant_id)
            .values(hours_used=hours)
        )

    # ---- results (one current row per attempt; a correction supersedes it)

    def current_attempt(
        self, table: Table, participant_id: str, exam_date: date, source: str | None = None
    ) -> Row | None:
        """The current row of one sitting; DTZ sittings are kept apart by `source` (R8)."""
        stmt = select(table).where(
            table.c.participant_id == participant_id,
            table.c.exam_date == exam_date,
            table.c.is_current,
        )
        if source is not None:
            stmt = stmt.where(table.c.source == source)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def insert_attempt(self, table: Table, values: Row) -> Row:
        result = self.conn.execute(insert(table).values(**values).returning(table))
        return dict(result.one()._mapping)

    def update_attempt(self, table: Table, key: str, key_value: int, values: Row) -> Row:
        stmt = update(table).where(table.c[key] == key_value).values(**values).returning(table)
        return dict(self.conn.execute(stmt).one()._mapping)

    def supersede(self, table: Table, key: str, key_value: int, now: datetime) -> None:
        self.conn.execute(
            update(table)
            .where(table.c[key] == key_value)
            .values(is_current=False, superseded_at=now)
        )

    def attempt_history(self, table: Table, participant_id: str) -> list[Row]:
        """Every revision of every attempt, oldest first (for the detail view)."""
        stmt = select(table).where(table.c.participant_id == participant_id)
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(table.c.exam_date))]

    # ---- alternative B1 proofs

    def replace_alt_b1(self, participant_id: str, values: Row) -> Row:
        self.conn.execute(
            update(alt_b1_proofs)
            .where(alt_b1_proofs.c.participant_id == participant_id, alt_b1_proofs.c.is_current)
            .values(is_current=False)
        )
        return self.insert_attempt(alt_b1_proofs, {"participant_id": participant_id, **values})

    # ---- data requests to the course provider (domain.md A.16)

    def insert_request(self, values: Row) -> Row:
        stmt = insert(data_requests).values(**values).returning(data_requests)
        return dict(self.conn.execute(stmt).one()._mapping)

    def data_request(self, request_id: int) -> Row | None:
        stmt = select(data_requests).where(data_requests.c.request_id == request_id)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def update_request(self, request_id: int, values: Row) -> Row:
        stmt = (
            update(data_requests)
            .where(data_requests.c.request_id == request_id)
            .values(**values)
            .returning(data_requests)
        )
        return dict(self.conn.execute(stmt).one()._mapping)

    def close_requests(self, request_ids: list[int], now: datetime) -> None:
        self.conn.execute(
            update(data_requests)
            .where(data_requests.c.request_id.in_(request_ids), data_requests.c.status == "offen")
            .values(status="erledigt", closed_at=now)
        )

    def requests(
        self,
        *,
        office: str | None = None,
        provider: str | None = None,
        status: str | None = None,
        participant_id: str | None = None,
        limit: int = 500,
    ) -> list[Row]:
        """Requests of an office or to a provider, nearest deadline first, with the name."""
        r, p = data_requests.c, participants.c
        stmt = select(data_requests, p.surname, p.given_name).join(
            participants, p.participant_id == r.participant_id
        )
        if office is not None:
            stmt = stmt.where(r.office == office)
        if provider is not None:
            stmt = stmt.where(r.provider == provider)
        if status is not None:
            stmt = stmt.where(r.status == status)
        if participant_id is not None:
            stmt = stmt.where(r.participant_id == participant_id)
        stmt = stmt.order_by(r.due_on, r.request_id).limit(limit)
        return [dict(row._mapping) for row in self.conn.execute(stmt)]

    # ---- repetition applications

    def insert_application(self, values: Row) -> Row:
        return self.insert_attempt(repetition_applications, values)

    def application(self, application_id: int) -> Row | None:
        stmt = select(repetition_applications).where(
            repetition_applications.c.application_id == application_id
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def decide_application(self, application_id: int, version: int, values: Row) -> Row | None:
        """Record the decision if the application is still at `version`; None otherwise."""
        stmt = (
            update(repetition_applications)
            .where(
                repetition_applications.c.application_id == application_id,
                repetition_applications.c.version == version,
            )
            .values(**values, version=repetition_applications.c.version + 1)
            .returning(repetition_applications)
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    # ---- refund applications (R16)

    def insert_refund(self, values: Row) -> Row:
        stmt = insert(refund_applications).values(**values).returning(*_REFUND_COLUMNS)
        return dict(self.conn.execute(stmt).one()._mapping)

    def refund(self, refund_id: int) -> Row | None:
        """The application without its letter's PDF."""
        stmt = select(*_REFUND_COLUMNS).where(refund_applications.c.refund_id == refund_id)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def refund_pdf(self, refund_id: int) -> bytes | None:
        stmt = select(refund_applications.c.pdf).where(refund_applications.c.refund_id == refund_id)
        return self.conn.execute(stmt).scalar()

    def decide_refund(self, refund_id: int, version: int, values: Row) -> Row | None:
        """Record the decision if the application is still open at `version`; None otherwise."""
        r = refund_applications.c
        stmt = (
            update(refund_applications)
            .where(r.refund_id == refund_id, r.version == version, r.status == "offen")
            .values(**values, version=r.version + 1)
            .returning(*_REFUND_COLUMNS)
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None


def _part(table: Table, *where: Any, order: Any, without: str = "") -> Any:
    """One part of a case: a statement built once, run with the participant id (`pid`)."""
    columns = [col for col in table.c if col.name != without]
    stmt = select(*columns).where(table.c.participant_id == bindparam("pid"), *where)
    return stmt.order_by(*order)


_REFUND_COLUMNS = [c for c in refund_applications.c if c.name != "pdf"]

# Built once: building a statement costs more than running it on a small case (bench/issuing.py).
_PARTICIPANT = select(participants).where(participants.c.participant_id == bindparam("pid"))
_LOCK = _PARTICIPANT.with_for_update()
_TOUCH = (
    update(participants)
    .where(participants.c.participant_id == bindparam("pid"))
    .values(version=participants.c.version + 1, updated_at=bindparam("now"))
    .returning(participants.c.version)
)
_CASE_PARTS = {
    "identity": _part(identities, order=[identities.c.participant_id]),
    "alt_b1": _part(
        alt_b1_proofs, alt_b1_proofs.c.is_current, order=[alt_b1_proofs.c.proof_id.desc()]
    ),
    "dtz": _part(
        dtz_results, dtz_results.c.is_current, order=[dtz_results.c.exam_date, dtz_results.c.dtz_id]
    ),
    "lid": _part(
        lid_results, lid_results.c.is_current, order=[lid_results.c.exam_date, lid_results.c.lid_id]
    ),
    "applications": _part(
        repetition_applications, order=[repetition_applications.c.application_id]
    ),
    "certificates": _part(
        certificates,
        order=[certificates.c.issued_at, certificates.c.certificate_id],
        without="pdf",
    ),
    "hours": _part(hours_reports, order=[hours_reports.c.as_of, hours_reports.c.recorded_at]),
    "withdrawals": _part(withdrawals, order=[withdrawals.c.withdrawal_id]),
    "letters": _part(letters, order=[letters.c.issued_at, letters.c.letter_id], without="pdf"),
    "data_requests": _part(data_requests, order=[data_requests.c.request_id]),
    "refunds": _part(refund_applications, order=[refund_applications.c.refund_id], without="pdf"),
}
