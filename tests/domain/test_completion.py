"""R4–R8 and the document: which document, what blocks it, and whom to ask (R5–R8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from inge_tui.domain import (
    RULES_VERSION,
    AltB1Proof,
    Assessment,
    CaseFacts,
    DocumentKind,
    Level,
    ResultSource,
    assess_completion,
    thresholds_from_mapping,
)

from ._facts import A2, B1, ON, alt_b1, dtz, facts, lid, passed

Z, B = DocumentKind.ZERTIFIKAT, DocumentKind.BESCHEINIGUNG


def codes(assessment: Assessment) -> set[str]:
    return {blocker.code for blocker in assessment.blockers}


def texts(assessment: Assessment) -> list[str]:
    return [reason.text for reason in assessment.reasons]


# ---- R6: the document ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtz_points", "lid_points", "document"),
    [
        pytest.param(B1, 14, B, id="B1-lid14"),
        pytest.param(B1, 15, Z, id="B1-lid15"),
        pytest.param(B1, 16, Z, id="B1-lid16"),
        pytest.param(B1, 17, Z, id="B1-lid17"),
        pytest.param(A2, 33, B, id="A2-lid33"),
        pytest.param((45, 20, 74.5), 33, B, id="sprechen-74.5-caps"),
        pytest.param((32, 15, 75), 20, Z, id="B1-via-schreiben"),
        pytest.param((33, 14, 75), 20, Z, id="B1-via-hoeren-lesen"),
        pytest.param((19, 6, 100), 33, B, id="unter-A2"),
    ],
)
def test_document_type(dtz_points: tuple, lid_points: int, document: DocumentKind) -> None:
    case = facts(dtz_attempts=(dtz(*dtz_points),), lid_attempts=(lid(lid_points),))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is document
    assert assessment.can_issue
    assert assessment.rules_version == RULES_VERSION


def test_reasons_speak_german_with_a_decimal_comma_and_cite_the_law() -> None:
    case = facts(dtz_attempts=(dtz(45, 20, 74.5),), lid_attempts=(lid(17),))
    assessment = assess_completion(case, on=ON)
    assert "Sprechen 74,5 von 100 Punkten: A2 (B1 ab 75)" in texts(assessment)
    assert "Hören/Lesen 45 von 45 Punkten: B1 (B1 ab 33)" in texts(assessment)
    bescheinigung = [
        r for r in assessment.reasons if r.rule_id == "R6" and "Bescheinigung" in r.text
    ]
    assert "DTZ A2" in bescheinigung[0].text
    assert "17 von 33" in bescheinigung[0].text
    assert any("Einbürgerung" in text for text in texts(assessment))  # 17 points (R3)
    assert all(reason.citation for reason in assessment.reasons)
    assert all(reason.citation for reason in assessment.funding.reasons)


def test_lid_reason_says_from_how_many_points_it_passes() -> None:
    assessment = assess_completion(passed(lid_attempts=(lid(14),)), on=ON)
    assert any(
        "14 von 33 Punkten: nicht bestanden (bestanden ab 15)" in t for t in texts(assessment)
    )


def test_custom_thresholds_decide_and_are_named_in_the_rules_version() -> None:
    thresholds = thresholds_from_mapping({"sprechen": {"b1_from": 70}})
    case = facts(dtz_attempts=(dtz(33, 15, 72),), lid_attempts=(lid(15),))
    assert assess_completion(case, on=ON).document is B
    assessment = assess_completion(case, on=ON, thresholds=thresholds)
    assert assessment.document is Z
    assert "+schwellen(" in assessment.rules_version


# ---- which sitting counts ----------------------------------------------------------------------


def test_a_later_worse_dtz_never_takes_back_an_earlier_b1() -> None:
    case = passed(dtz_attempts=(dtz(*B1, on=date(2024, 6, 1)), dtz(*A2, on=date(2025, 1, 10))))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is Z
    assert assessment.dtz is not None and assessment.dtz.overall is Level.B1
    assert (
        "Gewertet wird der DTZ vom 01.06.2024 (bestes vollständiges Ergebnis von 2 Versuchen)"
        in (texts(assessment))
    )


def test_a_later_better_dtz_counts() -> None:
    case = passed(dtz_attempts=(dtz(*A2, on=date(2024, 6, 1)), dtz(*B1, on=date(2025, 1, 10))))
    assert assess_completion(case, on=ON).document is Z


def test_of_two_equal_results_the_later_counts() -> None:
    case = passed(dtz_attempts=(dtz(*A2, on=date(2025, 1, 10)), dtz(*A2, on=date(2024, 6, 1))))
    assert any("DTZ vom 10.01.2025" in text for text in texts(assess_completion(case, on=ON)))


def test_of_two_equal_lid_results_the_later_counts() -> None:
    case = passed(lid_attempts=(lid(20, on=date(2025, 5, 1)), lid(20, on=date(2025, 3, 1))))
    assert any(
        "vom 01.05.2025: 20 von 33" in text for text in texts(assess_completion(case, on=ON))
    )


def test_a_later_worse_lid_never_takes_back_a_pass() -> None:
    case = passed(lid_attempts=(lid(16, on=date(2025, 3, 1)), lid(9, on=date(2025, 5, 1))))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is Z
    assert assessment.lid is not None and assessment.lid.points == 16


# ---- R5: results missing -----------------------------------------------------------------------


def test_no_dtz_means_no_document_and_the_pruefstelle_must_deliver() -> None:
    assessment = assess_completion(facts(lid_attempts=(lid(20),)), on=ON)
    assert assessment.document is None
    [blocker] = assessment.blockers
    assert (blocker.code, blocker.supplier) == ("dtz_fehlt", "pruefstelle")


def test_no_lid_means_no_document_and_oet_must_deliver() -> None:
    assessment = assess_completion(facts(dtz_attempts=(dtz(*B1),)), on=ON)
    assert assessment.document is None
    [blocker] = assessment.blockers
    assert (blocker.code, blocker.supplier) == ("lid_fehlt", "oet")


def test_an_incomplete_dtz_names_the_missing_part() -> None:
    case = facts(dtz_attempts=(dtz(33, 15, None),), lid_attempts=(lid(20),))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is None
    [blocker] = assessment.blockers
    assert (blocker.code, blocker.supplier) == ("dtz_unvollstaendig", "pruefstelle")
    assert "Sprechen" in blocker.text
    assert assessment.dtz is not None and assessment.dtz.complete is False


def test_a_pending_later_sitting_blocks_a_bescheinigung_it_could_turn_into_a_zertifikat() -> None:
    case = passed(
        dtz_attempts=(dtz(*A2, on=date(2024, 6, 1)), dtz(40, None, 80, on=date(2025, 1, 10)))
    )
    assessment = assess_completion(case, on=ON)
    assert assessment.document is None
    assert codes(assessment) == {"dtz_unvollstaendig"}


def test_an_unfinished_sitting_on_the_same_day_blocks_whatever_the_order() -> None:
    same_day = (dtz(*A2), dtz(40, None, 80))
    for attempts in (same_day, same_day[::-1]):
        assessment = assess_completion(passed(dtz_attempts=attempts), on=ON)
        assert (assessment.document, codes(assessment)) == (None, {"dtz_unvollstaendig"})


def test_a_pending_sitting_after_b1_changes_nothing() -> None:
    case = passed(dtz_attempts=(dtz(*B1, on=date(2024, 6, 1)), dtz(1, None, None)))
    assessment = assess_completion(case, on=ON)
    assert (assessment.document, assessment.blockers) == (Z, ())


def test_an_old_incomplete_sitting_before_the_counted_one_is_ignored() -> None:
    case = passed(dtz_attempts=(dtz(33, None, None, on=date(2024, 6, 1)), dtz(*A2)))
    assessment = assess_completion(case, on=ON)
    assert (assessment.document, assessment.blockers) == (B, ())


# ---- R7: data the document must carry ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        pytest.param("surname", None, "nachname_fehlt", id="surname"),
        pytest.param("surname", "  ", "nachname_fehlt", id="surname-blank"),
        pytest.param("given_name", None, "vorname_fehlt", id="given-name"),
        pytest.param("given_name", "", "vorname_fehlt", id="given-name-empty"),
        pytest.param("birth_date", None, "geburtsdatum_fehlt", id="birth-date"),
        pytest.param("document_type", None, "ausweisart_fehlt", id="id-type"),
        pytest.param("document_number", None, "ausweisnummer_fehlt", id="id-number"),
        pytest.param("document_number", " ", "ausweisnummer_fehlt", id="id-number-blank"),
        pytest.param("has_address", False, "anschrift_fehlt", id="address"),
    ],
)
def test_missing_identity_data_blocks_issuing_and_asks_the_kurstraeger(
    field: str, value: object, code: str
) -> None:
    assessment = assess_completion(passed(**{field: value}), on=ON)
    assert assessment.document is Z  # the entry still says what it will be (Part A 3)
    assert not assessment.can_issue
    [blocker] = assessment.blockers
    assert (blocker.code, blocker.supplier, blocker.rule_id) == (code, "kurstraeger", "R7")


def test_every_missing_item_is_named_at_once() -> None:
    case = passed(
        surname=None,
        given_name=None,
        birth_date=None,
        document_type=None,
        document_number=None,
        has_address=False,
    )
    assert len(assess_completion(case, on=ON).blockers) == 6


# ---- R8: self-payers ----------------------------------------------------------------------------


def test_self_payer_without_paper_dtz_waits_for_the_regionalstelle() -> None:
    assessment = assess_completion(facts(self_payer=True, lid_attempts=(lid(20),)), on=ON)
    assert assessment.document is None
    [blocker] = assessment.blockers
    assert (blocker.code, blocker.supplier, blocker.rule_id) == (
        "dtz_fehlt",
        "regionalstelle",
        "R8",
    )
    assert "Papierergebnis" in blocker.text


def test_self_payer_web_service_result_does_not_replace_the_paper_result() -> None:
    assessment = assess_completion(passed(self_payer=True), on=ON)
    assert assessment.document is None
    assert codes(assessment) == {"dtz_fehlt"}


def test_self_payer_with_paper_dtz_gets_the_zertifikat() -> None:
    case = passed(self_payer=True, dtz_attempts=(dtz(*B1, source=ResultSource.PAPER),))
    assessment = assess_completion(case, on=ON)
    assert (assessment.document, assessment.blockers) == (Z, ())


def test_self_payer_incomplete_paper_capture_is_for_the_regionalstelle() -> None:
    case = passed(self_payer=True, dtz_attempts=(dtz(33, 15, None, source=ResultSource.PAPER),))
    [blocker] = assess_completion(case, on=ON).blockers
    assert (blocker.code, blocker.supplier) == ("dtz_unvollstaendig", "regionalstelle")


def test_self_payer_with_valid_alternative_b1_needs_no_dtz() -> None:
    case = facts(self_payer=True, alt_b1=alt_b1(), lid_attempts=(lid(15),))
    assert assess_completion(case, on=ON).document is Z


# ---- R4: alternative B1 proof -------------------------------------------------------------------

PRESENTED = date(2024, 9, 1)


@pytest.mark.parametrize(
    ("proof", "registered_on", "valid"),
    [
        pytest.param(alt_b1(issued_on=date(2023, 9, 1)), None, True, id="exactly-one-year-old"),
        pytest.param(alt_b1(issued_on=date(2023, 8, 31)), None, False, id="one-year-and-a-day"),
        pytest.param(alt_b1(issued_on=PRESENTED), None, True, id="issued-on-presentation-day"),
        pytest.param(alt_b1(issued_on=date(2024, 9, 2)), None, False, id="issued-after-presented"),
        pytest.param(
            alt_b1(issued_on=date(2023, 2, 28), presented_on=date(2024, 2, 29)),
            None,
            True,
            id="leap-day-one-year",
        ),
        pytest.param(
            alt_b1(issued_on=date(2023, 2, 27), presented_on=date(2024, 2, 29)),
            None,
            False,
            id="leap-day-one-year-and-a-day",
        ),
        pytest.param(alt_b1(), PRESENTED, True, id="presented-on-registration-day"),
        pytest.param(alt_b1(), date(2024, 8, 31), False, id="presented-after-registration"),
        pytest.param(alt_b1(), date(2024, 9, 2), True, id="presented-before-registration"),
        pytest.param(alt_b1(exam_name="GOETHE-ZERTIFIKAT b1"), None, True, id="case-insensitive"),
        pytest.param(alt_b1(exam_name="ÖSD-Zertifikat  B2", level="B2"), None, True, id="oesd-b2"),
        pytest.param(alt_b1(exam_name="TestDaF", level="c1"), None, True, id="testdaf-c1"),
        pytest.param(alt_b1(exam_name="Sprachkurs Volkshochschule"), None, False, id="unknown"),
        pytest.param(alt_b1(level="A2"), None, False, id="level-A2"),
        pytest.param(alt_b1(level=""), None, False, id="level-empty"),
    ],
)
def test_alternative_b1_proof_replaces_the_dtz_only_when_valid(
    proof: AltB1Proof, registered_on: date | None, valid: bool
) -> None:
    case = facts(alt_b1=proof, registered_on=registered_on, lid_attempts=(lid(15),))
    assessment = assess_completion(case, on=ON)
    assert assessment.alt_b1_valid is valid
    assert assessment.document is (Z if valid else None)
    assert codes(assessment) == (set() if valid else {"dtz_fehlt"})
    r4 = [reason for reason in assessment.reasons if reason.rule_id == "R4"]
    assert r4 and all(reason.citation.startswith("§ 17 Abs. 2") for reason in r4)


def test_unknown_registration_date_is_said_not_checked() -> None:
    case = facts(alt_b1=alt_b1(), registered_on=None, lid_attempts=(lid(15),))
    assert any("nicht geprüft" in text for text in texts(assess_completion(case, on=ON)))


def test_valid_alternative_b1_lifts_a_dtz_a2_to_the_zertifikat() -> None:
    case = passed(dtz_attempts=(dtz(*A2),), alt_b1=alt_b1())
    assert assess_completion(case, on=ON).document is Z


def test_valid_alternative_b1_with_failed_lid_gives_a_bescheinigung() -> None:
    case = facts(alt_b1=alt_b1(), lid_attempts=(lid(14),))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is B
    assert any("bestandener Test „Leben in Deutschland“" in t for t in texts(assessment))


# ---- one Zertifikat per person; the rules' period -----------------------------------------------


@pytest.mark.parametrize("case", [passed(), passed(lid_attempts=(lid(3),))], ids=["Z", "B"])
def test_nothing_more_after_a_zertifikat(case: CaseFacts) -> None:
    assessment = assess_completion(replace(case, zertifikat_issued=True), on=ON)
    assert assessment.document is None
    assert codes(assessment) == {"zertifikat_vorhanden"}


def test_completion_before_its_rules_begin_is_refused() -> None:
    assert assess_completion(passed(), on=date(2023, 2, 1)).document is Z
    with pytest.raises(ValueError):
        assess_completion(passed(), on=date(2023, 1, 31))


def test_impossible_points_in_a_stored_result_are_refused() -> None:
    with pytest.raises(ValueError, match="Sprechen"):
        assess_completion(passed(dtz_attempts=(dtz(33, 15, 101),)), on=ON)
