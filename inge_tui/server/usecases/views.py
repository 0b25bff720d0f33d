"""Stored rows and domain answers as the contract's models (`inge_tui.api.models`)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from inge_tui.api import models as m
from inge_tui.domain.completion import PROVIDER_ITEMS
from inge_tui.domain.types import Assessment, Part, RefundAssessment, RepetitionAssessment
from inge_tui.server.speech import spoken_fields
from inge_tui.server.usecases.facts import dtz_parts
from inge_tui.server.usecases.rules import Rules
from inge_tui.server.usecases.services import mask

Row = dict[str, Any]


def split(codes: str | None) -> list[str]:
    return [c for c in (codes or "").split(",") if c]


def participant_summary(row: Row) -> m.ParticipantSummary:
    return m.ParticipantSummary.model_validate(row)


def dtz_result(
    row: Row, rules: Rules, *, counted: bool = False, countable: bool = True
) -> m.DtzResult:
    aborted = bool(row.get("aborted"))
    parts = {} if aborted else dtz_parts(row)
    outcome = rules.dtz_sitting(parts, aborted=aborted)
    return m.DtzResult(
        exam_date=row["exam_date"],
        exam_center=row["exam_center"],
        source=row["source"],
        parts={
            p: m.PartResult(points=points, maximum=rules.maximum(p), level=outcome.parts[p])
            for p, points in parts.items()
        },
        overall=outcome.overall if outcome.complete else None,
        complete=outcome.complete,
        revision=row["revision"],
        corrected=row["revision"] > 1,
        recorded_at=row["recorded_at"],
        aborted=aborted,
        capture_reason=row.get("capture_reason"),
        counted=counted,
        countable=countable,
    )


def lid_result(row: Row, rules: Rules, *, counted: bool = False) -> m.LidResult:
    outcome = rules.lid(int(row["points"]))
    return m.LidResult(
        exam_date=row["exam_date"],
        points=outcome.points,
        passed=outcome.passed,
        naturalisation=outcome.naturalisation,
        revision=row["revision"],
        corrected=row["revision"] > 1,
        recorded_at=row["recorded_at"],
        counted=counted,
    )


def identity(row: Row | None, *, reveal: bool = False) -> m.Identity:
    """The stored identity with the document number masked; the full number only with
    `reveal=True`, which the audited reveal route alone passes (domain.md A.10)."""
    if row is None:
        return m.Identity()
    number = row.get("document_number")
    address = None
    if row.get("street") or row.get("postal_code") or row.get("city"):
        address = m.Address(
            street=row.get("street") or "",
            postal_code=row.get("postal_code") or "",
            city=row.get("city") or "",
        )
    return m.Identity(
        document_type=row.get("document_type"),
        document_number=number if reveal else None,
        document_number_masked=mask(number),
        address=address,
        updated_at=row.get("updated_at"),
    )


def assessment(a: Assessment) -> m.AssessmentOut:
    return m.AssessmentOut(
        document=a.document,
        blockers=[m.BlockerOut(**spoken_fields(b)) for b in a.blockers],
        reasons=[m.ReasonOut(**spoken_fields(r)) for r in a.reasons],
        funding=m.FundingOut(
            second_funded_dtz_possible=a.funding.second_funded_dtz_possible,
            funded_lid_used=a.funding.funded_lid_used,
            reasons=[m.ReasonOut(**spoken_fields(r)) for r in a.funding.reasons],
        ),
        rules_version=a.rules_version,
        can_issue=a.can_issue,
        alt_b1_valid=a.alt_b1_valid,
        next_step=a.next_step,
        counted=m.CountedOut(
            dtz_exam_date=a.counted.dtz.exam_date if a.counted.dtz else None,
            dtz_source=a.counted.dtz.source if a.counted.dtz else None,
            alt_b1=a.counted.alt_b1 is not None,
            lid_exam_date=a.counted.lid.exam_date if a.counted.lid else None,
        ),
        in_force=a.in_force.number if a.in_force else None,
        supersedes=a.supersedes,
    )


def repetition_assessment(ra: RepetitionAssessment) -> m.RepetitionAssessmentOut:
    return m.RepetitionAssessmentOut(
        rules_version=ra.rules_version,
        conditions=[m.ConditionOut(**spoken_fields(c)) for c in ra.conditions],
        max_hours=ra.max_hours,
        mandatory=ra.mandatory,
        eligible=ra.eligible,
        eligible_with_waiver=ra.eligible_with_waiver,
        reasons=[m.ReasonOut(**spoken_fields(r)) for r in ra.reasons],
        waiting=bool(ra.waiting_for),
    )


def refund_assessment(ra: RefundAssessment) -> m.RefundAssessmentOut:
    return m.RefundAssessmentOut(
        rules_version=ra.rules_version,
        eligible=ra.eligible,
        amount_cents=int(ra.amount * 100),
        deadline=ra.deadline,
        window_years=ra.window_years,
        success_date=ra.success_date,
        conditions=[m.ConditionOut(**spoken_fields(c)) for c in ra.conditions],
        reasons=[m.ReasonOut(**spoken_fields(r)) for r in ra.reasons],
    )


def mask_iban(iban: str) -> str:
    """DE89370400440532013000 → "DE•• •••• •••• •••• ••30 00": the country and the last four."""
    hidden = iban[:2] + "•" * (len(iban) - 6) + iban[-4:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


def refund(
    row: Row,
    *,
    entry_id: int | None = None,
    ra: RefundAssessment | None = None,
    participant_version: int | None = None,
) -> m.RefundApplication:
    return m.RefundApplication.model_validate(
        {
            **{k: v for k, v in row.items() if k not in ("iban", "pdf")},
            "iban_masked": mask_iban(row["iban"]),
            "entry_id": entry_id,
            "assessment": refund_assessment(ra) if ra is not None else None,
            "participant_version": participant_version,
        }
    )


def application(
    row: Row,
    *,
    entry_id: int | None = None,
    ra: RepetitionAssessment | None = None,
    participant_version: int | None = None,
) -> m.RepetitionApplication:
    decision = None
    if row["status"] == "genehmigt":
        decision = m.RepetitionDecision.APPROVE
    elif row["status"] == "abgelehnt":
        decision = m.RepetitionDecision.REJECT
    return m.RepetitionApplication.model_validate(
        {
            **row,
            "decision": decision,
            "waiver_proposal": waiver_proposal(row),
            "entry_id": entry_id,
            "assessment": repetition_assessment(ra) if ra is not None else None,
            "participant_version": participant_version,
        }
    )


def waiver_proposal(row: Row) -> m.WaiverProposal | None:
    """The waiting proposal to approve with a waiver of the DTZ condition, if any."""
    if not row.get("waiver_proposed_by"):
        return None
    return m.WaiverProposal(
        hours=row["waiver_hours"],
        reason=row["waiver_reason"] or "",
        proposed_by=row["waiver_proposed_by"],
        proposed_at=row["waiver_proposed_at"],
    )


def certificate(
    row: Row,
    *,
    participant_version: int | None = None,
    supersedes: str | None = None,
    withdrawals: list[Row] | None = None,
    letters: list[Row] | None = None,
) -> m.Certificate:
    inputs = row.get("inputs")
    stored = json.loads(inputs) if isinstance(inputs, str) else (inputs or {})
    record = json.loads(row["record"]) if row.get("record") else []
    number = row["certificate_id"]
    return m.Certificate(
        certificate_id=row["certificate_id"],
        kind=row["kind"],
        participant_id=row["participant_id"],
        office=row["office"],
        issued_on=row["issued_on"],
        issued_at=row["issued_at"],
        issued_by=row["issued_by"],
        rules_version=row["rules_version"],
        inputs=stored,
        pdf_url=f"/v1/certificates/{row['certificate_id']}/pdf",
        participant_version=participant_version,
        status=row.get("status") or m.DocumentStatus.GUELTIG,
        superseded_by=row.get("superseded_by"),
        superseded_at=row.get("superseded_at"),
        supersedes=supersedes or stored.get("supersedes"),
        withdrawals=[
            withdrawal(w) for w in withdrawals or () if w["certificate_id"] == row["certificate_id"]
        ],
        record=[m.ReasonOut(**r) for r in record],
        reversed_by=row.get("ended_by") if row.get("status") == "storniert" else None,
        reversal_reason=row.get("ended_reason") if row.get("status") == "storniert" else None,
        dispatched_at=row.get("dispatched_at"),
        letters=[letter(x) for x in letters or () if x["certificate_id"] == number],
    )


def letter(row: Row) -> m.Letter:
    return m.Letter(
        **{k: v for k, v in row.items() if k in m.Letter.model_fields},
        pdf_url=f"/v1/letters/{row['letter_id']}/pdf",
    )


def withdrawal(row: Row) -> m.Withdrawal:
    return m.Withdrawal.model_validate(row)


def hours_report(row: Row) -> m.HoursReportOut:
    return m.HoursReportOut.model_validate(row)


def audit_entry(row: Row) -> m.AuditEntry:
    return m.AuditEntry(
        audit_id=row["audit_id"],
        at=row["at"],
        actor=row["actor_name"],
        role=row["actor_role"],
        action=row["action"],
        participant_id=row.get("participant_id"),
        entry_id=row.get("entry_id"),
        inputs=json.loads(row.get("inputs") or "{}"),
        outcome=json.loads(row.get("outcome") or "{}"),
        rules_version=row.get("rules_version"),
    )


def data_request(row: Row, today: date) -> m.DataRequest:
    return m.DataRequest.model_validate(
        {
            **row,
            "item_text": PROVIDER_ITEMS.get(row["item"], row["item"]),
            "overdue": row["status"] == "offen" and row["due_on"] < today,
        }
    )


def postbox_entry(row: Row, token_id: int | None = None) -> m.PostboxEntry:
    return m.PostboxEntry(
        entry_id=row["entry_id"],
        kind=row["kind"],
        status=row["status"],
        office=row["office"],
        participant_id=row["participant_id"],
        application_id=row.get("application_id"),
        refund_id=row.get("refund_id"),
        surname=row["surname"],
        given_name=row["given_name"],
        self_payer=bool(row["self_payer"]),
        dtz_overall=row.get("dtz_overall"),
        lid_points=row.get("lid_points"),
        expected_document=row.get("expected_document"),
        blockers=split(row.get("blocker_codes")),
        blocked=bool(row["blocked"]),
        flags=split(row.get("flags")),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        closed_at=row.get("closed_at"),
        claimed_by=row.get("claimed_by_name"),
        claimed_since=row.get("claimed_at"),
        claim_expires_at=row.get("claim_expires_at"),
        claimed_by_me=token_id is not None and row.get("claimed_by_token") == token_id,
        requested_on=row.get("requested_on"),
        request_due=row.get("request_due"),
        version=row["version"],
    )


PART_ORDER = tuple(Part)
