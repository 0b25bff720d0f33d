"""Tokens at rest only as hashes: no token appears anywhere in a dump of the whole store.

Tokens are made every way the service makes them (the command line's `create_token`, the
admin route that shows a new token once) and then used for the representative traffic of
`proof_traffic.py` (which stores transmissions, idempotent answers, audit entries and a PDF).
The dump is the whole database as text: SQLite's `iterdump()`, or on PostgreSQL every row of
every table as `row::text` (what `pg_dump --data-only` would print). Each token's SHA-256 is
found in the dump (so the dump does cover the tokens table) and the token itself never is.
"""

from __future__ import annotations

import sqlite3

import httpx
from proof_traffic import exercise
from sqlalchemy import text
from sqlalchemy.engine import make_url
from support.live import LiveService

from inge_tui.server.auth import hash_token

ROLES = ("caseworker", "supervisor", "course_provider", "test_institute", "oet")


def dump_store(live: LiveService) -> str:
    """Every row of every table of the store, as text."""
    if live.backend == "sqlite":
        path = make_url(live.database_url).database
        conn = sqlite3.connect(path or "")
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()
    lines: list[str] = []
    with live.engine.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ).scalars()
        for table in list(tables):
            rows = conn.execute(text(f'SELECT t::text FROM "{table}" AS t')).scalars()
            lines += [f"{table}: {row}" for row in rows]
    return "\n".join(lines)


def test_no_token_is_stored_in_plain_text(own_service: LiveService) -> None:
    office = own_service.new_office()
    tokens = {
        role: own_service.token(role, office if role in {"caseworker", "supervisor"} else None)
        for role in ROLES
    }
    with httpx.Client(
        base_url=own_service.base_url,
        headers={"Authorization": f"Bearer {own_service.token('admin')}"},
    ) as admin:
        shown_once = admin.post("/v1/tokens", json={"role": "caseworker", "office": office})
        assert shown_once.status_code == 201
        tokens["caseworker"] = shown_once.json()["token"]  # use the route's token below
        revoked = admin.post("/v1/tokens", json={"role": "oet"}).json()
        assert admin.post(f"/v1/tokens/{revoked['token_id']}/revoke").status_code == 200
    exercise(own_service.base_url, tokens, office)
    dump = dump_store(own_service)
    assert "CREATE TABLE" in dump or "tokens: (" in dump
    made = [*tokens.values(), revoked["token"]]
    for token in made:
        assert hash_token(token) in dump  # the tokens table is in the dump
        assert token not in dump
        assert token.removeprefix("inge_") not in dump
