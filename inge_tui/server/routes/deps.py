"""What every route needs: the services, the caller, and the answer as an HTTP response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer

from inge_tui.api.models import Role
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal, authenticate, record_refused_signin, require_role
from inge_tui.server.errors import Invalid, TooManyFailures, Unauthorized
from inge_tui.server.usecases.services import Answer, Services

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="Token aus `inge-tui token create --role ROLLE [--office CODE]`.",
)

PARTICIPANT_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
CERTIFICATE_ID = r"^[A-Z]{3}-[0-9]{4}-[0-9]{7,10}$"
LETTER_ID = r"^[A-Z]{3}-[0-9]{4}-[0-9]{7,10}-(Z[0-9]{1,4}|R)$"


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def caller(request: Request, _token: Annotated[Any, Depends(bearer)]) -> Principal:
    """The authenticated principal (401 without a valid token; 429 after too many failed
    sign-ins from the caller's address, `inge_tui.server.signin`)."""
    svc = services(request)
    address = request.client.host if request.client is not None else "?"
    wait = svc.signin.retry_after(address)
    if wait is not None:
        raise TooManyFailures(wait)
    authorization = request.headers.get("authorization")
    try:
        return authenticate(svc.store, authorization)
    except Unauthorized as refused:
        if authorization:  # a token was offered and was wrong: a failed sign-in
            svc.signin.failed(address)
            record_refused_signin(svc.store, address, refused.detail)
        raise


def role(*roles: Role) -> Callable[..., Principal]:
    """A dependency that lets only `roles` through (403 otherwise)."""

    def check(principal: Annotated[Principal, Depends(caller)]) -> Principal:
        require_role(principal, roles)
        return principal

    return check


def known_query_only(request: Request) -> None:
    """Refuse query parameters the route does not declare (422 naming them), as unknown body
    fields are refused: a misspelt filter (`?stauts=offen`) must not silently widen a list."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None or not request.query_params:
        return
    declared: set[str] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        declared.update(field.alias for field in current.query_params)
        pending.extend(current.dependencies)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise Invalid([(name[:40], said("unbekannter Parameter")) for name in unknown])


Svc = Annotated[Services, Depends(services)]
ParticipantIdPath = Annotated[str, Path(pattern=PARTICIPANT_ID, max_length=40)]
CertificateIdPath = Annotated[str, Path(pattern=CERTIFICATE_ID, max_length=32)]
LetterIdPath = Annotated[str, Path(pattern=LETTER_ID, max_length=40)]
EntryIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"  # a query text without control characters
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=24,
        # what `expected_version` reads; no whitespace around it: HTTP strips it before the
        # service sees the value, and a client cannot send it (schemathesis tried)
        pattern=r'^(W/)?("[0-9]{1,9}"|[0-9]{1,9})$',
        description="Die Version, auf der die Entscheidung beruht (z. B. `3`); ältere → 409.",
    ),
]


def respond(answer: Answer) -> JSONResponse:
    headers = dict(answer.headers)
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(answer.body, status_code=answer.status, headers=headers or None)
