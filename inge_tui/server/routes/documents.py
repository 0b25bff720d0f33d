"""Routes for the life of an issued document: reversal, copies, letters, dispatch, numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import JSONResponse, Response

from inge_tui.api import models as m
from inge_tui.api.requests import CopyIn, DispatchIn, ReversalIn
from inge_tui.server.auth import CASE_ROLES, Principal
from inge_tui.server.routes.deps import (
    CertificateIdPath,
    IfMatch,
    LetterIdPath,
    Svc,
    respond,
    role,
)
from inge_tui.server.routes.errors import ERRORS
from inge_tui.server.usecases import document_life
from inge_tui.server.usecases.services import expected_version

router = APIRouter(prefix="/v1", tags=["Dokumente"], responses=ERRORS)
Caseworker = Annotated[Principal, Depends(role(*CASE_ROLES))]
PDF = {200: {"content": {"application/pdf": {}}, "description": "das PDF"}}


def _pdf(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.post(
    "/certificates/{certificate_id}/reversal",
    response_model=m.Certificate,
    summary="Ein Dokument stornieren (nur wer es ausgestellt hat, nur vor dem Versand)",
)
def post_reversal(
    certificate_id: CertificateIdPath,
    svc: Svc,
    who: Caseworker,
    body: Annotated[ReversalIn | None, Body()] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """A written reason (20 characters, more than one word). 403 `not_issuer` for anyone but
    the issuer, 409 `already_dispatched` after dispatch (then only a withdrawal is possible).
    The number stays in the series, marked `storniert`; the case's entry reopens."""
    body = body or ReversalIn()
    expected = expected_version(if_match, body.version)
    return respond(document_life.reverse(svc, who, certificate_id, body, expected))


@router.post(
    "/certificates/{certificate_id}/copies",
    status_code=201,
    response_model=m.Letter,
    summary="Eine Zweitschrift ausstellen (gleiche Daten und Nummer, als Zweitschrift markiert)",
)
def post_copy(
    certificate_id: CertificateIdPath,
    svc: Svc,
    who: Caseworker,
    body: Annotated[CopyIn | None, Body()] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Only of the document in force; the occasion ("verloren", "beschädigt") is required."""
    body = body or CopyIn()
    expected = expected_version(if_match, body.version)
    return respond(document_life.issue_copy(svc, who, certificate_id, body, expected))


@router.get(
    "/letters/{letter_id}/pdf",
    response_class=Response,
    summary="Eine Zweitschrift oder ein Rücknahmebescheid als PDF",
    responses=PDF,
)
def get_letter_pdf(letter_id: LetterIdPath, svc: Svc, who: Caseworker) -> Response:
    return _pdf(document_life.letter_pdf(svc, who, letter_id), letter_id)


@router.get(
    "/dispatch",
    response_model=m.DispatchBatch,
    summary="Was die Regionalstelle noch nicht versandt hat (Tagesdruck), in Druckreihenfolge",
)
def get_dispatch(svc: Svc, who: Caseworker) -> JSONResponse:
    return respond(document_life.dispatch_list(svc, who))


@router.get(
    "/dispatch/pdf",
    response_class=Response,
    summary="Der Tagesdruck als ein PDF: Deckblatt mit Liste, dann jedes Schriftstück",
    responses=PDF,
)
def get_dispatch_pdf(
    svc: Svc,
    who: Caseworker,
    as_of: Annotated[
        datetime | None,
        Query(description="Stand (aus GET /v1/dispatch); ohne: jetzt"),
    ] = None,
) -> Response:
    """409 `nothing_to_dispatch` when nothing waits."""
    pdf = document_life.dispatch_pdf(svc, who, as_of)
    return _pdf(pdf, "tagesdruck")


@router.post(
    "/dispatch",
    response_model=m.DispatchDone,
    summary="Den Tagesdruck bis zum Stand `as_of` als versandt vermerken",
)
def post_dispatch(body: DispatchIn, svc: Svc, who: Caseworker) -> JSONResponse:
    """After dispatch a document can no longer be reversed, only withdrawn."""
    return respond(document_life.mark_dispatched(svc, who, body))


@router.get(
    "/number-series/{year}",
    response_model=m.NumberSeriesReport,
    summary="Die Nummernkreise eines Jahres: jede Nummer verwendet oder mit Grund verworfen",
)
def get_number_series(
    year: Annotated[int, Path(ge=2000, le=2999)], svc: Svc, who: Caseworker
) -> JSONResponse:
    return respond(document_life.number_series(svc, who, year))
