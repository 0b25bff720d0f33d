"""Hours used as they stood on a day (domain.md A.15): R9, R13 and R14 read them at the DTZ.

Course providers report the language-part hours used as the course goes on, each report dated.
Hours never go down, so on a day between two reports the standing lies between them: at least
the last report on or before the day, at most the first one on or after it, and never more
than the person's individual contingent (a late entrant with 300 UE can never reach 600). A
question such as "was the contingent used up on the exam day?" then has a sure answer, or none
(`None`) when the reports around that day leave it open; the rules say so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ._format import date_de
from .said import joined, said
from .types import HoursReport


@dataclass(frozen=True)
class HoursStanding:
    """What the reports say about the hours used on `day`."""

    day: date
    at_least: HoursReport | None  # the latest report on or before the day
    at_most: HoursReport | None  # the earliest report on or after the day
    ceiling: int | None = None  # the individual contingent: no one uses more

    def reached(self, limit: int) -> bool | None:
        """Whether `limit` hours were used by `day`: True, False, or None when not known."""
        if self.at_least is not None and self.at_least.hours_used >= limit:
            return True
        if self.at_most is not None and self.at_most.hours_used < limit:
            return False
        if self.ceiling is not None and self.ceiling < limit:
            return False
        return None

    def describe(self, limit: int) -> str:
        """`600 von 600 UE laut Stundenmeldung vom 02.01.2026`, or why it is not known."""
        reached = self.reached(limit)
        report = self.at_least if reached else self.at_most if reached is False else None
        if reached is False and (report is None or report.hours_used >= limit):
            ceiling = {"ceiling": self.ceiling, "limit": limit}
            if self.at_least is not None:
                return said(
                    "{used} UE, höchstens {ceiling} von {limit} UE, Kontingent {ceiling} UE",
                    used=self.at_least.hours_used,
                    **ceiling,
                )
            return said("höchstens {ceiling} von {limit} UE, Kontingent {ceiling} UE", **ceiling)
        if report is not None:
            said_of = {"used": report.hours_used, "limit": limit, "day": date_de(report.as_of)}
            if report.as_of == self.day:
                return said("{used} von {limit} UE laut Stundenmeldung vom {day}", **said_of)
            if reached:
                return said(
                    "mindestens {used} von {limit} UE laut Stundenmeldung vom {day}", **said_of
                )
            return said("höchstens {used} von {limit} UE laut Stundenmeldung vom {day}", **said_of)
        known = [
            said("{used} UE am {day}", used=r.hours_used, day=date_de(r.as_of))
            for r in (self.at_least, self.at_most)
            if r is not None
        ]
        day = date_de(self.day)
        if known:
            return said(
                "Stundenstand am {day} nicht bekannt; gemeldet: {known}",
                day=day,
                known=joined(", ", known),
            )
        return said("Stundenstand am {day} nicht bekannt; keine Stundenmeldung", day=day)


def hours_on(
    reports: Iterable[HoursReport], day: date, *, ceiling: int | None = None
) -> HoursStanding:
    """The standing on `day` from dated reports (any order); `ceiling` is the contingent."""
    before = [r for r in reports if r.as_of <= day]
    after = [r for r in reports if r.as_of >= day]
    return HoursStanding(
        day=day,
        at_least=max(before, key=_when_then_hours) if before else None,
        at_most=min(after, key=lambda r: (r.as_of, -r.hours_used)) if after else None,
        ceiling=ceiling,
    )


def _when_then_hours(report: HoursReport) -> tuple[date, int]:
    return report.as_of, report.hours_used
