"""R17: the last day each kind of data may be kept."""

from __future__ import annotations

from datetime import date

import pytest

from inge_tui.domain import retention_dates


@pytest.mark.parametrize(
    ("told", "closed", "expected"),
    [
        pytest.param(
            date(2025, 3, 14),
            date(2025, 5, 2),
            (
                date(2026, 3, 14),
                date(2025, 6, 14),
                date(2030, 3, 14),
                date(2035, 5, 2),
                date(2030, 5, 2),
            ),
            id="ordinary",
        ),
        pytest.param(
            date(2024, 2, 29),
            date(2024, 2, 29),
            (
                date(2025, 2, 28),
                date(2024, 5, 29),
                date(2029, 2, 28),
                date(2034, 2, 28),
                date(2029, 2, 28),
            ),
            id="leap-day",
        ),
        pytest.param(
            date(2024, 11, 30),
            date(2024, 12, 31),
            (
                date(2025, 11, 30),
                date(2025, 2, 28),
                date(2029, 11, 30),
                date(2034, 12, 31),
                date(2029, 12, 31),
            ),
            id="month-end",
        ),
    ],
)
def test_retention_dates(told: date, closed: date, expected: tuple[date, ...]) -> None:
    result = retention_dates(result_communicated_on=told, case_closed_on=closed)
    assert (
        result.exam_papers_until,
        result.inspection_until,
        result.test_results_until,
        result.names_until,
        result.other_personal_data_until,
    ) == expected
    assert result.rules_version == "loeschung-stand-2017-06-21"
    assert {reason.rule_id for reason in result.reasons} == {"R17"}
    assert all(reason.citation for reason in result.reasons)
