"""The life of an issued document after issuing (domain.md A.12, A.13).

- Reversal (Storno): the issuer reverses a document issued in error, with a written reason,
  until it is dispatched. The number stays in the series marked `storniert`, the document
  leaves force, and the case's entry reopens because the document is due again.
- Copy (Zweitschrift): a lost or damaged document is issued again: the stored PDF with a
  "Zweitschrift" stamp and its date, the same data and number; never a second original.
- Dispatch: the office's print run (`Tagesdruck`): every document and letter not yet posted,
  oldest first, with a cover list; marking them dispatched ends the chance of a reversal.
- Number series: every number of a year's series, each carried by a document or recorded as
  not used with its reason; a number with neither is an unexplained gap.

Every step is audited; a step on a case takes the case's lock.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from inge_tui.api import models as m
from inge_tui.api.requests import CopyIn, DispatchIn, ReversalIn
from inge_tui.domain.repetition import reason_problem
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import Conflict, Forbidden, NotFound, invalid
from inge_tui.server.store.cases import CaseRecord, Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.casework import case_to_change
from inge_tui.server.usecases.postbox_sync import resync
from inge_tui.server.usecases.printing import pdf_of, pdfs
from inge_tui.server.usecases.services import Answer, Services, dump
from inge_tui.server.usecases.views import certificate, letter

if TYPE_CHECKING:
    from inge_tui.server.documents import DocumentData

# ---- reversal -----------------------------------------------------------------------------


def reverse(
    svc: Services, principal: Principal, certificate_id: str, body: ReversalIn, expected: int | None
) -> Answer:
    def run(tx: Tx) -> Answer:
        row = _document(tx, principal, certificate_id)
        case = case_to_change(tx, principal, row["participant_id"], expected)
        if row["issued_by"] != principal.name:
            raise Forbidden(
                said(
                    "{number} hat {issuer} ausgestellt; stornieren kann nur, wer das Dokument"
                    " ausgestellt hat.",
                    number=certificate_id,
                    issuer=row["issued_by"],
                ),
                code="not_issuer",
            )
        if row["dispatched_at"] is not None:
            raise Conflict(
                said(
                    "{number} wurde am {day} versandt; ein versandtes Dokument kann nicht"
                    " storniert, nur zurückgenommen werden.",
                    number=certificate_id,
                    day=f"{row['dispatched_at']:%d.%m.%Y}",
                ),
                code="already_dispatched",
            )
        if row["status"] != "gueltig":
            raise Conflict(
                said(
                    "{number} ist nicht in Kraft ({status}); stornieren lässt sich nur das gültige"
                    " Dokument.",
                    number=certificate_id,
                    status=row["status"],
                ),
                code="not_reversible",
            )
        reason = _reason(body.reason, said("Ein Storno"))
        if not tx.ledger.reverse_certificate(
            certificate_id, tx.now, by=principal.name, reason=reason
        ):
            raise Conflict(
                said("Das Dokument wurde gleichzeitig geändert."), code="version_conflict"
            )
        # the document is due again: resync reopens the entry it closed (A.14)
        synced = resync(tx, svc.rules, case.participant_id, correction=True)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="dokument_storniert",
            office=row["office"],
            participant_id=case.participant_id,
            inputs={"certificate_id": certificate_id, "reason": reason},
            outcome={"status": "storniert", "next_step": synced.assessment.next_step.value},
            rules_version=synced.assessment.rules_version,
        )
        fresh = tx.ledger.certificate(certificate_id)
        assert fresh is not None
        answer = certificate(fresh, participant_version=synced.version)
        return Answer(200, dump(answer))

    return svc.store.run(run)


# ---- copy ---------------------------------------------------------------------------------


def issue_copy(
    svc: Services, principal: Principal, certificate_id: str, body: CopyIn, expected: int | None
) -> Answer:
    from inge_tui.server.documents.post import copy_pdf

    # the original's PDF first, outside the transaction (rendered on first use)
    found = svc.store.run(
        lambda tx: _document(tx, principal, certificate_id, with_pdf=True), readonly=True
    )
    original = pdf_of(svc, found)

    def run(tx: Tx) -> Answer:
        row = _document(tx, principal, certificate_id)
        case = case_to_change(tx, principal, row["participant_id"], expected)
        if row["status"] != "gueltig":
            raise Conflict(
                said(
                    "{number} ist nicht in Kraft ({status}); eine Zweitschrift gibt es nur vom"
                    " gültigen Dokument.",
                    number=certificate_id,
                    status=row["status"],
                ),
                code="not_copyable",
            )
        if row["dispatched_at"] is None:
            raise Conflict(
                said(
                    "{number} ist noch nicht versandt: eine Zweitschrift gibt es erst, wenn das"
                    " Original verschickt und verloren oder beschädigt ist. Das Original geht mit"
                    " dem nächsten Tagesdruck hinaus.",
                    number=certificate_id,
                ),
                code="not_dispatched",
            )
        reason = _reason(body.reason, said("Eine Zweitschrift"), minimum=False)
        copies = [x for x in case.letters if x["certificate_id"] == certificate_id]
        number = sum(1 for x in copies if x["kind"] == "zweitschrift") + 1
        letter_id = f"{certificate_id}-Z{number}"
        today = tx.now.date()
        tx.ledger.insert_letter(
            {
                "letter_id": letter_id,
                "kind": "zweitschrift",
                "certificate_id": certificate_id,
                "participant_id": row["participant_id"],
                "office": row["office"],
                "issued_on": today,
                "issued_at": tx.now,
                "issued_by": principal.name,
                "reason": reason,
                "pdf": copy_pdf(original, today),
            }
        )
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="zweitschrift_ausgestellt",
            office=row["office"],
            participant_id=row["participant_id"],
            inputs={"certificate_id": certificate_id, "reason": reason},
            outcome={"letter_id": letter_id},
        )
        stored = tx.ledger.letter(letter_id)
        assert stored is not None
        return Answer(201, dump(letter(stored)))

    return svc.store.run(run)


def letter_pdf(svc: Services, principal: Principal, letter_id: str) -> bytes:
    def run(tx: Tx) -> bytes:
        row = tx.ledger.letter(letter_id, with_pdf=True)
        if row is None:
            raise NotFound(said("Schreiben nicht gefunden."))
        require_office(principal, row["office"], what=said("Schreiben"))
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="schreiben_abgerufen",
            office=row["office"],
            participant_id=row["participant_id"],
            outcome={"letter_id": letter_id},
        )
        return bytes(row["pdf"])

    return svc.store.run(run)


# ---- the withdrawal letter ----------------------------------------------------------------


def write_withdrawal_letter(
    tx: Tx, principal: Principal, case: CaseRecord, document: Row, reason: str
) -> str:
    """The letter that tells the participant of a confirmed withdrawal; stored for dispatch."""
    from inge_tui.server.documents.post import WithdrawalLetter, withdrawal_letter

    letter_id = f"{document['certificate_id']}-R"
    today = tx.now.date()
    office = tx.ledger.office(document["office"]) or {}
    person = person_data(case, letter_id, today, office.get("name", ""))
    pdf = withdrawal_letter(
        WithdrawalLetter(
            person=person,
            certificate_id=document["certificate_id"],
            certificate_issued_on=document["issued_on"],
            reason=reason,
        )
    )
    tx.ledger.insert_letter(
        {
            "letter_id": letter_id,
            "kind": "ruecknahme",
            "certificate_id": document["certificate_id"],
            "participant_id": case.participant_id,
            "office": document["office"],
            "issued_on": today,
            "issued_at": tx.now,
            "issued_by": principal.name,
            "reason": reason,
            "pdf": pdf,
        }
    )
    return letter_id


def person_data(case: CaseRecord, number: str, issued_on: date, office_name: str) -> DocumentData:
    """Name, address and office of a case as a letter prints them (no results)."""
    from inge_tui.server.documents import DocumentData

    p = case.participant
    identity = case.identity or {}
    city = f"{identity.get('postal_code') or ''} {identity.get('city') or ''}".strip()
    return DocumentData(
        kind="bescheinigung",
        number=number,
        issued_on=issued_on,
        surname=p["surname"],
        given_name=p["given_name"],
        birth_date=p["birth_date"],
        document_type=identity.get("document_type") or "",
        document_number="",
        address_lines=tuple(line for line in (identity.get("street"), city) if line),
        participant_id=p["participant_id"],
        office_code=p["office"],
        office_name=office_name,
        dtz_parts=(),
        dtz_overall=None,
        dtz_exam_date=None,
        dtz_source=None,
        alt_b1=None,
        lid_points=None,
        lid_exam_date=None,
        lid_passed=False,
        lid_naturalisation=False,
    )


# ---- dispatch -----------------------------------------------------------------------------


def dispatch_list(svc: Services, principal: Principal) -> Answer:
    """What the office has not posted yet, in print order, with the `as_of` that marks it."""

    def run(tx: Tx) -> Answer:
        return Answer(200, dump(_batch(tx, _office(principal), None)))

    return svc.store.run(run, readonly=True)


def dispatch_pdf(svc: Services, principal: Principal, as_of: datetime | None) -> bytes:
    """The print run as one PDF: the cover list, then each document and letter."""

    def run(tx: Tx) -> tuple[m.DispatchBatch, dict[str, bytes]]:
        batch = _batch(tx, _office(principal), as_of)
        pdfs = tx.ledger.pdfs([item.item_id for item in batch.items])
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="tagesdruck_erstellt",
            office=batch.office,
            outcome={"as_of": batch.as_of.isoformat(), "items": len(batch.items)},
        )
        return batch, pdfs

    batch, stored = svc.store.run(run)
    if not batch.items:
        raise Conflict(said("Es liegt nichts zum Versand vor."), code="nothing_to_dispatch")
    from inge_tui.server.documents.post import BatchItem, batch_pdf

    items = [BatchItem(i.item_id, i.kind, i.name, i.issued_on) for i in batch.items]
    documents = pdfs(svc, {k: v for k, v in stored.items() if k not in _letter_ids(batch)})
    return batch_pdf(items, {**stored, **documents}, batch.as_of, batch.office)


def _letter_ids(batch: m.DispatchBatch) -> set[str]:
    return {i.item_id for i in batch.items if i.kind in ("zweitschrift", "ruecknahme")}


def mark_dispatched(svc: Services, principal: Principal, body: DispatchIn) -> Answer:
    """Mark what the print run of `as_of` held as posted; later items stay for the next run."""

    def run(tx: Tx) -> Answer:
        office = _office(principal)
        if body.as_of > tx.now:
            raise invalid(
                "as_of", said("der Stand liegt in der Zukunft; bitte den Tagesdruck nutzen")
            )
        batch = _batch(tx, office, body.as_of)
        if not batch.items:
            raise Conflict(
                said(
                    "Bis zu diesem Stand liegt nichts zum Versand vor (schon als versandt"
                    " markiert?)."
                ),
                code="nothing_to_dispatch",
            )
        ids = [item.item_id for item in batch.items]
        count = tx.ledger.mark_dispatched(ids, tx.now)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="versand_vermerkt",
            office=office,
            inputs={"as_of": body.as_of.isoformat()},
            outcome={"items": ids},
        )
        return Answer(200, dump(m.DispatchDone(dispatched=count, at=tx.now, items=batch.items)))

    return svc.store.run(run)


def _batch(tx: Tx, office: str, as_of: datetime | None) -> m.DispatchBatch:
    stamp = as_of or tx.now
    rows = tx.ledger.undispatched(office, until=stamp)
    names = tx.cases.names({r["participant_id"] for r in rows})
    items = [
        m.DispatchItem(
            item_id=r["item_id"],
            kind=r["kind"],
            participant_id=r["participant_id"],
            name=names.get(r["participant_id"], ""),
            issued_on=_day(r["issued_at"]),
        )
        for r in rows
    ]
    return m.DispatchBatch(office=office, as_of=stamp, items=items)


def _day(value: datetime) -> date:
    return value.date()


# ---- number series ------------------------------------------------------------------------


def number_series(svc: Services, principal: Principal, year: int) -> Answer:
    """Every number of the year's series, accounted for (domain.md A.13)."""

    def run(tx: Tx) -> Answer:
        series = []
        for name, last in tx.ledger.number_series(year):
            recorded = {r["number"]: r for r in tx.ledger.numbers(name)}
            documents = tx.ledger.certificate_states(name)
            counts: dict[str, int] = {}
            unused: list[m.UnusedNumber] = []
            unexplained: list[str] = []
            for value in range(1, last + 1):
                number = f"{name}-{value:07d}"
                if number in documents:
                    state = documents[number][0]
                    counts[state] = counts.get(state, 0) + 1
                    continue
                row = recorded.get(number)
                if row is None:
                    unexplained.append(number)
                    continue
                visible = principal.office is None or row["office"] in (principal.office, None)
                state = row["state"] if row["state"] != "verwendet" else "verworfen"
                counts[state] = counts.get(state, 0) + 1
                if visible:
                    unused.append(
                        m.UnusedNumber(
                            number=number,
                            state=state,
                            reason=row["reason"] or _RESERVED,
                            at=row["reserved_at"],
                            by=row["reserved_by"],
                        )
                    )
            series.append(
                m.NumberSeries(
                    series=name,
                    last=last,
                    counts=counts,
                    unused=unused,
                    unexplained=unexplained,
                )
            )
        return Answer(200, dump(m.NumberSeriesReport(year=year, series=series)))

    return svc.store.run(run, readonly=True)


_RESERVED = "reserviert, die Ausstellung wurde nicht abgeschlossen (Abbruch)"


# ---- shared -------------------------------------------------------------------------------


def _document(tx: Tx, principal: Principal, certificate_id: str, **kw: Any) -> Row:
    row = tx.ledger.certificate(certificate_id, **kw)
    if row is None:
        raise NotFound(said("Dokument {number} nicht gefunden.", number=certificate_id))
    require_office(principal, row["office"], what=said("Dokument {number}", number=certificate_id))
    return row


def _office(principal: Principal) -> str:
    assert principal.office is not None  # both case roles belong to an office
    return principal.office


def _reason(value: str | None, what: str, *, minimum: bool = True) -> str:
    written = " ".join((value or "").split())
    if minimum:
        problem = reason_problem(written, what)
        if problem:
            raise invalid("reason", problem)
    elif not written:
        raise invalid(
            "reason", said("{what} braucht einen Anlass (zum Beispiel „verloren“)", what=what)
        )
    return written


__all__ = [
    "dispatch_list",
    "dispatch_pdf",
    "issue_copy",
    "letter_pdf",
    "mark_dispatched",
    "number_series",
    "reverse",
]
