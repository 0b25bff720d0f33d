"""50 caseworkers of several offices work one Postkorb of 100,000 entries at once; then the
store is checked for the invariants (loopback only; bounded in time and in requests).

    uv run python bench/load.py                                   # SQLite, one service process
    uv run python bench/load.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test
                                                                  # PostgreSQL, two processes
    uv run python bench/load.py --participants 5000 --seconds 20  # small and quick

Seeds `--participants` demo cases (`seed_demo`; the default gives just over 100,000 Postkorb
entries over three offices), starts `--processes` service processes (`inge-tui serve`, each on
its own loopback port; clients are split between them), runs the workload of
`bench/_workload.py` for `--seconds` (at most `--max-requests`), stops the services and reads
the invariants of `bench/_invariants.py` from the database. Prints one table of throughput and
p50/p99 latency per operation, one of the invariants, and exits 1 if an invariant fails or a
client saw a 5xx, an unprovoked transport error or a replay that named another document.
A PostgreSQL URL names the server: the benchmark makes a database of its own and drops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
from _invariants import Check, check_store
from _service import free_port, mint_token, percentiles, prepare_store, start_service, stop_service
from _workload import Caseworker, Outcome, Plan, run_workload

from inge_tui.server.demo.seed import seed_demo

OFFICES = ("RS-NBG", "RS-BER", "RS-HAM")
TOKEN_PREFIX = "Lasttest"
# demo_data makes ~0.94 Postkorb entries per participant: this gives just over 100,000.
DEFAULT_PARTICIPANTS = 107_000
ORDER = (
    "list",
    "list_next",
    "open",
    "claim",
    "issue",
    "issue_retry",
    "issue_cut_off",
    "decide",
    "release",
    "feed_register",
    "feed_identity",
    "feed_dtz",
    "feed_dtz_repeat",
    "feed_lid",
    "feed_correct",
)


def make_plan(url: str, base_urls: list[str], args: argparse.Namespace) -> Plan:
    """Tokens for the caseworkers (spread over the offices) and the outside systems."""
    caseworkers = []
    for n in range(args.caseworkers):
        office = OFFICES[n % len(OFFICES)]
        name = f"{TOKEN_PREFIX} SB {office} {n + 1:02d}"
        caseworkers.append(Caseworker(mint_token(url, "caseworker", office, name), office, name))
    return Plan(
        base_urls=base_urls,
        caseworkers=caseworkers,
        provider_token=mint_token(url, "course_provider", None, f"{TOKEN_PREFIX} Kursträger"),
        institute_token=mint_token(url, "test_institute", None, f"{TOKEN_PREFIX} g.a.s.t."),
        oet_token=mint_token(url, "oet", None, f"{TOKEN_PREFIX} OET"),
        offices=OFFICES,
        seconds=args.seconds,
        max_requests=args.max_requests,
        feed_interval=args.feed_interval,
        seed=args.seed,
    )


def operation_rows(out: Outcome) -> list[dict[str, object]]:
    """One row per operation: count, answers by status, rate, p50 and p99."""
    rows = []
    for op in sorted(out.statuses, key=lambda o: ORDER.index(o) if o in ORDER else 99):
        samples = out.samples.get(op, [])
        p50, p99 = percentiles(samples) if samples else (float("nan"), float("nan"))
        rows.append(
            {
                "op": op,
                "count": sum(out.statuses[op].values()),
                "statuses": dict(sorted(out.statuses[op].items())),
                "per_s": sum(out.statuses[op].values()) / out.seconds,
                "p50_ms": p50,
                "p99_ms": p99,
            }
        )
    return rows


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU of processes so far (Linux /proc; None elsewhere)."""
    total = 0.0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None
    return total


def reference_ms(base_url: str, token: str, calls: int = 30) -> float:
    """The reference of this run: the median of one caseworker listing the Postkorb alone,
    before the load starts (what a request costs on this machine with nothing else going on)."""
    params = {"status": "offen", "blocked": "false", "limit": "100"}
    timings = []
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(calls):
            started = time.perf_counter()
            client.get("/v1/postbox", params=params).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def print_report(
    label: str, seeded: str, out: Outcome, checks: list[Check], reference: float
) -> None:
    total = sum(sum(c.values()) for c in out.statuses.values())
    print(
        f"\n{label}: {seeded}; {out.seconds:.0f} s, {total:,} requests, {total / out.seconds:.0f}/s"
    )
    rows = {row["op"]: row for row in operation_rows(out)}
    ratios = ", ".join(
        f"{op} p99 {rows[op]['p99_ms'] / reference:.0f}×"  # type: ignore[operator]
        for op in ("claim", "issue")
        if op in rows
    )
    print(
        f"reference (one caseworker listing alone, before the load): p50 {reference:.1f} ms; "
        f"{ratios}"
    )
    print(f"{'operation':<16}{'count':>8}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}  answers")
    for row in operation_rows(out):
        answers = " ".join(f"{k}×{v}" for k, v in row["statuses"].items())  # type: ignore[attr-defined]
        print(
            f"{row['op']:<16}{row['count']:>8}{row['per_s']:>8.1f}"
            f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}  {answers}"
        )
    print(
        f"\ndocuments issued {len(out.issued)}, repetition decisions {len(out.decided)}, "
        f"new participants with both results {len(out.fed_complete)}; cut-off first "
        f"attempts the service had completed (retry answered as replay): "
        f"{out.replayed_after_cut_off}"
    )
    print("\ninvariants (read from the database):")
    for check in checks:
        print(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    if out.problems:
        print(f"\nproblems seen by the clients ({len(out.problems)}):")
        for line in out.problems[:10]:
            print(f"  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=DEFAULT_PARTICIPANTS)
    parser.add_argument("--caseworkers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load (max 600)")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--feed-interval", type=float, default=0.25)
    parser.add_argument("--processes", type=int, help="service processes (SQLite 1, PostgreSQL 2)")
    parser.add_argument(
        "--threads", type=int, help="requests each service process works on at once (serve's)"
    )
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database is made)")
    parser.add_argument("--store", help="SQLite file to seed or reuse")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1.0), 600.0)

    url, cleanup = prepare_store(args.database_url, args.store)
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    processes = args.processes or (2 if backend == "postgresql" else 1)
    try:
        started = time.perf_counter()
        seeded = seed_demo(
            url, participants=args.participants, offices=list(OFFICES), make_tokens=False
        )
        seed_line = (
            f"{seeded.participants:,} participants, {seeded.entries:,} Postkorb entries seeded in "
            f"{time.perf_counter() - started:.0f} s"
        )
        print(seed_line, flush=True)
        ports = [free_port() for _ in range(processes)]
        services = [start_service(url, port, threads=args.threads) for port in ports]
        try:
            plan = make_plan(url, [f"http://127.0.0.1:{p}" for p in ports], args)
            reference = reference_ms(plan.base_urls[0], plan.caseworkers[0].token)
            pids = [service.pid for service in services]
            cpu_before = cpu_seconds(pids)
            out = asyncio.run(run_workload(plan))
            cpu_after = cpu_seconds(pids)
        finally:
            for service in services:
                stop_service(service)
        checks = check_store(
            url,
            fed_prefix=plan.fed_prefix,
            fed_complete=out.fed_complete,
            load_token_prefix=TOKEN_PREFIX,
            issued=out.issued,
        )
    finally:
        cleanup()
    threads = f"{args.threads} request threads" if args.threads else "serve's request threads"
    label = (
        f"Load, {backend}, {processes} service process(es) of {threads}, "
        f"{args.caseworkers} caseworkers"
    )
    print_report(label, seed_line, out, checks, reference)
    if cpu_before is not None and cpu_after is not None and out.requests:
        used = cpu_after - cpu_before
        print(
            f"service processes: {used:.1f} CPU seconds in {out.seconds:.0f} s on "
            f"{os.cpu_count()} cores, {used / out.requests * 1000:.1f} ms CPU per request"
        )
    if args.json:
        summary = {
            "backend": backend,
            "processes": processes,
            "caseworkers": args.caseworkers,
            "seeded_entries": seeded.entries,
            "seconds": out.seconds,
            "requests": out.requests,
            "reference_ms": reference,
            "operations": operation_rows(out),
            "invariants": [check.__dict__ for check in checks],
            "problems": out.problems[:50],
            "issued": len(out.issued),
            "replayed_after_cut_off": out.replayed_after_cut_off,
        }
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if all(c.ok for c in checks) and not out.problems else 1


if __name__ == "__main__":
    sys.exit(main())
