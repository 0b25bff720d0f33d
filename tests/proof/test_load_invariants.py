"""A short burst of the load benchmark, then the store's invariants read from the database.

The same workload as `bench/load.py` (`bench/_workload.py`), smaller: 12 caseworkers of two
offices work a seeded Postkorb through two service processes (the test's own, plus an
`inge-tui serve` over the same store) while a course provider, the test institute and OET feed
new cases; some issues are retried with the same key, some first attempts cut off by the
client. Afterwards `bench/_invariants.py` must find: nothing decided twice, at most one
Zertifikat per participant, every decision audited, every claim held or released (and all
given back), document numbers unique and each with its PDF, every new exam pair exactly one
Postkorb entry, every document a client saw stored for that participant.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from _invariants import check_store
from _workload import run_workload
from burst import burst_plan
from support.live import LiveService, serve_processes

from inge_tui.server.demo.seed import seed_demo

OFFICES = ["RS-NBG", "RS-BER"]
SECONDS = float(os.environ.get("INGE_PROOF_LOAD_SECONDS", "6"))


@pytest.fixture
def second_process(own_service: LiveService, tmp_path: Path) -> Iterator[str]:
    """`inge-tui serve` over the same store as `own_service`; yields its base URL."""
    with serve_processes(own_service.database_url, tmp_path / "home") as [url]:
        yield url


@pytest.mark.slow
def test_a_burst_of_work_leaves_the_store_consistent(
    own_service: LiveService, second_process: str
) -> None:
    url = own_service.database_url
    seed_demo(url, participants=800, offices=OFFICES, make_tokens=False)
    plan = burst_plan(
        own_service,
        [own_service.base_url, second_process],
        OFFICES,
        caseworkers=12,
        label="Lasttest",
        seconds=SECONDS,
        timeout_share=0.15,
    )
    issued: dict[str, str] = {}
    fed: list[str] = []
    problems: list[str] = []
    decided = retried = 0
    for burst in range(1, 5):  # on a busy machine a burst may do too little: go on, bounded
        out = asyncio.run(run_workload(replace(plan, seed=burst)))
        issued |= out.issued
        fed += out.fed_complete
        problems += out.problems
        decided += len(out.decided)
        retried += out.statuses["issue_retry"][201]
        if issued and fed and decided and retried:
            break
    checks = check_store(
        url,
        fed_prefix=plan.fed_prefix,
        fed_complete=fed,
        load_token_prefix="Lasttest",
        issued=issued,
    )
    assert problems == []
    failed = [f"{c.name}: {c.detail}" for c in checks if not c.ok]
    assert not failed, "\n".join(failed)
    assert issued and decided and fed  # each kind of work was done
    assert retried > 0  # retries happened, and each answered the first document again
