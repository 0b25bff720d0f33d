from support.cases import Actors


def test_health(actors: Actors) -> None:
    r = actors.caseworker.get("/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_ready_case_has_entry(actors: Actors) -> None:
    pid = actors.ready_case()
    entries = actors.entries(pid)
    assert len(entries) == 1
    assert entries[0]["expected_document"] == "zertifikat"
