"""The Kennzahlen through the one command set (`inge-tui run`, as a script runs them) against
the real service: the figures in words, every figure as CSV, and the period words."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from commands_support import Office, json_lines, run_headless

from inge_tui.commands.stats import StatsSpec, parse_spec

TODAY = date(2026, 12, 5)


def run(office: Office, *args: str) -> tuple[int, str, str]:
    return run_headless(["--url", office.live.base_url, "run", *args], {"INGE_TOKEN": office.token})


def test_stats_in_words_and_as_csv(office: Office, tmp_path: Path) -> None:
    office.ready()
    code, out, err = run(office, "--json", "stats")
    assert code == 0, err
    said = json_lines(out)[-1]
    assert said["message"].startswith(f"Regionalstelle {office.actors.office}, Zeitraum ")
    assert "Quote gesamt:" in said["message"]
    figures = said["data"]["stats"]

    target = tmp_path / "k.csv"
    code, out, err = run(office, "--json", f"stats --csv {target}")
    assert code == 0, err
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert ["bestand", "", "offen", str(figures["open_entries"])] in rows
    assert sum(1 for r in rows if r[0] == "dokumente_je_tag") == 2 * 60

    code, _, err = run(office, "stats 01.02.2026 01.01.2026")
    assert code == 1 and "Beginn liegt nach dem Ende" in err


@pytest.mark.parametrize(
    ("words", "spec"),
    [
        ("", StatsSpec()),
        ("30", StatsSpec(first=date(2026, 11, 6), last=TODAY)),
        ("01.10.2026 30.11.2026", StatsSpec(first=date(2026, 10, 1), last=date(2026, 11, 30))),
        ("RS-FUE 2026-10-01", StatsSpec(office="RS-FUE", first=date(2026, 10, 1))),
        ("--csv k.csv", StatsSpec(csv="k.csv")),
    ],
)
def test_period_words(words: str, spec: StatsSpec) -> None:
    assert parse_spec(words.split(), TODAY) == spec


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("400", "erlaubt sind 1 bis 366"),
        ("--csv", "Dateiname fehlt"),
        ("30 01.10.2026", "entweder Tage oder Daten"),
        ("gestern", "kein Datum"),
    ],
)
def test_wrong_period_words_say_why(words: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_spec(words.split(), TODAY)
