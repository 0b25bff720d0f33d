"""Decisions over the whole life of a case (issue 10, domain.md A.11–A.16), over HTTP only.

Each test drives one case the way the legal review did: facts that arrive late, corrections up
and down, a second sitting, a later proof, a document already issued. After each step the
assessment, the issue route, the Postkorb row and the printed document must agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.cases import Actors, new_id

B1 = {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}
A2 = {"hoeren_lesen": 25, "schreiben": 10, "sprechen": 50}


def assessment(actors: Actors, pid: str) -> dict[str, Any]:
    return dict(actors.case(pid)["assessment"])


def open_entry(actors: Actors, pid: str) -> dict[str, Any] | None:
    entries = [e for e in actors.entries(pid) if e["kind"] == "abschluss"]
    return next((e for e in entries if e["status"] != "erledigt"), None)


def issued(actors: Actors, pid: str, kind: str) -> dict[str, Any]:
    response = actors.issue(pid, expected_document=kind)
    assert response.status_code == 201, response.text
    return dict(response.json())


def certificates(actors: Actors, pid: str) -> dict[str, dict[str, Any]]:
    return {c["certificate_id"]: c for c in actors.case(pid)["certificates"]}


def assert_nothing_due(actors: Actors, pid: str, number: str) -> None:
    a = assessment(actors, pid)
    assert (a["next_step"], a["can_issue"], a["in_force"]) == ("keiner", False, number)
    assert open_entry(actors, pid) is None
    again = actors.issue(pid)
    assert again.status_code == 409 and again.json()["code"] == "already_issued"


# ---- 1, 14: the document, the row and the detail show the sittings the decision counted


def test_a_later_worse_lid_never_lands_on_the_zertifikat(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid)
    assert actors.dtz(pid, **B1).status_code == 201
    assert actors.lid(pid, 24, exam_date="2026-01-20").status_code == 201
    assert actors.lid(pid, 9, exam_date="2026-02-10").status_code == 201
    case = actors.case(pid)
    assert case["lid"]["points"] == 24 and case["lid"]["counted"]
    assert [(x["points"], x["counted"]) for x in case["lid_attempts"]] == [(9, False), (24, True)]
    entry = open_entry(actors, pid)
    assert entry is not None and entry["lid_points"] == 24
    document = issued(actors, pid, "zertifikat")
    assert document["inputs"]["lid"] == {"points": 24, "exam_date": "2026-01-20"}
    text = actors.pdf_text(document["certificate_id"])
    assert "24" in text and "20.01.2026" in text
    assert "10.02.2026" not in text
    assert_nothing_due(actors, pid, document["certificate_id"])


def test_the_detail_and_row_show_the_best_dtz_not_the_latest(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid)
    assert actors.dtz(pid, exam_date="2025-12-01", **B1).status_code == 201
    assert actors.dtz(pid, exam_date="2026-01-10", **A2).status_code == 201
    assert actors.lid(pid, 20).status_code == 201
    case = actors.case(pid)
    assert case["dtz"]["exam_date"] == "2025-12-01" and case["dtz"]["overall"] == "B1"
    assert case["assessment"]["counted"]["dtz_exam_date"] == "2025-12-01"
    entry = open_entry(actors, pid)
    assert entry is not None and entry["dtz_overall"] == "B1"
    document = issued(actors, pid, "zertifikat")
    assert document["inputs"]["dtz"]["exam_date"] == "2025-12-01"
    assert "01.12.2025" in actors.pdf_text(document["certificate_id"])


# ---- 2, 13: a Bescheinigung is superseded when the Zertifikat becomes due, never withheld


@pytest.mark.parametrize("late_fact", ["dtz-part-up", "lid-14-to-15", "paper-dtz", "alt-b1"])
def test_the_zertifikat_is_issued_over_a_bescheinigung(actors: Actors, late_fact: str) -> None:
    self_payer = late_fact == "paper-dtz"
    pid = actors.register(self_payer=self_payer, registered_on="2025-01-15")
    actors.identity(pid)
    if self_payer:
        assert actors.paper(pid, parts=A2).status_code == 200
        assert actors.lid(pid, 20).status_code == 201
    else:
        assert actors.dtz(pid, **(B1 if late_fact == "lid-14-to-15" else A2)).status_code == 201
        assert actors.lid(pid, 14 if late_fact == "lid-14-to-15" else 20).status_code == 201
    first = issued(actors, pid, "bescheinigung")
    assert_nothing_due(actors, pid, first["certificate_id"])

    if late_fact == "dtz-part-up":  # the same sitting corrected: Sprechen and Schreiben to B1
        assert actors.dtz(pid, sprechen=80, schreiben=16).status_code == 201
    elif late_fact == "lid-14-to-15":
        assert actors.lid(pid, 15).status_code == 201  # same exam day: a correction
    elif late_fact == "paper-dtz":  # the self-payer's later sitting, captured from paper
        assert actors.paper(pid, exam_date="2026-02-05", parts=B1).status_code == 200
    else:  # a proof presented in time (before registration), captured late
        assert actors.alt_b1(pid).status_code == 200

    a = assessment(actors, pid)
    assert (a["document"], a["next_step"], a["can_issue"]) == ("zertifikat", "ausstellen", True)
    assert a["supersedes"] == first["certificate_id"]
    entry = open_entry(actors, pid)
    assert entry is not None and entry["expected_document"] == "zertifikat"
    assert not entry["blocked"]
    second = issued(actors, pid, "zertifikat")
    assert second["supersedes"] == first["certificate_id"]
    on_file = certificates(actors, pid)
    assert on_file[first["certificate_id"]]["status"] == "ersetzt"
    assert on_file[first["certificate_id"]]["superseded_by"] == second["certificate_id"]
    assert on_file[second["certificate_id"]]["status"] == "gueltig"
    assert_nothing_due(actors, pid, second["certificate_id"])


def test_a_corrected_bescheinigung_is_replaced_so_the_entry_can_close(actors: Actors) -> None:
    # the review: after a DTZ correction following a Bescheinigung, the entry showed open and
    # unblocked, issuing answered 409 and no route closed it
    pid = actors.ready_case(b1=False)
    first = issued(actors, pid, "bescheinigung")
    assert actors.dtz(pid, hoeren_lesen=30).status_code == 201  # still A2, other points
    entry = open_entry(actors, pid)
    assert entry is not None and "korrektur" in entry["flags"] and not entry["blocked"]
    a = assessment(actors, pid)
    assert (a["next_step"], a["supersedes"]) == ("ausstellen", first["certificate_id"])
    second = issued(actors, pid, "bescheinigung")
    assert second["inputs"]["dtz"]["hoeren_lesen"] == 30
    assert_nothing_due(actors, pid, second["certificate_id"])
    # a correction back to what the document in force printed needs nothing new
    assert actors.dtz(pid, hoeren_lesen=25).status_code == 201
    assert assessment(actors, pid)["next_step"] == "ausstellen"
    assert actors.dtz(pid, hoeren_lesen=30).status_code == 201
    assert_nothing_due(actors, pid, second["certificate_id"])


# ---- A.12: a Zertifikat whose basis is corrected away is withdrawn with four eyes


def test_a_zertifikat_corrected_away_is_withdrawn_with_four_eyes(actors: Actors) -> None:
    pid = actors.ready_case()
    zertifikat = issued(actors, pid, "zertifikat")
    number = zertifikat["certificate_id"]
    assert actors.lid(pid, 12).status_code == 201  # LiD corrected 20 → 12: not passed
    a = assessment(actors, pid)
    assert (a["document"], a["next_step"], a["can_issue"]) == (
        "bescheinigung",
        "ruecknahme_vorschlagen",
        False,
    )
    entry = open_entry(actors, pid)
    assert entry is not None and "ruecknahme_vorschlagen" in entry["blockers"]
    claim = actors.caseworker.post(f"/v1/postbox/{entry['entry_id']}/claim", json={})
    assert claim.status_code == 200  # the proposer holds the entry while the proposal waits
    refused = actors.issue(pid)
    assert refused.status_code == 409 and refused.json()["code"] == "withdrawal_required"

    path = f"/v1/certificates/{number}/withdrawal"
    short = actors.caseworker.post(path, json={"reason": "Fehler"})
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "reason"
    reason = "LiD-Ergebnis vom OET auf 12 Punkte berichtigt; nicht bestanden"
    assert actors.caseworker.post(path, json={"reason": reason}).status_code == 201
    assert assessment(actors, pid)["next_step"] == "ruecknahme_freigeben"
    twice = actors.caseworker.post(path, json={"reason": reason})
    assert twice.status_code == 409 and twice.json()["code"] == "withdrawal_pending"
    # four eyes, checked by the service: not a caseworker, never the proposer
    by_caseworker = actors.caseworker2.post(f"{path}/confirm", json={})
    assert by_caseworker.status_code == 403
    proposer_as_supervisor = actors.live.client(
        "supervisor", actors.office, name="Sachbearbeiterin Weber"
    )
    try:
        own = proposer_as_supervisor.post(f"{path}/confirm", json={})
        assert own.status_code == 403 and own.json()["code"] == "four_eyes"
    finally:
        proposer_as_supervisor.close()
    confirmed = actors.supervisor.post(f"{path}/confirm", json={})  # the claim does not block
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "zurueckgenommen"

    a = assessment(actors, pid)
    assert (a["next_step"], a["can_issue"], a["supersedes"]) == ("ausstellen", True, None)
    bescheinigung = issued(actors, pid, "bescheinigung")
    on_file = certificates(actors, pid)
    assert on_file[number]["status"] == "zurueckgenommen"
    assert on_file[number]["withdrawals"][0]["decided_by"] == "Leitung Nowak"
    assert_nothing_due(actors, pid, bescheinigung["certificate_id"])
    actions = [e["action"] for e in actors.case(pid)["audit"]]
    assert "ruecknahme_vorgeschlagen" in actions and "ruecknahme_bestaetigt" in actions


def test_a_refused_withdrawal_needs_a_reason_and_can_be_proposed_again(actors: Actors) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid, "zertifikat")["certificate_id"]
    assert actors.lid(pid, 12).status_code == 201
    path = f"/v1/certificates/{number}/withdrawal"
    reason = "LiD-Ergebnis vom OET auf 12 Punkte berichtigt; nicht bestanden"
    assert actors.caseworker.post(path, json={"reason": reason}).status_code == 201
    assert actors.supervisor.post(f"{path}/refuse", json={}).status_code == 422
    refusal = {"reason": "Die Berichtigung des OET wird noch geprüft"}
    assert actors.supervisor.post(f"{path}/refuse", json=refusal).status_code == 200
    assert assessment(actors, pid)["next_step"] == "ruecknahme_vorschlagen"
    assert actors.caseworker2.post(path, json={"reason": reason}).status_code == 201


# ---- 3: the Bescheinigung says the level the rule gave


def test_sprechen_b1_with_written_parts_below_a2_prints_unter_a2(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid)
    assert actors.dtz(pid, hoeren_lesen=19, schreiben=6, sprechen=80).status_code == 201
    assert actors.lid(pid, 20).status_code == 201
    document = issued(actors, pid, "bescheinigung")
    assert document["inputs"]["dtz"]["overall"] == "unter_A2"
    record = " ".join(r["text"] for r in document["record"])
    assert "DTZ-Gesamtergebnis unter A2" in record
    assert "DTZ-Gesamtergebnis A2" not in record
    text = actors.pdf_text(document["certificate_id"])
    assert "Gesamtergebnis unter A2" in text and "Gesamtergebnis A2" not in text


# ---- 4, 5, 6: hours as dated reports; R9 against the course type's hours; R13's order


def test_r9_for_a_late_entrant_compares_with_the_course_types_hours(actors: Actors) -> None:
    pid = actors.register(contingent_hours=300, hours_used=300)
    assert actors.dtz(pid, **A2).status_code == 201
    funding = assessment(actors, pid)["funding"]
    assert funding["second_funded_dtz_possible"] is True
    [r9] = [r for r in funding["reasons"] if r["rule_id"] == "R9"]
    assert "300 von 600 UE" in r9["text"]


def test_hours_reports_are_dated_idempotent_and_never_go_down(actors: Actors) -> None:
    pid = actors.register(hours_used=100)  # 100 UE as of 31.12.2025
    report = {"report_id": new_id("STD"), "as_of": "2026-01-05", "hours_used": 500}
    path = f"/v1/participants/{pid}/hours"
    first = actors.provider.post(path, json=report)
    assert first.status_code == 201, first.text
    again = actors.provider.post(path, json=report)
    assert again.status_code == 200 and again.json() == first.json()
    other = actors.provider.post(path, json={**report, "hours_used": 501})
    assert other.status_code == 409 and other.json()["field"] == "report_id"
    for body, field in (
        ({"as_of": "2026-01-06", "hours_used": 400}, "hours_used"),  # fewer than before
        ({"as_of": "2026-01-01", "hours_used": 550}, "hours_used"),  # more than a later one
        ({"as_of": "2026-01-06", "hours_used": 601}, "hours_used"),  # over the contingent
        ({"as_of": "2026-12-24", "hours_used": 600}, "as_of"),  # in the future
    ):
        refused = actors.provider.post(path, json={"report_id": new_id("STD"), **body})
        assert refused.status_code == 422, body
        assert refused.json()["detail"][0]["field"] == field
    assert actors.caseworker.post(path, json={**report, "report_id": new_id()}).status_code == 403
    case = actors.case(pid)
    assert case["hours_used"] == 500
    assert [(r["as_of"], r["hours_used"]) for r in case["hours_reports"]] == [
        ("2025-12-31", 100),
        ("2026-01-05", 500),
    ]


def test_r9_reads_the_hours_of_the_exam_day_not_of_the_registration(actors: Actors) -> None:
    pid = actors.register(hours_used=500)  # 500 of 600 UE as of 31.12.2025
    assert actors.dtz(pid, **A2).status_code == 201  # exam on 10.01.2026
    assert actors.hours(pid, "2026-01-09", 600).status_code == 201  # used up before the exam
    funding = assessment(actors, pid)["funding"]
    assert funding["second_funded_dtz_possible"] is False
    # another participant: used up only after the exam (the later report does not reach back)
    other = actors.register(hours_used=500)
    assert actors.dtz(other, **A2).status_code == 201
    assert actors.hours(other, "2026-01-10", 550).status_code == 201
    assert actors.hours(other, "2026-02-01", 600).status_code == 201
    assert assessment(actors, other)["funding"]["second_funded_dtz_possible"] is True


def test_a_ninth_section_application_waits_for_the_contingent(actors: Actors) -> None:
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=850)
    assert actors.dtz(pid, **A2).status_code == 201
    filed = actors.apply(pid, in_ninth_section=True)
    assert filed.status_code == 201, filed.text
    application_id = filed.json()["application_id"]
    [listed] = actors.case(pid)["applications"]
    conditions = {c["code"]: c for c in listed["assessment"]["conditions"]}
    assert listed["assessment"]["waiting"] is True
    assert conditions["kontingent"]["pending"] is True
    decision = f"/v1/repetition-applications/{application_id}/decision"
    early = actors.caseworker.post(decision, json={"decision": "approve", "hours": 300})
    assert early.status_code == 422
    assert "Genehmigung wartet" in early.json()["detail"][0]["message"]
    # used up, and a DTZ failed after that: now it may be approved
    assert actors.hours(pid, "2026-02-10", 900).status_code == 201
    assert actors.dtz(pid, exam_date="2026-02-20", **A2).status_code == 201
    approved = actors.caseworker.post(decision, json={"decision": "approve", "hours": 300})
    assert approved.status_code == 200, approved.text


# ---- 7: alternative B1 proofs


def test_alternative_proofs_by_exam_and_level(actors: Actors) -> None:
    def proof_valid(**body: Any) -> bool:
        pid = actors.register(registered_on="2025-01-15")
        actors.identity(pid)
        assert actors.lid(pid, 20).status_code == 201
        response = actors.alt_b1(pid, **body)
        assert response.status_code == 200, response.text
        return bool(response.json()["alternative_b1"]["valid"])

    assert proof_valid(exam_name="TestDaF (TDN 4)", level="C1")
    assert not proof_valid(exam_name="Goethe-Zertifikat B1", level="C2")
    assert proof_valid(exam_name="telc Deutsch B1", level="B1")


def test_an_unknown_registration_date_waits_for_the_course_provider(actors: Actors) -> None:
    pid = actors.register(registered_on=None)
    actors.identity(pid)
    assert actors.lid(pid, 20).status_code == 201
    assert actors.alt_b1(pid).status_code == 200
    a = assessment(actors, pid)
    assert a["can_issue"] is False
    assert [(b["code"], b["supplier"]) for b in a["blockers"]] == [
        ("anmeldedatum_fehlt", "kurstraeger")
    ]
    entry = open_entry(actors, pid)
    assert entry is not None and entry["blockers"] == ["anmeldedatum_fehlt"]
    reported = actors.provider.put(
        f"/v1/participants/{pid}/identity", json={"registered_on": "2025-01-15"}
    )
    assert reported.status_code == 200, reported.text
    a = assessment(actors, pid)
    assert (a["document"], a["can_issue"]) == ("zertifikat", True)


# ---- 8, 12: dates and sources


def test_no_exam_date_in_the_future_or_before_the_course(actors: Actors) -> None:
    pid = actors.register(self_payer=True, course_start="2025-06-01")
    future = actors.paper(pid, exam_date="2026-12-15")  # the review: this made it issuable
    assert future.status_code == 422 and future.json()["detail"][0]["field"] == "exam_date"
    before = actors.paper(pid, exam_date="2025-05-31")
    assert before.status_code == 422 and "Kursbeginn" in before.json()["detail"][0]["message"]
    assert actors.dtz(pid, exam_date="2026-03-03", **B1).status_code == 422
    assert actors.lid(pid, 20, exam_date="2026-03-03").status_code == 422
    assert actors.alt_b1(pid, presented_on="2026-03-05").status_code == 422
    assert actors.case(pid)["dtz_attempts"] == []


def test_paper_capture_needs_a_reason_and_never_replaces_a_transmission(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid)
    refused = actors.paper(pid, exam_date="2025-12-01")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "capture_reason"
    reason = "Webservice hat das Ergebnis nicht geliefert (Ticket 4711)"
    assert actors.dtz(pid, **A2).status_code == 201  # transmitted for 10.01.2026
    over = actors.paper(pid, capture_reason=reason, parts=B1)
    assert over.status_code == 409 and over.json()["code"] == "dtz_transmitted"
    other_day = actors.paper(pid, exam_date="2025-12-01", capture_reason=reason, parts=A2)
    assert other_day.status_code == 200, other_day.text
    [captured] = [d for d in other_day.json()["dtz_attempts"] if d["source"] == "paper"]
    assert captured["capture_reason"] == reason


def test_a_transmission_never_erases_a_self_payers_paper_capture(actors: Actors) -> None:
    pid = actors.register(self_payer=True)
    actors.identity(pid)
    assert actors.lid(pid, 20).status_code == 201
    assert actors.paper(pid, parts=B1).status_code == 200
    assert actors.dtz(pid, **A2).status_code == 201  # the same exam day, from the web service
    case = actors.case(pid)
    by_source = {d["source"]: d for d in case["dtz_attempts"]}
    assert by_source["paper"]["counted"] and by_source["paper"]["countable"]
    assert not by_source["webservice"]["countable"] and not by_source["webservice"]["corrected"]
    assert case["dtz"]["source"] == "paper"
    assert case["assessment"]["document"] == "zertifikat" and case["assessment"]["can_issue"]
    entry = open_entry(actors, pid)
    assert entry is not None and entry["dtz_overall"] == "B1"


# ---- 9: an aborted exam


def test_an_aborted_exam_counts_as_not_passed(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid)
    body = {
        "transmission_id": new_id("DTZ"),
        "participant_id": pid,
        "exam_date": "2026-01-10",
        "exam_center": "VHS Nürnberg",
        "aborted": True,
    }
    with_parts = actors.institute.post("/v1/dtz-results", json={**body, "parts": {"sprechen": 50}})
    assert with_parts.status_code == 422 and with_parts.json()["detail"][0]["field"] == "parts"
    sent = actors.institute.post("/v1/dtz-results", json=body)
    assert sent.status_code == 201, sent.text
    assert sent.json()["dtz"]["complete"] and sent.json()["dtz"]["overall"] == "unter_A2"
    assert actors.lid(pid, 20).status_code == 201
    a = assessment(actors, pid)
    assert (a["document"], a["can_issue"]) == ("bescheinigung", True)
    assert any(r["rule_id"] == "R2a" for r in a["reasons"])
    document = issued(actors, pid, "bescheinigung")
    assert "abgebrochen" in actors.pdf_text(document["certificate_id"])


# ---- 11: a refusal a participant can read


def test_a_one_letter_refusal_is_refused(actors: Actors) -> None:
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    filed = actors.apply(pid)
    path = f"/v1/repetition-applications/{filed.json()['application_id']}/decision"
    refused = actors.caseworker.post(path, json={"decision": "reject", "reason": "Q"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "reason"
    assert actors.case(pid)["applications"][0]["status"] == "offen"
