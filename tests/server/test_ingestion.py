"""Feeding the service: registration, identity, DTZ parts, LiD, repeats, corrections, bad input."""

from __future__ import annotations

from sqlalchemy import func, select
from support.cases import Actors, new_id

from inge_tui.server.store.schema import dtz_results, lid_results, participants, transmissions


def _count(actors: Actors, table, **where: object) -> int:  # type: ignore[no-untyped-def]
    stmt = select(func.count()).select_from(table)
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    with actors.live.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def test_registration_is_idempotent_and_conflicts_name_the_field(actors: Actors) -> None:
    body = actors.participant_body()
    first = actors.provider.post("/v1/participants", json=body)
    again = actors.provider.post("/v1/participants", json=body)
    other = actors.provider.post("/v1/participants", json={**body, "surname": "Andersen"})
    assert first.status_code == 201
    assert again.status_code == 200 and again.json() == first.json()
    assert other.status_code == 409
    assert other.json()["field"] == "participant_id"


def test_dtz_parts_in_separate_transmissions_make_one_complete_result(actors: Actors) -> None:
    pid = actors.register()
    first = actors.dtz(pid, sprechen=80)
    assert first.status_code == 201
    assert first.json()["dtz"]["complete"] is False
    assert first.json()["dtz"]["overall"] is None
    second = actors.dtz(pid, hoeren_lesen=40)
    third = actors.dtz(pid, schreiben=12)
    dtz = third.json()["dtz"]
    assert second.status_code == third.status_code == 201
    assert dtz["complete"] is True
    assert dtz["overall"] == "B1"
    assert dtz["parts"]["schreiben"] == {"points": 12.0, "maximum": 20.0, "level": "A2"}
    assert third.json()["version"] > second.json()["version"] > first.json()["version"]
    assert _count(actors, dtz_results, participant_id=pid) == 1


def test_repeated_transmission_is_a_no_op_answering_as_the_first(actors: Actors) -> None:
    pid = actors.register()
    first = actors.dtz(pid, transmission_id=f"{pid}-1", sprechen=80)
    version_before = actors.case(pid)["version"]
    again = actors.dtz(pid, transmission_id=f"{pid}-1", sprechen=80)
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert actors.case(pid)["version"] == version_before
    assert _count(actors, transmissions, participant_id=pid) == 1


def test_repeated_transmission_with_another_body_is_refused_naming_it(actors: Actors) -> None:
    pid = actors.register()
    assert actors.dtz(pid, transmission_id=f"{pid}-1", sprechen=80).status_code == 201
    other = actors.dtz(pid, transmission_id=f"{pid}-1", sprechen=70)
    assert other.status_code == 409
    assert other.json()["field"] == "transmission_id"
    assert other.json()["code"] == "key_reused"
    lid = actors.lid(pid, transmission_id=f"{pid}-1")
    assert lid.status_code == 409


def test_correction_of_a_complete_result_keeps_the_old_revision(actors: Actors) -> None:
    pid = actors.ready_case()
    [entry] = actors.entries(pid)
    assert entry["flags"] == []
    corrected = actors.dtz(pid, sprechen=60)
    assert corrected.status_code == 201
    body = corrected.json()
    assert body["correction"] is True
    assert body["dtz"]["revision"] == 2
    assert body["dtz"]["overall"] == "A2"
    assert _count(actors, dtz_results, participant_id=pid) == 2
    assert _count(actors, dtz_results, participant_id=pid, is_current=True) == 1
    [entry] = actors.entries(pid)
    assert "korrektur" in entry["flags"]
    assert entry["dtz_overall"] == "A2"
    assert entry["expected_document"] == "bescheinigung"


def test_lid_correction_is_a_new_revision(actors: Actors) -> None:
    pid = actors.ready_case(lid_points=20)
    again = actors.lid(pid, 12)
    assert again.status_code == 201
    assert again.json()["lid"] == {
        **again.json()["lid"],
        "points": 12,
        "passed": False,
        "revision": 2,
    }
    assert _count(actors, lid_results, participant_id=pid) == 2
    [entry] = actors.entries(pid)
    assert entry["lid_points"] == 12
    assert "korrektur" in entry["flags"]


def test_missing_identity_is_a_blocker_that_clears_when_reported(actors: Actors) -> None:
    pid = actors.ready_case(identity=False)
    [entry] = actors.entries(pid)
    assert entry["blocked"] is True
    assert {"ausweisart_fehlt", "ausweisnummer_fehlt", "anschrift_fehlt"} <= set(entry["blockers"])
    actors.identity(pid, address=None)
    [entry] = actors.entries(pid)
    assert entry["blockers"] == ["anschrift_fehlt"]
    actors.identity(pid, document_type=None, document_number=None)
    [entry] = actors.entries(pid)
    assert entry["blocked"] is False and entry["blockers"] == []
    case = actors.case(pid)
    assert case["identity"]["document_number_masked"] == "•••••••47"  # kept; full only on reveal
    assert case["assessment"]["can_issue"] is True


def test_bad_input_is_refused_whole_naming_the_field(actors: Actors) -> None:
    body = actors.participant_body(birth_date="1990-02-30", course_type="sonder", extra=1)
    response = actors.provider.post("/v1/participants", json=body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"birth_date", "course_type", "extra"}
    with actors.live.engine.connect() as conn:
        stored = conn.execute(
            select(participants).where(participants.c.participant_id == body["participant_id"])
        ).first()
    assert stored is None


def test_bad_points_name_the_part_and_store_nothing(actors: Actors) -> None:
    pid = actors.register()
    cases = {
        "parts.sprechen": {"sprechen": 80.3},
        "parts.hoeren_lesen": {"hoeren_lesen": 46},
        "parts.schreiben": {"schreiben": -1},
    }
    for field, parts in cases.items():
        response = actors.dtz(pid, **parts)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["detail"]] == [field]
        assert all(e["message"] for e in response.json()["detail"])
    lid = actors.lid(pid, 34)
    assert lid.status_code == 422
    assert lid.json()["detail"][0] == {"field": "points", "message": "darf höchstens 33 sein"}
    assert _count(actors, dtz_results, participant_id=pid) == 0
    assert _count(actors, lid_results, participant_id=pid) == 0
    assert _count(actors, transmissions, participant_id=pid) == 0


def test_unknown_participant_in_a_transmission_is_a_field_error(actors: Actors) -> None:
    response = actors.dtz(new_id(), sprechen=80)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "participant_id"


def test_identity_of_an_unknown_participant_is_404(actors: Actors) -> None:
    response = actors.provider.put(
        f"/v1/participants/{new_id()}/identity", json={"document_type": "reisepass"}
    )
    assert response.status_code == 404


def test_repetition_application_opens_a_wiederholung_entry(actors: Actors) -> None:
    pid = actors.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    body = {
        "participant_id": pid,
        "received_on": "2026-02-01",
        "requested_hours": 300,
        "provider_confirmation": True,
    }
    response = actors.provider.post("/v1/repetition-applications", json=body)
    assert response.status_code == 201, response.text
    application = response.json()
    assert application["status"] == "offen"
    [entry] = actors.entries(pid)
    assert entry["kind"] == "wiederholung"
    assert entry["application_id"] == application["application_id"]
    second = actors.provider.post("/v1/repetition-applications", json=body)
    assert second.status_code == 409
