"""Routes for caseworkers and supervisors on one case: view, capture, decide, issue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query
from fastapi.responses import JSONResponse, Response

from inge_tui.api import models as m
from inge_tui.api.requests import (
    AlternativeB1In,
    CertificateRequest,
    DataRequestIn,
    DtzPaperIn,
    DtzScoringIn,
    RefundDecisionIn,
    ReminderIn,
    RepetitionDecisionIn,
    WaiverStepIn,
    WithdrawalIn,
)
from inge_tui.server.auth import CASE_ROLES, Principal
from inge_tui.server.routes.deps import (
    CertificateIdPath,
    EntryIdPath,
    IfMatch,
    ParticipantIdPath,
    Svc,
    respond,
    role,
)
from inge_tui.server.routes.errors import ERRORS
from inge_tui.server.usecases import (
    casework,
    data_requests,
    issuing,
    refunds,
    repetition,
    reports,
    withdrawal,
)
from inge_tui.server.usecases.services import Answer, expected_version

router = APIRouter(prefix="/v1", tags=["Fälle"], responses=ERRORS)
Caseworker = Annotated[Principal, Depends(role(*CASE_ROLES))]
DryRun = Annotated[
    bool,
    Query(
        description="true: antwortet, wie die Anfrage ausginge, und speichert nichts "
        "(kein Datensatz, kein Eintrag in der Prüfspur); für die Vorschau in Formularen.",
    ),
]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Frei gewählter Schlüssel; dieselbe Anfrage mit demselben Schlüssel "
        "liefert dieselbe Antwort, eine andere Anfrage damit wird abgelehnt (409).",
    ),
]


@router.get(
    "/participants/{participant_id}",
    response_model=m.Participant,
    summary="Fall mit allem, was die Entscheidung braucht",
)
def get_participant(participant_id: ParticipantIdPath, svc: Svc, who: Caseworker) -> JSONResponse:
    """Every view is recorded in the audit history."""
    return respond(casework.view_case(svc, who, participant_id))


@router.post(
    "/participants/{participant_id}/identity/reveal",
    response_model=m.Identity,
    summary="Ausweisnummer ungekürzt anzeigen (wird protokolliert)",
)
def reveal_identity(participant_id: ParticipantIdPath, svc: Svc, who: Caseworker) -> JSONResponse:
    """The identity with the full ID document number; every reveal lands in the audit history
    (`identity_revealed`, without the number)."""
    return respond(casework.reveal_identity(svc, who, participant_id))


@router.post(
    "/participants/{participant_id}/dtz-paper",
    response_model=m.Participant,
    summary="DTZ-Ergebnis eines Selbstzahlers vom Papier erfassen",
)
def post_dtz_paper(
    participant_id: ParticipantIdPath,
    body: DtzPaperIn,
    svc: Svc,
    who: Caseworker,
    if_match: IfMatch = None,
    dry_run: DryRun = False,
) -> JSONResponse:
    expected = expected_version(if_match, body.version)
    return respond(
        casework.capture_paper_dtz(svc, who, participant_id, body, expected, dry_run=dry_run)
    )


@router.post(
    "/participants/{participant_id}/alternative-b1",
    response_model=m.Participant,
    summary="Alternativen B1-Nachweis erfassen (R4)",
)
def post_alternative_b1(
    participant_id: ParticipantIdPath,
    body: AlternativeB1In,
    svc: Svc,
    who: Caseworker,
    if_match: IfMatch = None,
    dry_run: DryRun = False,
) -> JSONResponse:
    expected = expected_version(if_match, body.version)
    return respond(
        casework.record_alternative_b1(svc, who, participant_id, body, expected, dry_run=dry_run)
    )


@router.post(
    "/participants/{participant_id}/certificates",
    status_code=201,
    response_model=m.Certificate,
    summary="Zertifikat oder Bescheinigung ausstellen",
)
def post_certificate(
    participant_id: ParticipantIdPath,
    svc: Svc,
    who: Caseworker,
    idempotency_key: IdempotencyKey,
    body: Annotated[CertificateRequest | None, Body()] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """The service decides the document; `expected_document` refuses a stale view (409)."""
    body = body or CertificateRequest()
    expected = expected_version(if_match, body.version)
    return respond(issuing.issue(svc, who, participant_id, body, idempotency_key, expected))


@router.post(
    "/repetition-applications/{application_id}/decision",
    response_model=m.RepetitionApplication,
    summary="Über einen Wiederholungsantrag entscheiden (R13, R14)",
    responses={
        202: {
            "model": m.RepetitionApplication,
            "description": "Bewilligung mit Verzicht vorgeschlagen; wartet auf die Leitung",
        }
    },
)
def post_decision(
    application_id: EntryIdPath,
    body: RepetitionDecisionIn,
    svc: Svc,
    who: Caseworker,
    if_match: IfMatch = None,
    dry_run: DryRun = False,
) -> JSONResponse:
    """An approval the rules in force on `received_on` forbid answers 422 with the reasons.
    An approval that needs the waiver of the DTZ condition (R13.3) is proposed (202,
    `waiver_proposal`) and waits for a supervisor's `…/waiver/confirm` (four eyes); 409
    `waiver_pending` while it waits."""
    expected = expected_version(if_match, body.version)
    return respond(
        repetition.decide_repetition(svc, who, application_id, body, expected, dry_run=dry_run)
    )


@router.post(
    "/refund-applications/{refund_id}/decision",
    response_model=m.RefundApplication,
    summary="Über einen Erstattungsantrag entscheiden (R16)",
)
def post_refund_decision(
    refund_id: EntryIdPath,
    body: RefundDecisionIn,
    svc: Svc,
    who: Caseworker,
    if_match: IfMatch = None,
    dry_run: DryRun = False,
) -> JSONResponse:
    """`approve` grants the amount R16 computes (422 `rules_forbid` naming each unmet condition
    when it does not allow it); `reject` needs a reason. Decided once (409 `already_decided`);
    the Bescheid is a PDF letter (`…/letter`) that goes out with the print run."""
    expected = expected_version(if_match, body.version)
    return respond(refunds.decide_refund(svc, who, refund_id, body, expected, dry_run=dry_run))


@router.get(
    "/refund-applications/{refund_id}/letter",
    response_class=Response,
    summary="Der Bescheid über einen Erstattungsantrag als PDF",
    responses={200: {"content": {"application/pdf": {}}, "description": "das PDF"}},
)
def get_refund_letter(refund_id: EntryIdPath, svc: Svc, who: Caseworker) -> Response:
    pdf = refunds.refund_letter(svc, who, refund_id)
    name = f"erstattung-{refund_id}"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


def _waiver_route(step: str, summary: str, doc: str) -> None:
    def post(
        application_id: EntryIdPath,
        svc: Svc,
        who: Caseworker,
        body: Annotated[WaiverStepIn | None, Body()] = None,
        if_match: IfMatch = None,
    ) -> JSONResponse:
        body = body or WaiverStepIn()
        expected = expected_version(if_match, body.version)
        return respond(repetition.decide_waiver(svc, who, application_id, step, body, expected))

    post.__doc__ = doc
    post.__name__ = f"waiver_{step}"
    path = f"/repetition-applications/{{application_id}}/waiver/{step}"
    router.post(path, response_model=m.RepetitionApplication, summary=summary)(post)


_waiver_route(
    "confirm",
    "Verzicht auf die DTZ-Voraussetzung freigeben (Leitung, nicht die vorschlagende Person)",
    "Supervisor only, never the proposer (403 `four_eyes`); the rules decide again, then the"
    " application is approved with the proposed hours.",
)
_waiver_route(
    "refuse",
    "Verzicht auf die DTZ-Voraussetzung ablehnen (Leitung, mit Begründung)",
    "Supervisor only, never the proposer; a written reason. The application is open again.",
)


@router.post(
    "/scoring/dtz",
    response_model=m.DtzScore,
    summary="DTZ-Punkte nach den Schwellen dieses Dienstes bewerten (R1, R2)",
)
def post_dtz_scoring(body: DtzScoringIn, svc: Svc, who: Caseworker) -> JSONResponse:
    """The levels the service gives these points (some parts may be missing); nothing is
    stored. Forms show it while the caseworker types, so they never disagree with the service."""
    return respond(casework.score_dtz(svc, body))


@router.get(
    "/certificates/{certificate_id}",
    response_model=m.Certificate,
    summary="Ein ausgestelltes Dokument",
)
def get_certificate(certificate_id: CertificateIdPath, svc: Svc, who: Caseworker) -> JSONResponse:
    answer = reports.get_certificate(svc, who, certificate_id, pdf=False)
    assert isinstance(answer, Answer)
    return respond(answer)


@router.get(
    "/certificates/{certificate_id}/pdf",
    response_class=Response,
    summary="Das Dokument als PDF",
    responses={200: {"content": {"application/pdf": {}}, "description": "das PDF"}},
)
def get_certificate_pdf(certificate_id: CertificateIdPath, svc: Svc, who: Caseworker) -> Response:
    pdf = reports.get_certificate(svc, who, certificate_id, pdf=True)
    assert isinstance(pdf, bytes)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{certificate_id}.pdf"'},
    )


def _withdrawal_route(step: str, summary: str, status: int, doc: str) -> None:
    path = "/certificates/{certificate_id}/withdrawal" + ("" if step == "propose" else f"/{step}")

    def post(
        certificate_id: CertificateIdPath,
        svc: Svc,
        who: Caseworker,
        body: Annotated[WithdrawalIn | None, Body()] = None,
        if_match: IfMatch = None,
    ) -> JSONResponse:
        body = body or WithdrawalIn()
        expected = expected_version(if_match, body.version)
        return respond(withdrawal.decide(svc, who, certificate_id, step, body, expected))

    post.__doc__ = doc
    post.__name__ = f"withdrawal_{step}"
    router.post(path, status_code=status, response_model=m.Certificate, summary=summary)(post)


_withdrawal_route(
    "propose",
    "Rücknahme eines Zertifikats vorschlagen (§ 48 VwVfG)",
    201,
    "A written reason (20 characters, more than one word); the Zertifikat must be in force.",
)
_withdrawal_route(
    "confirm",
    "Rücknahme freigeben (Leitung, nicht die vorschlagende Person)",
    200,
    "Supervisor only, never the proposer (403 `four_eyes`); the Zertifikat leaves force.",
)
_withdrawal_route(
    "refuse",
    "Rücknahme ablehnen (Leitung, nicht die vorschlagende Person)",
    200,
    "Supervisor only, never the proposer; a refusal needs a written reason.",
)


# ---- data requests to the course provider (domain.md A.16)


@router.post(
    "/participants/{participant_id}/data-requests",
    status_code=201,
    response_model=m.DataRequest,
    summary="Fehlende Daten beim Kursträger anfordern (mit Frist)",
)
def request_data(
    participant_id: ParticipantIdPath,
    body: DataRequestIn,
    svc: Svc,
    who: Caseworker,
    if_match: IfMatch = None,
) -> JSONResponse:
    """`item` is a blocker's code whose supplier is the course provider; without `due_on` the
    deadline is `data_request_days` (14) from today. 422 when the item is not missing or the
    deadline is past, 409 `request_open` when the item is already requested. The request
    ends by itself when the provider reports the data and the blocker clears."""
    expected = expected_version(if_match, body.version)
    return respond(data_requests.request_data(svc, who, participant_id, body, expected))


@router.post(
    "/data-requests/{request_id}/reminders",
    response_model=m.DataRequest,
    summary="An eine überfällige Datenanforderung erinnern",
)
def remind_data(
    request_id: EntryIdPath,
    svc: Svc,
    who: Caseworker,
    body: Annotated[ReminderIn | None, Body()] = None,
) -> JSONResponse:
    """Only after the deadline (409 `not_overdue`), only while open (409 `request_closed`);
    optionally with a new deadline after today."""
    return respond(data_requests.remind(svc, who, request_id, body or ReminderIn()))
