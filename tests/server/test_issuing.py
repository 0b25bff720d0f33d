"""Issuing documents: idempotency keys, one Zertifikat, stale views, blockers, the PDF."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfReader
from sqlalchemy import func, select
from support.cases import Actors

from inge_tui.server.store.schema import certificates


def _issue(actors: Actors, pid: str, key: str, body: dict | None = None, **headers: str):  # type: ignore[no-untyped-def]
    return actors.caseworker.post(
        f"/v1/participants/{pid}/certificates",
        json=body if body is not None else {},
        headers={"Idempotency-Key": key, **headers},
    )


def _stored(actors: Actors, pid: str) -> int:
    with actors.live.engine.connect() as conn:
        stmt = (
            select(func.count())
            .select_from(certificates)
            .where(certificates.c.participant_id == pid)
        )
        return int(conn.execute(stmt).scalar_one())


def test_issue_zertifikat_and_replay_the_same_key(actors: Actors) -> None:
    pid = actors.ready_case()
    first = _issue(actors, pid, f"{pid}-k", {"expected_document": "zertifikat"})
    assert first.status_code == 201, first.text
    certificate = first.json()
    assert certificate["kind"] == "zertifikat"
    assert certificate["certificate_id"].startswith("ZIK-2026-")
    assert certificate["participant_version"] == actors.case(pid)["version"]
    again = _issue(actors, pid, f"{pid}-k", {"expected_document": "zertifikat"})
    assert again.status_code == 201
    assert again.json() == certificate
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _stored(actors, pid) == 1
    [entry] = actors.entries(pid)
    assert entry["status"] == "erledigt"


def test_same_key_with_another_body_is_refused(actors: Actors) -> None:
    pid = actors.ready_case()
    assert _issue(actors, pid, f"{pid}-k", {"expected_document": "zertifikat"}).status_code == 201
    other = _issue(actors, pid, f"{pid}-k", {})
    assert other.status_code == 409
    assert other.json()["code"] == "key_reused"
    assert other.json()["field"] == "Idempotency-Key"


def test_concurrent_requests_with_one_key_issue_one_document(actors: Actors) -> None:
    pid = actors.ready_case()

    def issue(_: int) -> tuple[int, dict]:
        response = _issue(actors, pid, f"{pid}-same", {"expected_document": "zertifikat"})
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(issue, range(6)))
    assert {status for status, _ in answers} == {201}
    assert len({body["certificate_id"] for _, body in answers}) == 1
    assert _stored(actors, pid) == 1


def test_concurrent_requests_with_different_keys_issue_one_zertifikat(actors: Actors) -> None:
    pid = actors.ready_case()

    def issue(n: int) -> int:
        return _issue(actors, pid, f"{pid}-{n}").status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = sorted(pool.map(issue, range(6)))
    assert codes.count(201) == 1
    assert set(codes) == {201, 409}
    assert _stored(actors, pid) == 1


def test_a_second_zertifikat_is_refused(actors: Actors) -> None:
    pid = actors.ready_case()
    assert _issue(actors, pid, f"{pid}-1").status_code == 201
    second = _issue(actors, pid, f"{pid}-2")
    assert second.status_code == 409
    assert second.json()["code"] in {"blocked", "zertifikat_exists", "already_issued"}


def test_expected_document_mismatch_is_409(actors: Actors) -> None:
    pid = actors.ready_case(b1=False)
    response = _issue(actors, pid, f"{pid}-k", {"expected_document": "zertifikat"})
    assert response.status_code == 409
    assert response.json()["code"] == "document_mismatch"
    assert response.json()["current"] == {"document": "bescheinigung"}
    assert _stored(actors, pid) == 0


def test_blockers_answer_409_with_the_blockers(actors: Actors) -> None:
    pid = actors.ready_case(identity=False)
    response = _issue(actors, pid, f"{pid}-k")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "blocked"
    codes = {b["code"] for b in body["blockers"]}
    assert {"ausweisnummer_fehlt", "anschrift_fehlt"} <= codes
    assert all(b["text"] and b["supplier"] for b in body["blockers"])
    assert _stored(actors, pid) == 0


def test_two_caseworkers_one_wins_the_other_gets_the_current_state(actors: Actors) -> None:
    pid = actors.ready_case()
    seen_by_both = actors.case(pid)["version"]
    first = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates",
        json={"expected_document": "zertifikat"},
        headers={"Idempotency-Key": f"{pid}-a", "If-Match": str(seen_by_both)},
    )
    second = actors.caseworker2.post(
        f"/v1/participants/{pid}/certificates",
        json={"expected_document": "zertifikat", "version": seen_by_both},
        headers={"Idempotency-Key": f"{pid}-b"},
    )
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "version_conflict"
    assert second.json()["current"]["version"] == first.json()["participant_version"]
    assert second.json()["current"]["participant_id"] == pid


def test_the_pdf_carries_name_number_and_results(actors: Actors) -> None:
    pid = actors.ready_case()
    certificate = _issue(actors, pid, f"{pid}-k").json()
    pdf = actors.caseworker.get(certificate["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("Şahin", "Ayşe", certificate["certificate_id"], "C01X00T47", "B1", "20"):
        assert expected in text, expected
    fetched = actors.caseworker.get(f"/v1/certificates/{certificate['certificate_id']}")
    assert fetched.status_code == 200
    assert fetched.json()["certificate_id"] == certificate["certificate_id"]


def test_bescheinigung_for_a_result_below_b1(actors: Actors) -> None:
    pid = actors.ready_case(b1=False)
    response = _issue(actors, pid, f"{pid}-k", {"expected_document": "bescheinigung"})
    assert response.status_code == 201, response.text
    assert response.json()["certificate_id"].startswith("BSC-2026-")
    case = actors.case(pid)
    assert [c["kind"] for c in case["certificates"]] == ["bescheinigung"]
    assert case["audit"][0]["action"] in {"fall_angesehen", "dokument_ausgestellt"}
    issued = next(a for a in case["audit"] if a["action"] == "dokument_ausgestellt")
    assert issued["rules_version"] == response.json()["rules_version"]
    assert issued["inputs"]["document_number"].endswith("47")
    assert "C01X00T47" not in str(issued["inputs"])


def test_missing_idempotency_key_names_the_header(actors: Actors) -> None:
    pid = actors.ready_case()
    response = actors.caseworker.post(f"/v1/participants/{pid}/certificates", json={})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "Idempotency-Key"
