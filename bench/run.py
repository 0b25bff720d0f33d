"""Run every benchmark in `bench/`, each in its own process with a time limit, and print one
table of the headline figures and where each is documented.

    uv run python bench/run.py                      # smaller sizes, a few minutes
    uv run python bench/run.py --full               # the documented sizes (1,000,000 etc.)
    uv run python bench/run.py --only load hostile  # some of them
    uv run python bench/run.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test

`--database-url` names a PostgreSQL server for the benchmarks that take one (seed,
postbox_http, stats, issuing, load, hostile); each makes a database of its own there and drops it.
A benchmark that is missing, fails or runs out of time gets a row saying so; the others still
run. Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PERF = "docs/performance.md"
RELIABILITY = "docs/reliability.md"
Row = tuple[str, str]  # (figure, value)


@dataclass(frozen=True)
class Bench:
    name: str
    small: list[str]
    full: list[str]
    parse: Callable[[str, Path], list[Row]]
    doc: str
    takes_database: bool = False
    timeout: float = 900.0


def _find(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text, re.MULTILINE)


def parse_seed(out: str, _json: Path) -> list[Row]:
    rows = []
    if m := _find(r"seeded ([\d,]+) participants, ([\d,]+) Postkorb entries in ([\d.]+) s", out):
        rate = float(m[1].replace(",", "")) / float(m[3])
        rows.append((f"seed {m[1]} participants", f"{m[3]} s ({rate:,.0f}/s)"))
    if m := _find(
        r"alle\s+([\d,]+) Treffer\s+erste Seite\s+([\d.]+) ms\s+letzte Seite\s+([\d.]+)", out
    ):
        rows.append((f"page of 50 in SQL, first / last of {m[1]}", f"{m[2]} / {m[3]} ms"))
    return rows


def parse_postbox_http(out: str, _json: Path) -> list[Row]:
    rows = []
    first = _find(r"^first page\s+([\d.]+)\s+([\d.]+)", out)
    deep = _find(r"^at entry ([\d,]+)\s+([\d.]+)\s+([\d.]+)", out)
    if first and deep:
        rows.append(("HTTP page p50, first page", f"{first[1]} ms (p99 {first[2]})"))
        rows.append((f"HTTP page p50, at entry {deep[1]}", f"{deep[2]} ms (p99 {deep[3]})"))
    return rows


def parse_stats(out: str, _json: Path) -> list[Row]:
    rows = []
    for name in ("stats, 60 days", "stats, 366 days"):
        if m := _find(rf"^{name}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out):
            rows.append(
                (f"GET /v1/stats p50, {name[7:]}", f"{m[1]} ms (p99 {m[2]}, {m[3]}× a page)")
            )
    return rows


def parse_issuing(out: str, _json: Path) -> list[Row]:
    rows = []
    if m := _find(r"(\d+) documents \(.*\) in ([\d.]+) s, ([\d.]+) documents/s", out):
        rows.append((f"issue {m[1]} documents, one caseworker", f"{m[3]}/s"))
    if m := _find(r"^issue \(decide \+ PDF \+ store\)\s+([\d.]+)\s+([\d.]+)", out):
        rows.append(("issue p50 / p99", f"{m[1]} / {m[2]} ms"))
    return rows


def parse_postbox_list(out: str, _json: Path) -> list[Row]:
    rows = []
    for line in out.splitlines():  # table rows start in column 0; the ratio lines do not
        parts = line.split()
        if line.startswith(("PostboxList", "DataTable")) and len(parts) >= 10:
            slow = len(parts) == 11 and parts[2] == "20"
            label = f"{parts[0]} {parts[1]} rows" + (" (fetch 20 ms)" if slow else "")
            rows.append((f"{label}: open→first rows, RSS", f"{parts[-8]} ms, {parts[-3]} MB"))
    return rows


def parse_startup(out: str, _json: Path) -> list[Row]:
    rows = []
    m = _find(r"first Postkorb page, inside:\s+median ([\d.]+) s", out)
    if m:
        rows.append(("start to first Postkorb page (median)", f"{m[1]} s"))
    m = _find(r"`uv run inge-tui`, spawn to first page:\s+median ([\d.]+) s", out)
    if m:
        rows.append(("  via `uv run inge-tui` (median)", f"{m[1]} s"))
    return rows


def parse_load(_out: str, path: Path) -> list[Row]:
    data = json.loads(path.read_text())
    total = data["requests"] / data["seconds"]
    ops = {o["op"]: o for o in data["operations"]}
    rows = [
        (
            f"load {data['backend']}, {data['processes']} proc., {data['caseworkers']} caseworkers",
            f"{total:.0f} req/s over {data['seeded_entries']:,} entries",
        )
    ]
    for op in ("list", "open", "claim", "issue", "decide"):
        if op in ops:
            rows.append(
                (f"  {op} p50 / p99", f"{ops[op]['p50_ms']:.0f} / {ops[op]['p99_ms']:.0f} ms")
            )
    failed = [c["name"] for c in data["invariants"] if not c["ok"]]
    rows.append(("  invariants from the database", "all hold" if not failed else f"FAIL: {failed}"))
    return rows


def parse_hostile(_out: str, path: Path) -> list[Row]:
    data = json.loads(path.read_text())
    rows = [
        (
            f"hostile {data['backend']}: size and query probes",
            "as expected" if data["ok"] else "FAIL",
        )
    ]
    for phase in data["phases"]:
        verdict = phase["failure"] or f"{phase['5xx']} × 5xx"
        rows.append((f"  schemathesis, {phase['phase']}", f"{phase['calls']} calls, {verdict}"))
    return rows


BENCHES = [
    Bench("seed", ["--participants", "100000"], [], parse_seed, PERF, True),
    Bench(
        "postbox_http",
        ["--participants", "100000", "--requests", "200"],
        [],
        parse_postbox_http,
        PERF,
        True,
    ),
    Bench("stats", ["--participants", "100000", "--requests", "50"], [], parse_stats, PERF, True),
    Bench(
        "issuing", ["--documents", "200", "--participants", "2000"], [], parse_issuing, PERF, True
    ),
    Bench(
        "postbox_list",
        ["--rows", "100000", "--table-rows", "20000", "--timeout", "300"],
        [],
        parse_postbox_list,
        PERF,
    ),
    Bench("startup", ["--runs", "3"], [], parse_startup, PERF),
    Bench(
        "load",
        ["--participants", "20000", "--seconds", "30"],
        [],
        parse_load,
        RELIABILITY,
        True,
    ),
    Bench(
        "hostile",
        ["--examples", "20", "--sequences", "50"],
        ["--examples", "100", "--sequences", "200"],
        parse_hostile,
        RELIABILITY,
        True,
    ),
]


def run_one(bench: Bench, args: argparse.Namespace, scratch: Path) -> tuple[list[Row], float]:
    script = HERE / f"{bench.name}.py"
    if not script.exists():
        return [("(not present)", "skipped")], 0.0
    command = [sys.executable, str(script), *(bench.full if args.full else bench.small)]
    result_json = scratch / f"{bench.name}.json"
    if bench.parse in (parse_load, parse_hostile):
        command += ["--json", str(result_json)]
    if bench.takes_database and args.database_url:
        command += ["--database-url", args.database_url]
    timeout = bench.timeout * (4 if args.full else 1)
    print(f"… {bench.name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [("(run)", f"did not finish within {timeout:.0f} s")], timeout
    seconds = time.perf_counter() - started
    (scratch / f"{bench.name}.out").write_text(done.stdout + "\n" + done.stderr)
    try:
        rows = bench.parse(done.stdout, result_json)
    except (OSError, ValueError, KeyError) as error:
        rows = [("(figures)", f"unreadable: {type(error).__name__}")]
    if done.returncode != 0:
        rows.append(("(run)", f"exit {done.returncode}, see {scratch / (bench.name + '.out')}"))
    return rows or [("(figures)", "none found in the output")], seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the documented sizes")
    parser.add_argument("--only", nargs="+", choices=[b.name for b in BENCHES])
    parser.add_argument("--database-url", help="PostgreSQL server for the benchmarks that take one")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="inge-bench-run-"))
    table: list[tuple[str, str, str, str]] = []
    failed = False
    for bench in BENCHES:
        if args.only and bench.name not in args.only:
            continue
        rows, seconds = run_one(bench, args, scratch)
        failed = failed or any(f == "(run)" or "FAIL" in v for f, v in rows)
        for n, (figure, value) in enumerate(rows):
            first = n == 0
            table.append(
                (
                    bench.name if first else "",
                    figure,
                    value,
                    f"{bench.doc} ({seconds:.0f} s)" if first else "",
                )
            )
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    header = ("benchmark", "figure", "value", "documented in (run time)")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print()
    for row in (header, tuple("-" * w for w in widths), *table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"\noutputs of each run: {scratch}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
