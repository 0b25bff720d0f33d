"""The service decides, the app explains (domain.md A.6): forms preview through the service.

`?dry_run=true` answers a capture or a decision as it would be and keeps nothing; `POST
/v1/scoring/dtz` scores points with the service's own thresholds, also when they are not the
defaults, so a form's live preview never disagrees with what the service will decide.
"""

from __future__ import annotations

from pathlib import Path

from support.cases import Actors
from support.live import start_live_service, stop_live_service

B1 = {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}


def _audit_count(actors: Actors, pid: str) -> int:
    response = actors.caseworker.get("/v1/audit", params={"participant_id": pid})
    return len(response.json()["items"])


def test_a_dry_run_capture_answers_as_it_would_and_keeps_nothing(actors: Actors) -> None:
    pid = actors.register(self_payer=True)
    actors.identity(pid)
    assert actors.lid(pid, 20).status_code == 201
    before = actors.case(pid)
    audited = _audit_count(actors, pid)
    body = {"exam_date": "2026-01-10", "exam_center": "VHS Fürth", "parts": B1}
    tried = actors.caseworker.post(
        f"/v1/participants/{pid}/dtz-paper", params={"dry_run": "true"}, json=body
    )
    assert tried.status_code == 200, tried.text
    assert tried.headers["Dry-Run"] == "true"
    answer = tried.json()
    assert answer["dtz"]["overall"] == "B1" and answer["assessment"]["can_issue"]
    after = actors.case(pid)
    assert after["dtz_attempts"] == [] and after["version"] == before["version"]
    assert _audit_count(actors, pid) == audited + 1  # only the view of the case just now
    # a refusal answers as it would, too (a day in the future)
    future = {**body, "exam_date": "2026-12-24"}
    refused = actors.caseworker.post(
        f"/v1/participants/{pid}/dtz-paper", params={"dry_run": "true"}, json=future
    )
    assert refused.status_code == 422


def test_a_dry_run_decision_keeps_the_application_open(actors: Actors) -> None:
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    assert actors.dtz(pid, hoeren_lesen=25, schreiben=10, sprechen=50).status_code == 201
    application_id = actors.apply(pid).json()["application_id"]
    path = f"/v1/repetition-applications/{application_id}/decision"
    approve = {"decision": "approve", "hours": 300}
    tried = actors.caseworker.post(path, params={"dry_run": "true"}, json=approve)
    assert tried.status_code == 200 and tried.json()["status"] == "genehmigt"
    assert actors.case(pid)["applications"][0]["status"] == "offen"
    short = actors.caseworker.post(
        path, params={"dry_run": "true"}, json={"decision": "reject", "reason": "Q"}
    )
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "reason"


def test_scoring_uses_the_services_thresholds(actors: Actors, tmp_path: Path) -> None:
    score = actors.caseworker.post("/v1/scoring/dtz", json={"parts": {"sprechen": 74.5}})
    assert score.status_code == 200
    assert score.json() == {
        "parts": {"sprechen": {"points": 74.5, "maximum": 100.0, "level": "A2"}},
        "overall": None,
        "complete": False,
    }
    # a service configured with Sprechen B1 from 70 says B1 where the defaults say A2
    live, server, thread = start_live_service(
        f"sqlite:///{tmp_path / 'other.db'}", dtz_thresholds={"sprechen": {"b1_from": 70}}
    )
    try:
        other = Actors(live)
        try:
            scored = other.caseworker.post(
                "/v1/scoring/dtz", json={"parts": {**B1, "sprechen": 72}}
            ).json()
        finally:
            other.close()
        assert scored["parts"]["sprechen"]["level"] == "B1" and scored["overall"] == "B1"
    finally:
        stop_live_service(live, server, thread)
