"""Hypothesis strategies for the facts the rules read: most cases near the marks, every field
sometimes missing or odd, so that every document and every blocker turns up."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from inge_tui.domain import (
    AltB1Proof,
    CaseFacts,
    CourseType,
    DocumentKind,
    DocumentStatus,
    DtzAttempt,
    HoursReport,
    IdDocumentType,
    IssuedDocument,
    LidAttempt,
    Part,
    ResultSource,
)

ON = date(2025, 6, 2)
HL, S, SP = Part.HOEREN_LESEN, Part.SCHREIBEN, Part.SPRECHEN

POINTS = {
    HL: st.integers(0, 45),
    S: st.integers(0, 20),
    SP: st.integers(0, 200).map(lambda half_points: half_points / 2),
}
# most sittings near or above the B1 marks, so that every document turns up often enough
LIKELY = {
    HL: st.integers(28, 45),
    S: st.integers(12, 20),
    SP: st.integers(140, 200).map(lambda half_points: half_points / 2),
}
complete_parts = st.fixed_dictionaries(POINTS)
sitting_parts = st.one_of(
    complete_parts,
    st.fixed_dictionaries(LIKELY),
    st.fixed_dictionaries({}, optional=POINTS),  # a part may not have arrived yet
)
days = st.dates(min_value=date(2022, 1, 1), max_value=date(2025, 6, 1))


def mostly(value: object, other: object) -> st.SearchStrategy:
    """`value` three times in four, else `other`."""
    return st.sampled_from([value, value, value, other])


dtz_attempts = st.builds(
    DtzAttempt,
    exam_date=days,
    parts=sitting_parts,
    source=st.sampled_from(ResultSource),
    funded=st.booleans(),
    within_repetition=st.booleans(),
    aborted=mostly(False, True),
)
lid_attempts = st.builds(
    LidAttempt,
    exam_date=days,
    points=st.integers(0, 33) | st.integers(13, 18),
    funded=st.booleans(),
)


@st.composite
def alt_proofs(draw: st.DrawFn) -> AltB1Proof:
    issued = draw(days)
    return AltB1Proof(
        exam_name=draw(
            st.sampled_from(["Goethe-Zertifikat B1", "telc deutsch b2", "DSH", "Kursbestätigung"])
        ),
        level=draw(st.sampled_from(["A2", "B1", "b2", "C1", ""])),
        issued_on=issued,
        presented_on=issued + timedelta(days=draw(st.integers(-5, 400))),
    )


hours_reports = st.lists(
    st.builds(HoursReport, as_of=days, hours_used=st.integers(0, 900)), max_size=3
).map(tuple)


@st.composite
def documents(draw: st.DrawFn) -> tuple[IssuedDocument, ...]:
    """Mostly nothing on file; else one document in force (its basis unknown) and maybe an
    older one it replaced."""
    if draw(mostly(True, False)):
        return ()
    kind = draw(st.sampled_from(DocumentKind))
    current = IssuedDocument("DOC-2", kind, None, withdrawal_proposed=draw(st.booleans()))
    older = IssuedDocument("DOC-1", DocumentKind.BESCHEINIGUNG, None, DocumentStatus.ERSETZT)
    return (older, current) if draw(st.booleans()) else (current,)


case_facts = st.builds(
    CaseFacts,
    surname=st.sampled_from(["Muster", "Muster", "Muster", None, ""]),
    given_name=mostly("Erika", None),
    birth_date=mostly(date(1990, 5, 17), None),
    course_type=st.sampled_from(CourseType),
    contingent_hours=st.sampled_from([400, 600, 900]),
    hours_reports=hours_reports,
    self_payer=mostly(False, True),
    registered_on=st.none() | days,
    document_type=st.sampled_from([*IdDocumentType, IdDocumentType.REISEPASS, None]),
    document_number=st.sampled_from(["C01X00T47", "C01X00T47", "C01X00T47", None, " "]),
    has_address=mostly(True, False),
    dtz_attempts=st.lists(dtz_attempts, max_size=3).map(tuple),
    lid_attempts=st.lists(lid_attempts, max_size=3).map(tuple),
    alt_b1=st.none() | alt_proofs(),
    repetition_approved_before=st.booleans(),
    documents=documents(),
)
