"""R16: 50 % of the contribution paid, if success came within 2 (or 3) years of the Berechtigung."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from inge_tui.domain import (
    CaseFacts,
    CourseType,
    DocumentKind,
    IssuedDocument,
    assess_refund,
    success_date,
)

from ._facts import B1, dtz, facts, lid

PAID = Decimal("1374.00")
ZERTIFIKAT = (IssuedDocument("ZIK-2025-0000001", DocumentKind.ZERTIFIKAT, None),)


def succeeded(entitled: date | None, success: date, **overrides: object) -> CaseFacts:
    """A case whose success (the later of DTZ B1 and LiD pass) falls on `success`."""
    return facts(
        **{
            "entitlement_date": entitled,
            "documents": ZERTIFIKAT,
            "dtz_attempts": (dtz(*B1, on=date(2020, 1, 1)),),
            "lid_attempts": (lid(15, on=success),),
            **overrides,
        }
    )


@pytest.mark.parametrize(
    ("course_type", "entitled", "years"),
    [
        pytest.param(CourseType.ALPHABETISIERUNG, date(2023, 1, 31), 2, id="alpha-day-before"),
        pytest.param(CourseType.ALPHABETISIERUNG, date(2023, 2, 1), 3, id="alpha-on-the-day"),
        pytest.param(CourseType.ALPHABETISIERUNG, date(2023, 2, 2), 3, id="alpha-day-after"),
        pytest.param(CourseType.ZWEITSCHRIFTLERNER, date(2023, 2, 1), 3, id="zweitschrift"),
        pytest.param(CourseType.FOERDERBEDARF, date(2023, 2, 1), 3, id="foerder"),
        pytest.param(CourseType.JUGEND, date(2023, 2, 1), 3, id="jugend"),
        pytest.param(CourseType.ELTERN, date(2023, 2, 1), 3, id="eltern"),
        pytest.param(CourseType.FRAUEN, date(2023, 2, 1), 3, id="frauen"),
        pytest.param(CourseType.ALLGEMEIN, date(2023, 2, 1), 2, id="allgemein"),
        pytest.param(CourseType.INTENSIV, date(2023, 2, 1), 2, id="intensiv-is-13-2"),
    ],
)
def test_refund_window(course_type: CourseType, entitled: date, years: int) -> None:
    deadline = date(entitled.year + years, entitled.month, entitled.day)
    on_time = assess_refund(
        succeeded(entitled, deadline, course_type=course_type), contribution_paid=PAID
    )
    assert (on_time.eligible, on_time.window_years, on_time.deadline) == (True, years, deadline)
    late = assess_refund(
        succeeded(entitled, deadline + timedelta(days=1), course_type=course_type),
        contribution_paid=PAID,
    )
    assert late.eligible is False
    assert late.amount == Decimal("0.00")
    assert any("nach Fristende" in reason.text for reason in late.reasons)


def test_refund_rules_version_follows_the_entitlement_date() -> None:
    early = assess_refund(succeeded(date(2023, 1, 31), date(2024, 1, 1)), contribution_paid=PAID)
    later = assess_refund(succeeded(date(2023, 2, 1), date(2024, 1, 1)), contribution_paid=PAID)
    assert (early.rules_version, later.rules_version) == (
        "erstattung-bis-2023-01-31",
        "erstattung-2023-02-01",
    )


def test_berechtigung_on_a_leap_day_ends_on_28_february() -> None:
    result = assess_refund(succeeded(date(2024, 2, 29), date(2026, 2, 28)), contribution_paid=PAID)
    assert (result.eligible, result.deadline) == (True, date(2026, 2, 28))


@pytest.mark.parametrize(
    ("paid", "refund"),
    [
        pytest.param(Decimal("1374.00"), Decimal("687.00"), id="full-contribution"),
        pytest.param(Decimal("687.01"), Decimal("343.51"), id="half-cent-rounds-up"),
        pytest.param(Decimal("0.01"), Decimal("0.01"), id="one-cent"),
        pytest.param(500, Decimal("250.00"), id="whole-euros"),
    ],
)
def test_refund_is_half_of_what_was_actually_paid(paid: Decimal, refund: Decimal) -> None:
    result = assess_refund(succeeded(date(2023, 6, 1), date(2024, 6, 1)), contribution_paid=paid)
    assert (result.eligible, result.amount) == (True, refund)


@pytest.mark.parametrize(
    ("entitled", "overrides", "paid", "why"),
    [
        pytest.param(date(2023, 6, 1), {}, Decimal("0"), "befreit", id="fully-exempt"),
        pytest.param(date(2023, 6, 1), {"self_payer": True}, PAID, "Selbstzahler", id="self-payer"),
        pytest.param(date(2023, 6, 1), {"documents": ()}, PAID, "Kein Zertifikat", id="no-Z"),
        pytest.param(None, {}, PAID, "unbekannt", id="no-entitlement-date"),
        pytest.param(
            date(2023, 6, 1), {"lid_attempts": (lid(14),)}, PAID, "nicht nachgewiesen", id="lid-14"
        ),
    ],
)
def test_no_refund(entitled: date | None, overrides: dict, paid: Decimal, why: str) -> None:
    case = succeeded(entitled, date(2024, 6, 1), **overrides)
    result = assess_refund(case, contribution_paid=paid)
    assert (result.eligible, result.amount) == (False, Decimal("0.00"))
    assert any(why in reason.text for reason in result.reasons)


@pytest.mark.parametrize("paid", [Decimal("-1"), 12.5, Decimal("NaN"), True], ids=repr)
def test_impossible_contribution_is_refused(paid: object) -> None:
    with pytest.raises(ValueError, match="Kostenbeitrag"):
        assess_refund(succeeded(date(2023, 6, 1), date(2024, 6, 1)), contribution_paid=paid)  # type: ignore[arg-type]


def test_success_is_the_first_day_both_tests_were_passed() -> None:
    case = facts(
        dtz_attempts=(dtz(*B1, on=date(2024, 5, 1)), dtz(*B1, on=date(2024, 1, 1))),
        lid_attempts=(lid(10, on=date(2024, 2, 1)), lid(15, on=date(2024, 3, 1))),
    )
    assert success_date(case) == date(2024, 3, 1)
    assert success_date(facts(lid_attempts=(lid(33),))) is None


def test_each_condition_is_named_with_its_citation() -> None:
    within = succeeded(date(2024, 11, 1), date(2026, 1, 20))
    paid, full = Decimal("458.01"), Decimal("1374.00")
    ra = assess_refund(within, contribution_paid=paid, contribution_full=full)
    by_code = {c.code: c for c in ra.conditions}
    assert list(by_code) == [
        "zertifikat",
        "teilnahmeberechtigung",
        "frist",
        "beitrag_gezahlt",
        "teilbefreiung",
    ]
    assert all(c.met for c in ra.conditions) and ra.eligible
    assert ra.amount == Decimal("229.01")  # 229,005 € rounds half up
    assert "gezahlt 458,01 € von 1.374,00 €" in by_code["teilbefreiung"].text
    assert by_code["teilbefreiung"].required is False
    assert by_code["frist"].text == (
        "Erfolg am 20.01.2026, innerhalb der Frist von 2 Jahren (bis 01.11.2026)"
    )

    late = succeeded(date(2023, 11, 1), date(2026, 1, 20), documents=())
    ra = assess_refund(late, contribution_paid=Decimal(0))
    unmet = {c.code for c in ra.conditions if not c.met}
    assert unmet == {"zertifikat", "frist", "beitrag_gezahlt"}
    assert "teilbefreiung" not in {c.code for c in ra.conditions}
    assert not ra.eligible and ra.amount == 0


def test_a_self_payer_fails_the_berechtigung_condition() -> None:
    payer = succeeded(date(2024, 11, 1), date(2026, 1, 20), self_payer=True)
    ra = assess_refund(payer, contribution_paid=PAID)
    failed = {c.code: c.text for c in ra.conditions if not c.met}
    assert "Selbstzahler" in failed["teilnahmeberechtigung"]
    assert not ra.eligible
