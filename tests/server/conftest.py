"""Per-test actors on the shared live service, and a service of a test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cases import Actors
from support.live import LiveService, start_live_service, stop_live_service


@pytest.fixture
def actors(live_service: LiveService) -> Iterator[Actors]:
    """Clients of every role for a fresh office of this test's own."""
    team = Actors(live_service)
    try:
        yield team
    finally:
        team.close()


@pytest.fixture
def own_service(tmp_path: Path) -> Iterator[LiveService]:
    """A service with a store of its own, for a test whose state must not reach the others
    (a blocked client address, a clock moved by half a year)."""
    live, server, thread = start_live_service(f"sqlite:///{tmp_path / 'own.db'}")
    try:
        yield live
    finally:
        stop_live_service(live, server, thread)
