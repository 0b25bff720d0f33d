"""`inge-tui web`: the app in a browser, served by textual-serve, for this user only.

Every browser tab starts its own `inge-tui` process with this user's config and token, so
whoever reaches the page acts as this caseworker. Therefore: the server listens on 127.0.0.1
unless `--host` says otherwise (with a warning), the page and its websocket live under a secret
path printed at start (like a Jupyter token: other users of a shared host cannot guess it),
and the websocket refuses pages from another origin (a web page the caseworker happens to open
cannot drive the app). Anything beyond one's own machine belongs behind an authenticating
reverse proxy: docs/web.md.
"""

from __future__ import annotations

import argparse
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_HOST = "127.0.0.1"


def host_warning(host: str) -> str | None:
    """The German warning for a host other than loopback, or None."""
    if host in LOOPBACK:
        return None
    return (
        f"WARNUNG: inge-tui web lauscht auf {host}. Wer diese Adresse erreicht und den "
        "geheimen Pfad kennt, arbeitet mit IHREM Token als Sie. Nur hinter einem Reverse-Proxy "
        "mit Anmeldung betreiben (docs/web.md)."
    )


def app_command(args: argparse.Namespace) -> str:
    """The shell command each browser session runs: this inge-tui with the same options."""
    words = [sys.executable, "-m", "inge_tui.cli"]
    for option in ("config", "profile", "url"):
        value = getattr(args, option, None)
        if value:
            words += [f"--{option}", value]
    return shlex.join(words)


ASSETS = Path(__file__).parent / "web_assets"
"""Our page template (no third-party font, German) and the font subset it serves."""


def make_server(
    command: str, host: str, port: int, *, key: str | None = None, public_url: str | None = None
) -> Any:
    """A textual-serve server whose page and websocket need the secret path `/<key>/`.

    Only textual-serve's public parts are used: its request handlers, its statics and its
    constructor's `templates_path`; the routes and the run loop are ours (`application()`,
    `serve()`), so no release that renames a private method breaks the guard.
    """
    from aiohttp import web
    from textual_serve.server import Server

    secret = key or secrets.token_urlsafe(18)
    shipped = Server("true").statics_path  # textual-serve's own js, css and images

    class GuardedServer(Server):  # type: ignore[misc]
        key = secret

        def application(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get(f"/{self.key}/", self.handle_index, name="index"),
                    web.get(f"/{self.key}/ws", self.guarded_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static/inge", ASSETS, name="inge-static"),  # before /static
                    web.static("/static", shipped, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def guarded_websocket(self, request: web.Request) -> web.StreamResponse:
            if not same_origin(request.headers.get("Origin"), request.host, self.public_url):
                return web.Response(status=403, text="Fremde Herkunft (Origin) abgelehnt.\n")
            return await self.handle_websocket(request)

        async def on_startup(self, app: web.Application) -> None:
            print(f"inge-tui im Browser: {self.page_url}", flush=True)
            print("Nur dieser Pfad öffnet die App. Beenden mit Strg+C.", flush=True)

        def serve(self, debug: bool = False) -> None:
            """Run until ctrl+c or SIGTERM (textual-serve's own loop, with our routes)."""
            import asyncio
            import contextlib
            import signal

            from aiohttp.web_runner import GracefulExit

            self.debug = debug
            self.initialize_logging()

            def leave() -> None:
                raise GracefulExit()

            loop = asyncio.new_event_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):  # Windows: ctrl+c still works
                    loop.add_signal_handler(sig, leave)
            web.run_app(
                self.application(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *_: None,
            )

        @property
        def page_url(self) -> str:
            return f"{self.public_url.rstrip('/')}/{self.key}/"

    return GuardedServer(
        command,
        host=host,
        port=port,
        title="inge-tui",
        public_url=public_url,
        templates_path=ASSETS / "templates",
    )


def same_origin(origin: str | None, host: str, public_url: str | None) -> bool:
    """A browser's `Origin` must name this server (or the proxy's public address)."""
    if not origin:
        return True  # not a browser page (e.g. a command-line client): the secret path guards
    allowed = {host.lower()}
    if public_url:
        allowed.add(urlsplit(public_url).netloc.lower())
    return urlsplit(origin).netloc.lower() in allowed


def serve_web(args: argparse.Namespace) -> int:
    """`inge-tui web [--host H] [--port 8471] [--public-url URL]`."""
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        print("inge-tui web: textual-serve ist nicht installiert (uv add textual-serve).")
        return 2
    host = args.host or DEFAULT_HOST
    warning = host_warning(host)
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)
    server = make_server(app_command(args), host, args.port, public_url=args.public_url)
    server.serve()
    return 0
