"""Who may do what: every route of the app against every role, and against another office.

`GOLDEN` is the whole access policy in one table: one row per route the FastAPI app serves
(enumerated from `app.routes`), one column per caller, each cell the exact status the caller
gets. The test fails when any cell changes, and when the app grows a route without a row.

Callers: `anon` (no token), the six roles (`cw` caseworker and `sv` supervisor of office A,
`ti` test institute, `oet`, `cp` a course provider serving all offices, `adm` admin), and three
callers of office B (`cw@B`, `sv@B`, `cp@B`, a course provider bound to office B), who ask for
office A's case, entry, application and document. An office-B caller must get 404 (never the
data), and no answer to an office-B caller may carry office A's participant id.

Each call that changes state gets fresh objects of its own (`fresh`), so every cell is decided
by the access rules and the request, never by the order the cells run in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from support.cases import Actors, new_id
from support.live import LiveService

from inge_tui.server.app import create_app

COLUMNS = ("anon", "cw", "sv", "ti", "oet", "cp", "adm", "cw@B", "sv@B", "cp@B")
GOLDEN_TEXT = """
route                                                    anon cw  sv  ti  oet cp  adm cw@B sv@B cp@B
GET  /openapi.json                                       200  200 200 200 200 200 200 200  200  200
HEAD /openapi.json                                       200  200 200 200 200 200 200 200  200  200
GET  /docs                                               200  200 200 200 200 200 200 200  200  200
HEAD /docs                                               200  200 200 200 200 200 200 200  200  200
GET  /docs/oauth2-redirect                               200  200 200 200 200 200 200 200  200  200
HEAD /docs/oauth2-redirect                               200  200 200 200 200 200 200 200  200  200
GET  /redoc                                              200  200 200 200 200 200 200 200  200  200
HEAD /redoc                                              200  200 200 200 200 200 200 200  200  200
GET  /v1/health                                          200  200 200 200 200 200 200 200  200  200
GET  /v1/stats                                           401  200 200 403 403 403 403 200  200  403
GET  /v1/audit                                           401  200 200 403 403 403 403 404  404  403
GET  /v1/offices                                         401  403 403 403 403 403 200 403  403  403
POST /v1/offices                                         401  403 403 403 403 403 201 403  403  403
GET  /v1/tokens                                          401  403 403 403 403 403 200 403  403  403
POST /v1/tokens                                          401  403 403 403 403 403 201 403  403  403
POST /v1/tokens/{token_id}/revoke                        401  403 403 403 403 403 200 403  403  403
POST /v1/participants                                    401  403 403 403 403 201 201 403  403  422
PUT  /v1/participants/{participant_id}/identity          401  403 403 403 403 200 403 403  403  404
POST /v1/participants/{participant_id}/hours             401  403 403 403 403 201 403 403  403  404
POST /v1/dtz-results                                     401  403 403 201 403 403 403 403  403  403
POST /v1/lid-results                                     401  403 403 403 201 403 403 403  403  403
POST /v1/repetition-applications                         401  403 403 403 403 201 403 403  403  422
GET  /v1/postbox                                         401  200 200 403 403 403 403 200  200  403
GET  /v1/postbox/count                                   401  200 200 403 403 403 403 200  200  403
GET  /v1/postbox/{entry_id}                              401  200 200 403 403 403 403 404  404  403
POST /v1/postbox/{entry_id}/claim                        401  200 200 403 403 403 403 404  404  403
POST /v1/postbox/{entry_id}/release                      401  200 200 403 403 403 403 404  404  403
POST /v1/postbox/{entry_id}/take-over                    401  403 200 403 403 403 403 403  404  403
GET  /v1/participants/{participant_id}                   401  200 200 403 403 403 403 404  404  403
POST /v1/participants/{participant_id}/identity/reveal   401  200 200 403 403 403 403 404  404  403
POST /v1/participants/{participant_id}/dtz-paper         401  200 200 403 403 403 403 404  404  403
POST /v1/participants/{participant_id}/alternative-b1    401  200 200 403 403 403 403 404  404  403
POST /v1/participants/{participant_id}/certificates      401  201 201 403 403 403 403 404  404  403
POST /v1/repetition-applications/{application_id}/decision
                                                         401  200 200 403 403 403 403 404  404  403
POST /v1/scoring/dtz                                     401  200 200 403 403 403 403 200  200  403
GET  /v1/certificates/{certificate_id}                   401  200 200 403 403 403 403 404  404  403
GET  /v1/certificates/{certificate_id}/pdf               401  200 200 403 403 403 403 404  404  403
POST /v1/certificates/{certificate_id}/withdrawal        401  201 201 403 403 403 403 404  404  403
POST /v1/certificates/{certificate_id}/withdrawal/confirm
                                                         401  403 200 403 403 403 403 404  404  403
POST /v1/certificates/{certificate_id}/withdrawal/refuse
                                                         401  403 200 403 403 403 403 404  404  403
POST /v1/certificates/{certificate_id}/reversal          401  200 403 403 403 403 403 404  404  403
POST /v1/certificates/{certificate_id}/copies            401  201 201 403 403 403 403 404  404  403
GET  /v1/letters/{letter_id}/pdf                         401  200 200 403 403 403 403 404  404  403
GET  /v1/dispatch                                        401  200 200 403 403 403 403 200  200  403
GET  /v1/dispatch/pdf                                    401  200 200 403 403 403 403 409  409  403
POST /v1/dispatch                                        401  200 200 403 403 403 403 409  409  403
GET  /v1/number-series/{year}                            401  200 200 403 403 403 403 200  200  403
POST /v1/repetition-applications/{application_id}/waiver/confirm
                                                         401  403 200 403 403 403 403 404  404  403
POST /v1/repetition-applications/{application_id}/waiver/refuse
                                                         401  403 200 403 403 403 403 404  404  403
GET  /v1/data-requests                                   401  200 200 403 403 200 403 200  200  200
POST /v1/participants/{participant_id}/data-requests     401  201 201 403 403 403 403 404  404  403
POST /v1/data-requests/{request_id}/reminders            401  409 409 403 403 403 403 404  404  403
POST /v1/refund-applications                             401  403 403 403 403 201 403 403  403  422
POST /v1/refund-applications/{refund_id}/decision        401  200 200 403 403 403 403 404  404  403
GET  /v1/refund-applications/{refund_id}/letter          401  200 200 403 403 403 403 404  404  403
"""


def parse_golden(text: str) -> dict[str, tuple[int, ...]]:
    """`METHOD path` → the statuses in `COLUMNS` order (a long path may wrap its cells)."""
    lines = [line for line in text.strip().splitlines()[1:]]
    table: dict[str, tuple[int, ...]] = {}
    pending: list[str] = []
    for line in lines:
        words = pending + line.split()
        if len(words) < 2 + len(COLUMNS):
            pending = words
            continue
        pending = []
        method, path, *cells = words
        table[f"{method} {path}"] = tuple(int(cell) for cell in cells)
    assert not pending, pending
    return table


GOLDEN = parse_golden(GOLDEN_TEXT)


@dataclass(frozen=True)
class Ids:
    """The objects of office A that a call names."""

    pid: str
    entry: int
    application: int
    certificate: str
    token: int
    letter: str
    year: int
    request: int  # a data request, not yet overdue (a reminder answers 409 to who may send it)
    refund: int  # a refund application, decided (its Bescheid is there)


@dataclass
class World:
    actors: Actors
    ids: Ids
    callers: dict[str, httpx.Client]

    def fresh(self, kind: str | None) -> Ids:
        """New objects for one call that changes state (see the module docstring)."""
        a = self.actors
        if kind in {"entry", "case"}:
            pid = a.ready_case(identity=kind == "case")
            return replace(self.ids, pid=pid, entry=a.entries(pid)[0]["entry_id"])
        if kind == "participant":
            return replace(self.ids, pid=a.register())
        if kind == "missing":  # a case whose address the course provider has not reported
            pid = a.ready_case(identity=False)
            return replace(self.ids, pid=pid, entry=a.entries(pid)[0]["entry_id"])
        if kind in {"zertifikat", "proposal"}:
            pid = a.ready_case()
            number = a.issue(pid).json()["certificate_id"]
            if kind == "proposal":
                path = f"/v1/certificates/{number}/withdrawal"
                assert a.caseworker.post(path, json={"reason": WITHDRAWAL}).status_code == 201
            return replace(self.ids, pid=pid, certificate=number)
        if kind == "mine":  # issued by the `cw` caller (only the issuer may reverse)
            pid = a.ready_case()
            answer = self.callers["cw"].post(
                f"/v1/participants/{pid}/certificates",
                json={},
                headers={"Idempotency-Key": new_id("K")},
            )
            return replace(self.ids, pid=pid, certificate=answer.json()["certificate_id"])
        if kind in {"certified", "refund"}:  # a Zertifikat issued; "refund": one filed too
            pid = a.ready_case()
            assert a.issue(pid).status_code == 201
            if kind == "certified":
                return replace(self.ids, pid=pid)
            answer = a.provider.post("/v1/refund-applications", json=_refund(pid))
            return replace(self.ids, pid=pid, refund=answer.json()["refund_id"])
        if kind in {"application", "waiver"}:
            pid = a.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
            answer = a.provider.post("/v1/repetition-applications", json=_application(pid))
            application = answer.json()["application_id"]
            if kind == "waiver":  # no DTZ: the approval waits for the supervisor's four eyes
                proposal = {"decision": "approve", "hours": 300, "waive_dtz_condition": True}
                proposal["reason"] = "Alphabetisierungskurs, begründeter Einzelfall"
                path = f"/v1/repetition-applications/{application}/decision"
                assert a.caseworker.post(path, json=proposal).status_code == 202
            return replace(self.ids, pid=pid, application=application)
        return self.ids


def _application(pid: str) -> dict[str, Any]:
    return {
        "participant_id": pid,
        "received_on": "2026-02-01",
        "requested_hours": 300,
        "provider_confirmation": True,
    }


def _refund(pid: str) -> dict[str, Any]:
    return {
        "participant_id": pid,
        "received_on": "2026-02-01",
        "contribution_paid_cents": 137_400,
        "iban": "DE89370400440532013000",
        "account_holder": "Ayşe Şahin",
    }


@dataclass(frozen=True)
class Call:
    """How to call one route: the path with placeholders, body, headers, fresh objects."""

    path: str
    body: Callable[[Ids, World], Any] | None = None
    headers: Callable[[Ids], dict[str, str]] | None = None
    params: Callable[[Ids], dict[str, str]] | None = None
    fresh: str | None = None


WITHDRAWAL = "Für die Zugriffsmatrix zurückgenommen"


def _paper(_ids: Ids, _w: World) -> dict[str, Any]:
    parts = {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}
    reason = "Der Webservice hat dieses Ergebnis nicht geliefert"
    return {
        "exam_date": "2025-12-01",
        "exam_center": "VHS",
        "parts": parts,
        "capture_reason": reason,
    }


CALLS: dict[str, Call] = {
    "GET /openapi.json": Call("/openapi.json"),
    "HEAD /openapi.json": Call("/openapi.json"),
    "GET /docs": Call("/docs"),
    "HEAD /docs": Call("/docs"),
    "GET /docs/oauth2-redirect": Call("/docs/oauth2-redirect"),
    "HEAD /docs/oauth2-redirect": Call("/docs/oauth2-redirect"),
    "GET /redoc": Call("/redoc"),
    "HEAD /redoc": Call("/redoc"),
    "GET /v1/health": Call("/v1/health"),
    "GET /v1/stats": Call("/v1/stats"),
    "GET /v1/audit": Call("/v1/audit", params=lambda i: {"participant_id": i.pid}),
    "GET /v1/offices": Call("/v1/offices"),
    "POST /v1/offices": Call(
        "/v1/offices", lambda i, w: {"code": "X" + new_id("")[-8:], "name": "Neue Stelle"}
    ),
    "GET /v1/tokens": Call("/v1/tokens"),
    "POST /v1/tokens": Call("/v1/tokens", lambda i, w: {"role": "oet", "name": "Matrix"}),
    "POST /v1/tokens/{token_id}/revoke": Call("/v1/tokens/{token}/revoke"),
    "POST /v1/participants": Call(
        "/v1/participants", lambda i, w: w.actors.participant_body(new_id())
    ),
    "PUT /v1/participants/{participant_id}/identity": Call(
        "/v1/participants/{pid}/identity", lambda i, w: {"document_type": "reisepass"}
    ),
    "POST /v1/dtz-results": Call(
        "/v1/dtz-results",
        lambda i, w: {
            "transmission_id": new_id("T"),
            "participant_id": i.pid,
            "exam_date": "2026-01-10",
            "exam_center": "VHS",
            "parts": {"sprechen": 80},
        },
    ),
    "POST /v1/lid-results": Call(
        "/v1/lid-results",
        lambda i, w: {
            "transmission_id": new_id("T"),
            "participant_id": i.pid,
            "exam_date": "2026-01-20",
            "points": 20,
        },
    ),
    "POST /v1/repetition-applications": Call(
        "/v1/repetition-applications", lambda i, w: _application(i.pid), fresh="participant"
    ),
    "GET /v1/postbox": Call("/v1/postbox"),
    "GET /v1/postbox/count": Call("/v1/postbox/count"),
    "GET /v1/postbox/{entry_id}": Call("/v1/postbox/{entry}"),
    "POST /v1/postbox/{entry_id}/claim": Call("/v1/postbox/{entry}/claim", fresh="entry"),
    "POST /v1/postbox/{entry_id}/release": Call("/v1/postbox/{entry}/release", fresh="entry"),
    "POST /v1/postbox/{entry_id}/take-over": Call(
        "/v1/postbox/{entry}/take-over", lambda i, w: {"reason": "Vertretung"}, fresh="entry"
    ),
    "GET /v1/participants/{participant_id}": Call("/v1/participants/{pid}"),
    "POST /v1/participants/{participant_id}/identity/reveal": Call(
        "/v1/participants/{pid}/identity/reveal"
    ),
    "POST /v1/participants/{participant_id}/dtz-paper": Call(
        "/v1/participants/{pid}/dtz-paper", _paper, fresh="case"
    ),
    "POST /v1/participants/{participant_id}/alternative-b1": Call(
        "/v1/participants/{pid}/alternative-b1",
        lambda i, w: {
            "exam_name": "telc Deutsch B1",
            "level": "B1",
            "issued_on": "2025-01-01",
            "presented_on": "2025-01-10",
        },
        fresh="case",
    ),
    "POST /v1/participants/{participant_id}/certificates": Call(
        "/v1/participants/{pid}/certificates",
        lambda i, w: {},
        lambda i: {"Idempotency-Key": new_id("K")},
        fresh="case",
    ),
    "POST /v1/repetition-applications/{application_id}/decision": Call(
        "/v1/repetition-applications/{application}/decision",
        lambda i, w: {"decision": "reject", "reason": "Abgelehnt für die Zugriffsmatrix"},
        fresh="application",
    ),
    "POST /v1/participants/{participant_id}/hours": Call(
        "/v1/participants/{pid}/hours",
        lambda i, w: {"report_id": new_id("H"), "as_of": "2026-01-05", "hours_used": 600},
        fresh="participant",
    ),
    "POST /v1/certificates/{certificate_id}/withdrawal": Call(
        "/v1/certificates/{certificate}/withdrawal",
        lambda i, w: {"reason": WITHDRAWAL},
        fresh="zertifikat",
    ),
    "POST /v1/certificates/{certificate_id}/withdrawal/confirm": Call(
        "/v1/certificates/{certificate}/withdrawal/confirm", lambda i, w: {}, fresh="proposal"
    ),
    "POST /v1/certificates/{certificate_id}/withdrawal/refuse": Call(
        "/v1/certificates/{certificate}/withdrawal/refuse",
        lambda i, w: {"reason": "Die Berichtigung wird noch geprüft"},
        fresh="proposal",
    ),
    "POST /v1/scoring/dtz": Call("/v1/scoring/dtz", lambda i, w: {"parts": {"sprechen": 80}}),
    "GET /v1/certificates/{certificate_id}": Call("/v1/certificates/{certificate}"),
    "GET /v1/certificates/{certificate_id}/pdf": Call("/v1/certificates/{certificate}/pdf"),
    "POST /v1/certificates/{certificate_id}/reversal": Call(
        "/v1/certificates/{certificate}/reversal",
        lambda i, w: {"reason": "Für die Zugriffsmatrix irrtümlich ausgestellt"},
        fresh="mine",
    ),
    "POST /v1/certificates/{certificate_id}/copies": Call(
        "/v1/certificates/{certificate}/copies", lambda i, w: {"reason": "verloren"}
    ),
    "GET /v1/letters/{letter_id}/pdf": Call("/v1/letters/{letter}/pdf"),
    "GET /v1/dispatch": Call("/v1/dispatch"),
    # a fresh document waits in office A before each call, so A's print run is never empty
    "GET /v1/dispatch/pdf": Call("/v1/dispatch/pdf", fresh="mine"),
    "POST /v1/dispatch": Call(
        "/v1/dispatch",
        lambda i, w: {"as_of": w.actors.caseworker.get("/v1/dispatch").json()["as_of"]},
        fresh="mine",
    ),
    "GET /v1/number-series/{year}": Call("/v1/number-series/{year}"),
    "POST /v1/repetition-applications/{application_id}/waiver/confirm": Call(
        "/v1/repetition-applications/{application}/waiver/confirm", lambda i, w: {}, fresh="waiver"
    ),
    "GET /v1/data-requests": Call("/v1/data-requests"),
    "POST /v1/participants/{participant_id}/data-requests": Call(
        "/v1/participants/{pid}/data-requests",
        lambda i, w: {"item": "anschrift_fehlt"},
        fresh="missing",
    ),
    "POST /v1/data-requests/{request_id}/reminders": Call("/v1/data-requests/{request}/reminders"),
    "POST /v1/refund-applications": Call(
        "/v1/refund-applications", lambda i, w: _refund(i.pid), fresh="certified"
    ),
    "POST /v1/refund-applications/{refund_id}/decision": Call(
        "/v1/refund-applications/{refund}/decision",
        lambda i, w: {"decision": "approve"},
        fresh="refund",
    ),
    "GET /v1/refund-applications/{refund_id}/letter": Call(
        "/v1/refund-applications/{refund}/letter"
    ),
    "POST /v1/repetition-applications/{application_id}/waiver/refuse": Call(
        "/v1/repetition-applications/{application}/waiver/refuse",
        lambda i, w: {"reason": "Kein begründeter Einzelfall erkennbar"},
        fresh="waiver",
    ),
}


def app_routes(live: LiveService) -> set[str]:
    """`METHOD path` for every route the service's FastAPI app serves."""
    app = create_app(dataclasses.replace(live.settings, migrate=False))
    return {
        f"{method} {route.path}"
        for route in iter_route_contexts(app.routes)  # also the routes of included routers
        for method in route.methods or ()
    }


@pytest.fixture(scope="module")
def world(live_service: LiveService) -> Iterator[World]:
    actors = Actors(live_service)
    pid = actors.ready_case()
    issued = actors.ready_case()
    certificate = actors.caseworker.post(
        f"/v1/participants/{issued}/certificates", json={}, headers={"Idempotency-Key": issued}
    ).json()["certificate_id"]
    applicant = actors.register(
        course_type="alphabetisierung", contingent_hours=900, hours_used=900
    )
    application = actors.provider.post("/v1/repetition-applications", json=_application(applicant))
    token = actors.admin.post("/v1/tokens", json={"role": "oet", "name": "zum Widerrufen"})
    batch = actors.caseworker.get("/v1/dispatch").json()  # a copy is of a posted document
    assert actors.caseworker.post("/v1/dispatch", json={"as_of": batch["as_of"]}).is_success
    letter = actors.caseworker.post(
        f"/v1/certificates/{certificate}/copies", json={"reason": "beschädigt"}
    ).json()["letter_id"]
    missing = actors.ready_case(identity=False)
    request = actors.caseworker.post(
        f"/v1/participants/{missing}/data-requests", json={"item": "anschrift_fehlt"}
    ).json()["request_id"]
    refunded = actors.ready_case()
    assert actors.issue(refunded).status_code == 201
    refund = actors.provider.post("/v1/refund-applications", json=_refund(refunded)).json()
    decided = actors.caseworker.post(
        f"/v1/refund-applications/{refund['refund_id']}/decision", json={"decision": "approve"}
    )
    assert decided.status_code == 200, decided.text
    ids = Ids(
        pid=pid,
        entry=actors.entries(pid)[0]["entry_id"],
        application=application.json()["application_id"],
        certificate=certificate,
        token=token.json()["token_id"],
        letter=letter,
        year=int(certificate.split("-")[1]),
        request=request,
        refund=refund["refund_id"],
    )
    other = live_service.new_office()
    own = {"cw": "caseworker", "sv": "supervisor"}
    roles = {"ti": "test_institute", "oet": "oet", "cp": "course_provider", "adm": "admin"}
    strangers = {"cw@B": "caseworker", "sv@B": "supervisor", "cp@B": "course_provider"}
    callers = {"anon": httpx.Client(base_url=live_service.base_url, timeout=30)}
    callers |= {k: live_service.client(r, actors.office) for k, r in own.items()}
    callers |= {k: live_service.client(r) for k, r in roles.items()}
    callers |= {k: live_service.client(r, other) for k, r in strangers.items()}
    yield World(actors, ids, callers)
    for client in callers.values():
        client.close()
    actors.close()


def observe(world: World, route: str) -> tuple[int, ...]:
    """The status each caller gets on `route`; asserts office A's data never reach office B."""
    method = route.split()[0]
    call = CALLS[route]
    statuses = []
    for column in COLUMNS:
        ids = world.fresh(call.fresh)
        path = call.path.format(**dataclasses.asdict(ids))
        response = world.callers[column].request(
            method,
            path,
            json=call.body(ids, world) if call.body else None,
            headers=call.headers(ids) if call.headers else None,
            params=call.params(ids) if call.params else None,
        )
        statuses.append(response.status_code)
        if column.endswith("@B"):
            assert ids.pid not in response.text, (route, column, response.text[:300])
        if response.status_code == 401:
            assert response.headers["WWW-Authenticate"] == "Bearer"
    return tuple(statuses)


def test_every_route_of_the_app_has_a_row_and_every_row_a_route(
    live_service: LiveService,
) -> None:
    served = app_routes(live_service)
    assert sorted(served - GOLDEN.keys()) == [], "new route without a row in GOLDEN"
    assert sorted(GOLDEN.keys() - served) == [], "row in GOLDEN for a route the app lacks"
    assert GOLDEN.keys() == CALLS.keys()


@pytest.mark.parametrize("route", list(GOLDEN))
def test_each_caller_gets_exactly_the_golden_status(world: World, route: str) -> None:
    observed = observe(world, route)
    changed = {
        column: f"{want} → {got}"
        for column, want, got in zip(COLUMNS, GOLDEN[route], observed, strict=True)
        if want != got
    }
    assert not changed, f"{route}: {changed}"


def test_nobody_can_rewrite_the_audit_through_any_route(live_service: LiveService) -> None:
    """No route but GET touches the audit: PUT, PATCH, DELETE and POST are not served."""
    writes = [
        route
        for route in app_routes(live_service)
        if "audit" in route and route.split()[0] not in {"GET", "HEAD"}
    ]
    assert writes == []
