"""Properties the rules must keep for every input, not only the ones a table names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from inge_tui.domain import (
    DEFAULT_THRESHOLDS,
    CaseFacts,
    DocumentKind,
    DocumentStatus,
    DtzAttempt,
    IssuedDocument,
    Level,
    LidAttempt,
    NextStep,
    Part,
    PartScale,
    ResultSource,
    Thresholds,
    assess_completion,
    check_alt_b1,
    dtz_outcome,
    part_level,
    thresholds_from_mapping,
    thresholds_to_mapping,
)

from ._strategies import HL, ON, POINTS, SP, S, case_facts, complete_parts, days


def _identity_complete(facts: CaseFacts) -> bool:
    texts = (facts.surname, facts.given_name, facts.document_number)
    return (
        all(text is not None and text.strip() for text in texts)
        and facts.birth_date is not None
        and facts.document_type is not None
        and facts.has_address
    )


def _countable_b1(facts: CaseFacts) -> bool:
    """Some sitting that may count is complete with B1: paper only for self-payers, and for
    others a paper stand-in only on a day the web service sent nothing; never an aborted one."""
    sent = {a.exam_date for a in facts.dtz_attempts if a.source is ResultSource.WEBSERVICE}

    def may_count(a: DtzAttempt) -> bool:
        if facts.self_payer:
            return a.source is ResultSource.PAPER
        return a.source is ResultSource.WEBSERVICE or a.exam_date not in sent

    return any(
        may_count(a) and not a.aborted and dtz_outcome(a.parts).overall is Level.B1
        for a in facts.dtz_attempts
    )


# ---- R1 / R2 ------------------------------------------------------------------------------------


@given(complete_parts)
def test_overall_never_above_sprechen(parts: dict[Part, float]) -> None:
    outcome = dtz_outcome(parts)
    assert outcome.overall is not None
    assert outcome.overall.rank <= outcome.parts[SP].rank


@given(complete_parts)
def test_overall_never_above_the_better_written_part(parts: dict[Part, float]) -> None:
    outcome = dtz_outcome(parts)
    assert outcome.overall is not None
    assert outcome.overall.rank <= max(outcome.parts[HL].rank, outcome.parts[S].rank)


@given(complete_parts, st.sampled_from(Part), st.data())
def test_more_points_never_lower_the_overall_level(
    parts: dict[Part, float], part: Part, data: st.DataObject
) -> None:
    higher = data.draw(POINTS[part].filter(lambda points: points >= parts[part]))
    before = dtz_outcome(parts).overall
    after = dtz_outcome({**parts, part: higher}).overall
    assert before is not None and after is not None
    assert after.rank >= before.rank


@st.composite
def thresholds(draw: st.DrawFn) -> Thresholds:
    scales = {}
    for part in Part:
        step = draw(st.sampled_from([0.25, 0.5, 1, 2]))
        steps = draw(st.integers(3, 200))
        a2, b1 = sorted(draw(st.lists(st.integers(0, steps), min_size=2, max_size=2, unique=True)))
        scales[part.value] = PartScale(
            maximum=steps * step, a2_from=a2 * step, b1_from=b1 * step, step=step
        )
    return Thresholds(**scales)


@given(thresholds())
def test_thresholds_round_trip_through_the_config_table(table: Thresholds) -> None:
    assert thresholds_from_mapping(thresholds_to_mapping(table)) == table


@given(thresholds(), st.sampled_from(Part), st.data())
def test_part_level_follows_any_valid_table(
    table: Thresholds, part: Part, data: st.DataObject
) -> None:
    scale = table.scale(part)
    points = data.draw(st.integers(0, round(scale.maximum / scale.step))) * scale.step
    rank = part_level(part, points, table).rank
    assert rank == (points >= scale.a2_from) + (points >= scale.b1_from)


# ---- the completion decision --------------------------------------------------------------------


@given(case_facts)
def test_a_zertifikat_needs_lid_15(facts: CaseFacts) -> None:
    if assess_completion(facts, on=ON).document is DocumentKind.ZERTIFIKAT:
        assert max(attempt.points for attempt in facts.lid_attempts) >= 15


@given(case_facts)
def test_a_zertifikat_needs_dtz_b1_or_a_valid_alternative_proof(facts: CaseFacts) -> None:
    assessment = assess_completion(facts, on=ON)
    if assessment.document is DocumentKind.ZERTIFIKAT:
        proof = facts.alt_b1
        alt_valid = (
            proof is not None and check_alt_b1(proof, registered_on=facts.registered_on).valid
        )
        assert _countable_b1(facts) or alt_valid


@given(case_facts)
def test_nothing_is_issued_while_identity_data_is_missing(facts: CaseFacts) -> None:
    assessment = assess_completion(facts, on=ON)
    if not _identity_complete(facts):
        assert not assessment.can_issue
        assert any(blocker.rule_id == "R7" for blocker in assessment.blockers)


@given(case_facts)
def test_issuing_what_is_due_leaves_nothing_due(facts: CaseFacts) -> None:
    """A.14: once the due document is on file, the same facts call for nothing more."""
    assessment = assess_completion(facts, on=ON)
    if not assessment.can_issue:
        return
    assert assessment.document is not None and assessment.basis is not None
    assert not assessment.blockers
    issued = IssuedDocument("NEW-1", assessment.document, assessment.basis)
    older = tuple(
        replace(d, status=DocumentStatus.ERSETZT) if d.status is DocumentStatus.GUELTIG else d
        for d in facts.documents
    )
    after = assess_completion(replace(facts, documents=(*older, issued)), on=ON)
    assert after.next_step is NextStep.KEINER
    assert not after.can_issue


@given(case_facts)
def test_a_zertifikat_in_force_is_never_replaced_by_a_bescheinigung_without_withdrawal(
    facts: CaseFacts,
) -> None:
    assessment = assess_completion(facts, on=ON)
    in_force = facts.in_force
    if in_force is not None and in_force.kind is DocumentKind.ZERTIFIKAT and assessment.can_issue:
        assert assessment.document is DocumentKind.ZERTIFIKAT


@given(case_facts)
def test_every_step_but_none_names_what_ends_it(facts: CaseFacts) -> None:
    """A.14: no dead end. Waiting names a blocker (and who resolves it); issuing has no
    blocker; a withdrawal step has a Zertifikat in force to withdraw."""
    a = assess_completion(facts, on=ON)
    if a.next_step is NextStep.WARTEN:
        assert a.blockers
    elif a.next_step is NextStep.AUSSTELLEN:
        assert a.document is not None and not a.blockers
    elif a.next_step in (NextStep.RUECKNAHME_VORSCHLAGEN, NextStep.RUECKNAHME_FREIGEBEN):
        assert a.in_force is not None and a.in_force.kind is DocumentKind.ZERTIFIKAT
    else:
        assert a.in_force is not None


@given(case_facts)
def test_every_reason_and_blocker_is_explained(facts: CaseFacts) -> None:
    assessment = assess_completion(facts, on=ON)
    for reason in (*assessment.reasons, *assessment.funding.reasons):
        assert reason.rule_id.startswith("R") and reason.text and reason.citation
    for blocker in assessment.blockers:
        assert blocker.supplier in {"kurstraeger", "pruefstelle", "oet", "regionalstelle"}


@given(case_facts)
def test_assessment_is_deterministic_and_ignores_the_order_of_sittings(facts: CaseFacts) -> None:
    first = assess_completion(facts, on=ON)
    assert assess_completion(facts, on=ON) == first
    shuffled = replace(
        facts,
        dtz_attempts=tuple(reversed(facts.dtz_attempts)),
        lid_attempts=tuple(reversed(facts.lid_attempts)),
    )
    again = assess_completion(shuffled, on=ON)
    assert again.document == first.document
    assert {b.code for b in again.blockers} == {b.code for b in first.blockers}


@given(case_facts, days, st.lists(st.tuples(complete_parts, st.integers(0, 33)), max_size=3))
def test_later_worse_sittings_never_take_back_a_zertifikat(
    facts: CaseFacts, passed_on: date, later_sittings: list[tuple[dict[Part, float], int]]
) -> None:
    source = ResultSource.PAPER if facts.self_payer else ResultSource.WEBSERVICE
    lowest_b1 = {HL: 33, S: 15, SP: 75}
    earned = replace(
        facts,
        documents=(),
        dtz_attempts=(*facts.dtz_attempts, DtzAttempt(passed_on, lowest_b1, source=source)),
        lid_attempts=(*facts.lid_attempts, LidAttempt(passed_on, 15)),
    )
    assert assess_completion(earned, on=ON).document is DocumentKind.ZERTIFIKAT
    later = [
        (
            DtzAttempt(passed_on + timedelta(days=i + 1), parts, source=source),
            LidAttempt(passed_on + timedelta(days=i + 1), points),
        )
        for i, (parts, points) in enumerate(later_sittings)
    ]
    more = replace(
        earned,
        dtz_attempts=(*earned.dtz_attempts, *(dtz for dtz, _ in later)),
        lid_attempts=(*earned.lid_attempts, *(lid for _, lid in later)),
    )
    assert assess_completion(more, on=ON).document is DocumentKind.ZERTIFIKAT


def test_the_default_table_is_a_valid_table() -> None:
    assert thresholds_from_mapping(thresholds_to_mapping(DEFAULT_THRESHOLDS)) == DEFAULT_THRESHOLDS
