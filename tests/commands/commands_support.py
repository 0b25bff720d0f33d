"""Helpers for the command-set tests: an office on the real service, the real app with the
registry palette, and the headless runner driven in-process or as a subprocess.

`Office` feeds cases through the service's HTTP API as the outside systems would (see
`tests/support/cases.py`). `palette_app()` is the app the CLI starts (`make_app`) with
`CommandLineProvider` as its palette and the keymap applied through `keymap.app_keymap`, the
way the lead wires it. `run_headless()` runs `inge-tui run` through `cli.main`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from support.app_env import wait_for
from support.cases import Actors
from support.live import LiveService
from textual.command import CommandList, CommandPalette

from inge_tui import app as app_module
from inge_tui.api.client import IngeClient
from inge_tui.app import IngeApp
from inge_tui.config import Config
from inge_tui.screens.keymap import app_keymap
from inge_tui.screens.palette import CommandLineProvider

CASEWORKER = "Sachbearbeiterin Weber"
OTHER = "Sachbearbeiter Öztürk"
TODAY = datetime(2026, 4, 20, 10, 0)


class PaletteApp(IngeApp):
    """The real app with the registry palette and the checked keymap (the lead's wiring)."""

    COMMANDS: ClassVar = {CommandLineProvider}
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative to the subclass else

    def on_mount(self) -> None:
        super().on_mount()
        self.set_keymap(app_keymap(self.config, type(self)))


@dataclass
class Office:
    """An office of its own on the live service, and the caseworker who works it."""

    live: LiveService
    actors: Actors
    token: str
    home: Path

    def client(self) -> IngeClient:
        return IngeClient(self.live.base_url, self.token, retries=1, backoff=0.05)

    def ready(self, n: int = 1, **kwargs: Any) -> list[str]:
        return [self.actors.ready_case(**kwargs) for _ in range(n)]

    def repetition_case(self, hours: int = 300) -> tuple[str, int]:
        """An Alphabetisierungskurs below B1 with an open repetition application (approvable
        under R13); answers (pid, application id)."""
        pid = self.actors.ready_case(
            b1=False, course_type="alphabetisierung", contingent_hours=900, hours_used=900
        )
        body = {
            "participant_id": pid,
            "received_on": "2026-02-20",
            "requested_hours": hours,
            "provider_confirmation": True,
        }
        response = self.actors.provider.post("/v1/repetition-applications", json=body)
        assert response.status_code == 201, response.text
        return pid, int(response.json()["application_id"])

    def case(self, pid: str) -> dict[str, Any]:
        return self.actors.case(pid)

    def certificates(self, pid: str) -> list[dict[str, Any]]:
        return list(self.case(pid)["certificates"])

    def entry(self, pid: str) -> dict[str, Any]:
        return self.actors.entries(pid, kind="abschluss")[0]

    def state(self, pids: list[str]) -> list[Any]:
        """What a script could have changed: claims, certificates, versions, history."""
        out = []
        for pid in pids:
            case = self.case(pid)
            entries = [(e["status"], e["claimed_by"], e["version"]) for e in case["postbox"]]
            actions = [a["action"] for a in case["audit"] if a["action"] != "fall_angesehen"]
            out.append((case["version"], entries, len(case["certificates"]), actions))
        return out

    @contextlib.asynccontextmanager
    async def app(
        self, config: Config | None = None, size: tuple[int, int] = (100, 30)
    ) -> AsyncIterator[tuple[PaletteApp, Any]]:
        client = self.client()
        app = PaletteApp(
            config or Config(), client, clock=lambda: TODAY, poll_seconds=60.0, demo=True
        )
        try:
            async with app.run_test(size=size) as pilot:
                await wait_for(pilot, lambda: app.first_page_seconds is not None, "erste Seite")
                yield app, pilot
        finally:
            await client.aclose()


async def palette_line(pilot: Any, line: str) -> list[str]:
    """Open the palette, type `line`; answers the hits shown (plain text, best first)."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: CommandPalette.is_open(app), "Befehlspalette")
    palette = app.screen
    palette.query_one("CommandInput").value = line
    hits = palette.query_one(CommandList)
    await wait_for(pilot, lambda: hits.option_count > 0, f"Treffer für {line!r}")
    await pilot.pause(0.3)  # the palette gathers hits in batches
    return [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]


async def palette_run(pilot: Any, line: str) -> list[str]:
    """Type `line` in the palette and choose the best hit with Enter."""
    shown = await palette_line(pilot, line)
    hits = pilot.app.screen.query_one(CommandList)
    assert hits.highlighted == 0, shown  # the palette highlights the best hit
    await pilot.press("enter")
    await wait_for(pilot, lambda: not CommandPalette.is_open(pilot.app), "Palette zu")
    return shown


def messages(app: IngeApp) -> list[str]:
    return [n.message for n in app._notifications]


def run_headless(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """`inge-tui <argv>` in this process; answers (exit status, stdout, stderr)."""
    from inge_tui import cli

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue(), err.getvalue()


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "inge_tui.cli", *args]
