"""Four eyes on a repetition approval that waives the DTZ condition (R13.3, domain.md A.12),
and the supervisors' Postkorb filter `awaiting=freigabe` (`wartet:freigabe`) over a whole life:
proposed, refused, proposed again, confirmed; and a withdrawal that waits beside it.
"""

from __future__ import annotations

from typing import Any

import httpx
from support.cases import Actors

REASON = "Alphabetisierungskurs, Lernfortschritt belegt"


def _alpha_application(actors: Actors) -> tuple[str, int]:
    """An Alpha participant with the contingent used up and no DTZ: eligible only with the
    waiver of the DTZ condition."""
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    body = {
        "participant_id": pid,
        "received_on": "2026-02-01",
        "requested_hours": 300,
        "provider_confirmation": True,
    }
    response = actors.provider.post("/v1/repetition-applications", json=body)
    assert response.status_code == 201, response.text
    return pid, int(response.json()["application_id"])


def _approve_with_waiver(client: httpx.Client, application_id: int) -> httpx.Response:
    return client.post(
        f"/v1/repetition-applications/{application_id}/decision",
        json={"decision": "approve", "hours": 300, "waive_dtz_condition": True, "reason": REASON},
    )


def _step(client: httpx.Client, application_id: int, step: str, **body: Any) -> httpx.Response:
    return client.post(f"/v1/repetition-applications/{application_id}/waiver/{step}", json=body)


def _awaiting(actors: Actors, client: httpx.Client | None = None) -> set[str]:
    page = (client or actors.supervisor).get(
        "/v1/postbox", params={"awaiting": "freigabe", "limit": 500}
    )
    assert page.status_code == 200, page.text
    return {e["participant_id"] for e in page.json()["items"]}


def _actions(actors: Actors, pid: str) -> list[str]:
    audit = actors.supervisor.get("/v1/audit", params={"participant_id": pid}).json()["items"]
    return [a["action"] for a in reversed(audit)]


def test_a_waiver_is_proposed_refused_proposed_again_and_confirmed_by_a_second_person(
    actors: Actors,
) -> None:
    pid, app_id = _alpha_application(actors)
    assert actors.case(pid)["applications"][0]["assessment"]["eligible_with_waiver"] is True

    proposed = _approve_with_waiver(actors.caseworker, app_id)
    assert proposed.status_code == 202, proposed.text
    body = proposed.json()
    assert body["status"] == "offen"
    assert body["waiver_proposal"]["hours"] == 300
    assert body["waiver_proposal"]["proposed_by"] == "Sachbearbeiterin Weber"
    [entry] = actors.entries(pid)
    assert entry["status"] != "erledigt" and "wartet_verzicht_freigabe" in entry["blockers"]
    assert pid in _awaiting(actors)

    # while it waits, nobody decides otherwise, and only a second person (a supervisor) decides
    other = actors.caseworker.post(
        f"/v1/repetition-applications/{app_id}/decision",
        json={"decision": "reject", "reason": "Doch abgelehnt nach Rücksprache"},
    )
    assert (other.status_code, other.json()["code"]) == (409, "waiver_pending")
    by_caseworker = _step(actors.caseworker2, app_id, "confirm")
    assert (by_caseworker.status_code, by_caseworker.json()["code"]) == (403, "forbidden")
    same_name = actors.live.client("supervisor", actors.office, name="Sachbearbeiterin Weber")
    own = _step(same_name, app_id, "confirm")
    assert (own.status_code, own.json()["code"]) == (403, "four_eyes")
    assert "Vier-Augen-Prinzip" in own.json()["detail"]
    no_reason = _step(actors.supervisor, app_id, "refuse")
    assert no_reason.status_code == 422
    assert actors.case(pid)["applications"][0]["waiver_proposal"] is not None  # nothing changed

    refused = _step(actors.supervisor, app_id, "refuse", reason="Kein begründeter Einzelfall")
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "offen" and refused.json()["waiver_proposal"] is None
    assert pid not in _awaiting(actors)
    [entry] = actors.entries(pid)
    assert entry["status"] != "erledigt" and "wartet_verzicht_freigabe" not in entry["blockers"]

    assert _approve_with_waiver(actors.caseworker, app_id).status_code == 202
    confirmed = _step(actors.supervisor, app_id, "confirm")
    assert confirmed.status_code == 200, confirmed.text
    decided = confirmed.json()
    assert decided["status"] == "genehmigt" and decided["decided_hours"] == 300
    assert decided["waive_dtz_condition"] is True and decided["decision_reason"] == REASON
    assert decided["decided_by"] == "Sachbearbeiterin Weber"
    assert decided["waiver_confirmed_by"] == "Leitung Nowak"
    assert decided["waiver_proposal"] is None
    [entry] = actors.entries(pid, status="erledigt")
    assert entry["status"] == "erledigt"
    assert entry["blockers"] == [] and entry["blocked"] is False  # nothing waits any more
    assert pid not in _awaiting(actors)
    again = _step(actors.supervisor, app_id, "confirm")
    assert (again.status_code, again.json()["code"]) == (409, "no_waiver_pending")
    assert _actions(actors, pid).count("wiederholung_entschieden") == 1
    assert [a for a in _actions(actors, pid) if a.startswith("verzicht")] == [
        "verzicht_vorgeschlagen",
        "verzicht_abgelehnt",
        "verzicht_vorgeschlagen",
    ]
    same_name.close()


def test_an_approval_that_needs_no_waiver_is_decided_at_once(actors: Actors) -> None:
    pid, app_id = _alpha_application(actors)
    failed = actors.dtz(pid, hoeren_lesen=25, schreiben=10, sprechen=50)  # after the contingent
    assert failed.status_code == 201
    answer = _approve_with_waiver(actors.caseworker, app_id)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "genehmigt"
    assert pid not in _awaiting(actors)


def test_a_supervisor_proposing_needs_another_supervisor(actors: Actors) -> None:
    pid, app_id = _alpha_application(actors)
    assert _approve_with_waiver(actors.supervisor, app_id).status_code == 202
    assert pid in _awaiting(actors)
    own = _step(actors.supervisor, app_id, "confirm")
    assert (own.status_code, own.json()["code"]) == (403, "four_eyes")
    other = actors.live.client("supervisor", actors.office, name="Leitung Schulz")
    try:
        assert _step(other, app_id, "confirm").json()["status"] == "genehmigt"
    finally:
        other.close()


def test_a_dry_run_of_the_proposal_keeps_nothing(actors: Actors) -> None:
    pid, app_id = _alpha_application(actors)
    tried = actors.caseworker.post(
        f"/v1/repetition-applications/{app_id}/decision",
        params={"dry_run": "true"},
        json={"decision": "approve", "hours": 300, "waive_dtz_condition": True, "reason": REASON},
    )
    assert tried.status_code == 202 and tried.headers["Dry-Run"] == "true"
    assert actors.case(pid)["applications"][0]["waiver_proposal"] is None
    assert pid not in _awaiting(actors)


def test_a_withdrawal_waiting_for_the_supervisor_is_in_the_same_filter(actors: Actors) -> None:
    pid = actors.ready_case()
    number = actors.issue(pid).json()["certificate_id"]
    proposed = actors.caseworker.post(
        f"/v1/certificates/{number}/withdrawal",
        json={"reason": "Irrtümlich ausgestellt, Ergebnis war vertauscht"},
    )
    assert proposed.status_code == 201, proposed.text
    assert pid in _awaiting(actors)
    assert pid in _awaiting(actors, actors.caseworker)  # the filter is no secret
    refused = actors.supervisor.post(
        f"/v1/certificates/{number}/withdrawal/refuse",
        json={"reason": "Die Unterlagen zeigen das richtige Ergebnis"},
    )
    assert refused.status_code == 200, refused.text
    assert pid not in _awaiting(actors)
