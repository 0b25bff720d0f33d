"""The ledger repository: offices, tokens, stored answers, document numbers, certificates,
withdrawals, audit.

Everything here is either append-only (audit, transmissions, idempotency keys), a counter that
the database increments under its own row lock, or a document whose life moves one way only
(in force, then superseded or withdrawn; its data and PDF never change).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, literal, select, update

from inge_tui.server.store import audit_chain
from inge_tui.server.store.db import insert_ignore
from inge_tui.server.store.schema import (
    audit,
    certificates,
    counters,
    document_numbers,
    dtz_results,
    idempotency_keys,
    letters,
    lid_results,
    offices,
    participants,
    refund_applications,
    tokens,
    transmissions,
    withdrawals,
)

Row = dict[str, Any]


def dumps(value: Any) -> str:
    """JSON for stored inputs and answers (dates as ISO text, keys sorted)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


_NEXT_NUMBER = (
    update(counters)
    .where(counters.c.name == bindparam("series"))
    .values(value=counters.c.value + 1)
    .returning(counters.c.value)
)


# what the office posts, by the column that names it: documents, letters, refund Bescheide
_POSTED = (
    (certificates, "certificate_id"),
    (letters, "letter_id"),
    (refund_applications, "letter_id"),
)


# why a number is on file as `reserviert` while its issue runs, and after one that did not finish
RESERVED = (
    "reserviert für {participant_id} am {at:%d.%m.%Y %H:%M:%S} UTC; die Ausstellung wurde nicht "
    "abgeschlossen (abgebrochen oder zurückgerollt), die Nummer blieb unbenutzt"
)


class NumberDesk:
    """Document numbers reserved in short transactions of their own (PostgreSQL).

    Taking the number inside the issuing transaction keeps the series' counter row locked until
    that transaction commits: every later statement of the issue (the case read again, the
    Postkorb, the audit) then happens while all other issues of the series wait. Here the
    counter is incremented and the number recorded as `reserviert`, with the reason it would
    keep if the issue never finished, and committed at once: the row is locked for two
    statements. The issuing transaction marks it `verwendet`; if it rolls back, the number stays
    on file, reserved and unused, with its reason (domain.md A.13: a gap only with a reason).

    Its own small pool: an issue holds one connection and asks for a second, so sharing the
    service's pool could leave every connection waiting for another one.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def reserve(
        self, prefix: str, year: int, *, participant_id: str, office: str, by: str, at: datetime
    ) -> str:
        with self.engine.begin() as conn:
            return LedgerRepository(conn).new_number(
                prefix,
                year,
                participant_id=participant_id,
                office=office,
                by=by,
                at=at,
                state="reserviert",
                reason=RESERVED.format(participant_id=participant_id, at=at),
            )


class LedgerRepository:
    def __init__(self, conn: Connection, numbers: NumberDesk | None = None) -> None:
        self.conn = conn
        self._numbers = numbers
        self._audit_pending: list[Row] = []

    # ---- offices and tokens

    def office(self, code: str) -> Row | None:
        row = self.conn.execute(select(offices).where(offices.c.code == code)).first()
        return dict(row._mapping) if row else None

    def offices(self) -> list[Row]:
        return [
            dict(r._mapping) for r in self.conn.execute(select(offices).order_by(offices.c.code))
        ]

    def ensure_office(self, code: str, name: str, now: datetime) -> bool:
        """Create the office unless it exists; True when it was created."""
        return insert_ignore(self.conn, offices, {"code": code, "name": name, "created_at": now})

    def insert_token(self, values: Row) -> Row:
        stmt = insert(tokens).values(**values).returning(tokens)
        return dict(self.conn.execute(stmt).one()._mapping)

    def token_by_hash(self, token_hash: str) -> Row | None:
        stmt = select(tokens).where(
            tokens.c.token_hash == token_hash, tokens.c.revoked_at.is_(None)
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def tokens(self) -> list[Row]:
        return [
            dict(r._mapping) for r in self.conn.execute(select(tokens).order_by(tokens.c.token_id))
        ]

    def revoke_token(self, token_id: int, now: datetime) -> Row | None:
        stmt = (
            update(tokens)
            .where(tokens.c.token_id == token_id)
            .values(revoked_at=func.coalesce(tokens.c.revoked_at, now))
            .returning(tokens)
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    # ---- stored answers: transmissions and idempotency keys

    def transmission(self, transmission_id: str) -> Row | None:
        stmt = select(transmissions).where(transmissions.c.transmission_id == transmission_id)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def store_transmission(self, values: Row) -> None:
        self.conn.execute(insert(transmissions), values)

    def idempotency(self, token_id: int, key: str) -> Row | None:
        stmt = select(idempotency_keys).where(
            idempotency_keys.c.token_id == token_id, idempotency_keys.c.key == key
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def store_idempotency(self, values: Row) -> None:
        self.conn.execute(insert(idempotency_keys), values)

    # ---- document numbers

    def next_number(self, prefix: str, year: int) -> str:
        """`ZIK-2026-0000123`: the counter row is incremented under the database's row lock."""
        name = f"{prefix}-{year}"
        value = self.conn.execute(_NEXT_NUMBER, {"series": name}).scalar()
        if value is None:  # the first number of a series: make its counter
            insert_ignore(self.conn, counters, {"name": name, "value": 0})
            value = self.conn.execute(_NEXT_NUMBER, {"series": name}).scalar_one()
        return f"{name}-{int(value):07d}"

    def take_number(
        self, prefix: str, year: int, *, participant_id: str, office: str, by: str, at: datetime
    ) -> str:
        """A new number for the document this transaction issues, recorded as `verwendet`
        (domain.md A.13). With a `NumberDesk` (PostgreSQL) it was reserved and committed just
        before; otherwise (SQLite, whose write lock serialises issuing anyway) it is taken here
        and a rollback gives it back."""
        if self._numbers is not None:
            number = self._numbers.reserve(
                prefix, year, participant_id=participant_id, office=office, by=by, at=at
            )
            n = document_numbers.c
            self.conn.execute(
                update(document_numbers)
                .where(n.number == number)
                .values(state="verwendet", reason=None)
            )
            return number
        return self.new_number(
            prefix, year, participant_id=participant_id, office=office, by=by, at=at
        )

    def new_number(
        self,
        prefix: str,
        year: int,
        *,
        participant_id: str,
        office: str,
        by: str,
        at: datetime,
        state: str = "verwendet",
        reason: str | None = None,
    ) -> str:
        """The series' next number, recorded in `document_numbers` with `state` (and why)."""
        number = self.next_number(prefix, year)
        self.conn.execute(
            insert(document_numbers),
            {
                "number": number,
                "series": f"{prefix}-{year}",
                "participant_id": participant_id,
                "office": office,
                "state": state,
                "reserved_at": at,
                "reserved_by": by,
                "reason": reason,
            },
        )
        return number

    def number_series(self, year: int) -> list[tuple[str, int]]:
        """The series of a year with their last number: [("BSC-2026", 412), ...]."""
        stmt = (
            select(counters.c.name, counters.c.value)
            .where(counters.c.name.like(f"%-{year}"))
            .order_by(counters.c.name)
        )
        return [(str(name), int(value)) for name, value in self.conn.execute(stmt)]

    def numbers(self, series: str) -> list[Row]:
        stmt = (
            select(document_numbers)
            .where(document_numbers.c.series == series)
            .order_by(document_numbers.c.number)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def certificate_states(self, series: str) -> dict[str, tuple[str, str]]:
        """Number -> (status, office) of every document of a series."""
        stmt = select(certificates.c.certificate_id, certificates.c.status, certificates.c.office)
        stmt = stmt.where(certificates.c.certificate_id.like(f"{series}-%"))
        return {str(n): (str(s), str(o)) for n, s, o in self.conn.execute(stmt)}

    # ---- certificates

    def insert_certificate(self, values: Row) -> None:
        self.conn.execute(insert(certificates), values)

    def end_certificate(
        self, certificate_id: str, status: str, now: datetime, **values: Any
    ) -> None:
        """Take a document out of force (`ersetzt` or `zurueckgenommen`); only one in force."""
        self.conn.execute(
            update(certificates)
            .where(certificates.c.certificate_id == certificate_id)
            .where(certificates.c.status == "gueltig")
            .values(status=status, superseded_at=now, **values)
        )

    def reverse_certificate(
        self, certificate_id: str, now: datetime, *, by: str, reason: str
    ) -> bool:
        """Storno: only a document in force that was not yet dispatched; True when it was."""
        done = self.conn.execute(
            update(certificates)
            .where(
                certificates.c.certificate_id == certificate_id,
                certificates.c.status == "gueltig",
                certificates.c.dispatched_at.is_(None),
            )
            .values(status="storniert", superseded_at=now, ended_by=by, ended_reason=reason)
        )
        return done.rowcount == 1

    def store_pdf(self, certificate_id: str, pdf: bytes) -> None:
        """Keep a document's PDF rendered on first use; only where none is stored yet."""
        c = certificates.c
        self.conn.execute(
            update(certificates)
            .where(c.certificate_id == certificate_id, c.pdf == b"")
            .values(pdf=pdf)
        )

    def certificate(self, certificate_id: str, *, with_pdf: bool = False) -> Row | None:
        cols = [c for c in certificates.c if with_pdf or c.name != "pdf"]
        stmt = select(*cols).where(certificates.c.certificate_id == certificate_id)
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def documents_by_kind(self, office: str) -> dict[str, int]:
        stmt = (
            select(certificates.c.kind, func.count())
            .where(certificates.c.office == office)
            .group_by(certificates.c.kind)
        )
        return {str(k): int(n) for k, n in self.conn.execute(stmt)}

    # ---- letters (copies, withdrawal letters) and dispatch

    def insert_letter(self, values: Row) -> None:
        self.conn.execute(insert(letters), values)

    def letter(self, letter_id: str, *, with_pdf: bool = False) -> Row | None:
        cols = [c for c in letters.c if with_pdf or c.name != "pdf"]
        row = self.conn.execute(select(*cols).where(letters.c.letter_id == letter_id)).first()
        return dict(row._mapping) if row else None

    def letters_of(self, participant_id: str) -> list[Row]:
        cols = [c for c in letters.c if c.name != "pdf"]
        stmt = (
            select(*cols)
            .where(letters.c.participant_id == participant_id)
            .order_by(letters.c.issued_at, letters.c.letter_id)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def undispatched(self, office: str, *, until: datetime | None = None) -> list[Row]:
        """What the office has not posted yet, oldest first, without their PDFs: documents in
        force, and letters about a document the participant was sent. A document that ended
        before it left the office (reversed, superseded, withdrawn) is never posted, nor the
        withdrawal letter of one: it stays on file. A refund Bescheid goes out once decided."""
        doc_where = [
            certificates.c.office == office,
            certificates.c.dispatched_at.is_(None),
            certificates.c.status == "gueltig",
        ]
        original = certificates.alias("original")
        posted_original = (
            select(original.c.certificate_id)
            .where(
                original.c.certificate_id == letters.c.certificate_id,
                original.c.dispatched_at.is_not(None),
            )
            .exists()
        )
        letter_where = [
            letters.c.office == office,
            letters.c.dispatched_at.is_(None),
            posted_original,
        ]
        r = refund_applications.c
        refund_where = [r.office == office, r.letter_id.is_not(None), r.dispatched_at.is_(None)]
        if until is not None:
            doc_where.append(certificates.c.issued_at <= until)
            letter_where.append(letters.c.issued_at <= until)
            refund_where.append(r.decided_at <= until)
        docs = select(
            certificates.c.certificate_id.label("item_id"),
            certificates.c.kind,
            certificates.c.participant_id,
            certificates.c.issued_at,
        ).where(*doc_where)
        sent = select(
            letters.c.letter_id.label("item_id"),
            letters.c.kind,
            letters.c.participant_id,
            letters.c.issued_at,
        ).where(*letter_where)
        decided = select(
            r.letter_id.label("item_id"),
            literal("erstattung").label("kind"),
            r.participant_id,
            r.decided_at.label("issued_at"),
        ).where(*refund_where)
        rows = [
            dict(row._mapping) for stmt in (docs, sent, decided) for row in self.conn.execute(stmt)
        ]
        return sorted(rows, key=lambda r: (r["issued_at"], r["item_id"]))

    def pdfs(self, item_ids: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(item_ids), 500):
            chunk = item_ids[start : start + 500]
            for table, key in _POSTED:
                stmt = select(table.c[key], table.c.pdf).where(table.c[key].in_(chunk))
                found.update({str(k): bytes(v) for k, v in self.conn.execute(stmt)})
        return found

    def mark_dispatched(self, item_ids: list[str], now: datetime) -> int:
        count = 0
        for start in range(0, len(item_ids), 500):
            chunk = item_ids[start : start + 500]
            for table, key in _POSTED:
                done = self.conn.execute(
                    update(table)
                    .where(table.c[key].in_(chunk), table.c.dispatched_at.is_(None))
                    .values(dispatched_at=now)
                )
                count += done.rowcount
        return count

    # ---- withdrawals (Rücknahme with four eyes)

    def insert_withdrawal(self, values: Row) -> Row:
        stmt = insert(withdrawals).values(**values).returning(withdrawals)
        return dict(self.conn.execute(stmt).one()._mapping)

    def decide_withdrawal(self, withdrawal_id: int, values: Row) -> Row | None:
        stmt = (
            update(withdrawals)
            .where(withdrawals.c.withdrawal_id == withdrawal_id, withdrawals.c.status == "offen")
            .values(**values)
            .returning(withdrawals)
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    # ---- results per office (statistics)

    def dtz_levels(self, office: str) -> dict[str, int]:
        stmt = (
            select(dtz_results.c.overall, func.count())
            .join(participants, participants.c.participant_id == dtz_results.c.participant_id)
            .where(
                participants.c.office == office, dtz_results.c.is_current, dtz_results.c.complete
            )
            .group_by(dtz_results.c.overall)
        )
        return {str(k): int(n) for k, n in self.conn.execute(stmt)}

    def lid_passes(self, office: str) -> dict[bool, int]:
        stmt = (
            select(lid_results.c.passed, func.count())
            .join(participants, participants.c.participant_id == lid_results.c.participant_id)
            .where(participants.c.office == office, lid_results.c.is_current)
            .group_by(lid_results.c.passed)
        )
        return {bool(k): int(n) for k, n in self.conn.execute(stmt)}

    # ---- audit (append-only; the database refuses UPDATE and DELETE; rows are chained by
    # hashes per office, audit_chain.py)

    def audit(
        self,
        *,
        at: datetime,
        actor: Any,
        action: str,
        office: str | None = None,
        participant_id: str | None = None,
        entry_id: int | None = None,
        inputs: Any = None,
        outcome: Any = None,
        rules_version: str | None = None,
    ) -> None:
        """Note an audit row; it is written, chained, when the transaction ends (`seal`)."""
        self._audit_pending.append(
            {
                "at": at,
                "office": office,
                "participant_id": participant_id,
                "entry_id": entry_id,
                "actor_token": actor.token_id,
                "actor_name": actor.name,
                "actor_role": actor.role,
                "action": action,
                "inputs": dumps(inputs or {}),
                "outcome": dumps(outcome or {}),
                "rules_version": rules_version,
            }
        )

    def seal(self) -> None:
        """Write the noted audit rows at the ends of their offices' chains. The unit of work
        calls this last, so the chain heads are locked only for the commit."""
        rows, self._audit_pending = self._audit_pending, []
        audit_chain.append(self.conn, rows)

    def audit_page(
        self,
        *,
        office: str | None,
        participant_id: str | None,
        before: int | None,
        limit: int,
    ) -> list[Row]:
        self.seal()  # what this transaction noted belongs to the page too
        where = []
        if office is not None:
            where.append(audit.c.office == office)
        if participant_id is not None:
            where.append(audit.c.participant_id == participant_id)
        if before is not None:
            where.append(audit.c.audit_id < before)
        stmt = select(audit).where(*where).order_by(audit.c.audit_id.desc()).limit(limit)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
