"""The app's HTTP client for the InGe service: one method per route of api.md, typed answers.

Reads are retried with backoff when the service is unreachable or answers 5xx or garbage; writes
are sent once, except issuing, whose `Idempotency-Key` makes a retry safe. Every failure is an
`ApiError` with a message in the interface's language (see `errors.py`). No Textual here.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from inge_tui.api.errors import ApiError, BadAnswer, ServiceUnreachable, error_for
from inge_tui.api.models import (
    AuditPage,
    Certificate,
    DataRequest,
    DataRequestList,
    DispatchBatch,
    DispatchDone,
    DtzScore,
    Health,
    Identity,
    Letter,
    NumberSeriesReport,
    Participant,
    PostboxCount,
    PostboxEntry,
    PostboxPage,
    Problem,
    RefundApplication,
    RepetitionApplication,
    Stats,
)
from inge_tui.i18n import _, language

M = TypeVar("M", bound=BaseModel)


ACTIVE = "aktiv"
"""The default status filter: the work still to do (`offen` and `in_bearbeitung`), so a decided
entry leaves the list. `None` asks for every status."""
ACTIVE_STATUSES = ("offen", "in_bearbeitung")


@dataclass(frozen=True)
class PostboxQuery:
    """The filters of a Postkorb listing; `params()` is the query string the service reads."""

    status: str | None = ACTIVE
    kind: str | None = None
    q: str | None = None
    sort: str | None = None
    blocked: bool | None = None
    older_than_days: int | None = None
    document: str | None = None
    awaiting: str | None = None  # freigabe
    requested: bool | None = None  # an open data request to the course provider
    overdue: bool | None = None  # a data request past its deadline
    mine: bool | None = None  # claimed by me (True) or not (False)

    def params(self) -> dict[str, str | list[str]]:
        status = list(ACTIVE_STATUSES) if self.status == ACTIVE else self.status
        raw: dict[str, Any] = {
            "status": status,
            "kind": self.kind,
            "q": self.q,
            "sort": self.sort,
            "blocked": None if self.blocked is None else str(self.blocked).lower(),
            "older_than_days": self.older_than_days,
            "document": self.document,
            "awaiting": self.awaiting,
            "requested": None if self.requested is None else str(self.requested).lower(),
            "overdue": None if self.overdue is None else str(self.overdue).lower(),
            "mine": None if self.mine is None else str(self.mine).lower(),
        }
        return {
            k: v if isinstance(v, list) else str(v) for k, v in raw.items() if v not in (None, "")
        }


def _socket_tls_context() -> ssl.SSLContext:
    """The TLS context of a client on a Unix socket, which speaks plain HTTP and never TLS.

    httpx builds a context for every transport and loads the CA bundle into it (~45 ms, three
    times on the demo's start-up path). This one verifies like the default but trusts no one, so
    it costs nothing and would refuse any certificate, should TLS ever be attempted here.
    """
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class IngeClient:
    """Async client of one service, signed in with one token."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        uds: str | None = None,
        verify: bool | str = True,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.25,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if transport is None and uds is not None:
            transport = httpx.AsyncHTTPTransport(uds=uds, verify=_socket_tls_context())
        self.base_url = base_url
        self.retries = retries
        self.backoff = backoff
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers=headers,
            verify=verify,
            timeout=timeout,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> IngeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ transport

    async def _send(
        self,
        method: str,
        path: str,
        where: str,  # the request in an error message: "beim Postkorb" (errors.error_for)
        *,
        params: Mapping[str, str | list[str]] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = False,
    ) -> httpx.Response:
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            try:
                # the service words its reasons and refusals in the interface's language
                spoken = {"Accept-Language": language(), **(headers or {})}
                response = await self._http.request(
                    method, path, params=params, json=body, headers=spoken
                )
            except httpx.TransportError as error:
                failure: ApiError = ServiceUnreachable(
                    _(
                        "Der Dienst ist nicht erreichbar ({reason}) {where}. Ihre Eingaben "
                        "bleiben erhalten; die Verbindung wird erneut versucht."
                    ).format(reason=_transport_reason(error), where=where)
                )
            else:
                if response.is_success:
                    return response
                failure = error_for(response.status_code, _problem(response), where)
            if not failure.retryable or attempt == attempts - 1:
                raise failure
            await asyncio.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get(
        self,
        path: str,
        model: type[M],
        where: str,
        params: Mapping[str, str | list[str]] | None = None,
    ) -> M:
        response = await self._send("GET", path, where, params=params, retry=True)
        return _parse(response, model, where)

    async def _post(
        self,
        path: str,
        model: type[M],
        where: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = False,
        dry_run: bool = False,
    ) -> M:
        """`dry_run`: the service answers as it would and keeps nothing (safe to retry)."""
        params = {"dry_run": "true"} if dry_run else None
        response = await self._send(
            "POST", path, where, params=params, body=body, headers=headers, retry=retry or dry_run
        )
        return _parse(response, model, where)

    # ------------------------------------------------------------------ reads

    async def health(self) -> Health:
        return await self._get("/v1/health", Health, _("bei der Statusabfrage"))

    async def postbox_page(
        self, query: PostboxQuery, *, cursor: str | None = None, limit: int = 100
    ) -> PostboxPage:
        params = query.params() | {"limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        return await self._get("/v1/postbox", PostboxPage, _("beim Postkorb"), params)

    async def postbox_count(self, query: PostboxQuery) -> int:
        answer = await self._get(
            "/v1/postbox/count", PostboxCount, _("beim Postkorb"), query.params()
        )
        return answer.count

    async def participant(self, participant_id: str) -> Participant:
        return await self._get(
            f"/v1/participants/{participant_id}",
            Participant,
            _("bei Teilnehmer {participant}").format(participant=participant_id),
        )

    async def reveal_identity(self, participant_id: str) -> Identity:
        """The identity with the full ID document number; the service audits every reveal.

        Sent once (a POST: each call is one audited view), never retried on its own.
        """
        return await self._post(
            f"/v1/participants/{participant_id}/identity/reveal",
            Identity,
            _("beim Anzeigen der Ausweisnummer von {participant}").format(
                participant=participant_id
            ),
        )

    async def certificate(self, certificate_id: str) -> Certificate:
        return await self._get(
            f"/v1/certificates/{certificate_id}",
            Certificate,
            _("bei Dokument {number}").format(number=certificate_id),
        )

    async def certificate_pdf(self, certificate_id: str) -> bytes:
        path = f"/v1/certificates/{certificate_id}/pdf"
        return await self._pdf(path, _("beim PDF von {number}").format(number=certificate_id))

    async def audit(self, participant_id: str, cursor: str | None = None) -> AuditPage:
        params = {"participant_id": participant_id} | ({"cursor": cursor} if cursor else {})
        return await self._get("/v1/audit", AuditPage, _("beim Verlauf"), params)

    async def stats(
        self, office: str | None = None, first: date | None = None, last: date | None = None
    ) -> Stats:
        params = {
            key: value
            for key, value in (
                ("office", office),
                ("from", first.isoformat() if first else None),
                ("to", last.isoformat() if last else None),
            )
            if value is not None
        }
        return await self._get("/v1/stats", Stats, _("bei den Kennzahlen"), params)

    # ------------------------------------------------------------------ claims

    async def claim(self, entry_id: int, version: int | None = None) -> PostboxEntry:
        return await self._post(
            f"/v1/postbox/{entry_id}/claim",
            PostboxEntry,
            _("beim Übernehmen von Eintrag {entry}").format(entry=entry_id),
            _versioned({}, version),
        )

    async def release(self, entry_id: int, version: int | None = None) -> PostboxEntry:
        return await self._post(
            f"/v1/postbox/{entry_id}/release",
            PostboxEntry,
            _("beim Freigeben von Eintrag {entry}").format(entry=entry_id),
            _versioned({}, version),
        )

    async def take_over(
        self, entry_id: int, reason: str, version: int | None = None
    ) -> PostboxEntry:
        return await self._post(
            f"/v1/postbox/{entry_id}/take-over",
            PostboxEntry,
            _("bei der Übernahme von Eintrag {entry}").format(entry=entry_id),
            _versioned({"reason": reason}, version),
        )

    # ------------------------------------------------------------------ decisions

    async def issue_certificate(
        self,
        participant_id: str,
        *,
        idempotency_key: str,
        expected_document: str | None,
        version: int | None = None,
    ) -> Certificate:
        body = _versioned({"expected_document": expected_document}, version)
        return await self._post(
            f"/v1/participants/{participant_id}/certificates",
            Certificate,
            _("bei der Ausstellung für {participant}").format(participant=participant_id),
            body,
            headers={"Idempotency-Key": idempotency_key},
            retry=True,  # safe: the key makes a repeat answer the first answer
        )

    async def decide_repetition(
        self,
        application_id: int,
        *,
        decision: str,
        hours: int | None,
        waive_dtz_condition: bool,
        reason: str | None,
        version: int | None = None,
        dry_run: bool = False,
    ) -> RepetitionApplication:
        body = {
            "decision": decision,
            "hours": hours,
            "waive_dtz_condition": waive_dtz_condition,
            "reason": reason,
        }
        return await self._post(
            f"/v1/repetition-applications/{application_id}/decision",
            RepetitionApplication,
            _("bei der Entscheidung über Antrag {application}").format(application=application_id),
            _versioned(body, version),
            dry_run=dry_run,
        )

    async def capture_paper_dtz(
        self,
        participant_id: str,
        body: Mapping[str, Any],
        version: int | None = None,
        *,
        dry_run: bool = False,
    ) -> Participant:
        return await self._post(
            f"/v1/participants/{participant_id}/dtz-paper",
            Participant,
            _("beim Erfassen des Papier-DTZ für {participant}").format(participant=participant_id),
            _versioned(dict(body), version),
            dry_run=dry_run,
        )

    async def record_alternative_b1(
        self,
        participant_id: str,
        body: Mapping[str, Any],
        version: int | None = None,
        *,
        dry_run: bool = False,
    ) -> Participant:
        return await self._post(
            f"/v1/participants/{participant_id}/alternative-b1",
            Participant,
            _("beim Erfassen des B1-Nachweises für {participant}").format(
                participant=participant_id
            ),
            _versioned(dict(body), version),
            dry_run=dry_run,
        )

    async def score_dtz(self, parts: Mapping[str, float]) -> DtzScore:
        """The levels the service's thresholds give these points (nothing is stored)."""
        body = {"parts": dict(parts)}
        return await self._post(
            "/v1/scoring/dtz", DtzScore, _("bei der Bewertung der Punkte"), body
        )

    async def withdrawal(
        self, certificate_id: str, step: str, reason: str | None, version: int | None = None
    ) -> Certificate:
        """One step of a Zertifikat's withdrawal: `propose`, `confirm` or `refuse`."""
        path = f"/v1/certificates/{certificate_id}/withdrawal"
        return await self._post(
            path if step == "propose" else f"{path}/{step}",
            Certificate,
            _("bei der Rücknahme von {number}").format(number=certificate_id),
            _versioned({"reason": reason}, version),
        )

    async def waiver(
        self, application_id: int, step: str, reason: str | None, version: int | None = None
    ) -> RepetitionApplication:
        """A supervisor's `confirm` or `refuse` of a proposed waiver of the DTZ condition."""
        return await self._post(
            f"/v1/repetition-applications/{application_id}/waiver/{step}",
            RepetitionApplication,
            _("beim Verzicht bei Antrag {application}").format(application=application_id),
            _versioned({"reason": reason}, version),
        )

    # ------------------------------------------------------------ a document's life

    async def reverse_document(
        self, certificate_id: str, reason: str | None, version: int | None = None
    ) -> Certificate:
        return await self._post(
            f"/v1/certificates/{certificate_id}/reversal",
            Certificate,
            _("beim Storno von {number}").format(number=certificate_id),
            _versioned({"reason": reason}, version),
        )

    async def issue_copy(
        self, certificate_id: str, reason: str | None, version: int | None = None
    ) -> Letter:
        return await self._post(
            f"/v1/certificates/{certificate_id}/copies",
            Letter,
            _("bei der Zweitschrift von {number}").format(number=certificate_id),
            _versioned({"reason": reason}, version),
        )

    async def decide_refund(
        self,
        refund_id: int,
        *,
        decision: str,
        reason: str | None,
        version: int | None = None,
    ) -> RefundApplication:
        body = {"decision": decision, "reason": reason}
        return await self._post(
            f"/v1/refund-applications/{refund_id}/decision",
            RefundApplication,
            _("bei der Entscheidung über Erstattungsantrag {refund}").format(refund=refund_id),
            _versioned(body, version),
        )

    async def refund_letter(self, refund_id: int) -> bytes:
        path = f"/v1/refund-applications/{refund_id}/letter"
        return await self._pdf(
            path, _("beim Bescheid zu Erstattungsantrag {refund}").format(refund=refund_id)
        )

    async def letter_pdf(self, letter_id: str) -> bytes:
        return await self._pdf(
            f"/v1/letters/{letter_id}/pdf", _("beim PDF von {number}").format(number=letter_id)
        )

    async def dispatch_batch(self) -> DispatchBatch:
        return await self._get("/v1/dispatch", DispatchBatch, _("beim Tagesdruck"))

    async def dispatch_pdf(self, as_of: str) -> bytes:
        return await self._pdf("/v1/dispatch/pdf", _("beim Tagesdruck"), {"as_of": as_of})

    async def mark_dispatched(self, as_of: str) -> DispatchDone:
        return await self._post(
            "/v1/dispatch", DispatchDone, _("beim Versandvermerk"), {"as_of": as_of}, retry=True
        )

    async def number_series(self, year: int) -> NumberSeriesReport:
        return await self._get(
            f"/v1/number-series/{year}",
            NumberSeriesReport,
            _("bei den Nummernkreisen {year}").format(year=year),
        )

    async def request_data(
        self,
        participant_id: str,
        item: str,
        *,
        due_on: str | None = None,
        note: str | None = None,
        version: int | None = None,
    ) -> DataRequest:
        body = {"item": item, "due_on": due_on, "note": note}
        return await self._post(
            f"/v1/participants/{participant_id}/data-requests",
            DataRequest,
            _("bei der Datenanforderung"),
            _versioned({k: v for k, v in body.items() if v is not None}, version),
        )

    async def remind_data(self, request_id: int, *, due_on: str | None = None) -> DataRequest:
        body = {"due_on": due_on} if due_on else {}
        return await self._post(
            f"/v1/data-requests/{request_id}/reminders",
            DataRequest,
            _("bei der Erinnerung an die Datenanforderung"),
            body,
        )

    async def data_requests(
        self, *, status: str = "offen", participant_id: str | None = None
    ) -> DataRequestList:
        params = {"status": status}
        if participant_id:
            params["participant_id"] = participant_id
        where = _("bei den Datenanforderungen")
        return await self._get("/v1/data-requests", DataRequestList, where, params)

    async def _pdf(
        self, path: str, where: str, params: Mapping[str, str | list[str]] | None = None
    ) -> bytes:
        response = await self._send("GET", path, where, params=params, retry=True)
        if not response.content.startswith(b"%PDF"):
            raise BadAnswer(_("Der Dienst hat {where} kein PDF geschickt.").format(where=where))
        return response.content


def _versioned(body: dict[str, Any], version: int | None) -> dict[str, Any]:
    return body | {"version": version} if version is not None else body


def _problem(response: httpx.Response) -> Problem | None:
    try:
        return Problem.model_validate(response.json())
    except (ValueError, ValidationError):
        return None


def _parse(response: httpx.Response, model: type[M], where: str) -> M:
    try:
        return model.model_validate_json(response.content)
    except (ValidationError, json.JSONDecodeError) as error:
        raise BadAnswer(
            _(
                "Der Dienst hat {where} eine unlesbare Antwort geschickt ({error}). Nichts "
                "wurde übernommen; bitte erneut versuchen oder den Betrieb informieren."
            ).format(where=where, error=_first_error(error))
        ) from error


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        return ".".join(str(p) for p in first.get("loc", ())) or _("Inhalt")
    return _("kein JSON")


def _transport_reason(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return _("Zeitüberschreitung")
    if isinstance(error, httpx.ConnectError):
        return _("Verbindung abgelehnt")
    return type(error).__name__
