"""`inge-tui run` against the real service: JSON lines, exit status, the whole script checked
before anything runs, a dry run that changes nothing, issuing only with `--yes`."""

from __future__ import annotations

from pathlib import Path

from commands_support import CASEWORKER, Office, json_lines, run_headless

from inge_tui.headless import check_script, numbered_lines


def run(office: Office, *args: str) -> tuple[int, str, str]:
    return run_headless(["--url", office.live.base_url, "run", *args], {"INGE_TOKEN": office.token})


def test_json_lines_parse_and_say_what_happened(office: Office) -> None:
    pid = office.ready()[0]
    code, out, _ = run(office, "--json", f"filter {pid}", f"open {pid}", "release")
    assert code == 0
    records = json_lines(out)
    assert [r["line"] for r in records] == [1, 2, 3]
    assert [r["command"] for r in records] == ["filter", "open", "release"]
    assert all(set(r) == {"line", "command", "ok", "message", "data"} for r in records)
    assert all(r["ok"] for r in records)
    assert records[0]["data"] == {"count": 1}
    assert records[1]["message"].startswith("Übernommen:")
    assert office.entry(pid)["claimed_by"] is None  # released again


def test_a_mistake_on_line_3_changes_nothing(office: Office, tmp_path: Path) -> None:
    pid = office.ready()[0]
    script = tmp_path / "abschluss.inge"
    script.write_text(
        "# Abschluss eines Falls\n"
        f"open {pid}\n"
        "isue-document --yes   # Tippfehler\n"
        "\n"
        "sort rückwärts\n",
        encoding="utf-8",
    )
    before = office.state([pid])
    code, out, err = run(office, "-f", str(script))
    assert code == 2
    assert out == ""
    assert "Zeile 3: unbekannter Befehl „isue-document“ – meinten Sie „issue-document“?" in err
    assert "Zeile 5: sort: order: „rückwärts“ ist nicht zulässig" in err
    assert "nichts ausgeführt" in err
    assert office.state([pid]) == before

    code, out, _ = run(office, "--json", "-f", str(script))
    first = json_lines(out)[0]
    assert code == 2 and first["line"] == 3 and first["data"]["nearest"] == "issue-document"


def test_a_failing_command_stops_the_script(office: Office) -> None:
    pid = office.ready()[0]
    before = office.state([pid])
    code, _, err = run(office, "claim", f"open {pid}")
    assert code == 1
    assert "Fehler in Zeile 1 (claim): Übernehmen: Kein Eintrag gewählt" in err
    assert office.state([pid]) == before  # line 2 never ran


def test_issuing_needs_yes(office: Office) -> None:
    pid = office.ready()[0]
    code, out, err = run(office, f"open {pid}", "issue-document")
    assert code == 1
    assert "Vorschau: Zertifikat Integrationskurs" in err and "issue-document --yes" in err
    assert office.certificates(pid) == []
    code, out, _ = run(office, "--json", f"open {pid}", "issue-document --yes")
    assert code == 0
    issued = json_lines(out)[-1]
    assert issued["data"]["kind"] == "zertifikat"
    assert [c["certificate_id"] for c in office.certificates(pid)] == [
        issued["data"]["certificate_id"]
    ]
    assert Path(issued["data"]["pdf"]).read_bytes().startswith(b"%PDF")


def test_dry_run_changes_nothing(office: Office) -> None:
    pids = office.ready(2)
    before = office.state(pids)
    code, out, _ = run(
        office,
        "--dry-run",
        "--json",
        f"open {pids[0]}",
        "issue-document --yes",
        f"filter {pids[1]}",
        "issue-document --all --yes",
        "claim",
    )
    assert code == 0, out
    records = json_lines(out)
    assert records[0]["message"].startswith("Probelauf: würde")
    assert "Vorschau: Zertifikat" in records[1]["message"]
    assert records[3]["data"]["plan"]["items"][0]["participant_id"] == pids[1]
    assert office.state(pids) == before


def test_script_lines_and_comments() -> None:
    lines = numbered_lines(["# Kopf", "", "  filter status:offen  # nur offene", "open 'TN 1'"])
    assert lines == [(3, "filter status:offen"), (4, "open 'TN 1'")]
    parsed, errors = check_script([(1, "filter stauts:offen"), (2, "view-load x"), (3, "next")])
    assert [e.number for e in errors] == [1, 2] and [p.number for p in parsed] == [3]
    assert "meinten Sie „status“?" in errors[0].message
    _, errors = check_script([(1, "view-save x"), (2, "view-load x")])
    assert errors == []  # a view the script saves itself may be loaded later


def test_the_caseworker_is_who_the_token_says(office: Office) -> None:
    pid = office.ready()[0]
    assert run(office, f"open {pid}")[0] == 0
    assert office.entry(pid)["claimed_by"] == CASEWORKER
