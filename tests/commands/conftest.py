"""Fixtures for the command-set tests: an office of its own on the real service, a home
directory, and the whole command set (with `copy-id` and `mark`) for each test, the registry
put back as it was after it: other suites (the help screen's snapshots) see the registry their
own imports make."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from commands_support import CASEWORKER, Office
from support.app_env import isolated_home
from support.cases import Actors
from support.live import LiveService

import inge_tui.commands.case
import inge_tui.commands.copy_mark
import inge_tui.commands.postbox  # noqa: F401  (importing registers the whole set, as the app does)
from inge_tui.commands.base import REGISTRY


@pytest.fixture(autouse=True)
def registry() -> Iterator[None]:
    saved = dict(REGISTRY)
    try:
        yield
    finally:
        REGISTRY.clear()
        REGISTRY.update(saved)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """INGE_HOME in a temporary folder, no INGE_* settings from outside, Berlin time."""
    with isolated_home(tmp_path, monkeypatch) as home:
        yield home


@pytest.fixture
def office(sqlite_service: LiveService, home: Path) -> Iterator[Office]:
    actors = Actors(sqlite_service)
    token = sqlite_service.token("caseworker", actors.office, CASEWORKER)
    try:
        yield Office(sqlite_service, actors, token, home)
    finally:
        actors.close()
