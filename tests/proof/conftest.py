"""Fixtures for the proofs: actors on the live service, a service of one's own, and `bench/`
importable (the load run and the fuzzing share their code with the benchmarks).

The proofs run against the real service (`tests/support/live.py`) over SQLite and, when
`INGE_TEST_DATABASE_URL` is set, PostgreSQL too; nothing here mocks the service.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cases import Actors
from support.live import LiveService, empty_store, start_live_service, stop_live_service

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


@pytest.fixture
def actors(live_service: LiveService) -> Iterator[Actors]:
    """Clients of every role for a fresh office of this test's own."""
    team = Actors(live_service)
    try:
        yield team
    finally:
        team.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveService]:
    """A service over a store of this test's own, for runs that revoke tokens or flood a store."""
    with empty_store(request.param, tmp_path / "own.db") as url:
        live, server, thread = start_live_service(url)
        try:
            yield live
        finally:
            stop_live_service(live, server, thread)
