"""`[keymap]`: an override takes effect in the app, collisions and keys terminals keep for
themselves are reported in German, `inge-tui keys` prints the effective keymap."""

from __future__ import annotations

import re
from pathlib import Path

from commands_support import Office, run_headless, wait_for

from inge_tui.app import IngeApp
from inge_tui.config import Config, load_config
from inge_tui.screens.keymap import app_keymap, effective_keymap, keymap_warnings, normalize


async def test_an_override_takes_effect(office: Office) -> None:
    office.ready(2)
    config = Config(keymap={"postbox.sort": "z"})
    async with office.app(config) as (app, pilot):
        session = app.session
        assert session is not None
        await pilot.press("S")  # the default key no longer sorts
        await pilot.pause(0.3)
        assert session.query.sort is None
        await pilot.press("z")
        await wait_for(pilot, lambda: session.query.sort == "oldest", "sortiert per z")


def test_collisions_and_terminal_keys_are_reported() -> None:
    config = Config(
        keymap={
            "postbox.sort": "o",  # the key of postbox.open on the same screen
            "case.issue": "ctrl+s",  # flow control, no second key
            "case.export": "ctrl+b,F6",  # tmux's prefix, but F6 works
            "app.theme": "strg+t",
            "postbox.srot": "x",
        }
    )
    warnings = keymap_warnings(config, IngeApp)
    assert "[keymap] Taste „o“ doppelt belegt (Postkorb): postbox.open, postbox.sort" in warnings
    assert any(
        w.startswith("[keymap] „case.issue“: ctrl+s hält bei Flusskontrolle") and "ctrl+s,f2" in w
        for w in warnings
    )
    assert any("„case.export“: ctrl+b ist das Präfix von tmux" in w for w in warnings)
    assert any("„app.theme“: Taste „strg+t“ unbekannt" in w for w in warnings)
    assert any("„postbox.srot“: unbekannte ID – meinten Sie „postbox.sort“?" in w for w in warnings)
    assert len(warnings) == 5
    # what the app applies: known ids with keys Textual knows; the rest keeps its default
    assert app_keymap(config, IngeApp) == {"postbox.sort": "o", "case.issue": "ctrl+s",
                                  "case.export": "ctrl+b,f6"}  # fmt: skip


def test_the_defaults_raise_no_warning() -> None:
    assert keymap_warnings(Config(), IngeApp) == []
    assert keymap_warnings(Config(keymap={"case.reveal": "o"}), IngeApp) == []  # other screens
    assert normalize("?, F1,Ctrl+S") == "question_mark,f1,ctrl+s"


def test_inge_tui_keys_prints_the_effective_keymap(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"postbox.sort" = "z"\n"postbox.open" = "s"\n', encoding="utf-8")
    code, out, err = run_headless(["--config", str(path), "keys"], {})
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["Binding-ID", "Taste", "Quelle", "Bereich", "Beschreibung"]
    rows = {line.split()[0]: line.split() for line in lines[2:] if line and "." in line[:12]}
    assert rows["postbox.sort"][:4] == ["postbox.sort", "z", "Konfiguration", "Postkorb"]
    assert rows["postbox.open"][1:3] == ["s", "Konfiguration"]
    assert rows["postbox.refresh"][1:3] == ["r,f5", "Standard"]
    assert rows["case.issue"][-2:] == ["Dokument", "ausstellen"]
    assert "(!) Taste, die Terminals, SSH oder tmux oft selbst verwenden:" in out
    ids = {entry.binding_id for entry in effective_keymap(load_config(path), IngeApp)}
    assert set(rows) == ids


def test_ids_of_earlier_versions_still_work_and_are_named() -> None:
    config = Config(keymap={"postbox.toggle_mark": "m", "case.alt_b1": "B"})
    assert app_keymap(config, IngeApp) == {"postbox.toggle-mark": "m", "case.alt-b1": "B"}
    warnings = keymap_warnings(config, IngeApp)
    assert "[keymap] „postbox.toggle_mark“ heißt jetzt „postbox.toggle-mark“" in warnings[0]
    assert len(warnings) == 2


def test_binding_ids_have_one_style() -> None:
    ids = {entry.binding_id for entry in effective_keymap(Config(), IngeApp)}
    assert all(re.fullmatch(r"[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), sorted(ids)
