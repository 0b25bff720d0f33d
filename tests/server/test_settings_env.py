"""`inge-tui serve --workers N` hands the settings to its worker processes through the
environment: every setting a config file can change arrives (data_request_days and token_days
were lost there once)."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from support.live import start_live_service, stop_live_service

from inge_tui.server.app import settings_to_environment
from inge_tui.server.settings import Settings


def test_worker_processes_get_every_setting_of_the_config_file() -> None:
    settings = Settings(
        database_url="sqlite:///x.db",
        claim_minutes=45,
        dtz_thresholds={"sprechen": {"b1_from": 80}},
        data_request_days=21,
        token_days={"caseworker": 30},
    )
    again = Settings(**json.loads(settings_to_environment(settings)))
    for name in ("database_url", "claim_minutes", "dtz_thresholds", "data_request_days"):
        assert getattr(again, name) == getattr(settings, name), name
    assert dict(again.token_days) == {"caseworker": 30}


def test_request_threads_come_from_the_flag_then_the_config_then_eight(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[server]\nrequest_threads = 3\n", encoding="utf-8")
    empty = tmp_path / "empty.toml"
    empty.write_text("[server]\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert Settings.from_config(url, empty).request_threads == 8
    assert Settings.from_config(url, config).request_threads == 3
    assert Settings.from_config(url, config, 5).request_threads == 5
    again = Settings(**json.loads(settings_to_environment(Settings(url, request_threads=5))))
    assert again.request_threads == 5


def test_serve_refuses_a_thread_count_it_cannot_run_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from inge_tui import cli

    url = f"sqlite:///{tmp_path / 'x.db'}"
    for threads in ("0", "201"):
        assert cli.main(["serve", "--threads", threads, "--database-url", url]) == 2
        assert "request_threads muss zwischen 1 und 200 liegen" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_requests_beyond_the_thread_count_wait_their_turn_and_are_all_answered(
    tmp_path: Path,
) -> None:
    """Sixteen caseworkers ask at once of a service that works on two requests at a time: every
    one gets its page, and the service never ran more than two worker threads for them."""
    live, server, thread = start_live_service(f"sqlite:///{tmp_path / 'x.db'}", request_threads=2)
    try:
        token = live.token("caseworker", "RS-NBG")
        before = {t.ident for t in threading.enumerate()}
        go = threading.Barrier(16)

        def ask(_: int) -> int:
            with httpx.Client(base_url=live.base_url, timeout=30) as client:
                go.wait()
                headers = {"Authorization": f"Bearer {token}"}
                return client.get("/v1/postbox", headers=headers).status_code

        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(ask, range(16)))
        workers = [
            t
            for t in threading.enumerate()
            if t.ident not in before and t.name.startswith("AnyIO worker")
        ]
    finally:
        stop_live_service(live, server, thread)
    assert statuses == [200] * 16
    assert 1 <= len(workers) <= 2, [t.name for t in workers]
