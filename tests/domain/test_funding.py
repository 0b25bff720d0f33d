"""R9–R12: which sittings BAMF pays for (§ 17 Abs. 3 IntV)."""

from __future__ import annotations

from datetime import date

import pytest

from inge_tui.domain import DtzAttempt, Funding, assess_funding

from ._facts import A2, B1, dtz, facts, lid

FIRST = date(2024, 6, 1)
LATER = date(2025, 1, 10)


def funding(*attempts: DtzAttempt, **overrides: object) -> Funding:
    return assess_funding(facts(dtz_attempts=attempts, **overrides))


def rule_texts(result: Funding, rule_id: str) -> list[str]:
    return [reason.text for reason in result.reasons if reason.rule_id == rule_id]


@pytest.mark.parametrize(
    ("attempts", "possible", "why"),
    [
        pytest.param((dtz(*A2, hours_used_at_exam=599),), True, "599 von 600", id="A2-599-of-600"),
        pytest.param((dtz(*A2, hours_used_at_exam=600),), False, "nach Ausschöpfung", id="600"),
        pytest.param((dtz(*A2, hours_used_at_exam=None),), False, "nicht bekannt", id="hours-?"),
        pytest.param((dtz(19, 6, 34.5, hours_used_at_exam=300),), True, "unter A2", id="unterA2"),
        pytest.param((dtz(*B1, hours_used_at_exam=300),), False, "bereits B1", id="first-B1"),
        pytest.param((dtz(33, 15, None),), False, "unvollständig", id="first-incomplete"),
        pytest.param((), False, "kein geförderter Erstversuch", id="none"),
        pytest.param(
            (dtz(*A2, on=FIRST), dtz(*A2, on=LATER)), False, "bereits genutzt", id="second-used"
        ),
        pytest.param(
            (dtz(*A2, on=FIRST), dtz(*A2, on=LATER, funded=False)),
            True,
            "vor Ausschöpfung",
            id="own-cost-sitting-is-not-the-second",
        ),
        pytest.param(
            (dtz(*A2, on=FIRST), dtz(*A2, on=LATER, within_repetition=True)),
            True,
            "vor Ausschöpfung",
            id="repetition-sitting-is-not-the-second",
        ),
        pytest.param(
            (dtz(*A2, on=FIRST, funded=False),), False, "kein geförderter Erstversuch", id="own"
        ),
    ],
)
def test_second_funded_dtz(attempts: tuple[DtzAttempt, ...], possible: bool, why: str) -> None:
    result = funding(*attempts)
    assert result.second_funded_dtz_possible is possible
    [text] = rule_texts(result, "R9")
    assert why in text


def test_self_payer_gets_no_funded_dtz() -> None:
    result = funding(dtz(*A2, funded=False), self_payer=True)
    assert result.second_funded_dtz_possible is False
    assert "Selbstzahler" in rule_texts(result, "R9")[0]


def test_own_cost_dtz_is_always_possible() -> None:
    for result in (funding(), funding(dtz(*B1)), funding(dtz(*A2, hours_used_at_exam=600))):
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
