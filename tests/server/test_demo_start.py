"""The embedded demo's start: seed once, and keep the same caseworker across restarts."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from support.live import start_live_service, stop_live_service

from inge_tui.server.commands import prepare_demo
from inge_tui.server.settings import Settings


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}")


def test_a_restart_keeps_the_demo_token_so_claims_stay_the_caseworkers_own(
    settings: Settings, tmp_path: Path
) -> None:
    token_file = tmp_path / "state" / "demo-token"
    prepare_demo(settings, token_file, participants=40)
    first = token_file.read_text().strip()
    prepare_demo(settings, token_file, participants=40)
    assert token_file.read_text().strip() == first
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_an_unknown_token_in_the_file_is_replaced_by_a_working_one(
    settings: Settings, tmp_path: Path
) -> None:
    token_file = tmp_path / "demo-token"
    token_file.write_text("not-a-token-of-this-store\n")
    prepare_demo(settings, token_file, participants=40)
    token = token_file.read_text().strip()
    assert token != "not-a-token-of-this-store"

    live, server, thread = start_live_service(settings.database_url)
    try:
        answer = httpx.get(
            f"{live.base_url}/v1/postbox", headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        stop_live_service(live, server, thread)
    assert answer.status_code == 200
    assert answer.json()["items"]
