"""Figures for the Postkorb list against Textual's DataTable (prints a table; not a timed test).

    uv run python bench/postbox_list.py                      # list 100, 1M, 1M at 20 ms; DT 100k
    uv run python bench/postbox_list.py --datatable-million  # also DataTable with 1,000,000 rows
    uv run python bench/postbox_list.py --latency-ms 5       # every fetch of the list waits 5 ms

Each scenario runs in its own interpreter (so resident memory is its own), headless at 120×40:
time from the widget's mount to the first screen of rows drawn, 200 PageDowns (the widget's own
work per press: the action plus rendering the frame; and the wall time from key to that frame,
which includes Textual's frame pacing of 1/60 s), and VmRSS / VmHWM at the end.

The list reads a synthetic source that makes rows on demand (like a service would send them);
DataTable needs every row in memory, so its rows are built before mount (not timed, but counted
in its memory) and only `add_rows` and the drawing are timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PRESSES = 200
SIZE = (120, 40)
NOW = datetime(2025, 3, 14, 10, 30)
SURNAMES = ("Öztürk", "Nguyễn", "Müller", "Schmidt-Hoffmann", "Kowalski", "Haddad", "Ivanova")
GIVEN = ("Ayşe", "Thị", "Anna", "Mohammed", "Oksana", "Luca", "Fatima")


def make_row(n: int) -> Any:
    """A deterministic synthetic entry for position `n` (newest first)."""
    from inge_tui.widgets.postbox_pages import Row

    return Row(
        entry_id=f"e{n:07d}",
        created_at=date(2025, 3, 14) - timedelta(days=n // 2000),
        kind="abschluss" if n % 7 else "wiederholung",
        name=f"{SURNAMES[n % 7]}, {GIVEN[n // 7 % 7]} {n}",
        participant_id=f"TN{n:08d}",
        dtz_overall=("B1", "A2", "unter_A2", None)[n % 4],
        lid_points=n % 34,
        document=("zertifikat", "bescheinigung", None)[n % 3],
        blockers=("Ausweisnr. fehlt", "Adresse fehlt")[: n % 3],
        claim_holder="K. Müller" if n % 11 == 0 else None,
        claimed_since=NOW - timedelta(hours=2) if n % 11 == 0 else None,
    )


class SyntheticSource:
    """A keyset `PageSource` over `total` synthetic rows made on demand; cursors are opaque."""

    def __init__(self, total: int, latency: float = 0.0) -> None:
        self.total = total
        self.latency = latency
        self.fetches = 0

    async def fetch(
        self, cursor: str | None, limit: int, *, reverse: bool = False
    ) -> tuple[Sequence[Any], str | None]:
        self.fetches += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        start = int(cursor[1:]) if cursor else 0
        stop = min(self.total, start + limit)
        positions = range(start, stop)
        rows = [make_row(self.total - 1 - p if reverse else p) for p in positions]
        return rows, (f"{'r' if reverse else 'f'}{stop}" if stop < self.total else None)

    async def count(self) -> int | None:
        if self.latency:
            await asyncio.sleep(self.latency)
        return self.total


def rss_mb() -> tuple[float, float]:
    """VmRSS and VmHWM (peak) of this process, in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return tuple(int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


class Probe:
    """Timestamps and work counters the instrumented widgets fill in."""

    def __init__(self) -> None:
        self.mounted = 0.0
        self.first_drawn = 0.0
        self.last_complete = 0.0
        self.work = 0.0
        self.cpu = 0.0
        self.placeholder_frames = 0


def timed(probe: Probe, method: Any, *args: Any) -> tuple[Any, float]:
    """Call `method`, adding its wall and thread time to the probe's work; its answer and end."""
    start, cpu = time.perf_counter(), time.thread_time()
    answer = method(*args)
    end = time.perf_counter()
    probe.work += end - start
    probe.cpu += time.thread_time() - cpu
    return answer, end


def instrumented_list(probe: Probe) -> type:
    from inge_tui.widgets.postbox_list import PostboxList

    class BenchList(PostboxList):
        def on_mount(self) -> None:
            probe.mounted = time.perf_counter()
            super().on_mount()

        def action_page_down(self) -> None:
            timed(probe, super().action_page_down)

        def render_lines(self, crop):  # type: ignore[no-untyped-def]
            lines, end = timed(probe, super().render_lines, crop)
            top, rows, store = int(self.scroll_y), self._rows_visible(), self.store
            shown = range(top, min(top + rows, store.extent))
            if store.total and all(store.row(i) is not None for i in shown):
                probe.last_complete = end
                probe.first_drawn = probe.first_drawn or end
            else:
                probe.placeholder_frames += 1
            return lines

    return BenchList


def instrumented_table(probe: Probe, rows: list[tuple[str, ...]]) -> type:
    from textual.widgets import DataTable

    from inge_tui.widgets.postbox_columns import layout_for

    headers = [column.header for column, _ in layout_for(SIZE[0]).columns]

    class BenchTable(DataTable):
        def on_mount(self) -> None:
            probe.mounted = time.perf_counter()
            self.add_columns(*headers)
            self.add_rows(rows)

        def action_page_down(self) -> None:
            timed(probe, super().action_page_down)

        def render_lines(self, crop):  # type: ignore[no-untyped-def]
            lines, end = timed(probe, super().render_lines, crop)
            if self.row_count:
                probe.last_complete = end
                probe.first_drawn = probe.first_drawn or end
            return lines

    return BenchTable


def table_rows(total: int) -> list[tuple[str, ...]]:
    """Every row as DataTable cells: the same texts the list shows at 120 columns."""
    from inge_tui.widgets.postbox_columns import AgePolicy, cells, layout_for

    layout, policy, today = layout_for(SIZE[0] - 1), AgePolicy(), NOW.date()
    out = []
    for n in range(total):
        texts = [text.strip() for text, _ in cells(make_row(n), layout, today, policy, False)]
        out.append(tuple(t for t in texts[2:] if t) or ("",))
    return out


def at_end(widget: Any) -> bool:
    """The cursor is on the last row (a PageDown would change nothing)."""
    if hasattr(widget, "cursor_index"):
        return widget.cursor_index >= widget.store.extent - 1
    return widget.cursor_row >= widget.row_count - 1


async def wait_for_frame(probe: Probe, since: float, timeout: float = 30.0) -> None:
    """Until a frame with every visible row drawn completed after `since`."""
    give_up = since + timeout
    while probe.last_complete < since:
        if time.perf_counter() > give_up:
            raise TimeoutError("no complete frame after the key press")
        await asyncio.sleep(0.0002)


async def run_scenario(kind: str, total: int, latency: float) -> dict[str, Any]:
    from textual.app import App, ComposeResult

    probe = Probe()
    baseline = rss_mb()[0]
    if kind == "list":
        widget_class = instrumented_list(probe)
        source = SyntheticSource(total, latency)

        def make_widget() -> Any:
            return widget_class(source, now=lambda: NOW)
    else:
        rows = table_rows(total)
        widget_class = instrumented_table(probe, rows)

        def make_widget() -> Any:
            return widget_class(cursor_type="row")

    class BenchApp(App[None]):
        def compose(self) -> ComposeResult:
            yield make_widget()

    walls: list[float] = []
    works: list[float] = []
    cpus: list[float] = []
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(widget_class)
        widget.focus()
        while not probe.first_drawn:
            await asyncio.sleep(0.001)
        first_ms = (probe.first_drawn - probe.mounted) * 1000
        placeholder_before = probe.placeholder_frames
        for _ in range(PRESSES):
            if at_end(widget):  # a short list: start again at the top (not timed)
                home = time.perf_counter()
                await pilot.press("home")
                await wait_for_frame(probe, home)
            await pilot.pause()
            probe.work = probe.cpu = 0.0
            pressed = time.perf_counter()
            await pilot.press("pagedown")
            await wait_for_frame(probe, pressed)
            walls.append((probe.last_complete - pressed) * 1000)
            works.append(probe.work * 1000)
            cpus.append(probe.cpu * 1000)
        rss, peak = rss_mb()
        fetches = getattr(source, "fetches", None) if kind == "list" else None
    return {
        "scenario": f"{'PostboxList' if kind == 'list' else 'DataTable'}",
        "rows": total,
        "latency_ms": latency * 1000 if kind == "list" else None,
        "first_ms": first_ms,
        "work_mean": statistics.fmean(works),
        "work_p99": sorted(works)[int(len(works) * 0.99) - 1],
        "cpu_mean": statistics.fmean(cpus),
        "cpu_p99": sorted(cpus)[int(len(cpus) * 0.99) - 1],
        "wall_mean": statistics.fmean(walls),
        "wall_p99": sorted(walls)[int(len(walls) * 0.99) - 1],
        "placeholder_frames": probe.placeholder_frames - placeholder_before,
        "rss_mb": rss,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "fetches": fetches,
    }


def run_child(kind: str, total: int, latency_ms: float, timeout: float) -> dict[str, Any] | str:
    """One scenario in a fresh interpreter; its JSON answer, or why there is none."""
    command = [sys.executable, __file__, "--child", kind, str(total), str(latency_ms)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return f"did not finish within {timeout:.0f} s"
    except subprocess.CalledProcessError as error:
        return f"failed: {error.stderr.strip().splitlines()[-1:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def print_table(results: list[dict[str, Any]], failures: list[str]) -> None:
    print(
        f"{'widget':<12} {'rows':>9} {'lat':>3} {'open→1st':>9} {'pgdn work':>13} "
        f"{'pgdn CPU':>13} {'key→frame':>13} {'ph':>3} {'RSS':>6} {'peak':>6} {'run':>5}"
    )
    print(
        f"{'':<12} {'':>9} {'ms':>3} {'ms':>9} {'mean/p99 ms':>13} {'mean/p99 ms':>13} "
        f"{'mean/p99 ms':>13} {'':>3} {'MB':>6} {'MB':>6} {'s':>5}"
    )
    for r in results:
        lat = "" if r["latency_ms"] is None else f"{r['latency_ms']:.0f}"
        pairs = [f"{r[k + '_mean']:>6.2f}/{r[k + '_p99']:<6.2f}" for k in ("work", "cpu", "wall")]
        print(
            f"{r['scenario']:<12} {r['rows']:>9,} {lat:>3} {r['first_ms']:>9.1f} "
            f"{' '.join(pairs)} {r['placeholder_frames']:>3} {r['rss_mb']:>6.1f} "
            f"{r['peak_mb']:>6.1f} {r['process_s']:>5.1f}"
        )
    for failure in failures:
        print(failure)
    tables = {r["rows"]: r for r in results if r["scenario"] == "DataTable"}
    for reference in tables.values():
        print(f"\nratios against DataTable with {reference['rows']:,} rows (lower is better):")
        for r in results:
            if r["scenario"] == "DataTable":
                continue
            print(
                f"  PostboxList {r['rows']:>9,} (latency {r['latency_ms']:.0f} ms): "
                f"open {r['first_ms'] / reference['first_ms']:.5f}×, "
                f"page-down CPU {r['cpu_mean'] / reference['cpu_mean']:.3f}×, "
                f"RSS {r['rss_mb'] / reference['rss_mb']:.2f}×"
            )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{PRESSES} PageDowns at {SIZE[0]}×{SIZE[1]}; ph = frames drawn with a placeholder; "
        f"work = wall time in the widget, CPU = its thread time;\nRSS/peak include Python and "
        f"Textual (an empty app is about {results[0]['baseline_mb']:.0f} MB); "
        f"{os.cpu_count()} CPUs, load average {load}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("KIND", "ROWS", "LATENCY_MS"))
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the list")
    parser.add_argument("--table-rows", type=int, default=100_000, help="rows for DataTable")
    parser.add_argument("--datatable-million", action="store_true", help="also 1,000,000 rows")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every fetch")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per scenario")
    args = parser.parse_args()
    if args.child:
        kind, total, latency_ms = args.child
        result = asyncio.run(run_scenario(kind, int(total), float(latency_ms) / 1000))
        print(json.dumps(result))
        return
    plan = [("list", 100, args.latency_ms), ("list", args.rows, args.latency_ms)]
    if args.latency_ms == 0:
        plan.append(("list", args.rows, 20.0))
    plan.append(("table", args.table_rows, 0.0))
    if args.datatable_million:
        plan.append(("table", 1_000_000, 0.0))
    results, failures = [], []
    for kind, total, latency_ms in plan:
        print(f"… {kind} with {total:,} rows", file=sys.stderr, flush=True)
        outcome = run_child(kind, total, latency_ms, args.timeout)
        if isinstance(outcome, str):
            failures.append(f"{kind} with {total:,} rows: {outcome}")
        else:
            results.append(outcome)
    print_table(results, failures)


if __name__ == "__main__":
    main()
