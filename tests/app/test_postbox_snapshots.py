"""What the caseworker sees: the Postkorb and the help at 80×24 (SSH) and 120×40, in German
and in English.

Everything that varies is pinned: the data (the snapshot office, seeded first on a service
with its own manual clock), the age column's clock (`TODAY`), the status line (demo label,
no port number), the cursor (no blink). Update with `uv run pytest --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from postkorb_support import AppEnv, wait_for
from textual.widgets import Input

from inge_tui.app import IngeApp
from inge_tui.config import Config, UiSettings
from inge_tui.widgets.postbox_list import PostboxList

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def settled(
    app: IngeApp, *keys: str, until: Callable[[], object] = lambda: True
) -> Callable[[Any], Awaitable[None]]:
    """Wait for the first page, stop cursor blinking, press `keys`, wait `until`, let it draw."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: app.first_page_seconds is not None, "erste Seite")
        for field in app.query(Input):
            field.cursor_blink = False
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.05)
        await wait_for(pilot, until, "Zustand für das Bild")
        await pilot.pause(0.1)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_postbox(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    app = snapshot_env.app()
    assert snap_compare(app, terminal_size=size, run_before=settled(app))


@pytest.mark.parametrize("size", SIZES)
def test_postbox_sorted_oldest_first(
    snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]
) -> None:
    app = snapshot_env.app()

    def oldest_on_top() -> bool:
        row = app.postbox_screen.query_one(PostboxList).row_at(0)
        return row is not None and row.participant_id == "SN-0000"

    keys = ("S", "down", "down")
    assert snap_compare(
        app, terminal_size=size, run_before=settled(app, *keys, until=oldest_on_top)
    )


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    # the help names the documents folder: a configured one keeps the picture the same each run
    app = snapshot_env.app(Config(ui=UiSettings(documents_dir=Path("/srv/inge/dokumente"))))
    assert snap_compare(app, terminal_size=size, run_before=settled(app, "question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_postbox_in_english(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    """`[app] language = "en"`: headers, ages, blockers, the count, the footer in English; names,
    participant numbers and the document names (Zertifikat, Bescheinigung) as they are."""
    app = snapshot_env.app(Config(ui=UiSettings(language="en")))
    assert snap_compare(app, terminal_size=size, run_before=settled(app))


@pytest.mark.parametrize("size", SIZES)
def test_help_in_english(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    config = Config(ui=UiSettings(language="en", documents_dir=Path("/srv/inge/dokumente")))
    app = snapshot_env.app(config)
    assert snap_compare(app, terminal_size=size, run_before=settled(app, "question_mark"))
