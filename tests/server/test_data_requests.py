"""Chasing missing data from the course provider over HTTP (domain.md A.16), a whole life:
requested with a deadline, seen by the course provider that registered the participant and by
no other, overdue, reminded, answered through the identity route, closed by itself. Bad input
is refused whole, in German, naming the field.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from support.cases import Actors


def ask(
    actors: Actors, pid: str, client: httpx.Client | None = None, **body: Any
) -> httpx.Response:
    return (client or actors.caseworker).post(f"/v1/participants/{pid}/data-requests", json=body)


def requests_seen(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    answer = client.get("/v1/data-requests", params=params)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def entry(actors: Actors, pid: str) -> dict[str, Any]:
    return next(e for e in actors.entries(pid) if e["kind"] == "abschluss")


def listed(actors: Actors, **params: Any) -> set[str]:
    page = actors.caseworker.get("/v1/postbox", params={"limit": 500, **params})
    assert page.status_code == 200, page.text
    return {e["participant_id"] for e in page.json()["items"]}


def actions(actors: Actors, pid: str) -> list[str]:
    rows = actors.supervisor.get("/v1/audit", params={"participant_id": pid}).json()["items"]
    return [r["action"] for r in reversed(rows)]


def today(actors: Actors) -> date:
    return actors.live.clock().date()


def test_a_request_lives_until_the_provider_reports_the_data(actors: Actors) -> None:
    pid = actors.ready_case(identity=False)
    made = ask(actors, pid, item="ausweisnummer_fehlt", note="Bitte Kopie des Passes prüfen")
    assert made.status_code == 201, made.text
    request = made.json()
    assert request["item_text"] == "Nummer des Ausweisdokuments"
    assert request["provider"] == "Kursträger Süd" and request["status"] == "offen"
    assert date.fromisoformat(request["due_on"]) == today(actors) + timedelta(days=14)
    assert request["overdue"] is False

    row = entry(actors, pid)
    assert row["requested_on"] == request["requested_on"]
    assert row["request_due"] == request["due_on"]
    assert pid in listed(actors, requested=True) and pid not in listed(actors, requested=False)
    assert pid not in listed(actors, overdue=True)

    # the course provider that registered the participant sees it, with the name; no other
    [seen] = requests_seen(actors.provider, participant_id=pid)
    assert seen["request_id"] == request["request_id"] and seen["surname"]
    other = actors.live.client("course_provider", name="Kursträger Nord")
    try:
        assert requests_seen(other, participant_id=pid) == []
    finally:
        other.close()

    early = actors.caseworker.post(f"/v1/data-requests/{request['request_id']}/reminders")
    assert (early.status_code, early.json()["code"]) == (409, "not_overdue")

    actors.live.clock.advance(days=15)
    assert pid in listed(actors, overdue=True)
    [late] = requests_seen(actors.caseworker, participant_id=pid)
    assert late["overdue"] is True
    past = (today(actors) - timedelta(days=1)).isoformat()
    bad = actors.caseworker.post(
        f"/v1/data-requests/{request['request_id']}/reminders", json={"due_on": past}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "due_on"
    new_due = (today(actors) + timedelta(days=7)).isoformat()
    reminded = actors.caseworker.post(
        f"/v1/data-requests/{request['request_id']}/reminders", json={"due_on": new_due}
    )
    assert reminded.status_code == 200, reminded.text
    assert reminded.json()["reminders"] == 1 and reminded.json()["due_on"] == new_due
    assert entry(actors, pid)["request_due"] == new_due
    assert pid not in listed(actors, overdue=True)

    # the provider answers through the identity route: the request ends by itself
    answered = actors.provider.put(
        f"/v1/participants/{pid}/identity", json={"document_number": "C01X00T47"}
    )
    assert answered.status_code == 200, answered.text
    [done] = requests_seen(actors.caseworker, participant_id=pid, status="erledigt")
    assert done["closed_at"] is not None and done["overdue"] is False
    assert requests_seen(actors.provider, participant_id=pid) == []
    row = entry(actors, pid)
    assert row["requested_on"] is None and row["request_due"] is None
    assert pid not in listed(actors, requested=True)
    assert [a for a in actions(actors, pid) if "anforder" in a or "angefordert" in a] == [
        "daten_angefordert",
        "datenanforderung_erinnert",
        "datenanforderung_erledigt",
    ]
    gone = actors.caseworker.post(f"/v1/data-requests/{request['request_id']}/reminders")
    assert (gone.status_code, gone.json()["code"]) == (409, "request_closed")


def test_bad_requests_are_refused_whole_in_german(actors: Actors) -> None:
    pid = actors.ready_case(identity=False)
    before = entry(actors, pid)

    not_missing = ask(actors, pid, item="nachname_fehlt")
    assert not_missing.status_code == 422
    assert not_missing.json()["detail"] == [
        {"field": "item", "message": "Nachname fehlt nicht: es gibt nichts anzufordern"}
    ]
    not_theirs = ask(actors, pid, item="lid_fehlt")
    assert not_theirs.status_code == 422 and "nicht beim Kursträger" in not_theirs.text
    past = (today(actors) - timedelta(days=1)).isoformat()
    late = ask(actors, pid, item="anschrift_fehlt", due_on=past)
    assert late.status_code == 422 and late.json()["detail"][0]["field"] == "due_on"
    assert "in der Vergangenheit" in late.json()["detail"][0]["message"]
    assert requests_seen(actors.caseworker, participant_id=pid, status="alle") == []
    assert entry(actors, pid)["version"] == before["version"]

    assert ask(actors, pid, item="anschrift_fehlt").status_code == 201
    twice = ask(actors, pid, item="anschrift_fehlt")
    assert (twice.status_code, twice.json()["code"]) == (409, "request_open")
    assert "schon seit" in twice.json()["detail"]
    assert len(requests_seen(actors.caseworker, participant_id=pid)) == 1

    # a course provider does not ask; another office does not see the case
    assert ask(actors, pid, client=actors.provider, item="ausweisart_fehlt").status_code == 403
    stranger = Actors(actors.live)
    try:
        assert (
            ask(actors, pid, client=stranger.caseworker, item="ausweisart_fehlt").status_code == 404
        )
        assert requests_seen(stranger.caseworker, participant_id=pid) == []
    finally:
        stranger.close()


def test_the_full_identity_closes_every_request_at_once(actors: Actors) -> None:
    pid = actors.ready_case(identity=False)
    for item in ("ausweisart_fehlt", "ausweisnummer_fehlt", "anschrift_fehlt"):
        assert ask(actors, pid, item=item).status_code == 201
    assert len(requests_seen(actors.provider, participant_id=pid)) == 3
    actors.identity(pid)
    assert requests_seen(actors.caseworker, participant_id=pid) == []
    assert len(requests_seen(actors.caseworker, participant_id=pid, status="erledigt")) == 3
    assert actors.case(pid)["assessment"]["can_issue"] is True
    assert entry(actors, pid)["request_due"] is None
