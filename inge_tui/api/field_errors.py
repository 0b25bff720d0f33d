"""Pydantic/FastAPI validation errors worded in German, as the contract's `FieldError` list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from inge_tui.api.models import FieldError

_MESSAGES = {
    "missing": "Pflichtfeld fehlt",
    "extra_forbidden": "unbekanntes Feld",
    "string_type": "Text erwartet",
    "int_type": "ganze Zahl erwartet",
    "int_from_float": "ganze Zahl erwartet",
    "int_parsing": "ganze Zahl erwartet",
    "int_parsing_size": "Zahl zu groß",
    "float_parsing": "Zahl erwartet",
    "bool_parsing": "true oder false erwartet",
    "list_type": "Liste erwartet",
    "too_short": "zu wenige Einträge",
    "too_long": "zu viele Einträge",
    "greater_than": "muss größer als {gt} sein",
    "less_than": "muss kleiner als {lt} sein",
    "literal_error": "unzulässiger Wert; erlaubt: {expected}",
    "datetime_parsing": "kein gültiger Zeitpunkt (JJJJ-MM-TTThh:mm:ss+01:00 erwartet)",
    "datetime_type": "kein gültiger Zeitpunkt (JJJJ-MM-TTThh:mm:ss+01:00 erwartet)",
    "datetime_from_date_parsing": "kein gültiger Zeitpunkt (JJJJ-MM-TTThh:mm:ss+01:00 erwartet)",
    "timezone_aware": "Zeitpunkt mit Zeitzone erwartet (z. B. +01:00)",
    "string_unicode": "Text erwartet (UTF-8)",
    "float_type": "Zahl erwartet",
    "bool_type": "true oder false erwartet",
    "date_from_datetime_parsing": "kein gültiges Datum (JJJJ-MM-TT erwartet)",
    "date_parsing": "kein gültiges Datum (JJJJ-MM-TT erwartet)",
    "date_type": "kein gültiges Datum (JJJJ-MM-TT erwartet)",
    "string_pattern_mismatch": "hat nicht das erwartete Format",
    "string_too_short": "ist zu kurz",
    "string_too_long": "ist zu lang",
    "multiple_of": "nur in Schritten von {multiple_of} zulässig",
    "greater_than_equal": "muss mindestens {ge} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "enum": "unzulässiger Wert; erlaubt: {expected}",
    "model_type": "Objekt erwartet",
    "model_attributes_type": "Objekt erwartet",
    "dict_type": "Objekt erwartet",
    "json_invalid": "kein gültiges JSON",
    "finite_number": "endliche Zahl erwartet",
}


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        source = parts.pop(0)
        if source == "header" and parts:
            return "-".join(w.capitalize() for w in parts[0].split("-"))
    return ".".join(parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:  # a kind not listed: German all the same, never pydantic's English
        return "ungültiger Wert"
    german = {k: str(v).replace(".", ",").replace(" or ", " oder ") for k, v in ctx.items()}
    try:
        return template.format(**german)
    except (KeyError, IndexError):
        return template


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Pydantic/FastAPI errors as `{field, message}` in German, one per field and problem."""
    out: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        item = (_field_name(error.get("loc", ())), _message(error))
        if item not in seen:
            seen.add(item)
            out.append(FieldError(field=item[0], message=item[1]))
    return out
