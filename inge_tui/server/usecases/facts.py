"""The one adapter between stored rows and the domain: rows in, `CaseFacts` out.

The rules (`inge_tui.domain`) know nothing of tables; everything they need about a case is put
into `CaseFacts` / `RepetitionFacts` here, and only here. That includes what an issued document
printed (its `Basis`), which is kept in the certificate's stored inputs: `basis_inputs` writes
it there and `basis_from_inputs` reads it back, for documents of every schema version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from inge_tui.domain.types import (
    AltB1Proof,
    Basis,
    CaseFacts,
    Counted,
    CourseType,
    DocumentKind,
    DocumentStatus,
    DtzAttempt,
    DtzBasis,
    HoursReport,
    IdDocumentType,
    IssuedDocument,
    Level,
    LidAttempt,
    LidBasis,
    Part,
    ProofBasis,
    RepetitionFacts,
    ResultSource,
)
from inge_tui.server.store.cases import CaseRecord

Row = dict[str, Any]

# Enum lookups by value, without Enum.__call__ (this adapter runs for every seeded case too).
_COURSE = {c.value: c for c in CourseType}
_DOCUMENT = {d.value: d for d in IdDocumentType}
_SOURCE = {s.value: s for s in ResultSource}
_PARTS = tuple((p, p.value) for p in Part)


def dtz_parts(row: Row) -> dict[Part, float]:
    """The parts of one DTZ row that have points (a part may still be missing)."""
    return {p: float(row[key]) for p, key in _PARTS if row.get(key) is not None}


def has_address(identity: Row | None) -> bool:
    return bool(
        identity and identity.get("street") and identity.get("postal_code") and identity.get("city")
    )


def dtz_attempt(row: Row) -> DtzAttempt:
    aborted = bool(row.get("aborted"))
    return DtzAttempt(
        exam_date=row["exam_date"],
        parts={} if aborted else dtz_parts(row),
        source=_SOURCE[row["source"]],
        funded=bool(row.get("funded", True)),
        within_repetition=bool(row.get("within_repetition", False)),
        aborted=aborted,
    )


def lid_attempt(row: Row) -> LidAttempt:
    return LidAttempt(
        exam_date=row["exam_date"], points=int(row["points"]), funded=bool(row.get("funded", True))
    )


def alt_b1(row: Row | None) -> AltB1Proof | None:
    if row is None:
        return None
    return AltB1Proof(
        exam_name=row["exam_name"],
        level=row["level"],
        issued_on=row["issued_on"],
        presented_on=row["presented_on"],
    )


def case_facts(case: CaseRecord) -> CaseFacts:
    """Everything the completion and repetition rules need about this case."""
    p = case.participant
    identity = case.identity or {}
    document_type = identity.get("document_type")
    return CaseFacts(
        surname=p.get("surname") or None,
        given_name=p.get("given_name") or None,
        birth_date=p.get("birth_date"),
        course_type=_COURSE[p["course_type"]],
        contingent_hours=int(p["contingent_hours"]),
        hours_reports=tuple(HoursReport(r["as_of"], int(r["hours_used"])) for r in case.hours),
        self_payer=bool(p["self_payer"]),
        entitlement_date=p.get("entitlement_date"),
        registered_on=p.get("registered_on"),
        course_start=p.get("course_start"),
        document_type=_DOCUMENT[document_type] if document_type else None,
        document_number=identity.get("document_number") or None,
        has_address=has_address(case.identity),
        dtz_attempts=tuple(dtz_attempt(r) for r in case.dtz),
        lid_attempts=tuple(lid_attempt(r) for r in case.lid),
        alt_b1=alt_b1(case.alt_b1),
        repetition_approved_before=any(a["status"] == "genehmigt" for a in case.applications),
        documents=tuple(issued_document(c, case.withdrawals) for c in case.certificates),
    )


def issued_document(row: Row, withdrawals: Sequence[Row] = ()) -> IssuedDocument:
    number = row["certificate_id"]
    return IssuedDocument(
        number=number,
        kind=DocumentKind(row["kind"]),
        basis=basis_from_inputs(row["kind"], row.get("inputs")),
        status=DocumentStatus(row.get("status") or DocumentStatus.GUELTIG),
        withdrawal_proposed=any(
            w["certificate_id"] == number and w["status"] == "offen" for w in withdrawals
        ),
    )


# ---- what a document printed: the basis in the certificate's stored inputs ---------------------


def basis_inputs(basis: Basis | None) -> dict[str, Any]:
    """The `dtz`, `lid` and `alt_b1` entries of a certificate's inputs for `basis`."""
    if basis is None:
        return {"dtz": None, "lid": None, "alt_b1": None}
    dtz = None
    if basis.dtz is not None:
        dtz = {
            "exam_date": basis.dtz.exam_date.isoformat(),
            "source": basis.dtz.source.value,
            "overall": basis.dtz.overall.value,
            "aborted": basis.dtz.aborted,
            **{part.value: points for part, points in basis.dtz.points},
        }
    proof = basis.alt_b1
    return {
        "dtz": dtz,
        "lid": (
            {"points": basis.lid.points, "exam_date": basis.lid.exam_date.isoformat()}
            if basis.lid
            else None
        ),
        "alt_b1": (
            {
                "exam_name": proof.exam_name,
                "level": proof.level,
                "issued_on": proof.issued_on.isoformat(),
            }
            if proof
            else None
        ),
    }


def basis_from_inputs(kind: str, inputs: str | dict[str, Any] | None) -> Basis | None:
    """What a stored document printed, from its inputs; None when they cannot be read.

    Documents of schema 1 stored the alternative proof whenever one was on file, with
    `alt_b1_valid`; it counted only when valid and no DTZ B1 was counted, as now.
    """
    try:
        data = json.loads(inputs) if isinstance(inputs, str) else dict(inputs or {})
        dtz_in = data.get("dtz")
        dtz = None
        if dtz_in:
            aborted = bool(dtz_in.get("aborted"))
            dtz = DtzBasis(
                exam_date=date.fromisoformat(str(dtz_in["exam_date"])),
                source=_SOURCE[dtz_in["source"]],
                overall=Level(dtz_in["overall"]),
                points=() if aborted else tuple((p, float(dtz_in[p.value])) for p in Part),
                aborted=aborted,
            )
        proof_in = data.get("alt_b1")
        counts = data.get("alt_b1_valid", True) and (dtz is None or dtz.overall is not Level.B1)
        proof = None
        if proof_in and counts:
            proof = ProofBasis(
                str(proof_in["exam_name"]).strip(),
                str(proof_in["level"]).strip().upper(),
                date.fromisoformat(str(proof_in["issued_on"])),
            )
        lid_in = data.get("lid")
        lid = (
            LidBasis(date.fromisoformat(str(lid_in["exam_date"])), int(lid_in["points"]))
            if lid_in
            else None
        )
        return Basis(kind=DocumentKind(kind), dtz=dtz, alt_b1=proof, lid=lid)
    except (KeyError, TypeError, ValueError):
        return None


def repetition_facts(application: Row) -> RepetitionFacts:
    return RepetitionFacts(
        received_on=application["received_on"],
        requested_hours=int(application["requested_hours"]),
        provider_confirmation=bool(application["provider_confirmation"]),
        repetition_started_on=application.get("repetition_starts_on"),
        in_ninth_section=bool(application.get("in_ninth_section")),
        proper_attendance=bool(application.get("proper_attendance", True)),
        obliged_44a=bool(application.get("obliged_44a")),
    )


def facts_for_application(case: CaseRecord, application: Row) -> CaseFacts:
    """The case as it stood for this application: other approvals count, this one does not."""
    facts = case_facts(case)
    approved_before = any(
        a["status"] == "genehmigt" and a["application_id"] != application["application_id"]
        for a in case.applications
    )
    return _replace(facts, repetition_approved_before=approved_before)


def _replace(facts: CaseFacts, **changes: Any) -> CaseFacts:
    from dataclasses import replace

    return replace(facts, **changes)


def counted_rows(case: CaseRecord, counted: Counted) -> tuple[Row | None, Row | None]:
    """The stored DTZ and LiD rows of the sittings an assessment counted (`Assessment.counted`):
    a DTZ sitting is one exam day from one source, a LiD sitting one exam day (A.11)."""
    dtz = counted.dtz
    lid = counted.lid
    dtz_row = next(
        (
            r
            for r in case.dtz
            if dtz is not None
            and r["exam_date"] == dtz.exam_date
            and r["source"] == dtz.source.value
        ),
        None,
    )
    lid_row = next(
        (r for r in case.lid if lid is not None and r["exam_date"] == lid.exam_date), None
    )
    return dtz_row, lid_row


def exam_key(day: date | None) -> str:
    return day.isoformat() if day else "-"
