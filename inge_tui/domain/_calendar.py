"""Periods of years and months as German law counts them.

A period that starts with an event ends on the day of the last month that has the same number
as the event's day (§ 187 Abs. 1, § 188 Abs. 2 BGB); if that month is too short, on its last
day (§ 188 Abs. 3 BGB). So 29.02.2024 + 1 year is 28.02.2025, and 31.01. + 1 month is 28./29.02.
"""

from __future__ import annotations

from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _last_day(year, month)))


def _last_day(year: int, month: int) -> int:
    # not calendar.monthrange: the calendar module pulls in locale, and this runs on every start
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)
