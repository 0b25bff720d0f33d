"""Builders for the facts the rules read: a complete, issuable case unless a test says otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from inge_tui.domain import (
    AltB1Proof,
    CaseFacts,
    CourseType,
    DtzAttempt,
    HoursReport,
    IdDocumentType,
    LidAttempt,
    Part,
    ResultSource,
)

ON = date(2025, 6, 2)  # the day of the assessment in the completion tests
DTZ_DAY = date(2025, 1, 10)
LID_DAY = date(2025, 3, 1)
HOURS_DAY = date(2024, 12, 20)  # the day `facts(hours_used=…)` reports, before DTZ_DAY


def dtz(
    hoeren_lesen: float | None,
    schreiben: float | None,
    sprechen: float | None,
    *,
    on: date = DTZ_DAY,
    source: ResultSource = ResultSource.WEBSERVICE,
    funded: bool = True,
    within_repetition: bool = False,
    aborted: bool = False,
) -> DtzAttempt:
    """A DTZ sitting; a part given as None has not arrived yet."""
    points = {
        Part.HOEREN_LESEN: hoeren_lesen,
        Part.SCHREIBEN: schreiben,
        Part.SPRECHEN: sprechen,
    }
    return DtzAttempt(
        exam_date=on,
        parts={part: value for part, value in points.items() if value is not None},
        source=source,
        funded=funded,
        within_repetition=within_repetition,
        aborted=aborted,
    )


B1 = (33, 15, 75)  # the lowest B1 in every part
A2 = (32, 14, 74.5)  # one step below B1 in every part


def lid(points: int, *, on: date = LID_DAY, funded: bool = True) -> LidAttempt:
    return LidAttempt(exam_date=on, points=points, funded=funded)


def alt_b1(
    exam_name: str = "Goethe-Zertifikat B1",
    level: str = "B1",
    issued_on: date = date(2024, 3, 1),
    presented_on: date = date(2024, 9, 1),
) -> AltB1Proof:
    return AltB1Proof(exam_name, level, issued_on, presented_on)


def hours(*reports: tuple[date, int]) -> tuple[HoursReport, ...]:
    """Dated hours reports: `hours((date(2025, 1, 9), 599))`."""
    return tuple(HoursReport(day, used) for day, used in reports)


def facts(**overrides: Any) -> CaseFacts:
    """Complete identity, general course with its contingent used, no test results.

    `hours_used=N` stands for one report of N hours on HOURS_DAY, before the DTZ day: the
    hours the person had used when sitting the DTZ and still has today.
    """
    if "hours_used" in overrides:
        used = overrides.pop("hours_used")
        overrides.setdefault("hours_reports", hours((HOURS_DAY, used)))
    base = CaseFacts(
        surname="Muster",
        given_name="Erika",
        birth_date=date(1990, 5, 17),
        course_type=CourseType.ALLGEMEIN,
        contingent_hours=600,
        hours_reports=hours((HOURS_DAY, 600)),
        entitlement_date=date(2023, 6, 1),
        registered_on=date(2024, 9, 15),
        course_start=date(2024, 10, 1),
        document_type=IdDocumentType.REISEPASS,
        document_number="C01X00T47",
        has_address=True,
    )
    return replace(base, **overrides)


def passed(**overrides: Any) -> CaseFacts:
    """A case that earns the Zertifikat: DTZ B1 at the lowest points, LiD 15."""
    return facts(**{"dtz_attempts": (dtz(*B1),), "lid_attempts": (lid(15),), **overrides})
