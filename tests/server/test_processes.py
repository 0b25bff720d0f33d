"""Two service processes over one store: consistency comes from the database, not from memory."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from support.cases import Actors
from support.live import LiveService, serve_processes


@pytest.fixture
def two_processes(live_service: LiveService, tmp_path: Path) -> Iterator[list[str]]:
    """`inge-tui serve` twice, on two ports, over the live service's store."""
    with serve_processes(live_service.database_url, tmp_path / "home", count=2) as urls:
        yield urls


def test_issuing_through_two_processes(live_service: LiveService, two_processes: list[str]) -> None:
    actors = Actors(live_service)
    try:
        pid = actors.ready_case()
        other = actors.ready_case()
    finally:
        actors.close()
    token = live_service.token("caseworker", actors.office, "Sachbearbeiterin Weber")

    def issue(args: tuple[int, str, str]) -> tuple[int, str | None]:
        n, participant, key = args
        response = httpx.post(
            f"{two_processes[n % 2]}/v1/participants/{participant}/certificates",
            json={},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            timeout=60,
        )
        return response.status_code, response.json().get("certificate_id")

    with ThreadPoolExecutor(max_workers=8) as pool:
        same_key = list(pool.map(issue, [(n, pid, f"{pid}-same") for n in range(8)]))
        other_keys = list(pool.map(issue, [(n, other, f"{other}-{n}") for n in range(8)]))
    assert {status for status, _ in same_key} == {201}
    assert len({number for _, number in same_key}) == 1
    assert sorted(status for status, _ in other_keys).count(201) == 1
    assert {status for status, _ in other_keys} == {201, 409}
