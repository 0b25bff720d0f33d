"""Rules carry a date (domain.md Part A 4): the rule set in force on the relevant day decides."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from inge_tui.domain import (
    DEFAULT_THRESHOLDS,
    RULE_SETS,
    RULES_VERSION,
    rules_version,
    ruleset_for,
    thresholds_from_mapping,
)


@pytest.mark.parametrize(
    ("topic", "on", "expected"),
    [
        pytest.param("wiederholung", date(2024, 12, 6), "wiederholung-bis-2024-12-06", id="rep-6"),
        pytest.param("wiederholung", date(2024, 12, 7), "wiederholung-2024-12-07", id="rep-7"),
        pytest.param("wiederholung", date(2024, 12, 8), "wiederholung-2024-12-07", id="rep-8"),
        pytest.param("erstattung", date(2023, 1, 31), "erstattung-bis-2023-01-31", id="ref-31"),
        pytest.param("erstattung", date(2023, 2, 1), "erstattung-2023-02-01", id="ref-1"),
        pytest.param("erstattung", date(2023, 2, 2), "erstattung-2023-02-01", id="ref-2"),
        pytest.param("orientierung", date(2023, 4, 30), "orientierung-bis-2023-04-30", id="ok-30"),
        pytest.param("orientierung", date(2023, 5, 1), "orientierung-2023-05-01", id="ok-1"),
        pytest.param("orientierung", date(2023, 5, 2), "orientierung-2023-05-01", id="ok-2"),
        pytest.param("abschluss", date(2023, 2, 1), RULES_VERSION, id="completion-first-day"),
    ],
)
def test_the_rule_set_in_force_on_a_day(topic: str, on: date, expected: str) -> None:
    assert ruleset_for(topic, on).id == expected


def test_no_completion_rules_before_they_begin() -> None:
    with pytest.raises(ValueError, match=r"31\.01\.2023"):
        ruleset_for("abschluss", date(2023, 1, 31))


def test_unknown_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="Unbekanntes Regelthema"):
        ruleset_for("wiederholen", date(2025, 1, 1))


@pytest.mark.parametrize("topic", sorted({rs.topic for rs in RULE_SETS}))
def test_rule_sets_of_a_topic_leave_no_gap_and_never_overlap(topic: str) -> None:
    sets = sorted((rs for rs in RULE_SETS if rs.topic == topic), key=lambda rs: rs.valid_from)
    for earlier, later in pairwise(sets):
        assert earlier.valid_until is not None
        assert earlier.valid_until + timedelta(days=1) == later.valid_from
    assert sets[-1].valid_until is None  # the newest set is in force today
    for rs in sets:
        assert rs.id.startswith(f"{topic}-")


def test_rules_version_names_non_default_thresholds() -> None:
    assert rules_version(RULES_VERSION, thresholds=DEFAULT_THRESHOLDS) == RULES_VERSION
    custom = thresholds_from_mapping({"sprechen": {"b1_from": 70}})
    version = rules_version(RULES_VERSION, thresholds=custom)
    assert version.startswith(f"{RULES_VERSION}+schwellen(")
    assert "sprechen=35/70/100/0.5" in version


def test_a_rule_set_is_explained_from_its_relevant_day() -> None:
    from inge_tui.domain.rulesets import WIEDERHOLUNG, ruleset_words

    before = ruleset_words(WIEDERHOLUNG, date(2024, 9, 1), "Antrag eingegangen")
    assert before == (
        "Antrag eingegangen am 01.09.2024, vor dem 07.12.2024: Wiederholung nach § 5 Abs. 5"
        " IntV a. F. (alle Kursarten)"
    )
    after = ruleset_words(WIEDERHOLUNG, date(2024, 12, 7), "Antrag eingegangen")
    assert after.startswith("Antrag eingegangen am 07.12.2024, ab dem 07.12.2024: ")
