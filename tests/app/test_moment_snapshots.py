"""What a caseworker sees when things go fast or wrong (issue 14): the palette with a typed
prefix, the `:` line, the bulk confirmation, the trouble banner with the service unreachable and
the error details behind it, and the Postkorb in the `ansi` theme, at 80×24 and 120×40.

The data and the clock are the snapshot office's (`snapshot_env`). The service becomes
unreachable through a transport that forwards to the real service until it is switched off
(`httpx` refuses the connection then): the banner and the details never name a port.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from postkorb_support import AppEnv, wait_for
from textual.widgets import Input

from inge_tui.api.client import IngeClient
from inge_tui.app import IngeApp
from inge_tui.config import Config, UiSettings
from inge_tui.widgets.postbox_list import PostboxList

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class Unplugged(httpx.AsyncBaseTransport):
    """The real service until `down` is set; then every connection is refused."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def when(
    app: IngeApp, act: Callable[[Any], Awaitable[None]], until: Callable[[], object]
) -> Callable[[Any], Awaitable[None]]:
    """After the first page: `act`, wait for `until`, stop every cursor blinking, let it draw."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: app.first_page_seconds is not None, "erste Seite")
        await act(pilot)
        await wait_for(pilot, until, "Zustand für das Bild")
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.2)

    return run_before


def screen_named(app: IngeApp, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name


@pytest.mark.parametrize("size", SIZES)
def test_palette_with_a_typed_prefix(
    snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]
) -> None:
    app = snapshot_env.app()

    async def act(pilot: Any) -> None:
        await pilot.press("ctrl+p")
        await wait_for(pilot, screen_named(app, "CommandPalette"), "Palette")
        await pilot.press(*"aus")

    def listed() -> bool:
        options = app.screen.query("CommandList")
        return bool(options) and options.first().option_count > 0  # type: ignore[attr-defined]

    assert snap_compare(app, terminal_size=size, run_before=when(app, act, listed))


@pytest.mark.parametrize("size", SIZES)
def test_command_line(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    app = snapshot_env.app()

    async def act(pilot: Any) -> None:
        await pilot.press("colon", *"issue-doc")

    assert snap_compare(
        app, terminal_size=size, run_before=when(app, act, screen_named(app, "CommandPrompt"))
    )


@pytest.mark.parametrize("size", SIZES)
def test_bulk_confirmation(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    """Three entries marked with space, `issue-document --all`: the dry run asks first."""
    app = snapshot_env.app()

    async def act(pilot: Any) -> None:
        await pilot.press("space", "down", "space", "down", "space")
        await pilot.press("colon", *"issue-document --all", "enter")

    assert snap_compare(
        app, terminal_size=size, run_before=when(app, act, screen_named(app, "ConfirmScreen"))
    )


def test_bulk_confirmation_in_english(snap_compare: Any, snapshot_env: AppEnv) -> None:
    """The same dry run with `[app] language = "en"`: its summary and its reasons in English;
    names, participant numbers and the document names (Zertifikat, Bescheinigung) as they are."""
    app = snapshot_env.app(Config(ui=UiSettings(language="en")))

    async def act(pilot: Any) -> None:
        await pilot.press("space", "down", "space", "down", "space")
        await pilot.press("colon", *"issue-document --all", "enter")

    assert snap_compare(
        app, terminal_size=(80, 24), run_before=when(app, act, screen_named(app, "ConfirmScreen"))
    )


def unplugged_app(env: AppEnv) -> tuple[IngeApp, Unplugged]:
    transport = Unplugged()
    client = IngeClient(env.live.base_url, env.token, retries=0, timeout=0.5, transport=transport)
    return env.app(client=client, poll_seconds=0.2), transport


@pytest.mark.parametrize("size", SIZES)
def test_trouble_banner(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    """The service stopped: the banner says so, the list stays as it was."""
    app, transport = unplugged_app(snapshot_env)

    async def act(pilot: Any) -> None:
        await wait_for(pilot, lambda: app.postbox_screen.query_one(PostboxList).count == 15)
        transport.down = True

    assert snap_compare(
        app, terminal_size=size, run_before=when(app, act, lambda: app.trouble is not None)
    )


@pytest.mark.parametrize("size", SIZES)
def test_error_details(snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]) -> None:
    """Strg+E behind the banner: what failed, in German, with the kind of error."""
    app, transport = unplugged_app(snapshot_env)

    async def act(pilot: Any) -> None:
        transport.down = True
        await wait_for(pilot, lambda: app.trouble is not None, "Banner")
        await pilot.press("ctrl+e")

    assert snap_compare(
        app, terminal_size=size, run_before=when(app, act, screen_named(app, "TextModal"))
    )


@pytest.mark.parametrize("size", SIZES)
def test_postbox_in_the_ansi_theme(
    snap_compare: Any, snapshot_env: AppEnv, size: tuple[int, int]
) -> None:
    """The terminal's own 16 colours (`[app] theme = "ansi"`, or `theme ansi`)."""
    app = snapshot_env.app(Config(ui=UiSettings(theme="ansi")))

    async def act(pilot: Any) -> None:
        await pilot.press("down", "down")

    assert snap_compare(app, terminal_size=size, run_before=when(app, act, lambda: True))
