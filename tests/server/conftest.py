"""Per-test actors on the shared live service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.cases import Actors
from support.live import LiveService


@pytest.fixture
def actors(live_service: LiveService) -> Iterator[Actors]:
    """Clients of every role for a fresh office of this test's own."""
    team = Actors(live_service)
    try:
        yield team
    finally:
        team.close()
