"""Pydantic/FastAPI validation errors worded in German, as the contract's `FieldError` list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from inge_tui.api.models import FieldError
from inge_tui.domain.said import said
from inge_tui.i18n import N_

_MESSAGES = {
    "missing": N_("Pflichtfeld fehlt"),
    "extra_forbidden": N_("unbekanntes Feld"),
    "string_type": N_("Text erwartet"),
    "int_type": N_("ganze Zahl erwartet"),
    "int_from_float": N_("ganze Zahl erwartet"),
    "int_parsing": N_("ganze Zahl erwartet"),
    "int_parsing_size": N_("Zahl zu groß"),
    "float_parsing": N_("Zahl erwartet"),
    "bool_parsing": N_("true oder false erwartet"),
    "list_type": N_("Liste erwartet"),
    "too_short": N_("zu wenige Einträge"),
    "too_long": N_("zu viele Einträge"),
    "greater_than": N_("muss größer als {gt} sein"),
    "less_than": N_("muss kleiner als {lt} sein"),
    "literal_error": N_("unzulässiger Wert; erlaubt: {expected}"),
    "datetime_parsing": N_("kein gültiger Zeitpunkt (JJJJ-MM-TTThh:mm:ss+01:00 erwartet)"),
    "datetime_type": N_("kein gültiger Zeitpunkt (JJJJ-MM-TTThh:mm:ss+01:00 erwartet)"),
    "datetime_from_date_parsing": N_(
        "kein gültiger Zeitpunkt (JJJJ-MM-TTThh:mm:ss+01:00 erwartet)"
    ),
    "timezone_aware": N_("Zeitpunkt mit Zeitzone erwartet (z. B. +01:00)"),
    "string_unicode": N_("Text erwartet (UTF-8)"),
    "float_type": N_("Zahl erwartet"),
    "bool_type": N_("true oder false erwartet"),
    "date_from_datetime_parsing": N_("kein gültiges Datum (JJJJ-MM-TT erwartet)"),
    "date_parsing": N_("kein gültiges Datum (JJJJ-MM-TT erwartet)"),
    "date_type": N_("kein gültiges Datum (JJJJ-MM-TT erwartet)"),
    "string_pattern_mismatch": N_("hat nicht das erwartete Format"),
    "string_too_short": N_("ist zu kurz"),
    "string_too_long": N_("ist zu lang"),
    "multiple_of": N_("nur in Schritten von {multiple_of} zulässig"),
    "greater_than_equal": N_("muss mindestens {ge} sein"),
    "less_than_equal": N_("darf höchstens {le} sein"),
    "enum": N_("unzulässiger Wert; erlaubt: {expected}"),
    "model_type": N_("Objekt erwartet"),
    "model_attributes_type": N_("Objekt erwartet"),
    "dict_type": N_("Objekt erwartet"),
    "json_invalid": N_("kein gültiges JSON"),
    "finite_number": N_("endliche Zahl erwartet"),
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
        raised = ctx["error"]  # a validator's own German (made with `said`, it can be translated)
        said_as = getattr(raised, "args", None)
        return said_as[0] if said_as and isinstance(said_as[0], str) else str(raised)
    template = _MESSAGES.get(kind)
    if template is None:  # a kind not listed: German all the same, never pydantic's English
        return said("ungültiger Wert")
    german = {k: str(v).replace(".", ",").replace(" or ", " oder ") for k, v in ctx.items()}
    try:
        return said(template, **german)
    except (KeyError, IndexError):
        return said(template)


def field_errors(
    errors: Iterable[Mapping[str, Any]], say: Callable[[str], str] = str
) -> list[FieldError]:
    """Pydantic/FastAPI errors as `{field, message}` in German, one per field and problem;
    `say` words each message for the answer (the service's `speech.speak`: English on request)."""
    out: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        item = (_field_name(error.get("loc", ())), _message(error))
        if item not in seen:
            seen.add(item)
            out.append(FieldError(field=item[0], message=say(item[1])))
    return out
