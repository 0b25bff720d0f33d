"""One folder for everything a user asks for (issue 14, item 2): `[app] documents_dir` takes the
case export, the issued PDF and the Kennzahlen CSV of a script alike; without it they land in
`<data dir>/dokumente`, the folder the case screen uses too."""

from __future__ import annotations

from pathlib import Path

from commands_support import Office, json_lines, run_headless

from inge_tui.config import paths


def run(office: Office, *args: str) -> list[dict[str, object]]:
    argv = ["--url", office.live.base_url, *args]
    code, out, err = run_headless(argv, {"INGE_TOKEN": office.token})
    assert code == 0, out + err
    return json_lines(out)


def test_a_configured_folder_takes_every_file(office: Office, tmp_path: Path) -> None:
    pid = office.ready()[0]
    config = tmp_path / "config.toml"
    config.write_text('[app]\ndocuments_dir = "ablage"\n', encoding="utf-8")
    said = run(
        office,
        "--config",
        str(config),
        "run",
        "--json",
        f"open {pid}",
        "export",
        "issue-document --yes",
        "stats --csv kennzahlen.csv",
    )
    folder = tmp_path / "ablage"  # relative to the config file
    written = sorted(p.name for p in folder.iterdir())
    assert any(n.startswith(f"fall-{pid}-") and n.endswith(".json") for n in written)
    assert any(name.endswith(".pdf") for name in written)
    assert "kennzahlen.csv" in written
    for line in said[1:]:  # and each message names where its file went
        assert str(folder) in str(line["message"]), line
    assert not paths().documents_dir.exists()  # nothing went to the default folder


def test_without_a_setting_files_go_to_the_data_folder(office: Office) -> None:
    pid = office.ready()[0]
    said = run(office, "run", "--json", f"open {pid}", "export")
    exported = Path(str(said[-1]["data"]["path"]))  # type: ignore[index]
    assert exported.parent == paths().data_dir / "dokumente"
    assert exported.exists()
