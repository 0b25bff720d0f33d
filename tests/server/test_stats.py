"""The office's Kennzahlen over HTTP: what arrived, what was issued and when, how long it took,
rates by course type and Prüfstelle, the backlog by age, data requests and refunds; for the own
office (caseworker) or any office (supervisor), for a period, refused whole when the period or
the office is wrong.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from support.cases import Actors

A2 = {"hoeren_lesen": 25, "schreiben": 10, "sprechen": 50}


def figures(client: httpx.Client, **params: Any) -> dict[str, Any]:
    answer = client.get("/v1/stats", params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_figures_follow_the_office_s_work(actors: Actors) -> None:
    empty = figures(actors.caseworker)
    assert empty["office"] == actors.office and empty["open_entries"] == 0
    assert len(empty["documents_per_day"]) == 60
    assert empty["period_to"] == actors.live.clock().date().isoformat()

    b1 = [actors.ready_case() for _ in range(3)]
    a2 = actors.ready_case(b1=False, lid_points=10, course_type="alphabetisierung")
    blocked = actors.ready_case(identity=False)
    assert (
        actors.caseworker.post(
            f"/v1/participants/{blocked}/data-requests", json={"item": "ausweisnummer_fehlt"}
        ).status_code
        == 201
    )
    actors.live.clock.advance(days=4)
    for pid in (*b1[:2], a2):
        assert actors.issue(pid).status_code == 201
    refund = {
        "participant_id": b1[0],
        "received_on": actors.live.clock().date().isoformat(),
        "contribution_paid_cents": 137_400,
        "iban": "DE89370400440532013000",
        "account_holder": "Ayşe Şahin",
    }
    assert actors.provider.post("/v1/refund-applications", json=refund).status_code == 201
    actors.live.clock.advance(days=10)

    f = figures(actors.caseworker)
    assert f["open_entries"] == 3  # b1[2], the blocked one, the refund
    backlog = {b["label"]: b["count"] for b in f["backlog_by_age"]}
    # the two cases 14 days old, the refund 10 days old
    assert (backlog["8–14"], backlog["15–21"], sum(backlog.values())) == (3, 0, 3)
    assert f["arrived_by_kind"] == {"abschluss": 5, "wiederholung": 0, "erstattung": 1}
    assert f["documents"] == {"zertifikat": 2, "bescheinigung": 1}
    issued_day = (actors.live.clock() - timedelta(days=10)).date().isoformat()
    [day] = [d for d in f["documents_per_day"] if d["day"] == issued_day]
    assert (day["zertifikat"], day["bescheinigung"]) == (2, 1)
    total = f["total"]
    assert (total["entries"], total["dtz_complete"], total["dtz_b1"]) == (5, 5, 4)
    assert (total["lid_results"], total["lid_passed"], total["b1_rate"]) == (5, 4, 0.8)
    courses = {g["group"]: g for g in f["by_course_type"]}
    assert courses["alphabetisierung"]["label"] == "Alphabetisierungskurs"
    assert (courses["alphabetisierung"]["b1_rate"], courses["allgemein"]["b1_rate"]) == (0, 1)
    [center] = f["by_exam_center"]
    assert (center["label"], center["entries"]) == ("VHS Nürnberg", 5)
    assert f["time_to_document"] == {"closed": 3, "median_days": 4.0, "p90_days": 4.0}
    assert f["data_requests"] == {"offen": 1, "ueberfaellig": 0}
    assert f["refunds"]["offen"] == 1

    # a period before any of it: nothing arrived, the backlog is still now's
    before = figures(actors.caseworker, **{"from": "2025-01-01", "to": "2025-01-31"})
    assert before["total"]["entries"] == 0 and before["open_entries"] == 3
    assert len(before["documents_per_day"]) == 31


def test_supervisors_choose_the_office_caseworkers_see_their_own(actors: Actors) -> None:
    other = actors.live.new_office()
    mine = figures(actors.supervisor)
    assert mine["office"] == actors.office
    assert figures(actors.supervisor, office=other)["office"] == other
    # a well-formed office the caller may not see is refused as such, not as bad input
    refused = actors.caseworker.get("/v1/stats", params={"office": other})
    assert refused.status_code == 403
    assert refused.json()["field"] == "office"
    assert "eigene Regionalstelle" in refused.json()["detail"]
    unknown = actors.supervisor.get("/v1/stats", params={"office": "RS-NIRGENDS"})
    assert unknown.status_code == 404
    assert unknown.json() == {
        "detail": "Die Regionalstelle RS-NIRGENDS gibt es nicht.",
        "code": "not_found",
        "field": "office",
    }


def test_a_wrong_period_is_refused_in_german(actors: Actors) -> None:
    today = actors.live.clock().date()
    cases = {
        "to": {"to": (today + timedelta(days=1)).isoformat()},
        "from": {"from": "2026-02-10", "to": "2026-02-01"},
    }
    for field, params in cases.items():
        answer = actors.caseworker.get("/v1/stats", params=params)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["field"] == field
    too_long = actors.caseworker.get("/v1/stats", params={"from": "2024-01-01"})
    assert "366 Tage" in too_long.text
    assert actors.provider.get("/v1/stats").status_code == 403


def test_the_running_totals_agree_with_the_entries(actors: Actors) -> None:
    """What every insert and update of an entry added to the figures is what the entries say
    now: after arrivals, corrections, issuing, a reopened and a closed entry, a refund."""
    from inge_tui.server.store import figures

    pids = [actors.ready_case() for _ in range(3)]
    actors.ready_case(identity=False)
    actors.live.clock.advance(days=2, hours=5, minutes=47)  # closings in part hours
    assert actors.issue(pids[0]).status_code == 201
    assert actors.lid(pids[1], 10, exam_date="2026-01-20").status_code in (200, 201)  # down
    assert actors.issue(pids[1]).status_code == 201
    assert actors.lid(pids[0], 12, exam_date="2026-01-20").status_code in (200, 201)  # reopens
    actors.live.clock.advance(days=1)
    assert actors.dtz(pids[2], **A2).status_code == 201
    with actors.live.engine.connect() as conn:
        assert figures.drift(conn) == []
        kept = conn.execute(figures.figures_closed.select()).all()
    assert any(row.entries for row in kept)
