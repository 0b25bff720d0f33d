"""A short burst of the load benchmark's workload (`bench/_workload.py`) for the proofs."""

from __future__ import annotations

from collections.abc import Sequence

from _workload import Caseworker, Plan
from support.live import LiveService


def burst_plan(
    live: LiveService,
    base_urls: Sequence[str],
    offices: Sequence[str],
    *,
    caseworkers: int,
    label: str,
    seconds: float,
    timeout_share: float,
) -> Plan:
    """Caseworkers spread over `offices` and the three outside systems, each with a token named
    after `label` (so the invariants can find the load's claims), 30 % of issues retried."""
    return Plan(
        base_urls=list(base_urls),
        caseworkers=[
            Caseworker(live.token("caseworker", office, name), office, name)
            for n in range(caseworkers)
            for office, name in [(offices[n % len(offices)], f"{label} SB {n:02d}")]
        ],
        provider_token=live.token("course_provider", None, f"{label} Kursträger"),
        institute_token=live.token("test_institute", None, f"{label} g.a.s.t."),
        oet_token=live.token("oet", None, f"{label} OET"),
        offices=list(offices),
        seconds=seconds,
        max_requests=5_000,
        feed_interval=0.1,
        retry_share=0.3,
        timeout_share=timeout_share,
    )
