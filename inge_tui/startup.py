"""The start-up figure: when this process began, and the line `startup.log` keeps.

Process start to the first Postkorb page on screen goes to `<log dir>/startup.log`;
`INGE_EXIT_AFTER_FIRST_PAGE=1` quits right after it (`bench/startup.py`). Loads nothing heavy:
the entry point reads the clock here before Textual is imported.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

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
