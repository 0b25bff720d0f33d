"""Launching the terminal app: `run_app` (the CLI's default command) and `make_app`.

This module stays light on purpose: `run_app` reads the config, and for the embedded demo
starts the service process *before* Textual is imported, so the service boots while the UI
loads. The Textual `App` itself is `inge_tui.app.IngeApp`; the start-up figure is
`inge_tui.startup`'s.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inge_tui.startup import EXIT_AFTER_FIRST_PAGE, HEADLESS, process_start

if TYPE_CHECKING:
    from inge_tui.api.client import IngeClient
    from inge_tui.app import IngeApp
    from inge_tui.config import Config, Connection
    from inge_tui.embedded import EmbeddedService


def make_app(
    config: Config,
    target: Connection | EmbeddedService | IngeClient,
    *,
    clock: Callable[[], datetime] | None = None,
    **options: Any,
) -> IngeApp:
    """The app for `config`, talking to `target`: a remote connection, the embedded demo
    service, or a ready client (tests). `clock` is the time the age column counts from."""
    from inge_tui.app import IngeApp

    return IngeApp(config, target, clock=clock, **options)


def run_app(args: argparse.Namespace) -> int:
    """The CLI's default command: config, connection, demo service, app. Returns the exit code.

    A `ConfigError` propagates to the CLI, which prints its one line and exits 2.
    """
    started = process_start()
    from inge_tui.config import load_config, paths, resolve_connection

    config = load_config(Path(args.config) if getattr(args, "config", None) else None)
    connection = resolve_connection(
        getattr(args, "profile", None), getattr(args, "url", None), config
    )
    service: EmbeddedService | None = None
    if connection.demo:
        from inge_tui import embedded

        try:
            service = embedded.start(paths())
        except OSError as error:
            print(f"inge-tui: Demo-Dienst nicht startbar: {error}", file=sys.stderr)
            return 2
    # httpx imports its command-line tool (click, pygments) when it can: ~0.25 s we never use
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        app = make_app(
            config,
            service or connection,
            started_at=started,
            exit_after_first_page=os.environ.get(EXIT_AFTER_FIRST_PAGE) == "1",
        )
        app.run(headless=os.environ.get(HEADLESS) == "1")
        return app.return_code or 0
    finally:
        if service is not None:
            service.stop()
