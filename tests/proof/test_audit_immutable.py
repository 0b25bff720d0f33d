"""The audit history is complete and cannot be changed: no route writes it, the database
refuses to, and what the service does is in it on both databases.

At the database level, UPDATE and DELETE of audit rows are refused on both databases by
`tests/server/test_audit.py::test_the_database_refuses_to_change_the_audit` (not repeated
here); this file adds TRUNCATE on PostgreSQL, which `docs/service.md` also promises, and the
HTTP side: every writing method on the audit's paths, by every role that can read it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from support.cases import Actors

from inge_tui.server.store.schema import audit

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _fingerprint(actors: Actors) -> tuple[int, int | None, int]:
    """Count, highest id and total length of the audit's text: any rewrite changes it."""
    with actors.live.engine.connect() as conn:
        stmt = select(
            func.count(),
            func.max(audit.c.audit_id),
            func.sum(func.length(audit.c.inputs) + func.length(audit.c.outcome)),
        )
        count, highest, size = conn.execute(stmt).one()
    return int(count), highest, int(size or 0)


def test_no_route_writes_the_audit(actors: Actors) -> None:
    pid = actors.ready_case()
    actors.case(pid)
    [first] = actors.caseworker.get("/v1/audit", params={"participant_id": pid, "limit": 1}).json()[
        "items"
    ]
    before = _fingerprint(actors)
    body = {"action": "x", "inputs": {}, "participant_id": pid}
    for client in (actors.caseworker, actors.supervisor, actors.admin):
        for method in WRITES:
            listing = client.request(method, "/v1/audit", json=body)
            assert listing.status_code == 405, (method, listing.text)
            one = client.request(method, f"/v1/audit/{first['audit_id']}", json=body)
            assert one.status_code in {404, 405}, (method, one.text)
    assert _fingerprint(actors) == before


def test_truncating_the_audit_is_refused(actors: Actors) -> None:
    if actors.live.backend != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is refused in test_audit.py")
    actors.ready_case()
    before = _fingerprint(actors)
    with pytest.raises(DBAPIError, match="append-only"), actors.live.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit"))
    assert _fingerprint(actors) == before


def test_a_new_office_answers_201_and_is_audited_once(actors: Actors) -> None:
    """On PostgreSQL this once answered 200 ("already there") and audited nothing."""
    code = "X" + actors.office[-8:]
    created = actors.admin.post("/v1/offices", json={"code": code, "name": "Neue Stelle"})
    assert created.status_code == 201, created.text
    again = actors.admin.post("/v1/offices", json={"code": code, "name": "Neue Stelle"})
    assert again.status_code == 200
    with actors.live.engine.connect() as conn:
        stmt = select(func.count()).where(
            audit.c.action == "regionalstelle_angelegt", audit.c.office == code
        )
        assert conn.execute(stmt).scalar_one() == 1
