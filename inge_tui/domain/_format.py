"""German renderings for reason texts: points with a decimal comma, dates, euros, level names
(the words made with `said`, so that the service can say them in English too)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .said import said
from .types import CourseType, Level, Part

PART_NAMES = {
    Part.HOEREN_LESEN: said("Hören/Lesen"),
    Part.SCHREIBEN: said("Schreiben"),
    Part.SPRECHEN: said("Sprechen"),
}
LEVEL_NAMES = {Level.UNTER_A2: said("unter A2"), Level.A2: "A2", Level.B1: "B1"}
LID_NAME = said("Test „Leben in Deutschland“")
CENT = Decimal("0.01")


def points_de(value: float) -> str:
    """74.5 → "74,5", 75.0 → "75": whole points without a fraction, halves with a comma (a
    `said` number, so that English writes "74.5")."""
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if "." not in text:
        return text
    whole, fraction = text.split(".")
    # TRANSLATORS: a number with a fraction, as in 74,5 points
    return said("{whole},{fraction}", whole=whole, fraction=fraction)


def date_de(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def euro_de(amount: Decimal) -> str:
    """Decimal("1234.5") → "1.234,50 €"."""
    text = f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") + " €"


def level_de(level: Level) -> str:
    return LEVEL_NAMES[level]


def part_de(part: Part) -> str:
    return PART_NAMES[part]


COURSE_NAMES = {
    CourseType.ALLGEMEIN: said("Allgemeiner Integrationskurs"),
    CourseType.INTENSIV: said("Intensivkurs"),
    CourseType.ALPHABETISIERUNG: said("Alphabetisierungskurs"),
    CourseType.ZWEITSCHRIFTLERNER: said("Zweitschriftlernerkurs"),
    CourseType.FOERDERBEDARF: said("Kurs für besonderen sprachpädagogischen Förderbedarf"),
    CourseType.JUGEND: said("Jugendintegrationskurs"),
    CourseType.ELTERN: said("Elternintegrationskurs"),
    CourseType.FRAUEN: said("Frauenintegrationskurs"),
}


def course_de(course_type: CourseType) -> str:
    return COURSE_NAMES[course_type]
