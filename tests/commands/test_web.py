"""`inge-tui web`: loopback by default, a warning for any other host, the page and its
websocket only under the secret path, and no websocket for pages of another origin."""

from __future__ import annotations

import argparse

from aiohttp.test_utils import TestClient, TestServer

from inge_tui.web import app_command, host_warning, make_server, same_origin


def test_other_hosts_are_warned_about() -> None:
    assert host_warning("127.0.0.1") is None and host_warning("localhost") is None
    warning = host_warning("0.0.0.0")
    assert warning is not None and "Reverse-Proxy" in warning and "IHREM Token" in warning


def test_each_session_runs_this_inge_tui_with_the_same_options() -> None:
    args = argparse.Namespace(config="/etc/inge.toml", profile="amt", url=None)
    command = app_command(args)
    assert command.endswith("-m inge_tui.cli --config /etc/inge.toml --profile amt")


def test_same_origin() -> None:
    assert same_origin(None, "127.0.0.1:8471", None)
    assert same_origin("http://127.0.0.1:8471", "127.0.0.1:8471", None)
    assert not same_origin("https://evil.example", "127.0.0.1:8471", None)
    assert same_origin("https://inge.amt.example", "127.0.0.1:8471", "https://inge.amt.example/")


async def test_only_the_secret_path_serves_the_app() -> None:
    server = make_server("true", "127.0.0.1", 8471, key="geheim123")
    async with TestClient(TestServer(server.application())) as client:
        assert (await client.get("/")).status == 404
        page = await client.get("/geheim123/")
        assert page.status == 200
        assert "/geheim123/ws" in await page.text()
        foreign = await client.get(
            "/geheim123/ws",
            headers={
                "Origin": "https://evil.example",
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            },
        )
        assert foreign.status == 403
        text = await page.text()
        assert "googleapis" not in text and "https://" not in text  # nothing from a third party
        assert 'lang="de"' in text and "Neu starten" in text
        for asset in ("inge/fonts/DejaVuSansMono-inge.woff2", "js/textual.js", "css/xterm.css"):
            served = await client.get(f"/static/{asset}")
            assert served.status == 200, asset
            assert f"/static/{asset}" in text  # the page asks for it there
    assert server.page_url == "http://127.0.0.1:8471/geheim123/"
