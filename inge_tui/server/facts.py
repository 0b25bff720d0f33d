"""The one adapter between stored rows and the domain: rows in, `CaseFacts` out.

The rules (`inge_tui.domain`) know nothing of tables; everything they need about a case is put
into `CaseFacts` / `RepetitionFacts` here, and only here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from inge_tui.domain.types import (
    AltB1Proof,
    CaseFacts,
    CourseType,
    DtzAttempt,
    IdDocumentType,
    LidAttempt,
    Part,
    RepetitionFacts,
    ResultSource,
)
from inge_tui.server.repo_cases import CaseRecord

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
    return DtzAttempt(
        exam_date=row["exam_date"],
        parts=dtz_parts(row),
        source=_SOURCE[row["source"]],
        hours_used_at_exam=row.get("hours_used_at_exam"),
        funded=bool(row.get("funded", True)),
        within_repetition=bool(row.get("within_repetition", False)),
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
        hours_used=int(p["hours_used"]),
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
        zertifikat_issued=any(c["kind"] == "zertifikat" for c in case.certificates),
    )


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


def latest(rows: list[Row], *, complete_only: bool = False) -> Row | None:
    """The attempt with the latest exam date (rows are ordered oldest first)."""
    chosen = [r for r in rows if r.get("complete")] if complete_only else rows
    return chosen[-1] if chosen else None


def exam_key(day: date | None) -> str:
    return day.isoformat() if day else "-"
