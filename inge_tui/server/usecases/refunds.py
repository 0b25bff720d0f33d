"""Refund applications: 50 % of the contribution actually paid (§ 9 Abs. 6 IntV, rule R16).

A course provider files the application for the participant (standing in for BAMF's online
form) with the contribution paid, in cents, and the bank details; it opens an `erstattung`
entry in the office's Postkorb. A caseworker sees R16's conditions one by one and the amount
the rules compute, then grants it (exactly that amount; only when every condition holds) or
refuses it with a reason. The decision is taken once, under the case lock and the entry's
claim, audited with its inputs (never the IBAN), and produces the Bescheid: a PDF letter kept
with the application and posted with the office's print run. One application per participant
is open or granted at a time; a refused one may be filed again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from inge_tui.api import models as m
from inge_tui.api.requests import RefundApplicationIn, RefundDecisionIn
from inge_tui.domain._format import date_de, euro_de
from inge_tui.domain.repetition import reason_problem
from inge_tui.domain.said import said
from inge_tui.domain.types import RefundAssessment
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import Conflict, Invalid, NotFound, invalid
from inge_tui.server.store.cases import CaseRecord, Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.casework import case_to_change
from inge_tui.server.usecases.document_life import person_data
from inge_tui.server.usecases.ingestion import feeder_case
from inge_tui.server.usecases.postbox_sync import closed_values, resync
from inge_tui.server.usecases.services import Answer, Services, dump, run_or_try
from inge_tui.server.usecases.views import mask_iban, refund

LIVE = ("offen", "bewilligt")
DECIDED = {"bewilligt": said("bewilligt"), "abgelehnt": said("abgelehnt")}


def file_refund(svc: Services, principal: Principal, body: RefundApplicationIn) -> Answer:
    """The course provider files an application; it opens an `erstattung` entry."""

    def run(tx: Tx) -> Answer:
        case = feeder_case(tx, principal, body.participant_id)
        if body.received_on > tx.now.date():
            raise invalid("received_on", said("das Eingangsdatum liegt in der Zukunft"))
        live = next((r for r in case.refunds if r["status"] in LIVE), None)
        if live is not None:
            filed = {"id": live["refund_id"], "day": date_de(live["received_on"])}
            raise Conflict(
                said(
                    "Für diese/n Teilnehmende/n ist ein Erstattungsantrag offen (Nr. {id} vom"
                    " {day}); erstattet wird nur einmal.",
                    **filed,
                )
                if live["status"] == "offen"
                else said(
                    "Für diese/n Teilnehmende/n ist ein Erstattungsantrag schon bewilligt"
                    " (Nr. {id} vom {day}); erstattet wird nur einmal.",
                    **filed,
                ),
                code="refund_pending" if live["status"] == "offen" else "refund_granted",
                field="participant_id",
            )
        values = body.model_dump()
        filed = tx.cases.insert_refund(
            {
                **values,
                "office": case.participant["office"],
                "filed_by": principal.name,
                "status": "offen",
                "version": 1,
                "created_at": tx.now,
            }
        )
        synced = resync(tx, svc.rules, case.participant_id, refund=filed)
        entry_id = _entry_id(synced.entries, filed["refund_id"])
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="erstattung_beantragt",
            office=case.participant["office"],
            participant_id=case.participant_id,
            entry_id=entry_id,
            inputs={**values, "iban": mask_iban(body.iban), "received_on": str(body.received_on)},
            outcome={"refund_id": filed["refund_id"], "status": "offen"},
        )
        ra = svc.rules.refund(synced.case, filed)
        answer = refund(filed, entry_id=entry_id, ra=ra, participant_version=synced.version)
        return Answer(201, dump(answer))

    return svc.store.run(run)


def decide_refund(
    svc: Services,
    principal: Principal,
    refund_id: int,
    body: RefundDecisionIn,
    expected: int | None,
    *,
    dry_run: bool = False,
) -> Answer:
    """Grant the amount R16 computes (422 `rules_forbid` with the unmet conditions when it does
    not allow it) or refuse with a reason; 409 `already_decided` the second time."""

    def run(tx: Tx) -> Answer:
        found = tx.cases.refund(refund_id)
        if found is None:
            raise NotFound(said("Erstattungsantrag nicht gefunden."))
        require_office(principal, found["office"], what=said("Erstattungsantrag"))
        case = case_to_change(tx, principal, found["participant_id"], expected)
        row = next(r for r in case.refunds if r["refund_id"] == refund_id)
        if row["status"] != "offen":
            raise Conflict(
                said(
                    "Über den Erstattungsantrag {id} ist schon entschieden ({status}, {by}).",
                    id=refund_id,
                    status=DECIDED.get(row["status"], row["status"]),
                    by=row["decided_by"],
                ),
                code="already_decided",
                current=dump(refund(row)),
            )
        ra = svc.rules.refund(case, row)
        grant = body.decision == m.RepetitionDecision.APPROVE
        reason = " ".join((body.reason or "").split()) or None
        if grant and not ra.eligible:
            unmet = [c for c in ra.conditions if c.required and not c.met]
            raise Invalid(
                [
                    (
                        "decision",
                        said(
                            "Erstattung nicht möglich: {condition} ({law})",
                            condition=c.text,
                            law=c.citation,
                        ),
                    )
                    for c in unmet
                ],
                code="rules_forbid",
                reasons=[
                    {"rule_id": c.rule_id, "text": c.text, "citation": c.citation} for c in unmet
                ],
            )
        if not grant:
            problem = reason_problem(reason, said("Die Ablehnung einer Erstattung"))
            if problem:
                raise invalid("reason", problem)
        amount = int(ra.amount * 100) if grant else None
        letter_id = f"ERB-{tx.now.year}-{refund_id:07d}"
        status = "bewilligt" if grant else "abgelehnt"
        pdf = _bescheid(tx, case, row, ra, letter_id, status, reason)
        decided = tx.cases.decide_refund(
            refund_id,
            row["version"],
            {
                "status": status,
                "amount_cents": amount,
                "decision_reason": reason,
                "decided_by": principal.name,
                "decided_at": tx.now,
                "rules_version": ra.rules_version,
                "letter_id": letter_id,
                "pdf": pdf,
            },
        )
        if decided is None:  # cannot happen under the case lock; the database has the last word
            raise Conflict(
                said("Der Antrag wurde gleichzeitig entschieden."), code="version_conflict"
            )
        entry_id = None
        for entry in tx.postbox.for_participant(case.participant_id):
            if entry.get("refund_id") == refund_id:
                entry_id = entry["entry_id"]
                tx.postbox.update(entry_id, closed_values(tx))
        synced = resync(tx, svc.rules, case.participant_id)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="erstattung_entschieden",
            office=found["office"],
            participant_id=case.participant_id,
            entry_id=entry_id,
            inputs={
                "refund_id": refund_id,
                "decision": body.decision.value,
                "reason": reason,
                "contribution_paid_cents": row["contribution_paid_cents"],
                "conditions": [{"code": c.code, "met": c.met} for c in ra.conditions],
            },
            outcome={"status": status, "amount_cents": amount, "letter_id": letter_id},
            rules_version=ra.rules_version,
        )
        answer = refund(decided, entry_id=entry_id, ra=ra, participant_version=synced.version)
        return Answer(200, dump(answer))

    return run_or_try(svc, run, dry_run=dry_run)


def refund_letter(svc: Services, principal: Principal, refund_id: int) -> bytes:
    """The Bescheid of a decided application as PDF (404 while it is open)."""

    def run(tx: Tx) -> bytes:
        found = tx.cases.refund(refund_id)
        if found is None:
            raise NotFound(said("Erstattungsantrag nicht gefunden."))
        require_office(principal, found["office"], what=said("Erstattungsantrag"))
        pdf = tx.cases.refund_pdf(refund_id)
        if not pdf:
            raise NotFound(
                said(
                    "Über den Erstattungsantrag {id} ist noch nicht entschieden; einen Bescheid"
                    " gibt es erst danach.",
                    id=refund_id,
                )
            )
        return bytes(pdf)

    return svc.store.run(run, readonly=True)


def _bescheid(
    tx: Tx,
    case: CaseRecord,
    row: Row,
    ra: RefundAssessment,
    letter_id: str,
    status: str,
    reason: str | None,
) -> bytes:
    from inge_tui.server.documents.post import RefundLetter, refund_letter_pdf

    today: date = tx.now.date()
    office = tx.ledger.office(row["office"]) or {}
    return refund_letter_pdf(
        RefundLetter(
            person=person_data(case, letter_id, today, office.get("name", "")),
            received_on=row["received_on"],
            granted=status == "bewilligt",
            paid=euro_de(Decimal(row["contribution_paid_cents"]) / 100),
            amount=euro_de(ra.amount),
            iban_masked=mask_iban(row["iban"]),
            account_holder=row["account_holder"],
            conditions=tuple(
                (c.text, c.citation, c.met if c.required else None) for c in ra.conditions
            ),
            reason=reason,
        )
    )


def _entry_id(entries: list[Row], refund_id: int) -> int | None:
    return next((e["entry_id"] for e in entries if e.get("refund_id") == refund_id), None)
