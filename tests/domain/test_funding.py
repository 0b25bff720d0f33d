"""R9–R12: which sittings BAMF pays for (§ 17 Abs. 3 IntV)."""

from __future__ import annotations

from datetime import date

import pytest

from inge_tui.domain import CourseType, DtzAttempt, Funding, assess_funding

from ._facts import A2, B1, DTZ_DAY, dtz, facts, hours, lid

FIRST = date(2024, 6, 1)
LATER = date(2025, 1, 10)


def funding(*attempts: DtzAttempt, **overrides: object) -> Funding:
    return assess_funding(facts(dtz_attempts=attempts, **overrides))


def at_exam(used: int | None) -> dict[str, object]:
    """The hours reported on the first DTZ's day (none at all for None)."""
    return {"hours_reports": hours((DTZ_DAY, used)) if used is not None else ()}


def rule_texts(result: Funding, rule_id: str) -> list[str]:
    return [reason.text for reason in result.reasons if reason.rule_id == rule_id]


@pytest.mark.parametrize(
    ("attempts", "used", "possible", "why"),
    [
        pytest.param((dtz(*A2),), 599, True, "599 von 600", id="A2-599-of-600"),
        pytest.param((dtz(*A2),), 600, False, "nach Ausschöpfung", id="600"),
        pytest.param((dtz(*A2),), None, False, "nicht bekannt", id="hours-?"),
        pytest.param((dtz(19, 6, 34.5),), 300, True, "unter A2", id="unterA2"),
        pytest.param((dtz(*B1),), 300, False, "bereits B1", id="first-B1"),
        pytest.param((dtz(33, 15, None),), 300, False, "unvollständig", id="first-incomplete"),
        pytest.param((), 300, False, "kein geförderter Erstversuch", id="none"),
        pytest.param(
            (dtz(*A2, on=FIRST), dtz(*A2, on=LATER)), 300, False, "bereits genutzt", id="second"
        ),
        pytest.param(
            (dtz(*A2, on=FIRST), dtz(*A2, on=LATER, funded=False)),
            300,
            True,
            "vor Ausschöpfung",
            id="own-cost-sitting-is-not-the-second",
        ),
        pytest.param(
            (dtz(*A2, on=FIRST), dtz(*A2, on=LATER, within_repetition=True)),
            300,
            True,
            "vor Ausschöpfung",
            id="repetition-sitting-is-not-the-second",
        ),
        pytest.param((dtz(*A2, on=FIRST, funded=False),), 300, False, "kein geförderter", id="own"),
    ],
)
def test_second_funded_dtz(
    attempts: tuple[DtzAttempt, ...], used: int | None, possible: bool, why: str
) -> None:
    first_day = min((a.exam_date for a in attempts), default=DTZ_DAY)
    reports = hours((first_day, used)) if used is not None else ()
    result = funding(*attempts, hours_reports=reports)
    assert result.second_funded_dtz_possible is possible
    [text] = rule_texts(result, "R9")
    assert why in text


def test_r9_compares_with_the_course_types_hours_not_the_individual_contingent() -> None:
    # a late entrant: 300 of 300 individual UE used, on a 600-UE general course (§ 17 Abs. 3
    # Satz 2 IntV names the course type's hours); the review found this refused
    result = funding(dtz(*A2), contingent_hours=300, **at_exam(300))
    assert result.second_funded_dtz_possible is True
    assert "300 von 600 UE" in rule_texts(result, "R9")[0]
    intensive = funding(
        dtz(*A2), course_type=CourseType.INTENSIV, contingent_hours=400, **at_exam(400)
    )
    assert intensive.second_funded_dtz_possible is False


def test_r9_reads_the_hours_of_the_exam_day_from_dated_reports() -> None:
    # hours never go down: 550 reported after the exam says it was at most 550 on the day
    later = hours((date(2025, 2, 1), 550))
    assert funding(dtz(*A2), hours_reports=later).second_funded_dtz_possible is True
    # 600 reported before the exam says the hours were used up by then
    earlier = hours((date(2024, 12, 1), 600))
    assert funding(dtz(*A2), hours_reports=earlier).second_funded_dtz_possible is False
    # 500 before and 600 after leave the day open: no guess, the reason says why
    around = hours((date(2024, 12, 1), 500), (date(2025, 2, 1), 600))
    open_day = funding(dtz(*A2), hours_reports=around)
    assert open_day.second_funded_dtz_possible is False
    assert "nicht bekannt" in rule_texts(open_day, "R9")[0]
    # a report that came in later does not change what the earlier day was
    assert funding(dtz(*A2), hours_reports=(*later, *earlier)).second_funded_dtz_possible is False


def test_self_payer_gets_no_funded_dtz() -> None:
    result = funding(dtz(*A2, funded=False), self_payer=True)
    assert result.second_funded_dtz_possible is False
    assert "Selbstzahler" in rule_texts(result, "R9")[0]


def test_own_cost_dtz_is_always_possible() -> None:
    for result in (funding(), funding(dtz(*B1)), funding(dtz(*A2), **at_exam(600))):
        assert rule_texts(result, "R10")


@pytest.mark.parametrize(
    ("attempts", "approved", "expected"),
    [
        pytest.param((), True, "noch offen", id="approved-unused"),
        pytest.param((dtz(*A2, within_repetition=True),), True, "genutzt", id="approved-used"),
        pytest.param((), False, None, id="no-repetition"),
    ],
)
def test_one_funded_dtz_within_a_repetition(
    attempts: tuple[DtzAttempt, ...], approved: bool, expected: str | None
) -> None:
    texts = rule_texts(funding(*attempts, repetition_approved_before=approved), "R11")
    if expected is None:
        assert texts == []
    else:
        assert len(texts) == 1 and expected in texts[0]


@pytest.mark.parametrize(
    ("lid_attempts", "used"),
    [
        pytest.param((lid(12),), True, id="funded-taken"),
        pytest.param((lid(12, funded=False),), False, id="only-own-cost"),
        pytest.param((lid(12, funded=False), lid(13)), True, id="own-cost-then-funded"),
        pytest.param((), False, id="none"),
    ],
)
def test_funded_lid_used(lid_attempts: tuple, used: bool) -> None:
    result = assess_funding(facts(lid_attempts=lid_attempts))
    assert result.funded_lid_used is used
    assert rule_texts(result, "R12")
