"""When the service stops, answers garbage or answers too slowly: a banner, no crash, recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from postkorb_support import AppEnv, RestartableService, wait_for

from inge_tui.api.client import IngeClient
from inge_tui.widgets.postbox_list import PostboxList
from inge_tui.widgets.status import StatusLine, TroubleBanner

GARBAGE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n"
    b"Connection: close\r\n\r\n<html>kaputt"
)


@asynccontextmanager
async def impostor(port: int, mode: str) -> AsyncIterator[None]:
    """Something else on the service's port: it answers garbage, or nothing at all."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            if mode == "garbage":
                writer.write(GARBAGE)
                await writer.drain()
            else:
                await asyncio.sleep(30)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", port, reuse_address=True)
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
def env(snapshot_env: AppEnv) -> AppEnv:
    return snapshot_env  # nothing here changes data: the shared office will do


def banner_text(app: object) -> str:
    banner = app.screen.query_one(TroubleBanner)  # type: ignore[attr-defined]
    return str(banner.render()) if banner.has_class("-shown") else ""


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("stopped", "nicht erreichbar (Verbindung abgelehnt)"),
        ("garbage", "unlesbare Antwort"),
        ("slow", "nicht erreichbar (Zeitüberschreitung)"),
    ],
)
async def test_banner_while_the_service_is_in_trouble(
    env: AppEnv, restartable: RestartableService, mode: str, says: str
) -> None:
    client = IngeClient(restartable.base_url, env.token, retries=1, backoff=0.05, timeout=0.5)
    async with env.run(client=client, poll_seconds=0.2) as (app, pilot):
        postbox = app.postbox_screen.query_one(PostboxList)
        assert postbox.count == 15 and banner_text(app) == ""
        await asyncio.to_thread(restartable.stop)
        if mode == "stopped":
            await wait_for(pilot, lambda: says in banner_text(app), "Banner")
        else:
            async with impostor(restartable.port, mode):
                await wait_for(pilot, lambda: says in banner_text(app), "Banner")
        assert "Details: Strg+E" in banner_text(app)
        assert app.postbox_screen.query_one(StatusLine).state == "Verbindung gestört"
        assert postbox.row_at(0) is not None  # what was shown stays
        await pilot.press("r")  # a reload now fails, and says so instead of crashing
        await pilot.pause(0.5)
        assert app.is_running

        await asyncio.to_thread(restartable.start)
        await wait_for(pilot, lambda: banner_text(app) == "", "Banner weg", timeout=15)
        assert app.trouble is None
        assert any("wieder da" in n.message for n in app._notifications)
        await wait_for(pilot, lambda: postbox.row_at(0) is not None, "Liste wieder da")


async def test_error_details_modal_has_a_copy_key(
    env: AppEnv, restartable: RestartableService
) -> None:
    from inge_tui.widgets.text_modal import TextModal

    client = IngeClient(restartable.base_url, env.token, retries=0, timeout=0.5)
    async with env.run(client=client, poll_seconds=0.2) as (app, pilot):
        await asyncio.to_thread(restartable.stop)
        await pilot.press("r")
        await wait_for(pilot, lambda: app.trouble is not None, "Banner")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, TextModal), "Details")
        assert "ServiceUnreachable" in app.screen.text
        await pilot.press("c")
        assert app.clipboard == app.screen.text
        await pilot.press("escape")
        await asyncio.to_thread(restartable.start)
