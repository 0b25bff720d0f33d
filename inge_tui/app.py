"""The terminal app's entry points: `run_app` (the CLI's default command) and `make_app`.

This module stays light on purpose: `run_app` reads the config, and for the embedded demo
starts the service process *before* Textual is imported, so the service boots while the UI
loads. The Textual `App` itself lives in `inge_tui.shell` (`IngeApp`, also importable from
here). The start-up figure, process start to first Postkorb page on screen, goes to
`<log dir>/startup.log`; `INGE_EXIT_AFTER_FIRST_PAGE=1` quits right after it (`bench/startup.py`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inge_tui.api.client import IngeClient
    from inge_tui.config import Config, Connection
    from inge_tui.embedded import EmbeddedService
    from inge_tui.shell import IngeApp

EXIT_AFTER_FIRST_PAGE = "INGE_EXIT_AFTER_FIRST_PAGE"
"""Set to 1: quit as soon as the first Postkorb page is drawn (start-up benchmark)."""
HEADLESS = "INGE_HEADLESS"
"""Set to 1: run without a terminal (benchmarks and scripted checks)."""


def process_start() -> float:
    """When this process started, on the `time.monotonic()` scale (Linux; else: now)."""
    now = time.monotonic()
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime:
            since_boot = float(uptime.read().split()[0])
        age = since_boot - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
    except (OSError, ValueError, IndexError):
        return now
    return now - min(max(0.0, age), 60.0)


def log_startup(seconds: float, *, demo: bool) -> None:
    """Append the start-up figure to `<log dir>/startup.log` (never fails the app)."""
    from inge_tui.config import paths

    # `drawn_at` (seconds since the epoch) lets a benchmark time a start it did not spawn
    # directly, such as `uv run inge-tui`
    line = (
        f"{datetime.now().isoformat(timespec='seconds')} first_page_s={seconds:.3f} "
        f"drawn_at={time.time():.3f} demo={'yes' if demo else 'no'} pid={os.getpid()}\n"
    )
    try:
        folder = paths().log_dir
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "startup.log", "a", encoding="utf-8") as log:
            log.write(line)
    except OSError:
        pass


def make_app(
    config: Config,
    target: Connection | EmbeddedService | IngeClient,
    *,
    clock: Callable[[], datetime] | None = None,
    **options: Any,
) -> IngeApp:
    """The app for `config`, talking to `target`: a remote connection, the embedded demo
    service, or a ready client (tests). `clock` is the time the age column counts from."""
    from inge_tui.shell import IngeApp

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


def __getattr__(name: str) -> Any:
    if name == "IngeApp":
        from inge_tui.shell import IngeApp

        return IngeApp
    raise AttributeError(name)
