"""Routes of the Postkorb: pages, count, one entry, claim, release, take-over."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import JSONResponse

from inge_tui.api import models as m
from inge_tui.api.models import Role
from inge_tui.api.requests import ClaimIn, TakeOverIn
from inge_tui.server.auth import CASE_ROLES, Principal
from inge_tui.server.routes.deps import NO_CONTROL, EntryIdPath, IfMatch, Svc, respond, role
from inge_tui.server.routes.errors import ERRORS
from inge_tui.server.settings import MAX_PAGE
from inge_tui.server.usecases import claims, postbox
from inge_tui.server.usecases.services import expected_version

router = APIRouter(prefix="/v1/postbox", tags=["Postkorb"], responses=ERRORS)
Caseworker = Annotated[Principal, Depends(role(*CASE_ROLES))]
Supervisor = Annotated[Principal, Depends(role(Role.SUPERVISOR))]


def filters(
    status: Annotated[
        list[m.EntryStatus] | None, Query(description="einer oder mehrere Status")
    ] = None,
    kind: m.EntryKind | None = None,
    q: Annotated[
        str | None,
        Query(max_length=100, pattern=NO_CONTROL, description="Name oder participant_id (Anfang)"),
    ] = None,
    sort: m.PostboxSort = m.PostboxSort.NEWEST,
    blocked: Annotated[bool | None, Query(description="nur blockierte / nur freie")] = None,
    older_than_days: Annotated[int | None, Query(ge=0, le=36500)] = None,
    document: Annotated[
        m.DocumentFilter | None, Query(description="erwartetes Dokument; `keins` = noch keins")
    ] = None,
    participant_id: Annotated[str | None, Query(max_length=40, pattern=NO_CONTROL)] = None,
    awaiting: Annotated[
        m.AwaitingFilter | None,
        Query(description="`freigabe`: wartet auf die Freigabe der Leitung (Vier Augen)"),
    ] = None,
    requested: Annotated[
        bool | None, Query(description="mit offener Datenanforderung beim Kursträger")
    ] = None,
    overdue: Annotated[
        bool | None, Query(description="Datenanforderung mit überschrittener Frist")
    ] = None,
    mine: Annotated[
        bool | None,
        Query(description="true: nur die von mir übernommenen; false: alle außer diesen"),
    ] = None,
) -> dict[str, Any]:
    """The Postkorb's filters; every one of them is backed by an index."""
    return {
        "status": status,
        "kind": kind,
        "q": q,
        "sort": sort,
        "blocked": blocked,
        "older_than_days": older_than_days,
        "document": document,
        "participant_id": participant_id,
        "awaiting": awaiting,
        "requested": requested,
        "overdue": overdue,
        "mine": mine,
    }


Filters = Annotated[dict[str, Any], Depends(filters)]


@router.get("", response_model=m.PostboxPage, summary="Postkorb-Seite (Keyset-Cursor)")
def list_postbox(
    svc: Svc,
    who: Caseworker,
    chosen: Filters,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=500, pattern=NO_CONTROL)] = None,
) -> JSONResponse:
    """The office's entries, newest first by default; `next_cursor` fetches the next page."""
    return respond(postbox.list_entries(svc, who, chosen, limit, cursor))


@router.get("/count", response_model=m.PostboxCount, summary="Anzahl der Treffer")
def count_postbox(svc: Svc, who: Caseworker, chosen: Filters) -> JSONResponse:
    """How many entries match the same filters as `GET /v1/postbox`."""
    return respond(postbox.count_entries(svc, who, chosen))


@router.get("/{entry_id}", response_model=m.PostboxEntry, summary="Ein Postkorb-Eintrag")
def get_entry(entry_id: EntryIdPath, svc: Svc, who: Caseworker) -> JSONResponse:
    return respond(postbox.get_entry(svc, who, entry_id))


@router.post("/{entry_id}/claim", response_model=m.PostboxEntry, summary="Eintrag übernehmen")
def claim(
    entry_id: EntryIdPath,
    svc: Svc,
    who: Caseworker,
    body: Annotated[ClaimIn | None, Body()] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Exclusive; held by someone else → 409 with the holder. Lapses after `claim_minutes`."""
    expected = expected_version(if_match, body.version if body else None)
    return respond(claims.claim(svc, who, entry_id, expected))


@router.post("/{entry_id}/release", response_model=m.PostboxEntry, summary="Eintrag freigeben")
def release(
    entry_id: EntryIdPath,
    svc: Svc,
    who: Caseworker,
    body: Annotated[ClaimIn | None, Body()] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    expected = expected_version(if_match, body.version if body else None)
    return respond(claims.release(svc, who, entry_id, expected))


@router.post(
    "/{entry_id}/take-over",
    response_model=m.PostboxEntry,
    summary="Eintrag als Leitung übernehmen (mit Begründung)",
)
def take_over(
    entry_id: EntryIdPath,
    body: TakeOverIn,
    svc: Svc,
    who: Supervisor,
    if_match: IfMatch = None,
) -> JSONResponse:
    """A supervisor takes the entry over from its holder; the reason is audited."""
    expected = expected_version(if_match, body.version)
    return respond(claims.take_over(svc, who, entry_id, body, expected))
