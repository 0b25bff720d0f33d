"""Each role against each route: allowed, forbidden (403), another office's case (404), no token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from support.cases import Actors, new_id
from support.live import LiveService

ROLES = ("caseworker", "supervisor", "test_institute", "oet", "course_provider", "admin")
CASE = ("caseworker", "supervisor")


@dataclass
class World:
    """Office A with a case, an entry, an application and a document; clients per role."""

    actors: Actors
    pid: str
    entry_id: int
    application_id: int
    certificate_id: str
    refund_id: int
    clients: dict[str, httpx.Client]
    strangers: dict[str, httpx.Client]  # the office roles of another office


@pytest.fixture(scope="module")
def world(live_service: LiveService) -> Iterator[World]:
    actors = Actors(live_service)
    pid = actors.ready_case()
    [entry] = actors.entries(pid)
    issued = actors.ready_case()
    certificate = actors.caseworker.post(
        f"/v1/participants/{issued}/certificates", json={}, headers={"Idempotency-Key": issued}
    ).json()
    applicant = actors.register(
        course_type="alphabetisierung", contingent_hours=900, hours_used=900
    )
    application = actors.provider.post(
        "/v1/repetition-applications",
        json={
            "participant_id": applicant,
            "received_on": "2026-02-01",
            "requested_hours": 300,
            "provider_confirmation": True,
        },
    ).json()
    refund = actors.provider.post(
        "/v1/refund-applications",
        json={
            "participant_id": issued,
            "received_on": "2026-02-01",
            "contribution_paid_cents": 137_400,
            "iban": "DE89370400440532013000",
            "account_holder": "Ayşe Şahin",
        },
    ).json()
    other = live_service.new_office()
    clients = {
        role: live_service.client(role, actors.office if role in CASE else None) for role in ROLES
    }
    strangers = {role: live_service.client(role, other) for role in (*CASE, "course_provider")}
    yield World(
        actors,
        pid,
        entry["entry_id"],
        application["application_id"],
        certificate["certificate_id"],
        refund["refund_id"],
        clients,
        strangers,
    )
    for client in (*clients.values(), *strangers.values()):
        client.close()
    actors.close()


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: tuple[str, ...]
    body: Callable[[World], Any] | None = None
    headers: Callable[[World], dict[str, str]] | None = None
    office_scoped: bool = False  # a stranger of another office gets 404

    def at(self, w: World) -> str:
        return self.path.format(
            pid=w.pid,
            entry=w.entry_id,
            app=w.application_id,
            cert=w.certificate_id,
            refund=w.refund_id,
        )

    def call(self, client: httpx.Client, w: World) -> httpx.Response:
        path = self.at(w)
        kwargs: dict[str, Any] = {}
        if self.body is not None:
            kwargs["json"] = self.body(w)
        headers = self.headers(w) if self.headers else {}
        return client.request(self.method, path, headers=headers, **kwargs)


def _participant(w: World) -> dict[str, Any]:
    return w.actors.participant_body(new_id())


def _dtz(w: World) -> dict[str, Any]:
    return {
        "transmission_id": new_id("T"),
        "participant_id": w.pid,
        "exam_date": "2026-01-10",
        "exam_center": "VHS",
        "parts": {"sprechen": 80},
    }


ROUTES = [
    Route("POST", "/v1/participants", ("course_provider", "admin"), _participant),
    Route(
        "PUT",
        "/v1/participants/{pid}/identity",
        ("course_provider",),
        lambda w: {"document_type": "reisepass"},
    ),
    Route("POST", "/v1/dtz-results", ("test_institute",), _dtz),
    Route(
        "POST",
        "/v1/lid-results",
        ("oet",),
        lambda w: {
            "transmission_id": new_id("T"),
            "participant_id": w.pid,
            "exam_date": "2026-01-20",
            "points": 20,
        },
    ),
    Route(
        "POST",
        "/v1/repetition-applications",
        ("course_provider",),
        lambda w: {
            "participant_id": w.pid,
            "received_on": "2026-02-01",
            "requested_hours": 300,
            "provider_confirmation": True,
        },
    ),
    Route("GET", "/v1/postbox", CASE),
    Route("GET", "/v1/postbox/count", CASE),
    Route("GET", "/v1/postbox/{entry}", CASE, office_scoped=True),
    Route("POST", "/v1/postbox/{entry}/claim", CASE, office_scoped=True),
    Route("POST", "/v1/postbox/{entry}/release", CASE, office_scoped=True),
    Route(
        "POST",
        "/v1/postbox/{entry}/take-over",
        ("supervisor",),
        lambda w: {"reason": "Vertretung"},
        office_scoped=True,
    ),
    Route("GET", "/v1/participants/{pid}", CASE, office_scoped=True),
    Route(
        "POST",
        "/v1/participants/{pid}/dtz-paper",
        CASE,
        lambda w: {
            "exam_date": "2025-12-01",
            "exam_center": "VHS",
            "parts": {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80},
        },
        office_scoped=True,
    ),
    Route(
        "POST",
        "/v1/participants/{pid}/alternative-b1",
        CASE,
        lambda w: {
            "exam_name": "telc Deutsch B1",
            "level": "B1",
            "issued_on": "2025-01-01",
            "presented_on": "2025-01-10",
        },
        office_scoped=True,
    ),
    Route(
        "POST",
        "/v1/participants/{pid}/certificates",
        CASE,
        lambda w: {},
        lambda w: {"Idempotency-Key": new_id("K")},
        office_scoped=True,
    ),
    Route(
        "POST",
        "/v1/repetition-applications/{app}/decision",
        CASE,
        lambda w: {"decision": "reject", "reason": "Test"},
        office_scoped=True,
    ),
    Route(
        "POST",
        "/v1/refund-applications",
        ("course_provider",),
        lambda w: {
            "participant_id": w.pid,
            "received_on": "2026-02-01",
            "contribution_paid_cents": 0,
            "iban": "DE89370400440532013000",
            "account_holder": "Ayşe Şahin",
        },
    ),
    Route(
        "POST",
        "/v1/refund-applications/{refund}/decision",
        CASE,
        lambda w: {"decision": "reject", "reason": "Test der Rollen"},
        office_scoped=True,
    ),
    Route("GET", "/v1/refund-applications/{refund}/letter", CASE, office_scoped=True),
    Route(
        "POST",
        "/v1/participants/{pid}/data-requests",
        CASE,
        lambda w: {"item": "ausweisnummer_fehlt"},
        office_scoped=True,
    ),
    Route("GET", "/v1/data-requests", (*CASE, "course_provider")),
    Route("GET", "/v1/certificates/{cert}", CASE, office_scoped=True),
    Route("GET", "/v1/certificates/{cert}/pdf", CASE, office_scoped=True),
    Route("GET", "/v1/audit?participant_id={pid}", CASE, office_scoped=True),
    Route("GET", "/v1/stats", CASE),
    Route("GET", "/v1/offices", ("admin",)),
    Route("GET", "/v1/tokens", ("admin",)),
    Route("POST", "/v1/offices", ("admin",), lambda w: {"code": w.actors.office, "name": "x"}),
]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_role_on_each_route(world: World, route: Route) -> None:
    for role in ROLES:
        response = route.call(world.clients[role], world)
        if role in route.allowed or (role == "admin" and "admin" in route.allowed):
            assert response.status_code not in {401, 403}, (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            assert response.json()["code"] == "role_forbidden"
    anonymous = httpx.request(
        route.method,
        world.actors.live.base_url + route.at(world),
    )
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.office_scoped], ids=lambda r: f"{r.method} {r.path}"
)
def test_another_office_is_answered_as_if_the_case_did_not_exist(
    world: World, route: Route
) -> None:
    for role in CASE:
        if role not in route.allowed:
            continue
        response = route.call(world.strangers[role], world)
        assert response.status_code == 404, (role, response.text)
        assert world.pid not in response.text


def test_an_office_bound_course_provider_cannot_report_for_another_office(world: World) -> None:
    provider = world.strangers["course_provider"]
    identity = provider.put(
        f"/v1/participants/{world.pid}/identity", json={"document_type": "reisepass"}
    )
    assert identity.status_code == 404
    register = provider.post("/v1/participants", json=world.actors.participant_body())
    assert register.status_code == 422
    assert register.json()["detail"][0]["field"] == "office"


def test_a_revoked_token_is_refused(world: World) -> None:
    created = (
        world.clients["admin"]
        .post("/v1/tokens", json={"role": "caseworker", "office": world.actors.office})
        .json()
    )
    client = httpx.Client(
        base_url=world.actors.live.base_url, headers={"Authorization": f"Bearer {created['token']}"}
    )
    try:
        assert client.get("/v1/postbox").status_code == 200
        revoked = world.clients["admin"].post(f"/v1/tokens/{created['token_id']}/revoke")
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        assert client.get("/v1/postbox").status_code == 401
        listed = world.clients["admin"].get("/v1/tokens").json()
        assert all("token" not in t and "token_hash" not in t for t in listed)
    finally:
        client.close()
