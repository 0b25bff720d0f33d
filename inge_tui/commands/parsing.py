"""What caseworkers type, read leniently and checked: German dates (`3.2.2025`, ISO too),
points with a decimal comma, whole hours. Each refusal is one German line for the field.
"""

from __future__ import annotations

import math
import re
from datetime import date

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> date:
    """`03.02.2025`, `3.2.2025` or `2025-02-03`; ValueError with a German message otherwise."""
    raw = text.strip()
    if not raw:
        raise ValueError("Datum fehlt (TT.MM.JJJJ)")
    german = _GERMAN_DATE.match(raw)
    iso = _ISO_DATE.match(raw)
    if german:
        day, month, year = (int(g) for g in german.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise ValueError(f"„{raw}“ ist kein Datum (TT.MM.JJJJ)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"„{raw}“ gibt es nicht im Kalender") from None


def parse_points(text: str) -> float:
    """Points as typed (`74,5` or `74.5`): a finite number. Whether the part's scale allows
    them is the service's to say (`POST /v1/scoring/dtz`; its thresholds are configurable)."""
    raw = text.strip().replace(",", ".")
    if not raw:
        raise ValueError("Punkte fehlen")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"„{text.strip()}“ ist keine Zahl") from None
    if not math.isfinite(value):
        raise ValueError(f"„{text.strip()}“ ist keine Zahl")
    return value


def points_value(points: float) -> int | float:
    """Whole points as an int (the contract's Hören/Lesen and Schreiben take only those)."""
    return int(points) if float(points).is_integer() else points


def parse_hours(text: str | int | None, *, limit: int = 300) -> int:
    """Whole UE from 1 to `limit`."""
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise ValueError("Stunden fehlen")
    if not raw.isdigit():
        raise ValueError(f"„{raw}“ ist keine ganze Zahl")
    hours = int(raw)
    if not 1 <= hours <= limit:
        raise ValueError(f"1 bis {limit} UE zulässig")
    return hours
