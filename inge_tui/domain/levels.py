"""DTZ and LiD scoring (R1–R3): points to part levels, part levels to the overall result.

The DTZ point thresholds come from a secondary source (domain.md § 3, open question 4), so they
are configuration: `DEFAULT_THRESHOLDS` holds the R1 table and `thresholds_from_mapping` applies
the overrides of `[server.dtz_thresholds]`. Bad input raises `ValueError` with one German line
that names the part and the value; the service answers it with 422.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal
from types import MappingProxyType

from ._format import part_de, points_de
from .said import said
from .types import DtzOutcome, Level, LidOutcome, Part, PartScale, Thresholds

DEFAULT_THRESHOLDS = Thresholds(
    hoeren_lesen=PartScale(maximum=45, a2_from=20, b1_from=33, step=1),
    schreiben=PartScale(maximum=20, a2_from=7, b1_from=15, step=1),
    sprechen=PartScale(maximum=100, a2_from=35, b1_from=75, step=0.5),
)

LID_MAXIMUM = 33
LID_PASS_FROM = 15  # § 10 Abs. 2 IntTestV
LID_NATURALISATION_FROM = 17  # § 10 Abs. 3 IntTestV

SCALE_KEYS = ("maximum", "a2_from", "b1_from", "step")


# ---- thresholds --------------------------------------------------------------------------------


def thresholds_from_mapping(
    mapping: Mapping[str, Mapping[str, float]], base: Thresholds = DEFAULT_THRESHOLDS
) -> Thresholds:
    """`base` with the values of a config table like `{"sprechen": {"b1_from": 75}}` put in."""
    if not isinstance(mapping, Mapping):
        raise ValueError("DTZ-Schwellen: erwartet eine Tabelle je Prüfungsteil")
    scales = {part: asdict(base.scale(part)) for part in Part}
    for part_key, overrides in mapping.items():
        part = _part_from_key(part_key)
        if not isinstance(overrides, Mapping):
            raise ValueError(f"DTZ-Schwellen {part.value}: erwartet eine Tabelle mit {_keys()}")
        for key, value in overrides.items():
            if key not in SCALE_KEYS:
                raise ValueError(
                    f"DTZ-Schwellen {part.value}: unbekannter Schlüssel {key!r}"
                    f"{_suggest(key, SCALE_KEYS)}; erlaubt sind {_keys()}"
                )
            scales[part][key] = _number(f"{part.value}.{key}", value)
    thresholds = Thresholds(**{part.value: PartScale(**scales[part]) for part in Part})
    for part in Part:
        _check_scale(part, thresholds.scale(part))
    return thresholds


def thresholds_to_mapping(thresholds: Thresholds) -> dict[str, dict[str, float]]:
    """The config table that `thresholds_from_mapping` turns back into `thresholds`."""
    return {part.value: asdict(thresholds.scale(part)) for part in Part}


def _part_from_key(key: object) -> Part:
    try:
        return Part(str(key))
    except ValueError:
        names = [part.value for part in Part]
        raise ValueError(
            f"DTZ-Schwellen: unbekannter Prüfungsteil {key!r}{_suggest(key, names)};"
            f" erlaubt sind {', '.join(names)}"
        ) from None


def _number(where: str, value: object) -> float:
    # bool is an int in Python, but `step = true` in a config file is a mistake, not 1
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"DTZ-Schwellen {where}: {value!r} ist keine endliche Zahl")
    return value


def _check_scale(part: Part, scale: PartScale) -> None:
    where = f"DTZ-Schwellen {part.value}"
    if scale.step <= 0:
        raise ValueError(f"{where}.step: {points_de(scale.step)} muss größer als 0 sein")
    if scale.maximum <= 0:
        raise ValueError(f"{where}.maximum: {points_de(scale.maximum)} muss größer als 0 sein")
    for key in ("maximum", "a2_from", "b1_from"):
        value = getattr(scale, key)
        if not _is_multiple(value, scale.step):
            raise ValueError(
                f"{where}.{key}: {points_de(value)} ist kein Vielfaches der Schrittweite"
                f" {points_de(scale.step)}"
            )
    if scale.a2_from < 0:
        raise ValueError(f"{where}.a2_from: {points_de(scale.a2_from)} darf nicht negativ sein")
    if scale.a2_from >= scale.b1_from:
        raise ValueError(
            f"{where}: a2_from ({points_de(scale.a2_from)}) muss kleiner sein als"
            f" b1_from ({points_de(scale.b1_from)})"
        )
    if scale.b1_from > scale.maximum:
        raise ValueError(
            f"{where}.b1_from: {points_de(scale.b1_from)} liegt über dem Höchstwert"
            f" {points_de(scale.maximum)}"
        )


def _is_multiple(value: float, step: float) -> bool:
    # Decimal of the shortest repr: 74.5 % 0.5 is exact, and 0.3 % 0.1 is too (floats say no)
    return Decimal(str(value)) % Decimal(str(step)) == 0


def _keys() -> str:
    return ", ".join(SCALE_KEYS)


def _suggest(word: object, choices: list[str] | tuple[str, ...]) -> str:
    import difflib  # only once something is wrong

    close = difflib.get_close_matches(str(word), choices, n=1)
    return f" (gemeint: {close[0]!r}?)" if close else ""


# ---- scoring -----------------------------------------------------------------------------------


class PointsRefused(ValueError):
    """Points the scale does not allow: `problem` says why (German, `said`), the message also
    names the part."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.problem = problem


def part_level(part: Part, points: float, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Level:
    """R1: the level of one DTZ part; ValueError naming the part for impossible points."""
    return _part_level(part, points, thresholds)


# Pure and over hashable inputs, so memoised: seeding a million cases scores the same few
# thousand point values again and again. typed=True keeps True apart from 1 (True is refused).
@functools.lru_cache(maxsize=65536, typed=True)
def _part_level(part: Part, points: float, thresholds: Thresholds) -> Level:
    part = _part(part)
    scale = thresholds.scale(part)
    name = f"{part_de(part)} ({part.value})"
    if isinstance(points, bool) or not isinstance(points, int | float):
        raise PointsRefused(name, said("{points} ist keine Punktzahl", points=repr(points)))
    if not 0 <= points <= scale.maximum:  # also refuses NaN
        raise PointsRefused(
            name,
            said(
                "{points} Punkte liegen außerhalb von 0 bis {maximum}",
                points=points_de(points),
                maximum=points_de(scale.maximum),
            ),
        )
    if not _is_multiple(points, scale.step):
        given = points_de(points)
        raise PointsRefused(
            name,
            said("nur ganze Punkte ({points} angegeben)", points=given)
            if scale.step == 1
            else said(
                "nur in Schritten von {step} Punkten ({points} angegeben)",
                step=points_de(scale.step),
                points=given,
            ),
        )
    if points >= scale.b1_from:
        return Level.B1
    if points >= scale.a2_from:
        return Level.A2
    return Level.UNTER_A2


def overall_level(levels: Mapping[Part, Level]) -> Level:
    """R2 (§ 10 Abs. 1 IntTestV): Sprechen caps the result, the better written part carries it."""
    missing = [part_de(part) for part in Part if part not in levels]
    if missing:
        raise ValueError(f"DTZ-Gesamtergebnis: es fehlt {', '.join(missing)}")
    speaking = Level(levels[Part.SPRECHEN])
    best_written = max(Level(levels[Part.HOEREN_LESEN]), Level(levels[Part.SCHREIBEN]), key=_rank)
    # "Sprechen at level X and at least one other part at level X", for X = B1, then A2
    return min(speaking, best_written, key=_rank)


def dtz_outcome(
    parts: Mapping[Part, float], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> DtzOutcome:
    """R1 and R2 for one sitting; `overall` stays None while a part is missing."""
    items = tuple(parts.items())
    try:
        # the type goes into the key: typed=True does not look inside tuples, and True == 1
        key = tuple((_part(part), type(points), points) for part, points in items)
        return _dtz_outcome_cached(key, thresholds)
    except TypeError:  # unhashable points: the uncached path names the problem
        return _dtz_outcome(tuple((part, None, points) for part, points in items), thresholds)


def _dtz_outcome(
    parts: tuple[tuple[Part, object, float], ...], thresholds: Thresholds
) -> DtzOutcome:
    levels = {_part(part): part_level(part, points, thresholds) for part, _, points in parts}
    ordered = {part: levels[part] for part in Part if part in levels}
    complete = len(ordered) == len(Part)
    return DtzOutcome(
        parts=MappingProxyType(ordered),  # shared by the cache below, so read-only
        overall=overall_level(ordered) if complete else None,
        complete=complete,
    )


_dtz_outcome_cached = functools.lru_cache(maxsize=65536, typed=True)(_dtz_outcome)


def lid_outcome(points: int) -> LidOutcome:
    """R3: passed from 15 of 33, valid for naturalisation from 17; other scores are refused."""
    if isinstance(points, bool) or not isinstance(points, int):
        raise ValueError(f"Test „Leben in Deutschland“: {points!r} ist keine ganze Punktzahl")
    if not 0 <= points <= LID_MAXIMUM:
        raise ValueError(
            f"Test „Leben in Deutschland“: {points} Punkte liegen außerhalb von 0 bis {LID_MAXIMUM}"
        )
    return LidOutcome(
        points=points,
        passed=points >= LID_PASS_FROM,
        naturalisation=points >= LID_NATURALISATION_FROM,
    )


def _part(part: Part | str) -> Part:
    try:
        return Part(part)
    except ValueError:
        raise ValueError(f"Unbekannter DTZ-Prüfungsteil {part!r}") from None


def _rank(level: Level) -> int:
    return level.rank
