"""What can go wrong in a use case, and how each answers over HTTP.

The service layer raises these; the handlers installed by `install_handlers` turn them into the
contract's error bodies: 422 `{"detail": [{"field", "message"}], "code": "invalid"}`, and for
everything else `{"detail": "<German sentence>", "code": "...", ...}` with the blockers,
reasons or the current state where they help the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from inge_tui.api.field_errors import field_errors
from inge_tui.domain.said import said
from inge_tui.server.speech import speak, speak_all

log = logging.getLogger(__name__)


def allowed_methods(request: Request) -> list[str]:
    """The methods the contract gives this path (Starlette's 405 names only the first route's,
    so `OPTIONS /v1/offices` said `Allow: GET` although POST works too). Read from the
    service's own OpenAPI document, the one the contract tests check."""
    import re

    paths = request.app.openapi().get("paths", {})
    here = request.url.path
    for template, operations in paths.items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, here):
            return sorted(method.upper() for method in operations)
    return []


class ServiceError(Exception):
    """A refusal with an HTTP status, a stable code and a German sentence."""

    status = 400
    code = "error"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = {k: v for k, v in extra.items() if v is not None}

    def body(self) -> dict[str, Any]:
        extra = speak_all(jsonable_encoder(self.extra))  # reasons and blockers it names
        return {"detail": speak(self.detail), "code": self.code, **extra}

    def headers(self) -> dict[str, str] | None:
        """HTTP headers the answer needs besides the body (none for most refusals)."""
        return None


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class TooManyFailures(ServiceError):
    """429: too many failed sign-ins from one address; `retry_after` seconds to wait."""

    status = 429
    code = "too_many_failures"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            said(
                "Zu viele fehlgeschlagene Anmeldungen von dieser Adresse – bitte in {seconds} s"
                " erneut versuchen.",
                seconds=retry_after,
            ),
            retry_after=retry_after,
        )
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Unavailable(ServiceError):
    status = 503
    code = "unavailable"


class Invalid(ServiceError):
    """422: the input is refused whole; `fields` name what is wrong."""

    status = 422
    code = "invalid"

    def __init__(
        self, fields: Iterable[tuple[str, str]], *, code: str | None = None, **extra: Any
    ) -> None:
        self.fields = [{"field": f, "message": m} for f, m in fields]
        super().__init__(
            "; ".join(f"{f['field']}: {f['message']}" for f in self.fields), code=code, **extra
        )

    def body(self) -> dict[str, Any]:
        fields = [{**f, "message": speak(f["message"])} for f in self.fields]
        return {"detail": fields, "code": self.code, **speak_all(jsonable_encoder(self.extra))}


def invalid(field: str, message: str, **extra: Any) -> Invalid:
    """Shorthand for a 422 about one field."""
    return Invalid([(field, message)], **extra)


def version_conflict(current: Mapping[str, Any] | None, what: str | None = None) -> Conflict:
    """409 for a stale version; `what` names the thing (`said("Der Eintrag")`), the case if
    not given."""
    return Conflict(
        said(
            "{what} wurde inzwischen geändert; bitte neu laden und erneut entscheiden.",
            what=what or said("Der Fall"),
        ),
        code="version_conflict",
        current=dict(current) if current is not None else None,
    )


def _validation_body(errors: Sequence[Any]) -> dict[str, Any]:
    fields = [f.model_dump() for f in field_errors(errors, say=speak)]
    return {"detail": fields, "code": "invalid"}


def install_handlers(app: FastAPI) -> None:
    """Answer every refusal in the contract's shape (never a stack trace, never input echoes)."""

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers())

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The errors carry the input; it is not echoed back or logged (document numbers).
        return JSONResponse(_validation_body(exc.errors()), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = {
            400: said("Der Inhalt der Anfrage ist nicht lesbar (kein gültiges JSON)."),
            404: said("Nicht gefunden."),
            405: said("Methode nicht erlaubt."),
        }.get(exc.status_code, exc.detail if isinstance(exc.detail, str) else str(exc.detail))
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse(
            {"detail": speak(detail), "code": f"http_{exc.status_code}"},
            status_code=exc.status_code,
            headers=headers or None,
        )

    @app.exception_handler(OperationalError)
    async def _store_busy(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("store unavailable: %s", type(exc.orig).__name__)
        return JSONResponse(
            {
                "detail": speak(
                    said("Die Datenbank ist gerade nicht erreichbar oder ausgelastet.")
                ),
                "code": "unavailable",
            },
            status_code=503,
            headers={"Retry-After": "2"},
        )
