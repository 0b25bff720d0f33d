"""The audit history: every view and decision lands there; the database refuses to rewrite it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from support.cases import Actors


def test_views_and_decisions_are_audited_and_paged(actors: Actors) -> None:
    pid = actors.ready_case()
    actors.case(pid)
    actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": pid}
    )
    first = actors.caseworker.get("/v1/audit", params={"participant_id": pid, "limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert [a["action"] for a in page["items"]] == ["dokument_ausgestellt", "fall_angesehen"]
    assert page["items"][0]["actor"] == "Sachbearbeiterin Weber"
    rest = actors.caseworker.get(
        "/v1/audit", params={"participant_id": pid, "cursor": page["next_cursor"]}
    ).json()
    actions = [a["action"] for a in rest["items"]]
    assert actions[-1] == "teilnehmer_angemeldet"
    assert {"identitaet_gemeldet", "dtz_empfangen", "lid_empfangen"} <= set(actions)
    reported = next(a for a in rest["items"] if a["action"] == "identitaet_gemeldet")
    assert "C01X00T47" not in str(reported["inputs"])


@pytest.mark.parametrize("statement", ["UPDATE audit SET action = 'x'", "DELETE FROM audit"])
def test_the_database_refuses_to_change_the_audit(actors: Actors, statement: str) -> None:
    actors.ready_case()
    with pytest.raises(DBAPIError, match="append-only"), actors.live.engine.begin() as conn:
        conn.execute(text(statement))
    with actors.live.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit WHERE action = 'x'")).scalar() == 0


def test_logs_never_carry_document_numbers_or_tokens(
    actors: Actors, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    pid = actors.register()
    actors.identity(pid, document_number="X9Y8Z7W6")
    bad = actors.provider.put(
        f"/v1/participants/{pid}/identity", json={"document_number": "X9Y8Z7W6!", "extra": 1}
    )
    assert bad.status_code == 422
    assert "X9Y8Z7W6" not in bad.text  # the refusal names the field, it does not echo it
    token = actors.provider.headers["Authorization"].split()[1]
    assert "X9Y8Z7W6" not in caplog.text
    assert token not in caplog.text
