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
    DocumentStatus,
    IssuedDocument,
    Level,
    NextStep,
    ResultSource,
    assess_completion,
    thresholds_from_mapping,
)
from inge_tui.domain.completion import CITE_OVERALL_A2

from ._facts import A2, B1, LID_DAY, ON, alt_b1, dtz, facts, lid, passed

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


def r2(assessment: Assessment) -> list[tuple[str, str]]:
    return [(r.text, r.citation) for r in assessment.reasons if r.rule_id == "R2"]


def test_the_overall_reason_states_the_level_the_rule_gave() -> None:
    # the review: Sprechen B1 with both written parts below A2 is "unter A2", but the reason
    # (printed on the Bescheinigung) said "DTZ-Gesamtergebnis A2"
    case = facts(dtz_attempts=(dtz(19, 6, 80),), lid_attempts=(lid(20),))
    assessment = assess_completion(case, on=ON)
    assert assessment.dtz is not None and assessment.dtz.overall is Level.UNTER_A2
    [(text, citation)] = r2(assessment)
    assert text.startswith("DTZ-Gesamtergebnis unter A2:")
    assert "A2:" not in text.replace("unter A2:", "")
    assert citation == "DTZ-Bewertungsregeln (Gesamtergebnis A2)"


@pytest.mark.parametrize(
    ("points", "level"),
    [
        ((33, 15, 75), "B1"),
        ((33, 6, 75), "B1"),
        ((19, 15, 75), "B1"),
        ((32, 14, 75), "A2"),
        ((20, 0, 35), "A2"),
        ((0, 7, 74.5), "A2"),
        ((45, 20, 34.5), "unter A2"),
        ((19, 6, 100), "unter A2"),
        ((19, 6, 35), "unter A2"),
    ],
)
def test_every_overall_reason_names_its_own_level(points: tuple, level: str) -> None:
    assessment = assess_completion(facts(dtz_attempts=(dtz(*points),)), on=ON)
    [(text, citation)] = r2(assessment)
    assert text.startswith(f"DTZ-Gesamtergebnis {level}:")
    # B1 is § 10 Abs. 1 IntTestV; the A2 pattern and the bands are the DTZ's scoring rules
    assert citation == ("§ 10 Abs. 1 IntTestV" if level == "B1" else CITE_OVERALL_A2)


def test_part_levels_cite_the_dtz_scoring_rules_not_the_ordinance() -> None:
    assessment = assess_completion(passed(), on=ON)
    r1 = {r.citation for r in assessment.reasons if r.rule_id == "R1"}
    assert r1 == {"DTZ-Bewertungsregeln (Punkteschwellen, telc-Handbuch 2015)"}
    for reason in (*assessment.reasons, *assessment.funding.reasons):
        assert "§ 17 Abs. 1 Satz 1 Nr. 1" not in reason.citation


# ---- R2a: an aborted exam -----------------------------------------------------------------------


def test_an_aborted_dtz_is_complete_and_not_passed() -> None:
    case = passed(dtz_attempts=(dtz(None, None, None, aborted=True),))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is B and assessment.can_issue
    assert assessment.dtz is not None and assessment.dtz.overall is Level.UNTER_A2
    [aborted] = [r for r in assessment.reasons if r.rule_id == "R2a"]
    assert aborted.citation == "§ 9 Abs. 2 IntTestV" and "abgebrochen" in aborted.text
    assert assessment.basis is not None and assessment.basis.dtz is not None
    assert assessment.basis.dtz.aborted and assessment.basis.dtz.points == ()


def test_an_aborted_sitting_does_not_take_back_an_earlier_b1() -> None:
    case = passed(dtz_attempts=(dtz(*B1), dtz(None, None, None, on=date(2025, 2, 1), aborted=True)))
    assert assess_completion(case, on=ON).document is Z


# ---- R8: which source counts --------------------------------------------------------------------


def test_a_transmitted_sitting_hides_a_paper_stand_in_for_the_same_day() -> None:
    web = dtz(*A2)
    paper = dtz(*B1, source=ResultSource.PAPER)
    assessment = assess_completion(passed(dtz_attempts=(paper, web)), on=ON)
    assert assessment.counted.dtz == web and assessment.document is B
    # on another day the paper capture (the web service failed) counts like any sitting
    other_day = dtz(*B1, source=ResultSource.PAPER, on=date(2025, 2, 1))
    assert assess_completion(passed(dtz_attempts=(other_day, web)), on=ON).document is Z


def test_a_self_payers_web_service_sitting_never_hides_the_paper_capture() -> None:
    paper = dtz(*B1, source=ResultSource.PAPER)
    web = dtz(*A2)  # the same exam day (the review: the feed erased the capture)
    assessment = assess_completion(passed(self_payer=True, dtz_attempts=(paper, web)), on=ON)
    assert assessment.counted.dtz == paper and assessment.document is Z


def test_the_counted_lid_is_the_best_and_the_basis_prints_it() -> None:
    # the review: LiD 24, then a later 9, printed "9 / 33" on the Zertifikat
    case = passed(lid_attempts=(lid(24), lid(9, on=date(2025, 4, 1))))
    assessment = assess_completion(case, on=ON)
    assert assessment.basis is not None and assessment.basis.lid is not None
    assert (assessment.basis.lid.points, assessment.basis.lid.exam_date) == (24, LID_DAY)


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


REGISTERED = date(2024, 9, 15)


@pytest.mark.parametrize(
    ("proof", "registered_on", "valid"),
    [
        pytest.param(
            alt_b1(issued_on=date(2023, 9, 1)), REGISTERED, True, id="exactly-one-year-old"
        ),
        pytest.param(
            alt_b1(issued_on=date(2023, 8, 31)), REGISTERED, False, id="one-year-and-a-day"
        ),
        pytest.param(
            alt_b1(issued_on=PRESENTED), REGISTERED, True, id="issued-on-presentation-day"
        ),
        pytest.param(
            alt_b1(issued_on=date(2024, 9, 2)), REGISTERED, False, id="issued-after-presented"
        ),
        pytest.param(
            alt_b1(issued_on=date(2023, 2, 28), presented_on=date(2024, 2, 29)),
            date(2024, 3, 1),
            True,
            id="leap-day-one-year",
        ),
        pytest.param(
            alt_b1(issued_on=date(2023, 2, 27), presented_on=date(2024, 2, 29)),
            date(2024, 3, 1),
            False,
            id="leap-day-one-year-and-a-day",
        ),
        pytest.param(alt_b1(), PRESENTED, True, id="presented-on-registration-day"),
        pytest.param(alt_b1(), date(2024, 8, 31), False, id="presented-after-registration"),
        pytest.param(alt_b1(), date(2024, 9, 2), True, id="presented-before-registration"),
        pytest.param(
            alt_b1(exam_name="GOETHE-ZERTIFIKAT b1"), REGISTERED, True, id="case-insensitive"
        ),
        pytest.param(
            alt_b1(exam_name="ÖSD-Zertifikat  B2", level="B2"), REGISTERED, True, id="oesd-b2"
        ),
        pytest.param(alt_b1(exam_name="TestDaF", level="c1"), REGISTERED, True, id="testdaf-c1"),
        pytest.param(
            alt_b1(exam_name="Sprachkurs Volkshochschule"), REGISTERED, False, id="unknown"
        ),
        pytest.param(alt_b1(level="A2"), REGISTERED, False, id="level-A2"),
        pytest.param(alt_b1(level=""), REGISTERED, False, id="level-empty"),
        # names match leniently, and a grade in the name is read (the review: TDN 4 refused)
        pytest.param(
            alt_b1(exam_name="TestDaF (TDN 4)", level="C1"), REGISTERED, True, id="testdaf-tdn4"
        ),
        pytest.param(alt_b1(exam_name="DSH-2", level="C1"), REGISTERED, True, id="dsh-2-c1"),
        pytest.param(alt_b1(exam_name="telc deutsch b1.", level="b1"), REGISTERED, True, id="dot"),
        # an exam certifies its own level: a Goethe B1 cannot be a C2 (the review: accepted)
        pytest.param(alt_b1(level="C2"), REGISTERED, False, id="goethe-b1-as-c2"),
        pytest.param(
            alt_b1(exam_name="TestDaF (TDN 3)", level="C1"), REGISTERED, False, id="tdn3-is-b2"
        ),
        pytest.param(alt_b1(exam_name="TestDaF", level="B1"), REGISTERED, False, id="testdaf-b1"),
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


def test_unknown_registration_date_makes_the_proof_wait_for_the_course_provider() -> None:
    # R4 (December 2026): not a silent acceptance, a blocker the course provider resolves
    case = facts(alt_b1=alt_b1(), registered_on=None, lid_attempts=(lid(15),))
    assessment = assess_completion(case, on=ON)
    assert assessment.alt_b1_valid is False
    assert assessment.document is None and not assessment.can_issue
    [blocker] = assessment.blockers
    assert (blocker.code, blocker.supplier, blocker.rule_id) == (
        "anmeldedatum_fehlt",
        "kurstraeger",
        "R4",
    )
    reported = assess_completion(replace(case, registered_on=date(2024, 9, 15)), on=ON)
    assert reported.document is Z and reported.can_issue


def test_unknown_registration_date_does_not_hold_up_a_dtz_b1() -> None:
    case = passed(alt_b1=alt_b1(), registered_on=None)
    assert assess_completion(case, on=ON).can_issue


def test_an_unknown_exam_name_is_shown_with_the_nearest_recognised_one() -> None:
    case = facts(alt_b1=alt_b1(exam_name="Goethe Zertifkat B1"), lid_attempts=(lid(15),))
    [r4] = [r.text for r in assess_completion(case, on=ON).reasons if r.rule_id == "R4"]
    assert "„Goethe-Zertifikat B1“" in r4


def test_valid_alternative_b1_lifts_a_dtz_a2_to_the_zertifikat() -> None:
    case = passed(dtz_attempts=(dtz(*A2),), alt_b1=alt_b1())
    assert assess_completion(case, on=ON).document is Z


def test_valid_alternative_b1_with_failed_lid_gives_a_bescheinigung() -> None:
    case = facts(alt_b1=alt_b1(), lid_attempts=(lid(14),))
    assessment = assess_completion(case, on=ON)
    assert assessment.document is B
    assert any("bestandener Test „Leben in Deutschland“" in t for t in texts(assessment))


# ---- one Zertifikat per person; the rules' period -----------------------------------------------


def in_force(case: CaseFacts, number: str = "ZIK-2025-0000001") -> IssuedDocument:
    """The document issuing would have produced for `case`, as it is now on file."""
    a = assess_completion(case, on=ON)
    assert a.document is not None and a.basis is not None
    return IssuedDocument(number, a.document, a.basis)


@pytest.mark.parametrize("case", [passed(), passed(lid_attempts=(lid(3),))], ids=["Z", "B"])
def test_nothing_more_while_the_document_in_force_says_what_counts(case: CaseFacts) -> None:
    assessment = assess_completion(replace(case, documents=(in_force(case),)), on=ON)
    assert assessment.next_step is NextStep.KEINER
    assert not assessment.can_issue
    assert assessment.document is not None  # what the rules call for is still said


def test_a_bescheinigung_is_superseded_when_the_zertifikat_becomes_due() -> None:
    failed = passed(lid_attempts=(lid(14),))
    corrected = replace(failed, lid_attempts=(lid(15),), documents=(in_force(failed, "BSC-1"),))
    assessment = assess_completion(corrected, on=ON)
    assert assessment.document is Z
    assert assessment.next_step is NextStep.AUSSTELLEN and assessment.can_issue
    assert assessment.supersedes == "BSC-1"


def test_a_zertifikat_whose_basis_is_corrected_away_needs_a_withdrawal() -> None:
    issued = in_force(passed())
    corrected = passed(lid_attempts=(lid(14),), documents=(issued,))
    assessment = assess_completion(corrected, on=ON)
    assert assessment.document is B
    assert assessment.next_step is NextStep.RUECKNAHME_VORSCHLAGEN
    assert not assessment.can_issue
    proposed = replace(issued, withdrawal_proposed=True)
    waiting = assess_completion(replace(corrected, documents=(proposed,)), on=ON)
    assert waiting.next_step is NextStep.RUECKNAHME_FREIGEBEN
    withdrawn = replace(issued, status=DocumentStatus.ZURUECKGENOMMEN)
    after = assess_completion(replace(corrected, documents=(withdrawn,)), on=ON)
    assert after.next_step is NextStep.AUSSTELLEN and after.supersedes is None


def test_a_zertifikat_with_a_corrected_score_is_reissued_as_a_zertifikat() -> None:
    issued = in_force(passed(lid_attempts=(lid(24),)))
    corrected = passed(lid_attempts=(lid(20),), documents=(issued,))
    assessment = assess_completion(corrected, on=ON)
    assert (assessment.document, assessment.next_step) == (Z, NextStep.AUSSTELLEN)
    assert assessment.supersedes == issued.number


def test_a_later_worse_sitting_leaves_the_document_in_force_alone() -> None:
    case = passed(lid_attempts=(lid(24),))
    later = replace(
        case,
        lid_attempts=(lid(24), lid(9, on=date(2025, 4, 1))),
        dtz_attempts=(*case.dtz_attempts, dtz(*A2, on=date(2025, 2, 1))),
        documents=(in_force(case),),
    )
    assert assess_completion(later, on=ON).next_step is NextStep.KEINER


def test_completion_before_its_rules_begin_is_refused() -> None:
    assert assess_completion(passed(), on=date(2023, 2, 1)).document is Z
    with pytest.raises(ValueError):
        assess_completion(passed(), on=date(2023, 1, 31))


def test_impossible_points_in_a_stored_result_are_refused() -> None:
    with pytest.raises(ValueError, match="Sprechen"):
        assess_completion(passed(dtz_attempts=(dtz(33, 15, 101),)), on=ON)
