"""Claims: exclusive, visible, lapsing after the configured time, taken over by a supervisor."""

from __future__ import annotations

from support.cases import Actors


def _entry(actors: Actors) -> tuple[str, dict]:
    pid = actors.ready_case()
    [entry] = actors.entries(pid)
    return pid, entry


def test_a_claim_is_exclusive_and_shows_its_holder(actors: Actors) -> None:
    _, entry = _entry(actors)
    url = f"/v1/postbox/{entry['entry_id']}"
    mine = actors.caseworker.post(f"{url}/claim")
    assert mine.status_code == 200
    claimed = mine.json()
    assert claimed["status"] == "in_bearbeitung"
    assert claimed["claimed_by"] == "Sachbearbeiterin Weber"
    assert claimed["claimed_by_me"] is True
    assert claimed["claimed_since"] and claimed["claim_expires_at"]
    assert claimed["version"] == entry["version"] + 1
    other = actors.caseworker2.post(f"{url}/claim")
    assert other.status_code == 409
    assert other.json()["code"] == "claimed"
    assert other.json()["current"]["claimed_by"] == "Sachbearbeiterin Weber"
    assert other.json()["current"]["claimed_by_me"] is False
    assert actors.caseworker2.post(f"{url}/release").status_code == 409
    released = actors.caseworker.post(f"{url}/release")
    assert released.status_code == 200
    assert released.json()["status"] == "offen"
    assert released.json()["claimed_by"] is None
    assert actors.caseworker2.post(f"{url}/claim").status_code == 200


def test_claim_with_an_older_version_is_refused_with_the_current_state(actors: Actors) -> None:
    _, entry = _entry(actors)
    url = f"/v1/postbox/{entry['entry_id']}"
    assert (
        actors.caseworker.post(
            f"{url}/claim", headers={"If-Match": str(entry["version"])}
        ).status_code
        == 200
    )
    actors.caseworker.post(f"{url}/release")
    stale = actors.caseworker2.post(f"{url}/claim", json={"version": entry["version"]})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert stale.json()["current"]["version"] == entry["version"] + 2


def test_a_claim_lapses_after_the_configured_minutes(actors: Actors) -> None:
    _, entry = _entry(actors)
    url = f"/v1/postbox/{entry['entry_id']}"
    assert actors.caseworker.post(f"{url}/claim").status_code == 200
    actors.live.clock.advance(minutes=29)
    assert actors.caseworker2.post(f"{url}/claim").status_code == 409
    actors.live.clock.advance(minutes=2)
    listed = actors.caseworker2.get(f"{url}").json()
    assert listed["status"] == "offen"
    assert listed["claimed_by"] is None
    taken = actors.caseworker2.post(f"{url}/claim")
    assert taken.status_code == 200
    assert taken.json()["claimed_by"] == "Sachbearbeiter Öztürk"


def test_a_lapsed_claim_is_given_back_before_a_page_is_read(actors: Actors) -> None:
    pid, entry = _entry(actors)
    actors.caseworker.post(f"/v1/postbox/{entry['entry_id']}/claim")
    assert actors.entries(pid, status="in_bearbeitung")
    actors.live.clock.advance(minutes=31)
    assert actors.entries(pid, status="in_bearbeitung") == []
    assert [e["entry_id"] for e in actors.entries(pid, status="offen")] == [entry["entry_id"]]


def test_supervisor_takes_over_with_a_reason(actors: Actors) -> None:
    pid, entry = _entry(actors)
    url = f"/v1/postbox/{entry['entry_id']}"
    actors.caseworker.post(f"{url}/claim")
    no_reason = actors.supervisor.post(f"{url}/take-over", json={})
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["field"] == "reason"
    denied = actors.caseworker2.post(f"{url}/take-over", json={"reason": "Urlaub"})
    assert denied.status_code == 403
    taken = actors.supervisor.post(f"{url}/take-over", json={"reason": "Urlaubsvertretung"})
    assert taken.status_code == 200
    assert taken.json()["claimed_by"] == "Leitung Nowak"
    audit = actors.caseworker.get("/v1/audit", params={"participant_id": pid}).json()["items"]
    take_over = next(a for a in audit if a["action"] == "postkorb_uebernahme_durch_leitung")
    assert take_over["inputs"] == {
        "reason": "Urlaubsvertretung",
        "previous_holder": "Sachbearbeiterin Weber",
    }


def test_a_claim_held_by_another_blocks_decisions(actors: Actors) -> None:
    pid, entry = _entry(actors)
    actors.caseworker.post(f"/v1/postbox/{entry['entry_id']}/claim")
    response = actors.caseworker2.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": f"{pid}-x"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "claimed"
    mine = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": f"{pid}-y"}
    )
    assert mine.status_code == 201
    [closed] = actors.entries(pid)
    assert closed["status"] == "erledigt"
    assert closed["claimed_by"] is None


def test_closed_entries_cannot_be_claimed(actors: Actors) -> None:
    pid, entry = _entry(actors)
    actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": f"{pid}-k"}
    )
    response = actors.caseworker.post(f"/v1/postbox/{entry['entry_id']}/claim")
    assert response.status_code == 409
    assert response.json()["code"] == "closed"


def test_mine_lists_what_i_hold_and_not_what_others_hold(actors: Actors) -> None:
    """`mine=true`: the entries this caseworker holds; `mine=false`: everything else, also
    the entries a colleague holds (the filter line's `meine:ja` / `meine:nein`)."""
    _, held = _entry(actors)
    _, theirs = _entry(actors)
    _, free = _entry(actors)
    assert actors.caseworker.post(f"/v1/postbox/{held['entry_id']}/claim").status_code == 200
    assert actors.caseworker2.post(f"/v1/postbox/{theirs['entry_id']}/claim").status_code == 200

    def listed(**params: object) -> set[int]:
        page = actors.caseworker.get("/v1/postbox", params={"limit": 500, **params}).json()
        return {e["entry_id"] for e in page["items"]}

    assert listed(mine="true") == {held["entry_id"]}
    others = listed(mine="false")
    assert {theirs["entry_id"], free["entry_id"]} <= others and held["entry_id"] not in others
    count = actors.caseworker.get("/v1/postbox/count", params={"mine": "true"}).json()
    assert count["count"] == 1
