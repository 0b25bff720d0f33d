"""Hostile input: oversized requests are refused early, query text stays text, names survive.

- Sizes (`inge_tui/server/limits.py`): a body above 1 MiB answers 413 before it is read (a
  declared length is refused while the body is still on its way; a chunked body is cut off
  where it crosses the limit), headers above 16 KiB answer 431, and a head too big for uvicorn
  to read is dropped with 400 or a closed connection. Nothing of a refused request is stored.
- Query strings with SQL, wildcards and control characters are text: 200 with no match, or 422
  naming the parameter; never a 5xx, never a match they should not have, nothing executed.
- Names in any script, with combining marks, right-to-left text or emoji, come back exactly as
  they were sent (the service stores them as sent, only trimmed of surrounding blanks; no NFC
  normalisation), and the Postkorb search finds them by their folded prefix in either form.
"""

from __future__ import annotations

import json
import socket
import time
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select
from support.cases import Actors, new_id

from inge_tui.server.store.schema import audit, participants, postbox_entries

MIB = 1024 * 1024


def _connect(actors: Actors) -> socket.socket:
    where = urlsplit(actors.live.base_url)
    sock = socket.create_connection((where.hostname, where.port), timeout=10)
    return sock


def _stored(actors: Actors, pid: str) -> bool:
    with actors.live.engine.connect() as conn:
        stmt = select(func.count()).where(participants.c.participant_id == pid)
        return bool(conn.execute(stmt).scalar_one())


def _auth(client: httpx.Client) -> str:
    return client.headers["Authorization"]


# ---------------------------------------------------------------- sizes


def test_a_declared_body_over_1_mib_is_refused_before_it_arrives(actors: Actors) -> None:
    sock = _connect(actors)
    try:
        head = (
            "POST /v1/participants HTTP/1.1\r\nHost: inge\r\n"
            f"Authorization: {_auth(actors.provider)}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {2 * MIB}\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"participant_id": "')  # 2 MiB promised, 20 bytes sent
        received = b""
        while chunk := sock.recv(65536):  # the service answers and closes the connection
            received += chunk
    finally:
        sock.close()
    answer = received.decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413 "), answer[:80]
    assert '"code": "http_413"' in answer
    assert "höchstens 1 MiB" in answer


def test_a_streamed_body_over_the_limit_is_cut_off_and_nothing_is_stored(actors: Actors) -> None:
    pid = new_id()

    def chunks() -> Iterator[bytes]:
        yield f'{{"participant_id": "{pid}", "surname": "'.encode()
        for _ in range(24):  # 1.5 MiB, no Content-Length
            yield b"A" * 65536
        yield b'"}'

    answer = actors.provider.post(
        "/v1/participants", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "http_413"
    assert not _stored(actors, pid)


def test_a_body_just_under_the_limit_is_read_as_usual(actors: Actors) -> None:
    payload = httpx.Request("POST", "/", json=actors.participant_body()).content
    padded = payload[:-1] + b" " * (MIB - len(payload)) + b"}"  # JSON allows the blanks
    assert len(padded) == MIB
    answer = actors.provider.post(
        "/v1/participants", content=padded, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 201, answer.text


def test_headers_over_16_kib_are_refused_before_any_route(actors: Actors) -> None:
    big = actors.caseworker.get("/v1/postbox", headers={"X-Padding": "a" * 20_000})
    assert big.status_code == 431
    assert big.json()["code"] == "http_431"
    long_url = actors.caseworker.get("/v1/postbox", params={"q": "a" * 20_000})
    assert long_url.status_code == 431
    fine = actors.caseworker.get("/v1/postbox", headers={"X-Padding": "a" * 8_000})
    assert fine.status_code == 200


def test_a_head_too_big_for_uvicorn_is_dropped_never_served(actors: Actors) -> None:
    try:
        answer = actors.caseworker.get("/v1/postbox", headers={"X-Padding": "a" * 400_000})
    except httpx.TransportError:
        return  # uvicorn answered 400 and closed while the client was still writing
    assert answer.status_code == 400


def test_a_head_sent_in_pieces_is_refused_by_uvicorn_at_16_kib(actors: Actors) -> None:
    sock = _connect(actors)
    sock.settimeout(5)
    received = b""
    try:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: inge\r\nX-Padding: ")
        for _ in range(40):  # 40 KiB in pieces, never finishing the head
            try:
                sock.sendall(b"a" * 1024)
            except (BrokenPipeError, ConnectionResetError):
                break  # the service closed the connection: refused
            time.sleep(0.005)
        received = sock.recv(4096)  # an answer, or b"" for a closed connection
    except ConnectionResetError:
        pass  # closed with a reset: refused
    except TimeoutError:
        raise AssertionError("the service kept waiting for more of a 40 KiB head") from None
    finally:
        sock.close()
    assert received == b"" or received.startswith(b"HTTP/1.1 400 "), received[:80]


def test_oversized_header_values_are_refused_by_their_own_rules(actors: Actors) -> None:
    anonymous = httpx.get(
        f"{actors.live.base_url}/v1/postbox",
        headers={"Authorization": "Bearer inge_" + "x" * 10_000},
    )
    assert anonymous.status_code == 401
    pid = actors.ready_case()
    key = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": "k" * 300}
    )
    assert key.status_code == 422
    assert key.json()["detail"][0]["field"] == "Idempotency-Key"


def test_deeply_nested_json_is_a_400_not_a_crash(actors: Actors) -> None:
    answer = actors.provider.post(
        "/v1/participants",
        content=b"[" * 200_000 + b"]" * 200_000,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "http_400"


# ---------------------------------------------------------------- query strings

AS_TEXT = [
    "' OR 1=1 --",
    "'; DROP TABLE postbox_entries; --",
    '" OR ""="',
    "%",
    "_",
    "sah%",
    "\\",
    "*",
    "Şahin' UNION SELECT token_hash FROM tokens --",
]
REFUSED = {
    "nul": "\x00",
    "escape": "\x1b[31m",
    "newline": "sah\nin",
    "too long": "a" * 101,
    "very long": "a" * 10_000,
}


@pytest.fixture
def office_with_cases(actors: Actors) -> Actors:
    for _ in range(2):
        actors.ready_case()
    return actors


def _rows(actors: Actors) -> tuple[int, int]:
    with actors.live.engine.connect() as conn:
        people = conn.execute(select(func.count()).select_from(participants)).scalar_one()
        entries = conn.execute(select(func.count()).select_from(postbox_entries)).scalar_one()
    return people, entries


def test_query_text_with_sql_and_wildcards_matches_nothing(office_with_cases: Actors) -> None:
    actors = office_with_cases
    before = _rows(actors)
    control = actors.caseworker.get("/v1/postbox", params={"q": "sah"}).json()
    assert len(control["items"]) == 2  # the office has entries a bad filter would show
    for q in AS_TEXT:
        page = actors.caseworker.get("/v1/postbox", params={"q": q})
        assert page.status_code == 200, (q, page.text)
        assert page.json()["items"] == [], q
        count = actors.caseworker.get("/v1/postbox/count", params={"q": q})
        assert count.status_code == 200 and count.json()["count"] == 0, q
        by_id = actors.caseworker.get("/v1/postbox", params={"participant_id": q})
        assert by_id.status_code in {200, 422}, q  # 422: longer than an id can be
        assert by_id.status_code == 422 or by_id.json()["items"] == [], q
    assert _rows(actors) == before


@pytest.mark.parametrize("label", list(REFUSED))
def test_query_text_with_control_characters_is_refused_naming_it(
    office_with_cases: Actors, label: str
) -> None:
    page = office_with_cases.caseworker.get("/v1/postbox", params={"q": REFUSED[label]})
    assert page.status_code == 422, page.text
    assert page.json()["detail"][0]["field"] == "q"
    assert REFUSED[label][:20] not in page.text  # refusals name the field, never echo it


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/participants/' OR 1=1--", {}),
        ("/v1/participants/TN-1%00", {}),
        ("/v1/postbox", {"cursor": "' OR 1=1 --"}),
        ("/v1/postbox", {"sort": "newest; DROP TABLE audit"}),
        ("/v1/postbox", {"status": "offen' OR '1'='1"}),
        ("/v1/postbox", {"limit": "1 OR 1=1"}),
        ("/v1/audit", {"participant_id": "' OR 1=1 --"}),
        ("/v1/certificates/ZIK-2026-0000001' OR '1'='1", {}),
    ],
)
def test_hostile_paths_and_parameters_are_422(
    office_with_cases: Actors, path: str, params: dict[str, str]
) -> None:
    answer = office_with_cases.caseworker.get(path, params=params)
    assert answer.status_code == 422, (path, params, answer.status_code, answer.text)


def test_an_unknown_or_misspelt_parameter_is_refused_not_ignored(
    office_with_cases: Actors,
) -> None:
    """`?stauts=erledigt` must not quietly show every entry (found by `bench/hostile.py`)."""
    for params in ({"stauts": "erledigt"}, {"": "null"}, {"q": "sah", "limit": "5", "x": "1"}):
        answer = office_with_cases.caseworker.get("/v1/postbox", params=params)
        assert answer.status_code == 422, params
        assert answer.json()["detail"][0]["message"] == "unbekannter Parameter"
    declared = office_with_cases.caseworker.get(
        "/v1/postbox", params={"status": ["offen", "in_bearbeitung"], "q": "sah", "limit": "5"}
    )
    assert declared.status_code == 200


# ---------------------------------------------------------------- names

NAMES = {
    "NFD Latin": ("Nguye\u0302\u0303n", "Zoe\u0308"),
    "NFC Latin": ("Nguyễn", "Zoë"),
    "Arabic": ("محمد", "فاطمة"),
    "Hebrew with points": ("שָׁלוֹם", "אַבְרָהָם"),
    "Persian with ZWNJ": ("مهر\u200cناز", "نیک\u200cنام"),
    "Devanagari": ("अनुष्का", "शर्मा"),
    "emoji": ("Haddad 👩🏽‍🔬", "Rania 🇩🇪"),
    "SQL text": ("O'Brien", "Robert'); DROP TABLE participants;--"),
}


@pytest.mark.parametrize("label", list(NAMES))
def test_names_come_back_byte_exact(actors: Actors, label: str) -> None:
    surname, given = NAMES[label]
    pid = actors.register(surname=surname, given_name=given)
    case = actors.case(pid)
    assert case["surname"].encode() == surname.encode()
    assert case["given_name"].encode() == given.encode()
    register_again = actors.provider.post(
        "/v1/participants", json=actors.participant_body(pid, surname=surname, given_name=given)
    )
    assert register_again.status_code == 200  # the same registration, byte for byte


def test_the_search_finds_a_name_in_either_normal_form(actors: Actors) -> None:
    nfd = actors.ready_case(surname="Nguye\u0302\u0303n", given_name="Lan")
    nfc = actors.ready_case(surname="Nguyễn", given_name="Lan")
    [entry] = actors.entries(nfd)
    assert entry["surname"] == "Nguye\u0302\u0303n"
    for q in ("nguyen", "Nguyễn", unicodedata.normalize("NFD", "Nguyễn"), "NGUY"):
        found = actors.caseworker.get("/v1/postbox", params={"q": q}).json()["items"]
        assert {e["participant_id"] for e in found} == {nfd, nfc}, q


def test_the_same_name_in_another_normal_form_is_other_data(actors: Actors) -> None:
    """Stored as sent: a registration repeated in the other form is not silently merged."""
    pid = actors.register(surname="Nguyễn")
    again = actors.provider.post(
        "/v1/participants",
        json=actors.participant_body(pid, surname=unicodedata.normalize("NFD", "Nguyễn")),
    )
    assert again.status_code == 409
    assert again.json()["code"] == "participant_exists"


def test_surrounding_blanks_are_trimmed_and_control_characters_refused(actors: Actors) -> None:
    pid = actors.register(surname="  Şahin\u00a0", given_name="Ayşe ")
    case = actors.case(pid)
    assert (case["surname"], case["given_name"]) == ("Şahin", "Ayşe")
    for bad in ("\x1b[31mŞahin", "Şa\x00hin", "Şahin\u0007"):
        refused = actors.provider.post(
            "/v1/participants", json=actors.participant_body(surname=bad)
        )
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["field"] == "surname"


ONE_LINE_REFUSED = {
    "line break": "Şa\nhin",
    "tab": "Şa\thin",
    "line separator U+2028": "Şa\u2028hin",
    "paragraph separator U+2029": "Şahin\u2029",
    "right-to-left override U+202E": "\u202enihaŞ",
    "isolate U+2066": "Şa\u2066hin",
}


@pytest.mark.parametrize("label", list(ONE_LINE_REFUSED))
def test_names_and_addresses_refuse_breaks_separators_and_bidi_controls(
    actors: Actors, label: str
) -> None:
    """A name or an address is one printable line: refused whole, in German, naming the field,
    and nothing stored (issue 15, item 2)."""
    bad = ONE_LINE_REFUSED[label]
    before = _rows(actors)
    for field in ("surname", "given_name"):
        refused = actors.provider.post(
            "/v1/participants", json=actors.participant_body(**{field: bad})
        )
        assert refused.status_code == 422, (field, refused.text)
        detail = refused.json()["detail"][0]
        assert detail["field"] == field
        assert "Steuer" in detail["message"], detail  # Steuerzeichen / Schreibrichtungs-Steuerung
    assert _rows(actors) == before

    pid = actors.register()
    address = {"street": bad, "postal_code": "90402", "city": "Nürnberg"}
    body = {"document_type": "reisepass", "document_number": "C01X00T47", "address": address}
    refused = actors.provider.put(f"/v1/participants/{pid}/identity", json=body)
    assert refused.status_code == 422
    assert "street" in refused.json()["detail"][0]["field"]
    assert actors.case(pid).get("address") in (None, {})


def test_a_reason_keeps_its_line_breaks_but_not_a_bidi_override(actors: Actors) -> None:
    pid = actors.ready_case()
    entry = actors.entries(pid)[0]
    assert actors.caseworker2.post(f"/v1/postbox/{entry['entry_id']}/claim").status_code == 200
    url = f"/v1/postbox/{entry['entry_id']}/take-over"
    for bad in ("Vertretung\u202e wegen Urlaub", "Vertretung\twegen Urlaub"):
        refused = actors.supervisor.post(url, json={"reason": bad})
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"][0]["field"] == "reason"
    taken = actors.supervisor.post(url, json={"reason": "Vertretung\r\nwegen Urlaub"})
    assert taken.status_code == 200, taken.text
    with actors.live.engine.connect() as conn:
        kept = conn.execute(
            select(audit.c.inputs).where(
                audit.c.entry_id == entry["entry_id"],
                audit.c.action == "postkorb_uebernahme_durch_leitung",
            )
        ).scalar_one()
    assert json.loads(kept)["reason"] == "Vertretung\nwegen Urlaub"  # one line end, kept
