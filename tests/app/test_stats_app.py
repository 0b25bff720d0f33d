"""The Kennzahlen in the real app: `%` opens the screen on the own office, the figures are said
in words beside the plots, `c` writes the CSV to the documents folder, `z` asks for another
period on the `:` line, Esc goes back to the Postkorb; a wrong period is one German line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from postkorb_support import AppEnv, wait_for
from textual.widgets import Static

from inge_tui.app import IngeApp
from inge_tui.screens.postbox import PostboxScreen
from inge_tui.screens.stats import StatsScreen


def messages(app: IngeApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown(app: IngeApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_stats_by_keys(office: AppEnv) -> None:
    async with office.run(size=(100, 40)) as (app, pilot):
        await pilot.press("percent_sign")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, StatsScreen) and app.screen.stats is not None,
            "Kennzahlen",
        )
        stats = app.screen.stats
        assert stats is not None and stats.office == office.actors.office
        text = shown(app)
        assert f"Offen jetzt: {stats.open_entries}" in text
        assert "Quote gesamt:" in text and "Allgemeiner Integrationskurs" in text

        await pilot.press("c")
        await wait_for(pilot, lambda: any("als CSV" in m for m in messages(app)), "CSV")
        path = Path(next(m for m in messages(app) if "als CSV" in m).rsplit(": ", 1)[1])
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines(), delimiter=";"))
        assert rows[0] == ["abschnitt", "gruppe", "kennzahl", "wert"]
        assert ["bestand", "", "offen", str(stats.open_entries)] in rows
        assert path.parent.name == "dokumente"

        # another period on the `:` line: a wrong one is one line, nothing else happens
        await pilot.press("z", *"01.03.2026 01.01.2026", "enter")
        await wait_for(pilot, lambda: any("Beginn liegt nach" in m for m in messages(app)))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PostboxScreen), "Postkorb")
