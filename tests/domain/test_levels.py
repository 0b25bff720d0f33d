"""R1–R3: points to levels, levels to the overall DTZ result, LiD points to pass/fail."""

from __future__ import annotations

import math

import pytest

from inge_tui.domain import (
    DEFAULT_THRESHOLDS,
    Level,
    Part,
    dtz_outcome,
    lid_outcome,
    overall_level,
    part_level,
    thresholds_from_mapping,
    thresholds_to_mapping,
)

U, A2, B1 = Level.UNTER_A2, Level.A2, Level.B1
HL, S, SP = Part.HOEREN_LESEN, Part.SCHREIBEN, Part.SPRECHEN


# ---- R1 ----------------------------------------------------------------------------------------

R1_BOUNDARIES = [
    (HL, 0, U),
    (HL, 19, U),
    (HL, 20, A2),
    (HL, 21, A2),
    (HL, 32, A2),
    (HL, 33, B1),
    (HL, 34, B1),
    (HL, 45, B1),
    (S, 0, U),
    (S, 6, U),
    (S, 7, A2),
    (S, 8, A2),
    (S, 14, A2),
    (S, 15, B1),
    (S, 16, B1),
    (S, 20, B1),
    (SP, 0, U),
    (SP, 34.5, U),
    (SP, 35, A2),
    (SP, 35.5, A2),
    (SP, 74.5, A2),
    (SP, 75, B1),
    (SP, 75.5, B1),
    (SP, 100, B1),
]


@pytest.mark.parametrize(
    ("part", "points", "level"),
    [pytest.param(*row, id=f"{row[0].value}-{row[1]}") for row in R1_BOUNDARIES],
)
def test_part_level_at_every_threshold(part: Part, points: float, level: Level) -> None:
    assert part_level(part, points) is level


def test_part_level_takes_the_wire_name_of_the_part() -> None:
    assert part_level("sprechen", 75) is B1  # type: ignore[arg-type]


R1_REFUSED = [
    (HL, -1, "außerhalb"),
    (HL, 46, "außerhalb"),
    (HL, 20.5, "nur ganze Punkte"),
    (S, -1, "außerhalb"),
    (S, 21, "außerhalb"),
    (S, 14.5, "nur ganze Punkte"),
    (SP, -0.5, "außerhalb"),
    (SP, 100.5, "außerhalb"),
    (SP, 74.25, "Schritten von 0,5"),
    (SP, math.nan, "außerhalb"),
    (SP, math.inf, "außerhalb"),
    (SP, True, "keine Punktzahl"),
    (SP, "75", "keine Punktzahl"),
]


@pytest.mark.parametrize(
    ("part", "points", "message"),
    [pytest.param(*row, id=f"{row[0].value}-{row[1]!r}") for row in R1_REFUSED],
)
def test_part_level_refuses_impossible_points_naming_the_part(
    part: Part, points: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        part_level(part, points)  # type: ignore[arg-type]
    assert part.value in str(raised.value)


# ---- R2 ----------------------------------------------------------------------------------------

# Every combination of (Sprechen, Hören/Lesen, Schreiben), written out by hand from § 10 Abs. 1
# IntTestV: B1 needs Sprechen B1 and one other B1; A2 likewise with A2; Sprechen caps.
R2_TABLE = [
    (B1, B1, B1, B1),
    (B1, B1, A2, B1),
    (B1, B1, U, B1),
    (B1, A2, B1, B1),
    (B1, A2, A2, A2),
    (B1, A2, U, A2),
    (B1, U, B1, B1),
    (B1, U, A2, A2),
    (B1, U, U, U),
    (A2, B1, B1, A2),
    (A2, B1, A2, A2),
    (A2, B1, U, A2),
    (A2, A2, B1, A2),
    (A2, A2, A2, A2),
    (A2, A2, U, A2),
    (A2, U, B1, A2),
    (A2, U, A2, A2),
    (A2, U, U, U),
    (U, B1, B1, U),
    (U, B1, A2, U),
    (U, B1, U, U),
    (U, A2, B1, U),
    (U, A2, A2, U),
    (U, A2, U, U),
    (U, U, B1, U),
    (U, U, A2, U),
    (U, U, U, U),
]


@pytest.mark.parametrize(
    ("sprechen", "hoeren_lesen", "schreiben", "overall"),
    [pytest.param(*row, id=f"SP{row[0]}-HL{row[1]}-S{row[2]}") for row in R2_TABLE],
)
def test_overall_level_for_every_combination(
    sprechen: Level, hoeren_lesen: Level, schreiben: Level, overall: Level
) -> None:
    assert overall_level({SP: sprechen, HL: hoeren_lesen, S: schreiben}) is overall


def test_overall_level_refuses_a_missing_part() -> None:
    with pytest.raises(ValueError, match="Sprechen"):
        overall_level({HL: B1, S: B1})


@pytest.mark.parametrize(
    ("points", "overall"),
    [
        pytest.param((33, 15, 75), B1, id="all-at-B1"),
        pytest.param((33, 0, 75), B1, id="HL-and-SP-B1"),
        pytest.param((0, 15, 75), B1, id="S-and-SP-B1"),
        pytest.param((45, 20, 74.5), A2, id="SP-74.5-caps-at-A2"),
        pytest.param((32, 14, 100), A2, id="SP-B1-others-A2"),
        pytest.param((45, 20, 34.5), U, id="SP-34.5-caps-below-A2"),
        pytest.param((19, 6, 100), U, id="others-below-A2"),
    ],
)
def test_dtz_outcome_from_points(points: tuple[float, float, float], overall: Level) -> None:
    outcome = dtz_outcome(dict(zip((HL, S, SP), points, strict=True)))
    assert outcome.complete
    assert outcome.overall is overall


def test_dtz_outcome_while_a_part_is_missing_has_no_overall_level() -> None:
    outcome = dtz_outcome({HL: 45, S: 20})
    assert outcome.complete is False
    assert outcome.overall is None
    assert outcome.parts == {HL: B1, S: B1}


def test_dtz_outcome_refuses_bad_points_of_one_part() -> None:
    with pytest.raises(ValueError, match="Schreiben"):
        dtz_outcome({HL: 33, S: 21, SP: 75})


# ---- R3 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "passed", "naturalisation"),
    [
        pytest.param(0, False, False, id="0"),
        pytest.param(14, False, False, id="14"),
        pytest.param(15, True, False, id="15"),
        pytest.param(16, True, False, id="16"),
        pytest.param(17, True, True, id="17"),
        pytest.param(33, True, True, id="33"),
    ],
)
def test_lid_pass_marks(points: int, passed: bool, naturalisation: bool) -> None:
    outcome = lid_outcome(points)
    assert (outcome.passed, outcome.naturalisation) == (passed, naturalisation)


@pytest.mark.parametrize("points", [-1, 34, 15.0, True, None], ids=repr)
def test_lid_refuses_impossible_points(points: object) -> None:
    with pytest.raises(ValueError, match="Leben in Deutschland"):
        lid_outcome(points)  # type: ignore[arg-type]


# ---- thresholds as configuration ---------------------------------------------------------------


def test_no_overrides_means_the_default_table() -> None:
    assert thresholds_from_mapping({}) == DEFAULT_THRESHOLDS


def test_an_override_moves_one_threshold_and_keeps_the_rest() -> None:
    thresholds = thresholds_from_mapping({"sprechen": {"b1_from": 70}})
    assert part_level(SP, 70, thresholds) is B1
    assert part_level(SP, 69.5, thresholds) is A2
    assert part_level(SP, 35, thresholds) is A2  # a2_from kept
    assert thresholds.hoeren_lesen == DEFAULT_THRESHOLDS.hoeren_lesen


def test_thresholds_round_trip_through_the_config_table() -> None:
    table = thresholds_to_mapping(DEFAULT_THRESHOLDS)
    assert table["sprechen"] == {"maximum": 100, "a2_from": 35, "b1_from": 75, "step": 0.5}
    assert thresholds_from_mapping(table) == DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    ("mapping", "names"),
    [
        pytest.param({"sprechn": {}}, ["'sprechn'", "'sprechen'"], id="unknown-part"),
        pytest.param({"sprechen": {"b1_frm": 70}}, ["'b1_frm'", "'b1_from'"], id="unknown-key"),
        pytest.param(
            {"sprechen": {"a2_from": 80}}, ["sprechen", "a2_from", "b1_from"], id="a2-above-b1"
        ),
        pytest.param({"schreiben": {"a2_from": 15}}, ["schreiben", "a2_from"], id="a2-equals-b1"),
        pytest.param({"schreiben": {"b1_from": 21}}, ["schreiben.b1_from", "21"], id="b1-over-max"),
        pytest.param({"schreiben": {"a2_from": -1}}, ["schreiben.a2_from"], id="negative"),
        pytest.param({"sprechen": {"step": 0}}, ["sprechen.step"], id="step-zero"),
        pytest.param(
            {"sprechen": {"b1_from": 74.75}}, ["sprechen.b1_from", "74,75"], id="off-step"
        ),
        pytest.param({"sprechen": {"b1_from": "75"}}, ["sprechen.b1_from", "'75'"], id="string"),
        pytest.param({"sprechen": {"step": True}}, ["sprechen.step"], id="bool"),
        pytest.param({"sprechen": {"maximum": math.nan}}, ["sprechen.maximum"], id="nan"),
        pytest.param({"sprechen": 75}, ["sprechen"], id="part-not-a-table"),
        pytest.param([("sprechen", {})], ["Tabelle"], id="not-a-table"),
    ],
)
def test_bad_thresholds_are_refused_naming_key_and_value(mapping: object, names: list[str]) -> None:
    with pytest.raises(ValueError) as raised:
        thresholds_from_mapping(mapping)  # type: ignore[arg-type]
    for name in names:
        assert name in str(raised.value)
