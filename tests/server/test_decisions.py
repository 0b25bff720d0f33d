"""Caseworkers' decisions: repetition applications by the rules of their date, captured results."""

from __future__ import annotations

from typing import Any

from support.cases import Actors


def _apply(actors: Actors, pid: str, received_on: str, **extra: Any) -> dict[str, Any]:
    body = {
        "participant_id": pid,
        "received_on": received_on,
        "requested_hours": 300,
        "provider_confirmation": True,
        **extra,
    }
    response = actors.provider.post("/v1/repetition-applications", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _failed_dtz(actors: Actors, pid: str) -> None:
    assert actors.dtz(pid, hoeren_lesen=25, schreiben=10, sprechen=50).status_code == 201


def _decide(actors: Actors, application_id: int, **body: Any):  # type: ignore[no-untyped-def]
    return actors.caseworker.post(
        f"/v1/repetition-applications/{application_id}/decision", json=body
    )


def test_approval_under_the_rules_in_force_on_received_on(actors: Actors) -> None:
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    _failed_dtz(actors, pid)
    application = _apply(actors, pid, "2026-02-01")
    case = actors.case(pid)
    [listed] = case["applications"]
    assert listed["assessment"]["eligible"] is True
    response = _decide(
        actors,
        application["application_id"],
        decision="approve",
        hours=300,
        version=case["version"],
    )
    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["status"] == "genehmigt"
    assert decided["decided_hours"] == 300
    assert decided["participant_version"] == case["version"] + 1
    assert decided["rules_version"]
    [entry] = actors.entries(pid)
    assert entry["kind"] == "wiederholung" and entry["status"] == "erledigt"
    again = _decide(actors, application["application_id"], decision="reject", reason="doch nicht")
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"
    audit = actors.caseworker.get("/v1/audit", params={"participant_id": pid}).json()["items"]
    decision = next(a for a in audit if a["action"] == "wiederholung_entschieden")
    assert decision["rules_version"] == decided["rules_version"]
    assert decision["inputs"]["decision"]["decision"] == "approve"
    assert decision["inputs"]["conditions"]


def test_an_approval_the_rules_forbid_is_422_with_reasons(actors: Actors) -> None:
    # since 07.12.2024 only Alphabetisierung and Förderbedarf courses may repeat (R13)
    pid = actors.register(course_type="allgemein")
    _failed_dtz(actors, pid)
    application = _apply(actors, pid, "2026-02-01")
    response = _decide(actors, application["application_id"], decision="approve", hours=300)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rules_forbid"
    assert body["detail"][0]["field"] == "decision"
    assert body["reasons"] and all(r["citation"] for r in body["reasons"])
    case = actors.case(pid)
    assert case["applications"][0]["status"] == "offen"
    rejected = _decide(
        actors,
        application["application_id"],
        decision="reject",
        reason="Seit 07.12.2024 nur Alpha- und Förderkurse (R13)",
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "abgelehnt"


def test_legacy_rules_apply_to_applications_received_before_the_reform(actors: Actors) -> None:
    pid = actors.register(course_type="allgemein")
    _failed_dtz(actors, pid)
    application = _apply(actors, pid, "2024-11-20")
    [listed] = actors.case(pid)["applications"]
    assert listed["assessment"]["eligible"] is True
    response = _decide(actors, application["application_id"], decision="approve", hours=200)
    assert response.status_code == 200, response.text
    assert response.json()["rules_version"] != ""


def test_decision_with_an_older_version_is_refused(actors: Actors) -> None:
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    _failed_dtz(actors, pid)
    application = _apply(actors, pid, "2026-02-01")
    stale = actors.case(pid)["version"]
    actors.identity(pid)  # the course provider reports meanwhile: the case moves on
    response = actors.caseworker.post(
        f"/v1/repetition-applications/{application['application_id']}/decision",
        json={"decision": "approve", "hours": 300},
        headers={"If-Match": f'"{stale}"'},
    )
    assert response.status_code == 409
    assert response.json()["current"]["version"] == stale + 1


def test_approval_needs_hours_and_at_most_300(actors: Actors) -> None:
    missing = actors.caseworker.post(
        "/v1/repetition-applications/1/decision", json={"decision": "approve"}
    )
    assert missing.status_code == 422
    assert missing.json()["detail"] == [
        {"field": "hours", "message": "bei einer Genehmigung die Stunden angeben"}
    ]
    too_many = actors.caseworker.post(
        "/v1/repetition-applications/1/decision", json={"decision": "approve", "hours": 301}
    )
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["field"] == "hours"


def test_paper_dtz_needs_all_three_parts(actors: Actors) -> None:
    pid = actors.register(self_payer=True)
    response = actors.caseworker.post(
        f"/v1/participants/{pid}/dtz-paper",
        json={"exam_date": "2026-01-10", "exam_center": "VHS", "parts": {"sprechen": 80}},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {
        "parts.hoeren_lesen",
        "parts.schreiben",
    }
    assert actors.case(pid)["dtz"] is None


def test_alternative_b1_that_is_too_old_does_not_count(actors: Actors) -> None:
    pid = actors.register(registered_on="2025-06-01")
    actors.identity(pid)
    actors.lid(pid, 20)
    proof = {
        "exam_name": "telc Deutsch B1",
        "level": "B1",
        "issued_on": "2023-01-01",
        "presented_on": "2025-05-01",
    }
    response = actors.caseworker.post(f"/v1/participants/{pid}/alternative-b1", json=proof)
    assert response.status_code == 200
    body = response.json()
    assert body["alternative_b1"]["valid"] is False
    assert body["assessment"]["document"] != "zertifikat"
    assert any(r["rule_id"] == "R4" for r in body["assessment"]["reasons"])
