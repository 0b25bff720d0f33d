"""Routes for health, statistics, the audit history and administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

import inge_tui
from inge_tui.api import models as m
from inge_tui.api.models import Role
from inge_tui.api.requests import IsoDate, OfficeIn, TokenIn
from inge_tui.domain.said import said
from inge_tui.server.auth import CASE_ROLES, Principal
from inge_tui.server.errors import Unavailable
from inge_tui.server.routes.deps import PARTICIPANT_ID, EntryIdPath, Svc, respond, role
from inge_tui.server.routes.errors import ERRORS
from inge_tui.server.routes.postbox import NO_CONTROL
from inge_tui.server.store.migrations import current_version
from inge_tui.server.usecases import admin, reports

router = APIRouter(prefix="/v1", responses=ERRORS)
Admin = Annotated[Principal, Depends(role(Role.ADMIN))]


@router.get("/health", response_model=m.Health, tags=["Betrieb"], summary="Bereit?")
def health(svc: Svc) -> m.Health:
    """200 when the service and its store are ready (no token needed)."""
    try:
        version = svc.store.run(lambda tx: current_version(tx.conn), readonly=True, retries=0)
    except Exception as exc:
        raise Unavailable(said("Die Datenbank ist nicht erreichbar.")) from exc
    return m.Health(
        status="ok",
        database=svc.store.engine.dialect.name,
        schema_version=version,
        version=inge_tui.__version__,
    )


@router.get("/stats", response_model=m.Stats, tags=["Auswertung"], summary="Kennzahlen")
def get_stats(
    svc: Svc,
    who: Annotated[Principal, Depends(role(*CASE_ROLES))],
    office: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Z0-9][A-Z0-9-]{1,15}$",
            description="Regionalstelle (nur die Leitung: jede; sonst die eigene)",
        ),
    ] = None,
    first: Annotated[
        IsoDate | None, Query(alias="from", description="Beginn des Zeitraums (JJJJ-MM-TT)")
    ] = None,
    last: Annotated[
        IsoDate | None,
        Query(alias="to", description="Ende des Zeitraums (JJJJ-MM-TT), höchstens heute"),
    ] = None,
) -> JSONResponse:
    """The office's Kennzahlen for a period (default: the last 60 days, at most 366): the
    backlog by age (now), entries that arrived, DTZ B1 and LiD pass rates by course type and by
    Prüfstelle, documents per day, days from arrival to document (median, p90), open and
    overdue data requests, refund applications by state."""
    return respond(reports.stats(svc, who, office, first, last))


@router.get("/audit", response_model=m.AuditPage, tags=["Auswertung"], summary="Prüfspur")
def get_audit(
    svc: Svc,
    who: Annotated[Principal, Depends(role(*CASE_ROLES))],
    participant_id: Annotated[str | None, Query(pattern=PARTICIPANT_ID, max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=100, pattern=NO_CONTROL)] = None,
) -> JSONResponse:
    """Who did what, when, with which inputs and rules version; newest first."""
    return respond(reports.audit_history(svc, who, participant_id, limit, cursor))


@router.get("/offices", response_model=list[m.Office], tags=["Verwaltung"])
def get_offices(svc: Svc, who: Admin) -> JSONResponse:
    return respond(admin.list_offices(svc))


@router.post(
    "/offices",
    response_model=m.Office,
    status_code=201,
    tags=["Verwaltung"],
    responses={200: {"model": m.Office, "description": "gibt es schon, gleich benannt"}},
)
def post_office(body: OfficeIn, svc: Svc, who: Admin) -> JSONResponse:
    return respond(admin.create_office(svc, who, body))


@router.get("/tokens", response_model=list[m.TokenInfo], tags=["Verwaltung"])
def get_tokens(svc: Svc, who: Admin) -> JSONResponse:
    return respond(admin.list_tokens(svc))


@router.post("/tokens", response_model=m.TokenCreated, status_code=201, tags=["Verwaltung"])
def post_token(body: TokenIn, svc: Svc, who: Admin) -> JSONResponse:
    """The token is in this answer once; only its hash is stored."""
    return respond(admin.issue_token(svc, who, body))


@router.post("/tokens/{token_id}/revoke", response_model=m.TokenInfo, tags=["Verwaltung"])
def revoke(token_id: EntryIdPath, svc: Svc, who: Admin) -> JSONResponse:
    return respond(admin.revoke_token(svc, who, token_id))
