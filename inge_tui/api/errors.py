"""What can go wrong between the app and the service, each with a German message that says what
happened and what to do next. The client raises these; screens and scripts only show them."""

from __future__ import annotations

from typing import Any

from inge_tui.api.models import BlockerOut, FieldError, Problem, ReasonOut


class ApiError(Exception):
    """A request that did not succeed. `message` is German and fit to show as it is."""

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


def at(what: str) -> str:
    """`dem Übernehmen von Eintrag 5` → `beim Übernehmen von Eintrag 5`; `der Übernahme` →
    `bei der Übernahme`: the request named in a sentence."""
    return f"beim {what[4:]}" if what.startswith("dem ") else f"bei {what}"


def error_for(status: int, problem: Problem | None, what: str) -> ApiError:
    """The exception for an HTTP error answer to the request described by `what`."""
    detail = _detail_text(problem)
    if status == 401:
        return Unauthorized(
            "Anmeldung abgelehnt: das Token ist ungültig oder widerrufen. "
            "Bitte beim Betrieb ein neues Token anfordern.",
            status=status,
            problem=problem,
        )
    if status == 403:
        return Forbidden(
            f"Keine Berechtigung ({at(what)}). {detail}".strip(), status=status, problem=problem
        )
    if status == 404:
        return NotFound(
            f"{detail or 'Nicht gefunden.'} ({at(what)}; oder es gehört zu einer anderen"
            " Regionalstelle)",
            status=status,
            problem=problem,
        )
    if status == 409:
        return Conflict(
            detail
            or f"Jemand anderes war schneller ({at(what)}). Der aktuelle Stand wird angezeigt.",
            status=status,
            problem=problem,
        )
    if status == 422:
        return Invalid(
            f"Eingabe abgelehnt: {detail}" if detail else "Eingabe abgelehnt.",
            status=status,
            problem=problem,
        )
    if status >= 500:
        return ServiceFailed(
            f"Der Dienst meldet einen Fehler (HTTP {status}) {at(what)}. "
            "Ihre Eingaben bleiben erhalten; bitte gleich noch einmal versuchen.",
            status=status,
            problem=problem,
        )
    return ApiError(
        f"Unerwartete Antwort HTTP {status} {at(what)}. {detail}".strip(),
        status=status,
        problem=problem,
    )


def _detail_text(problem: Problem | None) -> str:
    if problem is None:
        return ""
    if isinstance(problem.detail, str):
        return problem.detail
    return "; ".join(f"{field_label(e.field)}: {e.message}" for e in problem.detail)


# the contract's field names as a caseworker reads them (the `field` itself stays in `fields`)
FIELD_LABELS = {
    "reason": "Begründung",
    "office": "Regionalstelle",
    "from": "Beginn",
    "to": "Ende",
    "item": "Angabe",
    "due_on": "Frist",
    "note": "Notiz",
    "hours": "Stunden",
    "decision": "Entscheidung",
    "exam_date": "Prüfungsdatum",
    "exam_center": "Prüfstelle",
    "capture_reason": "Grund der Papiererfassung",
    "exam_name": "Prüfung",
    "level": "Niveau",
    "issued_on": "Ausstellungsdatum",
    "presented_on": "Vorlagedatum",
    "participant_id": "Teilnehmer-Nr.",
    "document_number": "Ausweisnummer",
    "document_type": "Ausweisart",
    "iban": "IBAN",
    "account_holder": "Kontoinhaber/in",
    "contribution_paid_cents": "gezahlter Kostenbeitrag",
    "contribution_full_cents": "voller Kostenbeitrag",
    "received_on": "Eingangsdatum",
    "as_of": "Stichtag",
    "cursor": "Blättern",
    "If-Match": "Version",
    "version": "Version",
    "parts.hoeren_lesen": "Hören/Lesen",
    "parts.schreiben": "Schreiben",
    "parts.sprechen": "Sprechen",
}


def field_label(field: str) -> str:
    """`reason` → `Begründung`; an unknown field keeps its name."""
    return FIELD_LABELS.get(field, field)
