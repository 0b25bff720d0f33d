"""Failed sign-ins are limited per client address (issue 15, item 3): after 30 wrong tokens in
a minute that address gets 429 with `Retry-After` (its tokens not even looked up), other
addresses work on, and the window passes."""

from __future__ import annotations

import httpx
from support.live import LiveService

from inge_tui.server.signin import SignInGuard

WRONG = "inge_" + "x" * 43


def test_thirty_wrong_tokens_block_that_address_only(own_service: LiveService) -> None:
    good = own_service.token("caseworker", "NUE")
    attacker = {"X-Forwarded-For": "203.0.113.7"}  # uvicorn trusts it from 127.0.0.1
    colleague = {"X-Forwarded-For": "203.0.113.8"}
    with httpx.Client(base_url=own_service.base_url, timeout=10) as http:
        for _ in range(30):
            refused = http.get(
                "/v1/postbox", headers={**attacker, "Authorization": f"Bearer {WRONG}"}
            )
            assert refused.status_code == 401
        blocked = http.get("/v1/postbox", headers={**attacker, "Authorization": f"Bearer {good}"})
        assert blocked.status_code == 429  # even a good token: the address waits
        assert 1 <= int(blocked.headers["Retry-After"]) <= 60
        assert blocked.json()["code"] == "too_many_failures"
        assert "Zu viele fehlgeschlagene Anmeldungen" in blocked.json()["detail"]
        fine = http.get("/v1/postbox", headers={**colleague, "Authorization": f"Bearer {good}"})
        assert fine.status_code == 200
        # a request without any token is no sign-in attempt and does not count
        for _ in range(40):
            assert http.get("/v1/postbox", headers=colleague).status_code == 401
        fine = http.get("/v1/postbox", headers={**colleague, "Authorization": f"Bearer {good}"})
        assert fine.status_code == 200


def test_a_refused_sign_in_is_audited_without_the_token(own_service: LiveService) -> None:
    from sqlalchemy import select

    from inge_tui.server.store.schema import audit

    with httpx.Client(base_url=own_service.base_url, timeout=10) as http:
        stranger = {"X-Forwarded-For": "198.51.100.4", "Authorization": f"Bearer {WRONG}"}
        for _ in range(31):  # the 31st is refused before the lookup: 429, not audited
            http.get("/v1/postbox", headers=stranger)
        assert http.get("/v1/postbox").status_code == 401  # no token: not a sign-in
    with own_service.engine.connect() as conn:
        rows = conn.execute(select(audit).where(audit.c.action == "anmeldung_abgelehnt")).all()
    assert len(rows) == 30
    assert {row.inputs for row in rows} == {'{"adresse": "198.51.100.4"}'}
    assert all(row.actor_token is None and row.office is None for row in rows)
    assert not any(WRONG[5:] in f"{row.inputs}{row.outcome}" for row in rows)  # never the token


def test_the_window_passes() -> None:
    now = [1000.0]
    guard = SignInGuard(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert guard.retry_after("a") is None
        guard.failed("a")
    assert guard.retry_after("a") == 60
    now[0] += 45
    assert guard.retry_after("a") == 15
    assert guard.retry_after("b") is None
    now[0] += 15
    assert guard.retry_after("a") is None  # the oldest failure left the window
