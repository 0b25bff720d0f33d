"""R13–R15: repetition applications, before and after 07.12.2024, and the decision checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from inge_tui.domain import (
    CaseFacts,
    Condition,
    CourseType,
    RepetitionAssessment,
    RepetitionFacts,
    assess_repetition,
    check_repetition_decision,
)

from ._facts import A2, B1, DTZ_DAY, HOURS_DAY, dtz, facts, hours

BEFORE, REFORM, AFTER = date(2024, 12, 6), date(2024, 12, 7), date(2024, 12, 8)
NEW_TYPES = {CourseType.ALPHABETISIERUNG, CourseType.FOERDERBEDARF}


def application(received_on: date = AFTER, **overrides: Any) -> RepetitionFacts:
    base = RepetitionFacts(received_on=received_on, requested_hours=300, provider_confirmation=True)
    return replace(base, **overrides)


def failed(**overrides: Any) -> CaseFacts:
    """Contingent used, DTZ A2: what a repetition is for."""
    return facts(
        **{
            "course_type": CourseType.ALPHABETISIERUNG,
            "contingent_hours": 900,
            "hours_used": 900,
            "dtz_attempts": (dtz(*A2),),
            **overrides,
        }
    )


def condition(assessment: RepetitionAssessment, code: str) -> Condition:
    [found] = [c for c in assessment.conditions if c.code == code]
    return found


@pytest.mark.parametrize("course_type", list(CourseType), ids=str)
@pytest.mark.parametrize("received_on", [BEFORE, REFORM, AFTER], ids=str)
def test_who_may_repeat_by_course_type_and_day_of_receipt(
    course_type: CourseType, received_on: date
) -> None:
    assessment = assess_repetition(failed(course_type=course_type), application(received_on))
    new_rules = received_on >= REFORM
    assert assessment.eligible is (course_type in NEW_TYPES or not new_rules)
    assert assessment.rules_version == (
        "wiederholung-2024-12-07" if new_rules else "wiederholung-bis-2024-12-06"
    )
    assert {c.rule_id for c in assessment.conditions} == ({"R13"} if new_rules else {"R14"})
    assert assessment.max_hours == 300


@pytest.mark.parametrize(
    ("case", "app", "code", "met", "waivable"),
    [
        pytest.param(failed(hours_used=899), application(), "kontingent", False, False, id="899"),
        pytest.param(
            failed(hours_used=900, hours_reports=hours((HOURS_DAY, 900))),
            application(in_ninth_section=True),
            "kontingent",
            True,
            False,
            id="ninth-section-used-up",
        ),
        pytest.param(
            failed(dtz_attempts=()),
            application(),
            "dtz_ohne_erfolg",
            False,
            True,
            id="no-dtz-waivable",
        ),
        pytest.param(
            failed(dtz_attempts=(dtz(*B1),)),
            application(),
            "dtz_ohne_erfolg",
            False,
            False,
            id="R15-b1",
        ),
        pytest.param(
            failed(repetition_approved_before=True),
            application(),
            "einmalig",
            False,
            False,
            id="second-repetition",
        ),
        pytest.param(
            failed(),
            application(repetition_started_on=AFTER),
            "antrag_vor_beginn",
            False,
            False,
            id="received-on-start-day",
        ),
        pytest.param(
            failed(),
            application(repetition_started_on=date(2024, 12, 9)),
            "antrag_vor_beginn",
            True,
            False,
            id="received-day-before-start",
        ),
        pytest.param(
            failed(),
            application(provider_confirmation=False),
            "bestaetigung_kurstraeger",
            False,
            False,
            id="no-confirmation",
        ),
    ],
)
def test_r13_conditions(
    case: CaseFacts, app: RepetitionFacts, code: str, met: bool, waivable: bool
) -> None:
    assessment = assess_repetition(case, app)
    found = condition(assessment, code)
    assert (found.met, found.waivable) == (met, waivable)
    assert found.citation
    assert assessment.eligible is met  # every other condition holds


def test_r15_b1_means_no_repetition_needed() -> None:
    for received_on in (BEFORE, AFTER):
        assessment = assess_repetition(failed(dtz_attempts=(dtz(*B1),)), application(received_on))
        found = condition(assessment, "dtz_ohne_erfolg")
        assert found.rule_id == "R15"
        assert "nicht erforderlich" in found.text
        assert not assessment.eligible_with_waiver


@pytest.mark.parametrize(
    ("case", "app", "code", "met", "waivable"),
    [
        pytest.param(
            failed(),
            application(BEFORE, proper_attendance=False),
            "ordnungsgemaesse_teilnahme",
            False,
            False,
            id="attendance",
        ),
        pytest.param(
            failed(hours_used=899),
            application(BEFORE, in_ninth_section=True),
            "kontingent",
            False,
            False,
            id="ninth-section-does-not-count-before",
        ),
        pytest.param(
            failed(course_type=CourseType.ALLGEMEIN, dtz_attempts=()),
            application(BEFORE),
            "dtz_ohne_erfolg",
            False,
            True,
            id="no-dtz-justified",
        ),
        pytest.param(
            failed(repetition_approved_before=True),
            application(BEFORE),
            "einmalig",
            False,
            False,
            id="once-only",
        ),
        pytest.param(
            failed(dtz_attempts=(dtz(*A2, on=date(2024, 12, 1)),)),
            application(BEFORE),
            "dtz_ohne_erfolg",
            False,
            True,
            id="dtz-failed-with-hours-left-is-r9",
        ),
    ],
)
def test_r14_conditions(
    case: CaseFacts, app: RepetitionFacts, code: str, met: bool, waivable: bool
) -> None:
    found = condition(assess_repetition(case, app), code)
    assert (found.met, found.waivable, found.rule_id) == (met, waivable, "R14")


def test_r14_alpha_waiver_is_the_rule_case() -> None:
    found = condition(
        assess_repetition(failed(dtz_attempts=()), application(BEFORE)), "dtz_ohne_erfolg"
    )
    assert "Alphabetisierungskurses" in found.text


@pytest.mark.parametrize(
    ("case", "mandatory"),
    [
        pytest.param(failed(), True, id="eligible"),
        pytest.param(failed(hours_used=100), False, id="not-eligible"),
    ],
)
def test_r14_approval_is_mandatory_for_obliged_participants(
    case: CaseFacts, mandatory: bool
) -> None:
    assert assess_repetition(case, application(BEFORE, obliged_44a=True)).mandatory is mandatory
    assert assess_repetition(case, application(AFTER, obliged_44a=True)).mandatory is False


@pytest.mark.parametrize(("requested", "limit"), [(1, 1), (200, 200), (300, 300), (400, 300)])
def test_approvable_hours_are_what_was_asked_up_to_300(requested: int, limit: int) -> None:
    assert assess_repetition(failed(), application(requested_hours=requested)).max_hours == limit


def test_an_application_for_no_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="beantragte Stunden"):
        assess_repetition(failed(), application(requested_hours=0))


# ---- decision checks ----------------------------------------------------------------------------

ELIGIBLE = assess_repetition(failed(), application())
WITH_WAIVER = assess_repetition(failed(dtz_attempts=()), application())
NOT_ELIGIBLE = assess_repetition(failed(course_type=CourseType.ALLGEMEIN), application())
MANDATORY = assess_repetition(failed(), application(BEFORE, obliged_44a=True))
ASKED_200 = assess_repetition(failed(), application(requested_hours=200))


@pytest.mark.parametrize(
    ("assessment", "decision", "hours", "waive", "reason", "problem"),
    [
        pytest.param(ELIGIBLE, "approve", 300, False, None, None, id="approve-300"),
        pytest.param(ELIGIBLE, "approve", 1, False, None, None, id="approve-1"),
        pytest.param(ELIGIBLE, "approve", 0, False, None, "1 bis 300", id="approve-0"),
        pytest.param(ELIGIBLE, "approve", 301, False, None, "1 bis 300", id="approve-301"),
        pytest.param(ELIGIBLE, "approve", None, False, None, "keine", id="approve-no-hours"),
        pytest.param(ASKED_200, "approve", 201, False, None, "1 bis 200", id="over-requested"),
        pytest.param(
            WITH_WAIVER,
            "approve",
            300,
            False,
            "Alpha",
            "Verzicht erklären",
            id="waiver-not-declared",
        ),
        pytest.param(
            WITH_WAIVER, "approve", 300, True, None, "Begründung", id="waiver-without-reason"
        ),
        pytest.param(
            WITH_WAIVER, "approve", 300, True, "  ", "Begründung", id="waiver-blank-reason"
        ),
        pytest.param(
            WITH_WAIVER,
            "approve",
            300,
            True,
            "Alphabetisierungskurs, Lernstand",
            None,
            id="waiver-with-reason",
        ),
        pytest.param(
            NOT_ELIGIBLE,
            "approve",
            300,
            True,
            "bitte",
            "Allgemeiner Integrationskurs",
            id="course-type-not-waivable",
        ),
        pytest.param(ELIGIBLE, "reject", None, False, None, "Begründung", id="reject-no-reason"),
        pytest.param(
            ELIGIBLE,
            "reject",
            None,
            False,
            "Die Wiederholung hat schon begonnen",
            None,
            id="reject",
        ),
        # the review: a refusal reason of one letter was accepted
        pytest.param(ELIGIBLE, "reject", None, False, "Q", "20 Zeichen", id="reject-one-letter"),
        pytest.param(
            ELIGIBLE,
            "reject",
            None,
            False,
            "Kontingentüberschreitung",
            "mehr als ein Wort",
            id="reject-one-long-word",
        ),
        pytest.param(
            WITH_WAIVER, "approve", 300, True, "Alpha", "20 Zeichen", id="waiver-one-word"
        ),
        pytest.param(
            MANDATORY,
            "reject",
            None,
            False,
            "Die Teilnahme war nicht regelmäßig",
            "zwingend",
            id="reject-mandatory",
        ),
        pytest.param(
            ELIGIBLE,
            "genehmigen",
            300,
            False,
            "x",
            "Unbekannte Entscheidung",
            id="unknown-decision",
        ),
    ],
)
def test_decision_checks(
    assessment: RepetitionAssessment,
    decision: str,
    hours: int | None,
    waive: bool,
    reason: str | None,
    problem: str | None,
) -> None:
    problems = check_repetition_decision(
        assessment, decision=decision, hours=hours, waive_dtz_condition=waive, reason=reason
    )
    if problem is None:
        assert problems == ()
    else:
        assert any(problem in p.text for p in problems), problems
        assert all(p.citation for p in problems)


# ---- the order of things: hours on the exam day, the 9th Kursabschnitt (December 2026) ----------


def test_the_dtz_must_be_failed_after_the_contingent_was_used_up() -> None:
    # hours left on the exam day: that is the second funded DTZ (R9), not a repetition
    early = failed(
        hours_reports=hours((date(2025, 1, 20), 850), (date(2025, 3, 1), 900)),
        dtz_attempts=(dtz(*A2, on=DTZ_DAY),),
    )
    found = condition(assess_repetition(early, application()), "dtz_ohne_erfolg")
    assert (found.met, found.waivable, found.pending) == (False, True, False)
    assert "§ 17 Abs. 3 Satz 2" in found.text
    # a second failed sitting after the hours were used up meets the condition
    later = replace(early, dtz_attempts=(*early.dtz_attempts, dtz(*A2, on=date(2025, 3, 10))))
    assessment = assess_repetition(later, application())
    assert condition(assessment, "dtz_ohne_erfolg").met and assessment.eligible


def test_unknown_hours_on_the_exam_day_wait_for_the_course_provider() -> None:
    case = failed(hours_reports=hours((date(2025, 3, 1), 900)))  # reported after the exam only
    found = condition(assess_repetition(case, application()), "dtz_ohne_erfolg")
    assert (found.met, found.pending, found.waivable) == (False, True, True)
    assert "nicht bekannt" in found.text


def test_ninth_section_application_waits_until_the_contingent_is_used_up() -> None:
    case = failed(hours_reports=hours((HOURS_DAY, 800)))
    assessment = assess_repetition(case, application(in_ninth_section=True))
    contingent = condition(assessment, "kontingent")
    assert (contingent.met, contingent.pending) == (False, True)
    assert not assessment.eligible
    assert contingent in assessment.waiting_for
    problems = check_repetition_decision(
        assessment, decision="approve", hours=300, waive_dtz_condition=False, reason=None
    )
    assert any("Genehmigung wartet" in p.text for p in problems)
    # the course provider reports the hours used up, and a DTZ failed after that
    used_up = replace(
        case,
        hours_reports=(*case.hours_reports, *hours((date(2025, 2, 1), 900))),
        dtz_attempts=(dtz(*A2, on=date(2025, 2, 10)),),
    )
    assert assess_repetition(used_up, application(in_ninth_section=True)).eligible


def test_r14_does_not_refuse_on_attendance_alone() -> None:
    assessment = assess_repetition(failed(), application(BEFORE, proper_attendance=False))
    attendance = condition(assessment, "ordnungsgemaesse_teilnahme")
    assert attendance.met is False and attendance.required is False
    assert assessment.eligible
