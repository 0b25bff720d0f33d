"""What can go wrong between the app and the service, each with a message in the interface's
language that says what happened and what to do next. The client raises these; screens and
scripts only show them. What the service says itself (a problem's `detail`) stays German."""

from __future__ import annotations

from typing import Any

from inge_tui.api.models import BlockerOut, FieldError, Problem, ReasonOut
from inge_tui.i18n import N_, _


class ApiError(Exception):
    """A request that did not succeed. `message` is in the interface's language (German for
    scripts) and fit to show as it is."""

    status: int = 0

    def __init__(self, message: str, *, status: int = 0, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problem = problem

    @property
    def code(self) -> str | None:
        return self.problem.code if self.problem else None

    @property
    def fields(self) -> list[FieldError]:
        detail = self.problem.detail if self.problem else None
        return detail if isinstance(detail, list) else []

    @property
    def blockers(self) -> list[BlockerOut]:
        return list(self.problem.blockers or []) if self.problem else []

    @property
    def reasons(self) -> list[ReasonOut]:
        return list(self.problem.reasons or []) if self.problem else []

    @property
    def current(self) -> dict[str, Any] | None:
        """The current state of the thing, as a 409 answers it."""
        return self.problem.current if self.problem else None

    @property
    def retryable(self) -> bool:
        return False


class ServiceUnreachable(ApiError):
    """No answer at all: connection refused, reset, timed out."""

    @property
    def retryable(self) -> bool:
        return True


class ServiceFailed(ApiError):
    """The service answered 5xx."""

    @property
    def retryable(self) -> bool:
        return True


class BadAnswer(ApiError):
    """The service answered something that is not the contract (garbage, wrong shape)."""

    @property
    def retryable(self) -> bool:
        return True


class Unauthorized(ApiError):
    pass


class Forbidden(ApiError):
    pass


class NotFound(ApiError):
    pass


class Conflict(ApiError):
    """409: someone else was faster, a stale view, blockers, or an already issued document."""


class Invalid(ApiError):
    """422: the service refused the input; `fields` names each field."""


def error_for(status: int, problem: Problem | None, where: str) -> ApiError:
    """The exception for an HTTP error answer to the request named by `where`, a phrase that
    reads after a noun or in brackets ("beim Übernehmen von Eintrag 5", the client's `where`);
    the service's own `detail` is quoted as it came."""
    detail = _detail_text(problem)
    if status == 401:
        return Unauthorized(
            _(
                "Anmeldung abgelehnt: das Token ist ungültig oder widerrufen. "
                "Bitte beim Betrieb ein neues Token anfordern."
            ),
            status=status,
            problem=problem,
        )
    if status == 403:
        said = _("Keine Berechtigung ({where}).").format(where=where)
        return Forbidden(f"{said} {detail}".strip(), status=status, problem=problem)
    if status == 404:
        return NotFound(
            _("{detail} ({where}; oder es gehört zu einer anderen Regionalstelle)").format(
                detail=detail or _("Nicht gefunden."), where=where
            ),
            status=status,
            problem=problem,
        )
    if status == 409:
        return Conflict(
            detail
            or _(
                "Jemand anderes war schneller ({where}). Der aktuelle Stand wird angezeigt."
            ).format(where=where),
            status=status,
            problem=problem,
        )
    if status == 422:
        return Invalid(
            _("Eingabe abgelehnt: {detail}").format(detail=detail)
            if detail
            else _("Eingabe abgelehnt."),
            status=status,
            problem=problem,
        )
    if status >= 500:
        return ServiceFailed(
            _(
                "Der Dienst meldet einen Fehler (HTTP {status}) {where}. "
                "Ihre Eingaben bleiben erhalten; bitte gleich noch einmal versuchen."
            ).format(status=status, where=where),
            status=status,
            problem=problem,
        )
    said = _("Unerwartete Antwort HTTP {status} {where}.").format(status=status, where=where)
    return ApiError(f"{said} {detail}".strip(), status=status, problem=problem)


def _detail_text(problem: Problem | None) -> str:
    if problem is None:
        return ""
    if isinstance(problem.detail, str):
        return problem.detail
    return "; ".join(f"{field_label(e.field)}: {e.message}" for e in problem.detail)


# the contract's field names as a caseworker reads them (the `field` itself stays in `fields`);
# marked with N_, shown through _ (field_label)
FIELD_LABELS = {
    "reason": N_("Begründung"),
    "office": N_("Regionalstelle"),
    "from": N_("Beginn"),
    "to": N_("Ende"),
    "item": N_("Angabe"),
    "due_on": N_("Frist"),
    "note": N_("Notiz"),
    "hours": N_("Stunden"),
    "decision": N_("Entscheidung"),
    "exam_date": N_("Prüfungsdatum"),
    "exam_center": N_("Prüfstelle"),
    "capture_reason": N_("Grund der Papiererfassung"),
    "exam_name": N_("Prüfung"),
    "level": N_("Niveau"),
    "issued_on": N_("Ausstellungsdatum"),
    "presented_on": N_("Vorlagedatum"),
    "participant_id": N_("Teilnehmer-Nr."),
    "document_number": N_("Ausweisnummer"),
    "document_type": N_("Ausweisart"),
    "iban": N_("IBAN"),
    "account_holder": N_("Kontoinhaber/in"),
    "contribution_paid_cents": N_("gezahlter Kostenbeitrag"),
    "contribution_full_cents": N_("voller Kostenbeitrag"),
    "received_on": N_("Eingangsdatum"),
    "as_of": N_("Stichtag"),
    "cursor": N_("Blättern"),
    "If-Match": N_("Version"),
    "version": N_("Version"),
    "parts.hoeren_lesen": N_("Hören/Lesen"),
    "parts.schreiben": N_("Schreiben"),
    "parts.sprechen": N_("Sprechen"),
}


def field_label(field: str) -> str:
    """`reason` → `Begründung` (in the interface's language); an unknown field keeps its name."""
    label = FIELD_LABELS.get(field)
    return _(label) if label else field
