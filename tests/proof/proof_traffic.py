"""Representative traffic with secrets in it, for the log and at-rest proofs.

`exercise(base_url, tokens, office)` plays one case through the service the way the outside
systems and a caseworker would, plus the usual mistakes (bad input carrying a document number,
a wrong token, a token pasted into the search box, oversized requests), and returns every
secret it used: ID document numbers, tokens, and the participant's name.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import httpx


@dataclass
class Secrets:
    document_numbers: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.document_numbers, *self.tokens, *self.names]


def _client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def _oversized_put(client: httpx.Client, path: str, body: bytes) -> httpx.Response:
    """PUT a body above the limit. The service answers 413 from the head alone and closes the
    connection with the body unread, so the kernel may reset it before the client has read
    the answer (ECONNRESET, or the answer cut off mid-way): that race is the transport's, so it
    is tried again, at most twice.
    """
    headers = {"Content-Type": "application/json"}
    for _ in range(2):
        try:
            return client.put(path, content=body, headers=headers)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            continue
    return client.put(path, content=body, headers=headers)


def exercise(base_url: str, tokens: dict[str, str], office: str) -> Secrets:
    """Play one case and the usual mistakes; `tokens`: role → token (office roles of `office`)."""
    tag = secrets.token_hex(4).upper()
    pid = f"TN-LOG{tag}"
    found = Secrets(
        document_numbers=[f"LOG{tag}A1", f"LOG{tag}B2", f"LOG{tag}C3"],
        tokens=[*tokens.values(), "inge_" + secrets.token_urlsafe(32)],
        names=[f"Loggerova{tag.lower()}", f"Zuzana{tag.lower()}"],
    )
    good, refused, broken = found.document_numbers
    wrong_token = found.tokens[-1]
    clients = {role: _client(base_url, token) for role, token in tokens.items()}
    try:
        provider, cw = clients["course_provider"], clients["caseworker"]
        registered = provider.post(
            "/v1/participants",
            json={
                "participant_id": pid,
                "surname": found.names[0],
                "given_name": found.names[1],
                "birth_date": "1988-02-29",
                "course_type": "allgemein",
                "contingent_hours": 600,
                "hours_used": 600,
                "office": office,
            },
        )
        assert registered.status_code == 201, registered.text
        address = {"street": "Logweg 3", "postal_code": "90402", "city": "Nürnberg"}
        identity = {"document_type": "reisepass", "document_number": good, "address": address}
        assert provider.put(f"/v1/participants/{pid}/identity", json=identity).status_code == 200
        # mistakes that carry a document number: an unknown field, a malformed number
        bad = provider.put(
            f"/v1/participants/{pid}/identity",
            json={**identity, "document_number": refused, "x": 1},
        )
        assert bad.status_code == 422
        malformed = provider.put(
            f"/v1/participants/{pid}/identity", json={"document_number": f"{broken}-?!"}
        )
        assert malformed.status_code == 422
        dtz = {
            "transmission_id": f"DTZ-LOG-{tag}",
            "participant_id": pid,
            "exam_date": "2026-01-10",
            "exam_center": "VHS Nürnberg",
            "parts": {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80},
        }
        assert clients["test_institute"].post("/v1/dtz-results", json=dtz).status_code == 201
        lid = {
            "transmission_id": f"LID-LOG-{tag}",
            "participant_id": pid,
            "exam_date": "2026-01-20",
            "points": 25,
        }
        assert clients["oet"].post("/v1/lid-results", json=lid).status_code == 201
        # the caseworker: search by name (and by a pasted token), open, reveal, claim, issue
        assert cw.get("/v1/postbox", params={"q": found.names[0][:6]}).status_code == 200
        assert cw.get("/v1/postbox", params={"q": tokens["caseworker"][:90]}).status_code == 200
        [entry] = cw.get("/v1/postbox", params={"participant_id": pid}).json()["items"]
        assert cw.get(f"/v1/participants/{pid}").status_code == 200
        assert cw.post(f"/v1/participants/{pid}/identity/reveal").status_code == 200
        assert cw.post(f"/v1/postbox/{entry['entry_id']}/claim").status_code == 200
        issued = cw.post(
            f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": tag}
        )
        assert issued.status_code == 201, issued.text
        assert cw.get(issued.json()["pdf_url"]).status_code == 200
        assert clients["supervisor"].get("/v1/stats").status_code == 200
        # refusals: a wrong token, a token where a role does not fit, oversized requests
        with _client(base_url, wrong_token) as stranger:
            assert stranger.get("/v1/postbox").status_code == 401
        assert clients["oet"].get(f"/v1/participants/{pid}").status_code == 403
        big = _oversized_put(
            provider,
            f"/v1/participants/{pid}/identity",
            b'{"document_number": "' + good.encode() + b'"' + b" " * (2 << 20) + b"}",
        )
        assert big.status_code == 413
        assert cw.get("/v1/postbox", headers={"X-Note": good * 2000}).status_code == 431
    finally:
        for client in clients.values():
            client.close()
    return found
