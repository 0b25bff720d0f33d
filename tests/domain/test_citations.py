"""No reason cites a paragraph that does not say it (issue 10, item 10): every citation the rules
give appears in the row of its rule in `docs/rules.md`, the table a caseworker reads."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from inge_tui.domain import (
    CaseFacts,
    Reason,
    RepetitionFacts,
    assess_completion,
    assess_refund,
    assess_repetition,
    dtz_admission,
    orientation_hours,
    retention_dates,
)
from inge_tui.domain.types import CourseType

from ._strategies import ON, case_facts

RULES_MD = Path(__file__).parents[2] / "docs" / "rules.md"


def documented() -> dict[str, str]:
    """Rule id → the Fundstelle cell of its row in docs/rules.md."""
    rows = {}
    for line in RULES_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"R\d+a?", cells[0]):
            rows[cells[0]] = cells[4]
    return rows


DOCUMENTED = documented()


def cited_as_documented(reason: Reason) -> bool:
    cell = DOCUMENTED.get(reason.rule_id, "")
    if reason.rule_id == "R15":  # R15 speaks with the DTZ citation of R13 or R14
        cell = DOCUMENTED["R13"] + DOCUMENTED["R14"]
    return reason.citation in cell


def test_every_rule_has_a_row() -> None:
    expected = {f"R{n}" for n in range(1, 20)} | {"R2a"}
    assert expected <= set(DOCUMENTED)


@settings(max_examples=300)
@given(
    case_facts,
    st.sampled_from([date(2024, 12, 6), date(2024, 12, 7)]),
    st.booleans(),
    st.booleans(),
    st.decimals(min_value=0, max_value=2000, places=2),
)
def test_every_reason_cites_what_its_row_documents(
    facts: CaseFacts, received_on: date, ninth: bool, obliged: bool, paid: object
) -> None:
    reasons: list[Reason] = []
    assessment = assess_completion(facts, on=ON)
    reasons += [*assessment.reasons, *assessment.funding.reasons]
    application = RepetitionFacts(
        received_on=received_on,
        requested_hours=300,
        provider_confirmation=True,
        in_ninth_section=ninth,
        obliged_44a=obliged,
    )
    repetition = assess_repetition(facts, application)
    reasons += list(repetition.reasons)
    reasons += [Reason(c.rule_id, c.text, c.citation) for c in repetition.conditions]
    reasons += list(assess_refund(facts, contribution_paid=paid).reasons)  # type: ignore[arg-type]
    for reason in reasons:
        assert cited_as_documented(reason), (reason.rule_id, reason.citation, reason.text)


@given(
    st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 4)),
    st.sampled_from(CourseType),
    st.booleans(),
    st.integers(0, 3),
)
def test_course_and_retention_reasons_cite_what_their_rows_document(
    day: date, course: CourseType, entitled: bool, sections: int
) -> None:
    reasons = [
        *orientation_hours(course, day).reasons,
        *dtz_admission(valid_entitlement=entitled, sections_attended=sections, on=day).reasons,
        *retention_dates(result_communicated_on=day, case_closed_on=day).reasons,
    ]
    for reason in reasons:
        assert cited_as_documented(reason), (reason.rule_id, reason.citation, reason.text)
