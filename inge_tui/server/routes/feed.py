"""Routes for the outside systems: course providers, the test institute, OET."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from inge_tui.api import models as m
from inge_tui.api.models import Role
from inge_tui.api.requests import (
    DtzResultIn,
    HoursReportIn,
    IdentityUpdate,
    LidResultIn,
    ParticipantCreate,
    RefundApplicationIn,
    RepetitionApplicationIn,
)
from inge_tui.server.auth import Principal
from inge_tui.server.routes.deps import NO_CONTROL, ParticipantIdPath, Svc, respond, role
from inge_tui.server.routes.errors import ERRORS
from inge_tui.server.usecases import data_requests, ingestion, refunds

router = APIRouter(prefix="/v1", tags=["Zulieferung"], responses=ERRORS)


@router.post(
    "/participants",
    status_code=201,
    response_model=m.ParticipantSummary,
    summary="Teilnehmende/n anmelden",
    responses={200: {"model": m.ParticipantSummary, "description": "schon so angemeldet"}},
)
def register_participant(
    body: ParticipantCreate,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.COURSE_PROVIDER, Role.ADMIN))],
) -> JSONResponse:
    """Registers a participant; the same registration again answers 200, other data 409."""
    return respond(ingestion.register_participant(svc, who, body))


@router.put(
    "/participants/{participant_id}/identity",
    response_model=m.IdentityReceipt,
    summary="Ausweisdaten und Anschrift melden",
)
def update_identity(
    participant_id: ParticipantIdPath,
    body: IdentityUpdate,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.COURSE_PROVIDER))],
) -> JSONResponse:
    """Fields left out keep their stored value; a blocker for missing data clears by itself."""
    return respond(ingestion.update_identity(svc, who, participant_id, body))


@router.post(
    "/participants/{participant_id}/hours",
    status_code=201,
    response_model=m.HoursReportOut,
    summary="Verbrauchte Unterrichtsstunden zu einem Stichtag melden",
    responses={200: {"model": m.HoursReportOut, "description": "diese Meldung lag schon vor"}},
)
def report_hours(
    participant_id: ParticipantIdPath,
    body: HoursReportIn,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.COURSE_PROVIDER))],
) -> JSONResponse:
    """Hours used as of `as_of` (domain.md A.15): dated, idempotent by `report_id`; hours never
    go down, so a report below an earlier or above a later one is refused (422)."""
    return respond(ingestion.report_hours(svc, who, participant_id, body))


@router.post(
    "/dtz-results",
    status_code=201,
    response_model=m.TransmissionReceipt,
    summary="DTZ-Ergebnis (Teile) übermitteln",
)
def post_dtz(
    body: DtzResultIn,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.TEST_INSTITUTE))],
) -> JSONResponse:
    """Parts may come in separate transmissions; a repeated transmission_id answers as first."""
    return respond(ingestion.record_dtz(svc, who, body))


@router.post(
    "/lid-results",
    status_code=201,
    response_model=m.TransmissionReceipt,
    summary="LiD-Ergebnis übermitteln",
)
def post_lid(
    body: LidResultIn,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.OET))],
) -> JSONResponse:
    return respond(ingestion.record_lid(svc, who, body))


@router.post(
    "/repetition-applications",
    status_code=201,
    response_model=m.RepetitionApplication,
    summary="Wiederholung beantragen",
)
def post_application(
    body: RepetitionApplicationIn,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.COURSE_PROVIDER))],
) -> JSONResponse:
    """Files an application; it opens a `wiederholung` entry in the office's Postkorb."""
    return respond(ingestion.file_application(svc, who, body))


@router.post(
    "/refund-applications",
    status_code=201,
    response_model=m.RefundApplication,
    summary="Erstattung des Kostenbeitrags beantragen (§ 9 Abs. 6 IntV)",
)
def post_refund_application(
    body: RefundApplicationIn,
    svc: Svc,
    who: Annotated[Principal, Depends(role(Role.COURSE_PROVIDER))],
) -> JSONResponse:
    """Files an application for the refund of 50 % of the contribution paid (cents), with the
    bank details (IBAN checked by its check digits, answered masked); it opens an `erstattung`
    entry in the office's Postkorb. 409 while one is open or after one was granted."""
    return respond(refunds.file_refund(svc, who, body))


@router.get(
    "/data-requests",
    response_model=m.DataRequestList,
    summary="Datenanforderungen: der Regionalstelle, oder an den eigenen Kursträger",
)
def list_data_requests(
    svc: Svc,
    who: Annotated[
        Principal, Depends(role(Role.CASEWORKER, Role.SUPERVISOR, Role.COURSE_PROVIDER))
    ],
    status: Annotated[
        Literal["offen", "erledigt", "alle"],
        Query(description="offen (ohne Angabe), erledigt, alle"),
    ] = "offen",
    participant_id: Annotated[str | None, Query(max_length=40, pattern=NO_CONTROL)] = None,
) -> JSONResponse:
    """A course provider sees the requests to it (the participants it registered), nearest
    deadline first; it answers by reporting the data (`PUT …/identity`), and the request ends
    by itself. Caseworkers and supervisors see their office's."""
    chosen = None if status == "alle" else status
    return respond(data_requests.list_requests(svc, who, chosen, participant_id))
