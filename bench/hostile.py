"""Hostile input against the real service (loopback only, bounded): size limits, query text,
and a long schemathesis run (every operation alone, then stateful sequences).

    uv run python bench/hostile.py                               # SQLite, defaults below
    uv run python bench/hostile.py --examples 200 --sequences 300
    uv run python bench/hostile.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test

Starts `inge-tui serve` on a loopback port over a store of its own, then:

1. size probes: a declared 2 MiB body, a chunked 1.5 MiB body, a 20 KiB header, a 400 KiB
   header, JSON nested 200,000 deep, each with the status and the time to the answer;
2. query probes over an office with 300 seeded cases: SQL, wildcards and control characters
   in `q`, `participant_id`, `cursor`, `sort`: each must answer 200 with nothing found or 422
   (while the same list without a filter does show entries), and no row count may move;
3. `--examples` generated requests per operation and mode (positive and negative);
4. stateful sequences of up to `--steps` calls along the inferred links, in rounds of
   `--sequences` with fresh random draws, until about `--sequences × --steps / 2` calls.

Checks in 3 and 4: no 5xx, no 2xx for invalid data (`bench/_fuzz.py`). Prints one table and
exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
from _fuzz import Tally, mint_tokens, run_operations, run_stateful
from _service import free_port, prepare_store, start_service, stop_service
from sqlalchemy import func, select

from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.schema import audit, participants, postbox_entries, tokens

OFFICE = "NUE"
MIB = 1024 * 1024
QUERIES = [
    ("q", "' OR 1=1 --"),
    ("q", "'; DROP TABLE postbox_entries; --"),
    ("q", "%"),
    ("q", "_"),
    ("q", "\\"),
    ("q", "\x00"),
    ("q", "\x1b[31m"),
    ("q", "a" * 10_000),
    ("participant_id", "x' OR '1'='1"),
    ("cursor", "' OR 1=1 --"),
    ("sort", "newest; DROP TABLE audit"),
]


def _row_counts(url: str) -> tuple[int, ...]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (participants, postbox_entries, tokens, audit)
            )
    finally:
        engine.dispose()


def _raw_declared_body(base: str, token: str) -> int:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"POST /v1/participants HTTP/1.1\r\nHost: inge\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {2 * MIB}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"{")
        answer = sock.recv(4096)
    return int(answer.split(b" ", 2)[1])


def _chunks() -> Iterator[bytes]:
    for _ in range(24):
        yield b"A" * 65536


def size_probes(base: str, token: str) -> list[tuple[str, str, float]]:
    """(probe, answer, ms) for each oversized request."""
    auth = {"Authorization": f"Bearer {token}"}
    probes: list[tuple[str, Callable[[], int]]] = [
        ("declared body 2 MiB", lambda: _raw_declared_body(base, token)),
        (
            "chunked body 1.5 MiB",
            lambda: (
                httpx.post(f"{base}/v1/participants", content=_chunks(), headers=auth).status_code
            ),
        ),
        (
            "header 20 KiB",
            lambda: httpx.get(f"{base}/v1/health", headers={"X-P": "a" * 20_000}).status_code,
        ),
        (
            "header 400 KiB",
            lambda: httpx.get(f"{base}/v1/health", headers={"X-P": "a" * 400_000}).status_code,
        ),
        (
            "JSON nested 200,000 deep",
            lambda: (
                httpx.post(
                    f"{base}/v1/participants",
                    content=b"[" * 200_000 + b"]" * 200_000,
                    headers={**auth, "Content-Type": "application/json"},
                ).status_code
            ),
        ),
    ]
    rows = []
    for label, probe in probes:
        started = time.perf_counter()
        try:
            answer = str(probe())
        except httpx.TransportError as error:
            answer = f"dropped ({type(error).__name__})"
        rows.append((label, answer, (time.perf_counter() - started) * 1000))
    return rows


def query_probes(base: str, token: str) -> list[tuple[str, int, int]]:
    """(parameter=value, status, items found) for each hostile query parameter."""
    rows = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        everything = client.get("/v1/postbox", params={"limit": "500"}).json()["items"]
        rows.append(("(no filter: the office's entries)", 200, len(everything)))
        for name, value in QUERIES:
            answer = client.get("/v1/postbox", params={name: value})
            found = len(answer.json().get("items", [])) if answer.status_code == 200 else 0
            rows.append((f"{name}={value[:24]!r}", answer.status_code, found))
    return rows


def stateful_rounds(
    base: str, keys: dict[str, str], protected: dict[int, int], sequences: int, steps: int
) -> Tally:
    """Stateful runs with fresh random draws until about `sequences × steps / 2` calls were made.

    Hypothesis stops a run early when a replayed prefix meets a service that remembers the
    earlier sequence (see `_fuzz.run_stateful`); another round goes on from there. At most 20.
    """
    total = Tally()
    for round_ in range(1, 21):
        tally = run_stateful(
            base,
            keys,
            OFFICE,
            examples=sequences,
            steps=steps,
            derandomize=False,
            protected=protected,
        )
        total.answers.update(tally.answers)
        total.rounds = round_
        if total.calls() >= sequences * steps // 2:
            break
    return total


def _phase(label: str, run: Callable[[], Tally]) -> dict[str, object]:
    started = time.perf_counter()
    failure = None
    try:
        tally = run()
    except (Exception, BaseExceptionGroup) as error:  # a failed check: report it, do not hide it
        tally, failure = Tally(), f"{type(error).__name__}: {str(error)[:400]}"
    if tally.failures:
        failure = "; ".join(tally.failures)
    statuses = tally.statuses()
    return {
        "phase": label,
        "calls": tally.calls(),
        "2xx": sum(n for s, n in statuses.items() if 200 <= s < 300),
        "4xx": sum(n for s, n in statuses.items() if 400 <= s < 500),
        "5xx": sum(n for s, n in statuses.items() if s >= 500),
        "seconds": time.perf_counter() - started,
        "cut_short": tally.cut_short,
        "rounds": tally.rounds,
        "failure": failure,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="per operation and mode")
    parser.add_argument("--sequences", type=int, default=100)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database is made)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()

    url, cleanup = prepare_store(args.database_url, None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    try:
        service = start_service(url, port)
        try:
            seed_demo(url, participants=300, offices=[OFFICE], make_tokens=False)
            keys, protected = mint_tokens(url, OFFICE)
            sizes = size_probes(base, keys["course_provider"])
            before = _row_counts(url)
            queries = query_probes(base, keys["caseworker"])
            unchanged = _row_counts(url) == before
            phases = [
                _phase(
                    "every operation",
                    lambda: run_operations(
                        base, keys, OFFICE, examples=args.examples, protected=protected
                    ),
                ),
                _phase(
                    "stateful sequences",
                    lambda: stateful_rounds(base, keys, protected, args.sequences, args.steps),
                ),
            ]
        finally:
            stop_service(service)
    finally:
        cleanup()

    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(f"\nHostile input, {backend}")
    print(f"{'size probe':<28}{'answer':>24}{'ms':>9}")
    for label, answer, ms in sizes:
        print(f"{label:<28}{answer:>24}{ms:>9.1f}")
    print(f"\n{'query probe':<40}{'status':>8}{'found':>7}")
    for label, status, found in queries:
        print(f"{label:<40}{status:>8}{found:>7}")
    print(f"store rows unchanged by the query probes: {unchanged}")
    print(f"\n{'schemathesis':<22}{'calls':>7}{'2xx':>6}{'4xx':>6}{'5xx':>5}{'s':>7}  notes")
    for p in phases:
        note = p["failure"] or (f"{p['rounds']} rounds" if p["rounds"] > 1 else "")
        print(
            f"{p['phase']:<22}{p['calls']:>7}{p['2xx']:>6}{p['4xx']:>6}{p['5xx']:>5}"
            f"{p['seconds']:>7.1f}  {note}"
        )
    size_ok = all(a in {"413", "431", "400"} or a.startswith("dropped") for _, a, _ in sizes)
    control, *probes = queries
    query_ok = control[2] > 0 and all((s == 200 and n == 0) or s == 422 for _, s, n in probes)
    fuzz_ok = all(not p["failure"] and p["5xx"] == 0 for p in phases)
    if args.json:
        summary = {
            "backend": backend,
            "sizes": sizes,
            "queries": queries,
            "rows_unchanged": unchanged,
            "phases": phases,
            "ok": size_ok and query_ok and unchanged and fuzz_ok,
        }
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if size_ok and query_ok and unchanged and fuzz_ok else 1


if __name__ == "__main__":
    sys.exit(main())
