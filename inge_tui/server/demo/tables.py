"""Precomputed tables behind `demo.cases`: frequencies, points, places and invented names.

Weighted choices are lists of 100 entries (one per cent), so a draw is one `random()` call and an
index. Case shapes, people (name, age, time spans), DTZ points and addresses are drawn once per
process into large tables from fixed seeds; the generator picks rows with its own seeded
generator, one call per row instead of a dozen, so its result still depends only on its seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from functools import cache, lru_cache
from typing import Any

from inge_tui.domain.types import CourseType
from inge_tui.server.demo.names import ORIGIN_TABLE, ORIGINS

Rand = Callable[[], float]

COURSE_TYPES = tuple(course.value for course in CourseType)
CONTINGENT = (600, 400, 900, 900, 900, 900, 900, 900)  # language part in UE, in that order

REFORM_ORD = date(2024, 12, 7).toordinal()  # 5. IntVÄndV: repetition rules change (R13/R14)
LEGACY_FROM_ORD = date(2024, 3, 1).toordinal()
EARLY_INTENSIV_ORD = date(2023, 4, 30).toordinal()  # R18: Orientierungskurs 30 UE before 01.05.2023

ID_OK, ID_NO_DOCUMENT, ID_NO_NUMBER, ID_NO_ADDRESS, ID_NOTHING = range(5)
ID_PROBLEMS = (ID_NO_DOCUMENT, ID_NO_NUMBER, ID_NO_ADDRESS, ID_NOTHING)
DTZ_B1, DTZ_A2, DTZ_UNTER, DTZ_PARTIAL, DTZ_NONE = range(5)
LID_NONE, LID_DRAW, LID_EDGE = -1, -2, -3
ALT_NONE, ALT_VALID, ALT_OLD, ALT_LATE, ALT_LOW = range(5)
REP_NONE, REP_LEGACY, REP_NEW = range(3)


def _table(*weighted: tuple[int, int]) -> tuple[int, ...]:
    table = tuple(value for value, weight in weighted for _ in range(weight))
    assert len(table) == 100, len(table)
    return table


COURSE_TABLE = _table((0, 44), (1, 6), (2, 14), (3, 7), (4, 8), (5, 8), (6, 7), (7, 6))
ID_TABLE = _table(
    (ID_OK, 88), (ID_NO_DOCUMENT, 3), (ID_NO_NUMBER, 3), (ID_NO_ADDRESS, 5), (ID_NOTHING, 1)
)
DTZ_TABLE = _table((DTZ_B1, 52), (DTZ_A2, 30), (DTZ_UNTER, 10), (DTZ_PARTIAL, 4), (DTZ_NONE, 4))
LID_TABLE = _table((LID_NONE, 4), (LID_EDGE, 30), (LID_DRAW, 66))
ALT_TABLE = _table((ALT_VALID, 55), (ALT_OLD, 20), (ALT_LATE, 15), (ALT_LOW, 10))

_DOCS = (
    ("reisepass", "RP"),
    ("personalausweis", "PA"),
    ("passersatz", "PE"),
    ("ausweisersatz", "AE"),
)
_DOC_TABLE = _table((0, 55), (1, 25), (2, 15), (3, 5))

# --- DTZ points (R1): per part and level, ordinary values and the values at a threshold -------

_U, _A2, _B1 = 0, 1, 2


def _steps(low: float, high: float, step: float = 1.0) -> tuple[float, ...]:
    count = round((high - low) / step)
    return tuple(low + i * step for i in range(count + 1))


# Hören/Lesen (a2 20, b1 33, max 45), Schreiben (7, 15, 20), Sprechen (35, 75, 100, half points).
_NORMAL = (
    (_steps(6, 19), _steps(20, 32), _steps(33, 45)),
    (_steps(1, 6), _steps(7, 14), _steps(15, 20)),
    (_steps(10, 34.5, 0.5), _steps(35, 74.5, 0.5), _steps(75, 100, 0.5)),
)
_EDGE = (
    ((19.0,), (20.0, 32.0), (33.0,)),
    ((6.0,), (7.0, 14.0), (15.0,)),
    ((34.5,), (35.0, 74.5), (75.0,)),
)


def _overall(hl: int, s: int, sp: int) -> int:
    """R2: Sprechen and one other part decide; Sprechen caps the result."""
    if sp == _B1 and _B1 in (hl, s):
        return _B1
    if sp >= _A2 and max(hl, s) >= _A2:
        return _A2
    return _U


_ALL_TRIPLES = [(hl, s, sp) for hl in range(3) for s in range(3) for sp in range(3)]
_TRIPLES = {
    DTZ_B1: tuple(t for t in _ALL_TRIPLES if _overall(*t) == _B1),
    DTZ_A2: tuple(t for t in _ALL_TRIPLES if _overall(*t) == _A2),
    DTZ_UNTER: tuple(t for t in _ALL_TRIPLES if _overall(*t) == _U),
    DTZ_PARTIAL: tuple(_ALL_TRIPLES),
}
# Which parts are still missing in an incomplete transmission (Sprechen is rated separately).
_GAPS = ((False, False, True),) * 3 + (
    (True, True, False),
    (True, False, False),
    (False, True, True),
)


DtzPoints = tuple[float | None, float | None, float | None]


def dtz_points(rand: Rand, kind: int, edge: bool) -> DtzPoints:
    """Points for (Hören/Lesen, Schreiben, Sprechen) whose overall level is `kind`."""
    triples = _TRIPLES[kind]
    levels = triples[int(rand() * len(triples))]
    at_edge = int(rand() * 3) if edge else -1
    values: list[float | None] = []
    for part in range(3):
        table = (_EDGE if part == at_edge else _NORMAL)[part][levels[part]]
        values.append(table[int(rand() * len(table))])
    if kind == DTZ_PARTIAL:
        gaps = _GAPS[int(rand() * len(_GAPS))]
        values = [None if gap else value for value, gap in zip(values, gaps, strict=True)]
    return values[0], values[1], values[2]


@cache
def dtz_tables() -> tuple[tuple[DtzPoints, ...], ...]:
    """4,096 point triples for each (kind, edge), at index kind * 2 + edge; drawn once."""
    rand = random.Random(0xD72).random
    return tuple(
        tuple(dtz_points(rand, kind, edge) for _ in range(4096))
        for kind in (DTZ_B1, DTZ_A2, DTZ_UNTER, DTZ_PARTIAL)
        for edge in (False, True)
    )


# --- Shapes and timelines of random cases ----------------------------------------------------


def _draw_facets(rand: Rand) -> tuple[int, bool, int, int, bool, int, int, int, bool]:
    """(course, self_payer, identity, dtz, dtz_edge, lid, alt, repetition, used_up)."""
    self_payer = rand() < 0.06
    dtz = DTZ_NONE if self_payer else DTZ_TABLE[int(rand() * 100)]
    alt = ALT_NONE
    if rand() < (0.4 if self_payer else 0.05):
        alt = ALT_TABLE[int(rand() * 100)]
    repetition = REP_NONE
    roll = rand()
    if (roll < 0.09 and dtz != DTZ_B1) or roll < 0.01:  # mostly after a DTZ below B1
        repetition = REP_LEGACY if rand() < 0.5 else REP_NEW
    return (
        COURSE_TABLE[int(rand() * 100)],
        self_payer,
        ID_TABLE[int(rand() * 100)],
        dtz,
        rand() < 0.35,
        LID_TABLE[int(rand() * 100)],
        alt,
        repetition,
        rand() < 0.75 or repetition != REP_NONE,
    )


@cache
def facet_table() -> tuple[tuple[int, bool, int, int, bool, int, int, int, bool], ...]:
    """65,536 case shapes drawn by the frequencies above; a case picks one."""
    rand = random.Random(0xFAC).random
    return tuple(_draw_facets(rand) for _ in range(65_536))


@cache
def people_table() -> tuple[tuple[Any, ...], ...]:
    """65,536 invented people with their per-case spans; a case picks one.

    (surname, given name, contingent cut in UE for a later start, UE left unused, days from the
    LiD exam to the Postkorb entry, from DTZ to LiD, course start jitter, early Intensivkurs,
    days from registration to course start, from entitlement to registration, age in days,
    ID document type, prefix of its synthetic number).
    """
    rand = random.Random(0x4E41).random
    table = []
    for _ in range(65_536):
        surnames_f, surnames_m, given_f, given_m = ORIGINS[ORIGIN_TABLE[int(rand() * 100)]]
        if rand() < 0.5:
            surnames, given = surnames_f, given_f
        else:
            surnames, given = surnames_m, given_m
        cut = 100 * (1 + int(rand() * 3)) if rand() < 0.12 else 0  # joined a later Kursabschnitt
        table.append(
            (
                surnames[int(rand() * len(surnames))],
                given[int(rand() * len(given))],
                cut,
                50 * (1 + int(rand() * 6)),
                56 + int(rand() * 28),  # LiD results take about eight weeks
                21 + int(rand() * 28),  # the Orientierungskurs lies between DTZ and LiD
                int(rand() * 60),
                rand() < 0.15,
                7 + int(rand() * 80),
                7 + int(rand() * (900 if rand() < 0.1 else 170)),
                6_570 + int(rand() * 16_000),  # aged 18 to 62
                *_DOCS[_DOC_TABLE[int(rand() * 100)]],
            )
        )
    return tuple(table)


# --- LiD (R3): realistic spread, and 14–17 around the two pass marks -------------------------

# fmt: off
_LID_WEIGHTS = (
    (33, 4), (32, 6), (31, 8), (30, 9), (29, 9), (28, 9), (27, 8), (26, 7), (25, 6), (24, 5),
    (23, 5), (22, 4), (21, 3), (20, 3), (19, 2), (18, 2), (17, 1), (16, 1), (13, 2), (12, 2),
    (11, 1), (10, 1), (8, 1), (5, 1),
)
# fmt: on
# Index 0: a realistic spread; index 1: around the pass marks 15 and 17.
LID_DRAWS = (_table(*_LID_WEIGHTS), _table((14, 25), (15, 25), (16, 25), (17, 25)))


# --- Alternative B1 proofs (R4) and repetition applications (R13, R14) -------------------------

_GOOD_EXAMS = (
    ("Goethe-Zertifikat B1", "B1"),
    ("telc Deutsch B1", "B1"),
    ("ÖSD Zertifikat B1", "B1"),
    ("Goethe-Zertifikat B2", "B2"),
    ("telc Deutsch B2", "B2"),
    ("TestDaF (TDN 4)", "B2"),
    ("DSH-2", "C1"),
)
_LOW_EXAMS = (("Goethe-Zertifikat A2", "A2"), ("telc Deutsch A2", "A2"))


def alt_proof(
    rand: Rand, kind: int, registered_ord: int, day: Callable[[int], date]
) -> tuple[str, str, date, date]:
    """(exam_name, level, issued_on, presented_on): valid, older than a year, late, or too low."""
    exams = _LOW_EXAMS if kind == ALT_LOW else _GOOD_EXAMS
    name, level = exams[int(rand() * len(exams))]
    if kind == ALT_LATE:
        presented = registered_ord + 14 + int(rand() * 120)
    else:
        presented = registered_ord - int(rand() * 60)
    if kind == ALT_OLD:
        issued = presented - 380 - int(rand() * 500)
    else:
        issued = presented - 10 - int(rand() * 320)
    return name, level, day(issued), day(presented)


def hours_asked(rand: Rand) -> int:
    return 300 if rand() < 0.75 else 100 * (1 + int(rand() * 2)) + 50 * int(rand() * 2)


# --- Places ----------------------------------------------------------------------------------

# Regionalstelle code -> (German name, postal code ranges of its cities).
OFFICE_PLACES: dict[str, tuple[str, tuple[tuple[int, int, str], ...]]] = {
    "RS-BER": ("Regionalstelle Berlin", ((10115, 14199, "Berlin"), (14467, 14482, "Potsdam"))),
    "RS-HAM": ("Regionalstelle Hamburg", ((20095, 22769, "Hamburg"), (21335, 21339, "Lüneburg"))),
    "RS-NBG": (
        "Regionalstelle Nürnberg",
        ((90402, 90491, "Nürnberg"), (90762, 90768, "Fürth"), (91052, 91058, "Erlangen")),
    ),
    "RS-MUC": ("Regionalstelle München", ((80331, 81929, "München"), (85221, 85221, "Dachau"))),
    "RS-KOE": ("Regionalstelle Köln", ((50667, 51149, "Köln"), (53111, 53229, "Bonn"))),
    "RS-LEI": ("Regionalstelle Leipzig", ((4103, 4357, "Leipzig"), (6108, 6132, "Halle (Saale)"))),
    "RS-FFM": (
        "Regionalstelle Frankfurt am Main",
        ((60306, 60599, "Frankfurt am Main"), (63065, 63075, "Offenbach am Main")),
    ),
    "RS-STR": (
        "Regionalstelle Stuttgart",
        ((70173, 70629, "Stuttgart"), (71638, 71642, "Ludwigsburg")),
    ),
}
_ANYWHERE = tuple(r for _, ranges in OFFICE_PLACES.values() for r in ranges)


@lru_cache(maxsize=64)
def addresses_for(office: str) -> tuple[tuple[str, str, str], ...]:
    """4,096 (street, postal code, city) in the office's region; anywhere for an unknown office."""
    ranges = OFFICE_PLACES[office][1] if office in OFFICE_PLACES else _ANYWHERE
    rand = random.Random(office).random
    addresses = []
    for _ in range(4096):
        low, high, city = ranges[int(rand() * len(ranges))]
        street = f"{STREETS[int(rand() * len(STREETS))]} {1 + int(rand() * 160)}"
        addresses.append((street, f"{low + int(rand() * (high - low + 1)):05d}", city))
    return tuple(addresses)


def centers_for(office: str) -> tuple[str, ...]:
    """32 invented DTZ exam centres (Prüfstellen) of the office: ``PST-BER-001`` …"""
    suffix = office.removeprefix("RS-")[:3].upper()
    return tuple(f"PST-{suffix}-{k:03d}" for k in range(1, 33))


_STREET_TEXT = (
    "Hauptstraße, Schulstraße, Gartenstraße, Bahnhofstraße, Dorfstraße, Bergstraße, Birkenweg, "
    "Lindenstraße, Kirchstraße, Waldstraße, Ringstraße, Schillerstraße, Goethestraße, "
    "Am Sportplatz, Jahnstraße, Wiesenweg, Feldstraße, Mühlenweg, Friedhofstraße, Rosenstraße, "
    "Am Markt, Blumenstraße, Uhlandstraße, Mozartstraße, Beethovenstraße, Lessingstraße, "
    "Heinestraße, Eichendorffweg, Fliederweg, Ahornweg, Tulpenweg, Kastanienallee, Brückenstraße, "
    "Hafenstraße, Parkstraße, Talstraße, Sonnenstraße, Weiherstraße, Grüner Weg, Luisenstraße, "
    "Marienplatz, Am Anger"
)
STREETS = tuple(street.strip() for street in _STREET_TEXT.split(","))


@lru_cache(maxsize=4)
def days(first: int, last: int) -> dict[int, date]:
    """Every date from ordinal `first` to `last`, by ordinal (a lookup beats `fromordinal`)."""
    return {ordinal: date.fromordinal(ordinal) for ordinal in range(first, last + 1)}
