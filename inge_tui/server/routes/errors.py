"""The error answers every route may give, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from inge_tui.api.models import Problem

_P: dict[str, Any] = {"model": Problem}

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_P, "description": "der Inhalt ist nicht lesbar (kein gültiges JSON)"},
    401: {**_P, "description": "kein oder ungültiges Token"},
    403: {**_P, "description": "die Rolle darf das nicht"},
    404: {**_P, "description": "nicht gefunden (auch: Fall einer anderen Regionalstelle)"},
    409: {**_P, "description": "Konflikt: ältere Version, Blocker, schon vergeben, belegt"},
    422: {**_P, "description": "ungültige Eingabe; `detail` nennt jedes Feld"},
    429: {**_P, "description": "zu viele fehlgeschlagene Anmeldungen dieser Adresse (Retry-After)"},
    503: {**_P, "description": "Datenbank nicht erreichbar oder ausgelastet"},
}
