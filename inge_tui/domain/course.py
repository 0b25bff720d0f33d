"""Course facts: the language-part contingent (domain.md § 5), R18 and R19."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from ._format import course_de, date_de
from .rulesets import DTZ_ZULASSUNG, ORIENTATION_REFORM, ORIENTIERUNG, ruleset_for
from .said import said
from .types import CourseType, DtzAdmission, OrientationHours, Reason

# UE of the language part per course type; a person who joined later may have fewer (the
# individual contingent lives on CaseFacts). Zweitschriftlerner: 600 + 300 continuation.
DEFAULT_CONTINGENT: Mapping[CourseType, int] = MappingProxyType(
    {
        CourseType.ALLGEMEIN: 600,
        CourseType.INTENSIV: 400,
        CourseType.ALPHABETISIERUNG: 900,
        CourseType.ZWEITSCHRIFTLERNER: 900,
        CourseType.FOERDERBEDARF: 900,
        CourseType.JUGEND: 900,
        CourseType.ELTERN: 900,
        CourseType.FRAUEN: 900,
    }
)
ORIENTATION_HOURS = 100
INTENSIVE_ORIENTATION_HOURS_BEFORE_REFORM = 30
CITE_ORIENTATION = "§ 13 Abs. 2, § 22 Abs. 3 IntV"
CITE_ADMISSION = said("Zulassungsbedingungen DTZ (g.a.s.t., seit 2023)")


def orientation_hours(course_type: CourseType, course_start: date) -> OrientationHours:
    """R18: an Intensivkurs that began before 01.05.2023 has 30 UE Orientierungskurs, else 100."""
    ruleset = ruleset_for(ORIENTIERUNG, course_start)
    course = course_de(course_type)
    start = date_de(course_start)
    if course_type is CourseType.INTENSIV and course_start < ORIENTATION_REFORM:
        hours = INTENSIVE_ORIENTATION_HOURS_BEFORE_REFORM
        text = said(
            "{course}, Beginn {start} (vor 01.05.2023): Orientierungskurs {hours} UE",
            course=course,
            start=start,
            hours=hours,
        )
    elif course_type is CourseType.INTENSIV:
        hours = ORIENTATION_HOURS
        text = said(
            "{course}, Beginn {start} (ab 01.05.2023): Orientierungskurs {hours} UE",
            course=course,
            start=start,
            hours=hours,
        )
    else:
        hours = ORIENTATION_HOURS
        text = said("{course}: Orientierungskurs {hours} UE", course=course, hours=hours)
    return OrientationHours(
        hours=hours,
        reasons=(Reason("R18", text, CITE_ORIENTATION),),
        rules_version=ruleset.id,
    )


def dtz_admission(*, valid_entitlement: bool, sections_attended: int, on: date) -> DtzAdmission:
    """R19: the DTZ needs a valid Teilnahmeberechtigung or at least one attended Kursabschnitt."""
    if isinstance(sections_attended, bool) or sections_attended < 0:
        raise ValueError(f"Besuchte Kursabschnitte: {sections_attended!r} ist keine Anzahl ab 0")
    ruleset = ruleset_for(DTZ_ZULASSUNG, on)
    if valid_entitlement:
        admitted, text = True, said("Gültige Teilnahmeberechtigung: Zulassung zum DTZ")
    elif sections_attended >= 1:
        admitted = True
        text = said(
            "Ohne gültige Teilnahmeberechtigung, aber {sections} Kursabschnitt(e) besucht:"
            " Zulassung zum DTZ",
            sections=sections_attended,
        )
    else:
        admitted = False
        text = said(
            "Keine gültige Teilnahmeberechtigung und kein Kursabschnitt besucht: keine"
            " Zulassung zum DTZ"
        )
    return DtzAdmission(
        admitted=admitted,
        reasons=(Reason("R19", text, CITE_ADMISSION),),
        rules_version=ruleset.id,
    )
