"""What the Pilot tests of the app and of the command set share: an isolated home, and waiting
for a condition while the app's workers talk to a real service."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

OUTSIDE_SETTINGS = ("INGE_CONFIG", "INGE_PROFILE", "INGE_URL", "INGE_TOKEN", "INGE_DATABASE_URL")


@contextlib.contextmanager
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """INGE_HOME in a temporary folder, no INGE_* settings from outside, Berlin time."""
    for name in OUTSIDE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INGE_HOME", str(tmp_path / "home"))
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"  # the age column counts days in local time
    time.tzset()
    try:
        yield tmp_path / "home"
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


async def wait_for(
    pilot: Any, condition: Callable[[], object], what: str = "", timeout: float = 15.0
) -> None:
    """Let the app run until `condition()` holds (its workers talk to a real service)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"Zeitüberschreitung beim Warten: {what}")
        await pilot.pause(0.05)
