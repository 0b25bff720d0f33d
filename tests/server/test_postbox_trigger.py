"""The `abschluss` entry appears exactly once per exam pair, whatever the order of arrival."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
from support.cases import Actors

STEPS = ("hoeren_lesen", "schreiben", "sprechen", "lid")
POINTS = {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}


def _send(actors: Actors, pid: str, step: str, transmission_id: str) -> int:
    if step == "lid":
        return actors.lid(pid, 20, transmission_id=transmission_id).status_code
    return actors.dtz(pid, transmission_id=transmission_id, **{step: POINTS[step]}).status_code


# Six of the 24 orders: the LiD result first, in between and last, parts in varying order.
ORDERS = [order for i, order in enumerate(itertools.permutations(STEPS)) if i % 4 == 0]


@pytest.mark.parametrize("order", ORDERS, ids="-".join)
def test_one_entry_in_any_order_with_repeats(actors: Actors, order: tuple[str, ...]) -> None:
    pid = actors.register()
    actors.identity(pid)
    for index, step in enumerate(order):
        assert _send(actors, pid, step, f"{pid}-{step}") == 201
        # every transmission is repeated once; the repeat changes nothing
        assert _send(actors, pid, step, f"{pid}-{step}") == 201
        entries = actors.entries(pid)
        assert len(entries) == (1 if index == len(order) - 1 else 0)
    [entry] = actors.entries(pid)
    assert entry["kind"] == "abschluss"
    assert entry["expected_document"] == "zertifikat"
    assert entry["blocked"] is False
    # the same values again under new transmission ids: still one entry
    for step in order:
        assert _send(actors, pid, step, f"{pid}-{step}-again") == 201
    assert len(actors.entries(pid)) == 1


def test_concurrent_parts_make_exactly_one_entry(actors: Actors) -> None:
    pids = [actors.register() for _ in range(4)]
    jobs = [(pid, step) for pid in pids for step in STEPS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(
            pool.map(lambda job: _send(actors, job[0], job[1], f"{job[0]}-{job[1]}"), jobs)
        )
    assert set(codes) == {201}
    for pid in pids:
        assert len(actors.entries(pid)) == 1


def test_self_payer_entry_waits_for_the_paper_result(actors: Actors) -> None:
    pid = actors.register(self_payer=True)
    actors.identity(pid)
    assert actors.lid(pid, 22).status_code == 201
    [entry] = actors.entries(pid)
    assert entry["blocked"] is True
    assert "dtz_fehlt" in entry["blockers"]
    assert "selbstzahler" in entry["flags"]
    version = actors.case(pid)["version"]
    paper = {
        "exam_date": "2026-01-10",
        "exam_center": "VHS Fürth",
        "parts": {"hoeren_lesen": 35, "schreiben": 15, "sprechen": 75},
    }
    response = actors.caseworker.post(
        f"/v1/participants/{pid}/dtz-paper", json=paper, headers={"If-Match": str(version)}
    )
    assert response.status_code == 200, response.text
    assert response.json()["dtz"]["source"] == "paper"
    assert response.json()["assessment"]["document"] == "zertifikat"
    [entry] = actors.entries(pid)
    assert entry["blocked"] is False
    assert entry["expected_document"] == "zertifikat"


def test_alternative_b1_with_lid_opens_an_entry(actors: Actors) -> None:
    pid = actors.register(registered_on="2025-06-01")
    actors.identity(pid)
    assert actors.lid(pid, 25).status_code == 201
    assert actors.entries(pid) == []
    proof = {
        "exam_name": "Goethe-Zertifikat B1",
        "level": "B1",
        "issued_on": "2025-03-01",
        "presented_on": "2025-05-20",
    }
    response = actors.caseworker.post(f"/v1/participants/{pid}/alternative-b1", json=proof)
    assert response.status_code == 200, response.text
    assert response.json()["alternative_b1"]["valid"] is True
    [entry] = actors.entries(pid)
    assert entry["expected_document"] == "zertifikat"


def test_a_new_exam_pair_after_closing_opens_a_new_entry(actors: Actors) -> None:
    pid = actors.ready_case(b1=False)
    issued = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", headers={"Idempotency-Key": f"{pid}-b"}, json={}
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["kind"] == "bescheinigung"
    assert [e["status"] for e in actors.entries(pid)] == ["erledigt"]
    actors.dtz(pid, exam_date="2026-02-14", hoeren_lesen=38, schreiben=15, sprechen=76)
    entries = actors.entries(pid, sort="oldest")
    assert [e["status"] for e in entries] == ["erledigt", "offen"]
    assert entries[1]["expected_document"] == "zertifikat"
