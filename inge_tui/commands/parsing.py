"""What caseworkers type, read leniently and checked: German dates (`3.2.2025`, ISO too),
points with a decimal comma, whole hours. Each refusal is one line for the field, in the
interface's language.
"""

from __future__ import annotations

import math
import re
from datetime import date

from inge_tui.i18n import _

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> date:
    """`03.02.2025`, `3.2.2025` or `2025-02-03`; ValueError with a message otherwise."""
    raw = text.strip()
    if not raw:
        raise ValueError(_("Datum fehlt (TT.MM.JJJJ)"))
    german = _GERMAN_DATE.match(raw)
    iso = _ISO_DATE.match(raw)
    if german:
        day, month, year = (int(g) for g in german.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise ValueError(_("„{text}“ ist kein Datum (TT.MM.JJJJ)").format(text=raw))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("„{text}“ gibt es nicht im Kalender").format(text=raw)) from None


def parse_points(text: str) -> float:
    """Points as typed (`74,5` or `74.5`): a finite number. Whether the part's scale allows
    them is the service's to say (`POST /v1/scoring/dtz`; its thresholds are configurable)."""
    raw = text.strip().replace(",", ".")
    if not raw:
        raise ValueError(_("Punkte fehlen"))
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(_("„{text}“ ist keine Zahl").format(text=text.strip())) from None
    if not math.isfinite(value):
        raise ValueError(_("„{text}“ ist keine Zahl").format(text=text.strip()))
    return value


def points_value(points: float) -> int | float:
    """Whole points as an int (the contract's Hören/Lesen and Schreiben take only those)."""
    return int(points) if float(points).is_integer() else points


def parse_hours(text: str | int | None, *, limit: int = 300) -> int:
    """Whole UE from 1 to `limit`."""
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise ValueError(_("Stunden fehlen"))
    if not raw.isdigit():
        raise ValueError(_("„{text}“ ist keine ganze Zahl").format(text=raw))
    hours = int(raw)
    if not 1 <= hours <= limit:
        raise ValueError(_("1 bis {limit} UE zulässig").format(limit=limit))
    return hours
