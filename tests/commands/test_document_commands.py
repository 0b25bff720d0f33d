"""The life of a document through the one command set (`inge-tui run --json`, as the palette
and the keys run it) against the real service: reverse, copy, print run, dispatch, numbers;
bad input gets one German line and changes nothing."""

from __future__ import annotations

from pathlib import Path

from commands_support import Office, json_lines, run_headless
from pypdf import PdfReader


def run(office: Office, *args: str) -> tuple[int, str, str]:
    return run_headless(["--url", office.live.base_url, "run", *args], {"INGE_TOKEN": office.token})


def issue(office: Office, pid: str) -> str:
    code, out, err = run(office, "--json", f"open {pid}", "issue-document --yes")
    assert code == 0, err
    return str(json_lines(out)[-1]["data"]["certificate_id"])


def test_reverse_then_reissue_and_the_series_explains_every_number(office: Office) -> None:
    pid = office.ready()[0]
    number = issue(office, pid)
    before = office.state([pid])
    code, _, err = run(office, f"open {pid}", "reverse-document Fehler")
    assert code == 1 and "mindestens 20 Zeichen" in err
    assert office.state([pid]) == before
    reason = "Falsche Anschrift übernommen, bitte neu ausstellen"
    code, out, err = run(office, "--json", f"open {pid}", f"reverse-document {reason}")
    assert code == 0, err
    assert json_lines(out)[-1]["message"] == f"{number} storniert; der Fall ist wieder offen."
    assert office.certificates(pid)[0]["status"] == "storniert"
    again = issue(office, pid)
    assert again != number
    code, out, _ = run(office, "--json", "number-series")
    [report] = json_lines(out)
    series = {s["series"]: s for s in report["data"]["series"]}
    zik = series[number.rsplit("-", 1)[0]]
    assert zik["unexplained"] == [] and zik["counts"]["storniert"] >= 1
    assert "ungeklärt: 0" in report["message"]


def test_copy_print_run_and_dispatch(office: Office) -> None:
    first, second = office.ready(2)
    one, two = issue(office, first), issue(office, second)
    code, _, err = run(office, f"open {first}", "issue-copy verloren")
    assert code == 1 and "Noch nicht versandt" in err  # the original goes out first

    code, out, err = run(office, "--json", "print-batch", "mark-dispatched")
    assert code == 0, err
    printed, marked = json_lines(out)
    assert printed["data"]["items"] == [one, two]
    pdf = Path(printed["data"]["file"])
    assert len(PdfReader(pdf).pages) == 3  # the cover list and two pages
    assert marked["data"]["dispatched"] == 2

    code, out, err = run(office, "--json", f"open {first}", "issue-copy verloren")
    assert code == 0, err
    copy = json_lines(out)[-1]["data"]
    assert copy["letter_id"] == f"{one}-Z1"
    code, out, err = run(office, "--json", "print-batch", "mark-dispatched")
    assert code == 0, err
    printed, marked = json_lines(out)
    assert printed["data"]["items"] == [f"{one}-Z1"] and marked["data"]["dispatched"] == 1

    code, _, err = run(
        office, f"open {first}", "reverse-document Falsche Anschrift, neu ausstellen"
    )
    assert code == 1 and "Schon versandt: nur noch eine Rücknahme ist möglich" in err
    code, _, err = run(office, "mark-dispatched")
    assert code == 1 and "Erst den Tagesdruck erstellen" in err
