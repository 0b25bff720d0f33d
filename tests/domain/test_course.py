"""R18 Orientierungskurs hours, R19 DTZ admission, and the contingent per course type."""

from __future__ import annotations

from datetime import date

import pytest

from inge_tui.domain import DEFAULT_CONTINGENT, CourseType, dtz_admission, orientation_hours


@pytest.mark.parametrize(
    ("course_type", "start", "hours", "version"),
    [
        pytest.param(
            CourseType.INTENSIV,
            date(2023, 4, 30),
            30,
            "orientierung-bis-2023-04-30",
            id="intensiv-day-before",
        ),
        pytest.param(
            CourseType.INTENSIV,
            date(2023, 5, 1),
            100,
            "orientierung-2023-05-01",
            id="intensiv-on-the-day",
        ),
        pytest.param(
            CourseType.INTENSIV,
            date(2023, 5, 2),
            100,
            "orientierung-2023-05-01",
            id="intensiv-day-after",
        ),
        pytest.param(
            CourseType.ALLGEMEIN,
            date(2023, 4, 30),
            100,
            "orientierung-bis-2023-04-30",
            id="allgemein-before",
        ),
        pytest.param(
            CourseType.ALPHABETISIERUNG,
            date(2023, 5, 1),
            100,
            "orientierung-2023-05-01",
            id="alpha-after",
        ),
    ],
)
def test_orientation_hours(course_type: CourseType, start: date, hours: int, version: str) -> None:
    result = orientation_hours(course_type, start)
    assert (result.hours, result.rules_version) == (hours, version)
    assert result.reasons[0].rule_id == "R18" and f"{hours} UE" in result.reasons[0].text


@pytest.mark.parametrize(
    ("course_type", "hours"),
    [
        (CourseType.ALLGEMEIN, 600),
        (CourseType.INTENSIV, 400),
        (CourseType.ALPHABETISIERUNG, 900),
        (CourseType.ZWEITSCHRIFTLERNER, 900),
        (CourseType.FOERDERBEDARF, 900),
        (CourseType.JUGEND, 900),
        (CourseType.ELTERN, 900),
        (CourseType.FRAUEN, 900),
    ],
    ids=str,
)
def test_language_contingent_per_course_type(course_type: CourseType, hours: int) -> None:
    # the 600 / 900 / 400 of § 17 Abs. 3 Satz 2 IntV that decide the second funded DTZ (R9)
    assert DEFAULT_CONTINGENT[course_type] == hours


@pytest.mark.parametrize(
    ("entitled", "sections", "admitted"),
    [
        pytest.param(True, 0, True, id="entitlement"),
        pytest.param(False, 1, True, id="one-section"),
        pytest.param(False, 0, False, id="neither"),
    ],
)
def test_dtz_admission(entitled: bool, sections: int, admitted: bool) -> None:
    result = dtz_admission(
        valid_entitlement=entitled, sections_attended=sections, on=date(2025, 1, 1)
    )
    assert result.admitted is admitted
    assert result.rules_version == "dtz-zulassung-2023-01-01"
    assert result.reasons[0].rule_id == "R19"


def test_dtz_admission_refuses_a_negative_count_and_days_before_its_rule() -> None:
    with pytest.raises(ValueError, match="Kursabschnitte"):
        dtz_admission(valid_entitlement=False, sections_attended=-1, on=date(2025, 1, 1))
    with pytest.raises(ValueError):
        dtz_admission(valid_entitlement=True, sections_attended=0, on=date(2022, 12, 31))
