"""The office's Kennzahlen in the command set.

`stats [VON] [BIS] [RS-…] [--csv DATEI]`: VON and BIS are dates (without them the last 60
days), a single number is that many days up to today; RS-… is another office (supervisors
only; the service says so otherwise). In the app it opens the Kennzahlen screen; headless it
prints the figures as sentences; with `--csv` it writes every figure to DATEI (a bare name
lands in the documents folder) and says where.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Stats
from inge_tui.api.stats_text import csv_text, summary_lines
from inge_tui.commands.base import Arg, Command, Outcome, Session, register
from inge_tui.commands.case_session import failure
from inge_tui.commands.parsing import parse_date
from inge_tui.drafts import atomic_write
from inge_tui.i18n import N_, _

OFFICE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}$")


@runtime_checkable
class ShowsStats(Protocol):
    """Shows the Kennzahlen screen for an office and a period."""

    async def show_stats(self, spec: StatsSpec, stats: Stats) -> None: ...


@dataclass(frozen=True)
class StatsSpec:
    """What the user asked for: an office (None: the own), a period (None: the service's
    default, the last 60 days), and a CSV file."""

    office: str | None = None
    first: date | None = None
    last: date | None = None
    csv: str | None = None


def parse_spec(words: list[str], today: date) -> StatsSpec:
    """`01.10.2026 30.11.2026 RS-FUE --csv k.csv` → StatsSpec; ValueError with a message."""
    office = csv_file = None
    dates: list[date] = []
    days: int | None = None
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word == "--csv":
            if not rest:
                raise ValueError(_("--csv: Dateiname fehlt (z. B. --csv kennzahlen.csv)"))
            csv_file = rest.pop(0)
        elif word.isdigit() and len(word) <= 3:
            days = int(word)
            if not 1 <= days <= 366:
                raise ValueError(_("{days} Tage – erlaubt sind 1 bis 366").format(days=days))
        elif OFFICE.match(word) and not word[0].isdigit():
            office = word
        else:
            dates.append(parse_date(word))
    if len(dates) > 2:
        raise ValueError(_("höchstens zwei Daten: Beginn und Ende"))
    first = dates[0] if dates else None
    last = dates[1] if len(dates) > 1 else None
    if days is not None:
        if dates:
            raise ValueError(_("entweder Tage oder Daten angeben"))
        last, first = today, today - timedelta(days=days - 1)
    return StatsSpec(office, first, last, csv_file)


@register
class ShowStats(Command):
    id = "stats"
    title = N_("Kennzahlen")
    help = N_(
        "Kennzahlen der Regionalstelle: Bestand nach Alter, Dokumente je Tag, B1- und "
        "LiD-Quoten nach Kursart und Prüfstelle, Dauer bis zum Dokument, Anforderungen, "
        "Erstattungen. Zeitraum als zwei Daten oder Tage (ohne Angabe 60), --csv DATEI "
        "schreibt alle Zahlen als CSV; die Leitung kann eine andere Regionalstelle nennen."
    )
    binding = "app.stats"
    key = "percent_sign"
    label = N_("Kennzahlen")
    args = (
        Arg("spec", N_("[VON] [BIS] | [TAGE] [RS-…] [--csv DATEI]"), required=False, rest=True),
    )

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        words = str(kwargs.get("spec") or "").split()
        try:
            spec = parse_spec(words, date.today())
        except ValueError as error:
            return Outcome(False, f"stats: {error}")
        try:
            stats = await session.client.stats(spec.office, spec.first, spec.last)
        except ApiError as error:
            return failure(error)
        data = {"stats": stats.model_dump(mode="json")}
        if spec.csv is None and isinstance(session.ui, ShowsStats):
            await session.ui.show_stats(spec, stats)
            return Outcome(True, "", data)
        if spec.csv is None:
            return Outcome(True, "\n".join(summary_lines(stats)), data)
        try:
            target = await save_csv(stats, spec.csv, session.documents_folder())
        except OSError as error:
            return Outcome(False, _("CSV nicht gespeichert: {error}").format(error=error))
        said = _("Kennzahlen als CSV: {path}").format(path=target)
        return Outcome(True, said, {**data, "path": str(target)})


async def save_csv(stats: Stats, name: str, folder: Path) -> Path:
    """Every figure as CSV to `name` (see `csv_path`); answers where it went."""
    target = csv_path(name, folder)
    await asyncio.to_thread(atomic_write, target, csv_text(stats).encode("utf-8"))
    return target


def csv_path(name: str, folder: Path) -> Path:
    """A bare file name goes to the documents `folder`; a path is taken as given."""
    path = Path(name).expanduser()
    return folder / path.name if path.parent == Path(".") else path
