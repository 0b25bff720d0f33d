"""The life of an issued document over HTTP against the real service (domain.md A.12, A.13):
one page with the reasoning in the decision record, reversal, copy, withdrawal letter,
dispatch and the number series."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import httpx
from pypdf import PdfReader
from support.cases import Actors

LONG = {
    "surname": "Abdelrahman-Al-Mansouri-Van-der-Berghe-Papadopoulou",
    "given_name": "Maria-Anastasia Fatima-Zahra Nguyễn Thị",
}


def issued(actors: Actors, pid: str, client: httpx.Client | None = None) -> dict[str, Any]:
    response = (client or actors.caseworker).post(
        f"/v1/participants/{pid}/certificates",
        json={},
        headers={"Idempotency-Key": f"k-{pid}-{datetime.now(UTC).timestamp()}"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def pages(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def document(actors: Actors, pid: str, number: str) -> dict[str, Any]:
    return next(c for c in actors.case(pid)["certificates"] if c["certificate_id"] == number)


def open_entries(actors: Actors, pid: str) -> list[dict[str, Any]]:
    return [
        e for e in actors.entries(pid) if e["kind"] == "abschluss" and e["status"] != "erledigt"
    ]


def actions(actors: Actors, pid: str) -> list[str]:
    rows = actors.supervisor.get("/v1/audit", params={"participant_id": pid}).json()["items"]
    return [r["action"] for r in rows]


def dispatch_all(actors: Actors) -> None:
    batch = actors.caseworker.get("/v1/dispatch").json()
    marked = actors.caseworker.post("/v1/dispatch", json={"as_of": batch["as_of"]})
    assert marked.status_code == 200, marked.text


def series(actors: Actors) -> dict[str, dict[str, Any]]:
    year = datetime.now(UTC).year
    report = actors.supervisor.get(f"/v1/number-series/{year}")
    assert report.status_code == 200, report.text
    return {s["series"]: s for s in report.json()["series"]}


# ---- 1: one page; the reasoning is the decision record


def test_documents_are_one_page_and_the_reasoning_is_the_record(actors: Actors) -> None:
    for b1, kind in ((True, "zertifikat"), (False, "bescheinigung")):
        pid = actors.ready_case(b1=b1, **LONG)
        actors.identity(
            pid,
            address={
                "street": "Hauptstraße der Bundesrepublik Deutschland 123a, Hinterhaus, 4. OG",
                "postal_code": "60528",
                "city": "Frankfurt am Main-Niederrad-Goldstein",
            },
        )
        doc = issued(actors, pid)
        assert doc["kind"] == kind
        text = pages(actors.caseworker.get(f"/v1/certificates/{doc['certificate_id']}/pdf"))
        assert len(text) == 1, f"{kind}: {len(text)} pages"
        assert "Grundlagen der Entscheidung" not in text[0]
        assert "Im Auftrag" in text[0] and doc["certificate_id"] in text[0]
        record = document(actors, pid, doc["certificate_id"])["record"]
        assert record, "the decision record keeps the rules' reasons"
        assert all(r["citation"] for r in record)
        assert {"R6" if kind == "zertifikat" else "R7"} & {r["rule_id"] for r in record} or record


# ---- 2: reversal


def test_the_issuer_reverses_before_dispatch_and_the_entry_reopens(actors: Actors) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    assert open_entries(actors, pid) == []
    path = f"/v1/certificates/{number}/reversal"
    reason = "Falsche Ausweisnummer übernommen, Dokument neu ausstellen"

    other = actors.caseworker2.post(path, json={"reason": reason})
    assert other.status_code == 403 and other.json()["code"] == "not_issuer"
    short = actors.caseworker.post(path, json={"reason": "Fehler"})
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "reason"
    assert document(actors, pid, number)["status"] == "gueltig"  # nothing changed

    done = actors.caseworker.post(path, json={"reason": reason})
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["status"], body["reversed_by"], body["reversal_reason"]) == (
        "storniert",
        "Sachbearbeiterin Weber",
        reason,
    )
    assert len(open_entries(actors, pid)) == 1  # the document is due again
    again = actors.caseworker.post(path, json={"reason": reason})
    assert again.status_code == 409
    new = issued(actors, pid)["certificate_id"]
    assert new != number
    assert {"dokument_ausgestellt", "dokument_storniert"} <= set(actions(actors, pid))
    prefix = number.rsplit("-", 1)[0]
    assert series(actors)[prefix]["unexplained"] == []


def test_a_dispatched_document_cannot_be_reversed(actors: Actors) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    batch = actors.caseworker.get("/v1/dispatch").json()
    assert [i["item_id"] for i in batch["items"]] == [number]
    marked = actors.caseworker.post("/v1/dispatch", json={"as_of": batch["as_of"]})
    assert marked.status_code == 200 and marked.json()["dispatched"] == 1
    refused = actors.caseworker.post(
        f"/v1/certificates/{number}/reversal",
        json={"reason": "Falsche Ausweisnummer übernommen, neu ausstellen"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "already_dispatched"
    assert "zurückgenommen" in refused.json()["detail"]


# ---- 3: the withdrawal letter


def test_a_confirmed_withdrawal_writes_a_letter_for_dispatch(actors: Actors) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    assert actors.lid(pid, 12).status_code == 201
    path = f"/v1/certificates/{number}/withdrawal"
    reason = "LiD-Ergebnis vom OET auf 12 Punkte berichtigt; nicht bestanden"
    assert actors.caseworker.post(path, json={"reason": reason}).status_code == 201
    confirmed = actors.supervisor.post(f"{path}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.text
    [letter] = confirmed.json()["letters"]
    assert (letter["letter_id"], letter["kind"]) == (f"{number}-R", "ruecknahme")
    [text] = pages(actors.caseworker.get(letter["pdf_url"]))
    assert "Rücknahme des Zertifikats" in text and number in text and "12 Punkte" in text
    bescheinigung = issued(actors, pid)["certificate_id"]
    items = [i["item_id"] for i in actors.caseworker.get("/v1/dispatch").json()["items"]]
    # never posted, so never in the participant's hands: neither it nor its withdrawal goes out
    assert items == [bescheinigung]


def test_a_posted_zertifikat_withdrawn_goes_out_as_a_letter_beside_the_bescheinigung(
    actors: Actors,
) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    dispatch_all(actors)
    assert actors.lid(pid, 12).status_code == 201
    path = f"/v1/certificates/{number}/withdrawal"
    reason = "LiD-Ergebnis vom OET auf 12 Punkte berichtigt; nicht bestanden"
    assert actors.caseworker.post(path, json={"reason": reason}).status_code == 201
    assert actors.supervisor.post(f"{path}/confirm", json={}).status_code == 200
    bescheinigung = issued(actors, pid)["certificate_id"]
    items = [i["item_id"] for i in actors.caseworker.get("/v1/dispatch").json()["items"]]
    assert items == [f"{number}-R", bescheinigung]


# ---- 4: copy


def test_a_copy_has_the_same_number_and_data_marked_as_copy(actors: Actors) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    path = f"/v1/certificates/{number}/copies"
    early = actors.caseworker.post(path, json={"reason": "verloren"})
    assert (early.status_code, early.json()["code"]) == (409, "not_dispatched")
    assert "noch nicht versandt" in early.json()["detail"]
    dispatch_all(actors)
    assert actors.caseworker.post(path, json={}).status_code == 422
    made = actors.caseworker.post(path, json={"reason": "verloren"})
    assert made.status_code == 201, made.text
    copy = made.json()
    assert copy["letter_id"] == f"{number}-Z1" and copy["kind"] == "zweitschrift"
    original = pages(actors.caseworker.get(f"/v1/certificates/{number}/pdf"))
    stamped = pages(actors.caseworker.get(copy["pdf_url"]))
    assert len(stamped) == len(original) == 1
    assert "ZWEITSCHRIFT" in stamped[0] and "ZWEITSCHRIFT" not in original[0]
    assert number in stamped[0]
    # every line of the original is on the copy: the same data, not a new original
    assert all(line in stamped[0] for line in original[0].splitlines() if line.strip())
    second = actors.caseworker.post(path, json={"reason": "beschädigt"}).json()
    assert second["letter_id"] == f"{number}-Z2"
    assert "zweitschrift_ausgestellt" in actions(actors, pid)
    assert [c["certificate_id"] for c in actors.case(pid)["certificates"]] == [number]


# ---- 5: dispatch


def test_the_print_run_has_a_cover_list_and_marks_only_what_it_printed(actors: Actors) -> None:
    first, second = actors.ready_case(), actors.ready_case(b1=False)
    one = issued(actors, first)["certificate_id"]
    two = issued(actors, second)["certificate_id"]
    batch = actors.caseworker.get("/v1/dispatch").json()
    assert [i["item_id"] for i in batch["items"]] == [one, two]
    text = pages(actors.caseworker.get("/v1/dispatch/pdf", params={"as_of": batch["as_of"]}))
    assert len(text) == 3
    assert "Tagesdruck" in text[0] and one in text[0] and two in text[0]
    assert "Zertifikat" in text[0] and "Bescheinigung" in text[0]

    third = issued(actors, actors.ready_case())["certificate_id"]  # after the print run
    marked = actors.caseworker.post("/v1/dispatch", json={"as_of": batch["as_of"]})
    assert marked.status_code == 200
    assert [i["item_id"] for i in marked.json()["items"]] == [one, two]
    left = actors.caseworker.get("/v1/dispatch").json()["items"]
    assert [i["item_id"] for i in left] == [third]
    again = actors.caseworker.post("/v1/dispatch", json={"as_of": batch["as_of"]})
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_dispatch"
    assert document(actors, first, one)["dispatched_at"] is not None


# ---- 6: every number accounted for


def test_a_refused_issue_uses_no_number(actors: Actors) -> None:
    blocked = actors.ready_case(identity=False)
    before = series(actors)
    refused = actors.issue(blocked)
    assert refused.status_code == 409 and refused.json()["code"] == "blocked"
    stale = actors.ready_case()
    mismatch = actors.issue(stale, expected_document="bescheinigung")
    assert mismatch.status_code == 409
    after = series(actors)
    assert {k: v["last"] for k, v in after.items()} == {k: v["last"] for k, v in before.items()}
    for s in after.values():
        assert s["unexplained"] == []


def test_documents_and_letters_are_office_isolated(actors: Actors) -> None:
    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    dispatch_all(actors)
    copy = actors.caseworker.post(f"/v1/certificates/{number}/copies", json={"reason": "verloren"})
    stranger = Actors(actors.live)
    try:
        assert stranger.caseworker.get(copy.json()["pdf_url"]).status_code == 404
        reverse = stranger.caseworker.post(
            f"/v1/certificates/{number}/reversal",
            json={"reason": "Falsche Ausweisnummer übernommen, neu ausstellen"},
        )
        assert reverse.status_code == 404
        assert stranger.caseworker.get("/v1/dispatch").json()["items"] == []
    finally:
        stranger.close()


# ---- 8: the PDF is rendered from the text fixed at issue, checked against its hash


def test_the_pdf_is_rendered_once_from_the_fixed_text_and_tampering_is_refused(
    actors: Actors,
) -> None:
    from sqlalchemy import select, update

    from inge_tui.server.store.schema import certificates

    pid = actors.ready_case()
    number = issued(actors, pid)["certificate_id"]
    c = certificates.c
    engine = actors.live.engine

    def stored() -> bytes:
        with engine.connect() as conn:
            return bytes(conn.execute(select(c.pdf).where(c.certificate_id == number)).scalar_one())

    assert stored() == b""  # issuing fixed the text, not the PDF
    first = actors.caseworker.get(f"/v1/certificates/{number}/pdf").content
    assert first.startswith(b"%PDF") and stored() == first  # kept from the first use on
    with engine.begin() as conn:  # rendered again from the same text: the same bytes
        conn.execute(update(certificates).where(c.certificate_id == number).values(pdf=b""))
    assert actors.caseworker.get(f"/v1/certificates/{number}/pdf").content == first

    with engine.begin() as conn:  # the text changed behind the service's back
        printed = conn.execute(select(c.printed).where(c.certificate_id == number)).scalar_one()
        conn.execute(
            update(certificates)
            .where(c.certificate_id == number)
            .values(pdf=b"", printed=printed.replace('"lid_points": 20', '"lid_points": 33'))
        )
    refused = actors.caseworker.get(f"/v1/certificates/{number}/pdf")
    assert refused.status_code == 500 and refused.json()["code"] == "document_data_mismatch"
    assert "Prüfsumme" in refused.json()["detail"]
    assert stored() == b""
