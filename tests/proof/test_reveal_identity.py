"""Revealing the ID document number: the full number for the office's caseworkers, and every
reveal in the audit history without the number (domain.md A.10).
"""

from __future__ import annotations

import httpx
from sqlalchemy import select
from support.cases import Actors

from inge_tui.api.client import IngeClient
from inge_tui.server.store.schema import audit

NUMBER = "C01X00T47"
MASKED = "•••••••47"


def _reveals(actors: Actors, pid: str) -> list[dict[str, object]]:
    """The `identity_revealed` rows of a case, straight from the database."""
    with actors.live.engine.connect() as conn:
        rows = conn.execute(
            select(audit)
            .where(audit.c.participant_id == pid, audit.c.action == "identity_revealed")
            .order_by(audit.c.audit_id)  # PostgreSQL gives no order without one (CI saw W, W, N)
        )
        return [dict(r._mapping) for r in rows]


def _reveal(client: httpx.Client, pid: str) -> httpx.Response:
    return client.post(f"/v1/participants/{pid}/identity/reveal")


def test_a_caseworker_sees_the_full_number_and_the_reveal_is_audited(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid, document_number=NUMBER)
    answer = _reveal(actors.caseworker, pid)
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert shown["document_number"] == NUMBER
    assert shown["document_number_masked"] == MASKED
    assert shown["document_type"] == "reisepass"
    assert shown["address"]["city"] == "Nürnberg"
    [row] = _reveals(actors, pid)
    assert row["actor_name"] == "Sachbearbeiterin Weber"
    assert row["actor_role"] == "caseworker"
    assert NUMBER not in f"{row['inputs']} {row['outcome']}"
    assert NUMBER[-4:] not in f"{row['inputs']} {row['outcome']}"
    history = actors.caseworker.get("/v1/audit", params={"participant_id": pid}).json()
    assert history["items"][0]["action"] == "identity_revealed"
    assert NUMBER not in str(history)


def test_only_the_reveal_route_sends_the_full_number(actors: Actors) -> None:
    """The case, the identity receipt, the certificate, the audit and the Postkorb carry the
    number masked (last two characters) or not at all; the reveal answers it and is audited."""
    pid = actors.ready_case(identity=False)
    receipt = actors.identity(pid, document_number=NUMBER)
    assert NUMBER not in receipt.text
    assert receipt.json()["identity"]["document_number"] is None
    assert receipt.json()["identity"]["document_number_masked"] == MASKED
    for client in (actors.caseworker, actors.supervisor):
        case = client.get(f"/v1/participants/{pid}")
        assert case.status_code == 200, case.text
        assert case.json()["identity"]["document_number"] is None
        assert case.json()["identity"]["document_number_masked"] == MASKED
        assert NUMBER not in case.text
    issued = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": pid}
    )
    assert issued.status_code == 201, issued.text
    assert NUMBER not in issued.text
    reads = {
        f"/v1/certificates/{issued.json()['certificate_id']}": {},
        "/v1/audit": {"participant_id": pid},
        "/v1/postbox": {"participant_id": pid},
        f"/v1/participants/{pid}": {},
    }
    for path, params in reads.items():
        answer = actors.caseworker.get(path, params=params)
        assert answer.status_code == 200, answer.text
        assert NUMBER not in answer.text, path

    revealed = _reveal(actors.caseworker, pid)
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["document_number"] == NUMBER
    assert revealed.json()["document_number_masked"] == MASKED
    [row] = _reveals(actors, pid)
    assert NUMBER not in f"{row['inputs']} {row['outcome']}"
    history = actors.caseworker.get("/v1/audit", params={"participant_id": pid})
    assert history.json()["items"][0]["action"] == "identity_revealed"
    assert NUMBER not in history.text


def test_every_reveal_is_a_new_audit_entry(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid, document_number=NUMBER)
    for client in (actors.caseworker, actors.supervisor, actors.caseworker):
        assert _reveal(client, pid).status_code == 200
    actors_seen = [row["actor_name"] for row in _reveals(actors, pid)]
    assert actors_seen == ["Sachbearbeiterin Weber", "Leitung Nowak", "Sachbearbeiterin Weber"]


def test_nobody_else_sees_the_number_and_a_refusal_leaves_no_reveal(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid, document_number=NUMBER)
    stranger = actors.live.client("caseworker", actors.live.new_office())
    try:
        other_office = _reveal(stranger, pid)
        assert other_office.status_code == 404
        assert NUMBER not in other_office.text and pid not in other_office.text
    finally:
        stranger.close()
    for client in (actors.provider, actors.institute, actors.oet, actors.admin):
        refused = _reveal(client, pid)
        assert refused.status_code == 403
        assert NUMBER not in refused.text
    anonymous = httpx.post(f"{actors.live.base_url}/v1/participants/{pid}/identity/reveal")
    assert anonymous.status_code == 401
    assert _reveals(actors, pid) == []


def test_a_case_without_a_number_answers_and_audits_that_none_was_shown(actors: Actors) -> None:
    pid = actors.register()
    answer = _reveal(actors.caseworker, pid)
    assert answer.status_code == 200
    assert answer.json()["document_number"] is None
    assert answer.json()["document_number_masked"] is None
    [row] = _reveals(actors, pid)
    assert '"document_number_present": false' in row["outcome"]


async def test_the_app_client_reveals_through_the_audited_route(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid, document_number=NUMBER)
    token = actors.live.token("caseworker", actors.office, "Sachbearbeiterin Weber")
    async with IngeClient(actors.live.base_url, token) as client:
        identity = await client.reveal_identity(pid)
    assert identity.document_number == NUMBER
    assert NUMBER not in repr(identity)  # the model keeps the number out of its repr
    assert len(_reveals(actors, pid)) == 1
