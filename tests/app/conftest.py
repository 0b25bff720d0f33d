"""Fixtures for the Postkorb app tests: a service of their own, offices with cases, a home.

`postkorb_service` is a real service over a temporary SQLite store with its own manual clock,
so seeding can spread entries over weeks without moving the clock other tests read.
`snapshot_office` is seeded once per session, the same way every run, and only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from postkorb_support import (
    CASEWORKER,
    AppEnv,
    RestartableService,
    secrets_hex,
    seed_office,
)
from support.app_env import isolated_home
from support.cases import Actors
from support.live import LiveService, _stop, start_live_service

NEVER = 60 * 24 * 365 * 20  # minutes: a claim in the snapshot office must not lapse


@dataclass
class PostkorbService:
    """The test service and its snapshot office (seeded first, so always the same)."""

    live: LiveService
    snapshot: Actors


@pytest.fixture(scope="session")
def postkorb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostkorbService]:
    """A service of the app tests' own: own store, own clock, claims that never lapse."""
    store = tmp_path_factory.mktemp("postkorb") / "inge.db"
    live, server, thread = start_live_service(f"sqlite:///{store}", claim_minutes=NEVER)
    snapshot = seed_office(live, "SN")
    entry = snapshot.entries("SN-0008")[0]
    claim = snapshot.caseworker2.post(f"/v1/postbox/{entry['entry_id']}/claim")
    assert claim.status_code == 200, claim.text
    try:
        yield PostkorbService(live, snapshot)
    finally:
        snapshot.close()
        _stop(live, server, thread)


@pytest.fixture(scope="session")
def postkorb_service(postkorb: PostkorbService) -> LiveService:
    return postkorb.live


@pytest.fixture(scope="session")
def snapshot_office(postkorb: PostkorbService) -> Actors:
    """Seeded once per session, the same way every run; tests only read it."""
    return postkorb.snapshot


@pytest.fixture
def inge_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """INGE_HOME in a temporary folder, no INGE_* settings from outside, Berlin time."""
    with isolated_home(tmp_path, monkeypatch) as home:
        yield home


@pytest.fixture
def office(postkorb_service: LiveService, inge_home: Path) -> Iterator[AppEnv]:
    """A fresh office with a few entries, for a test that changes things."""
    actors = seed_office(postkorb_service, "TN-" + secrets_hex(), count=6)
    token = postkorb_service.token("caseworker", actors.office, CASEWORKER)
    try:
        yield AppEnv(postkorb_service, actors, token, inge_home)
    finally:
        actors.close()


@pytest.fixture
def snapshot_env(postkorb_service: LiveService, snapshot_office: Actors, inge_home: Path) -> AppEnv:
    token = postkorb_service.token("caseworker", snapshot_office.office, CASEWORKER)
    return AppEnv(postkorb_service, snapshot_office, token, inge_home)


@pytest.fixture
def restartable(postkorb_service: LiveService) -> Iterator[RestartableService]:
    service = RestartableService(postkorb_service)
    service.start()
    try:
        yield service
    finally:
        service.stop()
