"""What `said` costs the rules: `assess_completion` over varied cases as it runs (its reasons
made with `said`, so that the service can word them in English) against the same cases with
`said` and `joined` swapped for plain `str.format`/`str.join` (the reference: what German-only
f-strings cost).

    uv run python bench/said.py             # 300 cases × 30 rounds, interleaved
    uv run python bench/said.py -n 100 -r 10

Prints the median microseconds per assessment of each and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from domain._strategies import case_facts

from inge_tui.domain import (
    _format,
    alt_b1,
    assess_completion,
    completion,
    course,
    funding,
    hours,
    levels,
)

MODULES = (completion, funding, hours, alt_b1, course, levels, _format)
ON = date(2026, 12, 1)


def _plain(template: str, /, **values: Any) -> str:
    return template.format_map(values) if values else template


def _plain_join(separator: str, parts: Any) -> str:
    return separator.join(parts)


def _swapped(run: Callable[[], float]) -> float:
    """`run` with the modules' `said`/`joined` as plain formatting."""
    kept = [(m, m.__dict__.get("said"), m.__dict__.get("joined")) for m in MODULES]
    for module, said, joined in kept:
        if said is not None:
            module.said = _plain  # type: ignore[attr-defined]
        if joined is not None:
            module.joined = _plain_join  # type: ignore[attr-defined]
    try:
        return run()
    finally:
        for module, said, joined in kept:
            if said is not None:
                module.said = said  # type: ignore[attr-defined]
            if joined is not None:
                module.joined = joined  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="cases")
    parser.add_argument("-r", type=int, default=30, help="rounds")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # hypothesis: .example() outside a test
    cases = [case_facts.example() for _ in range(args.n)]

    def one_round() -> float:
        start = time.perf_counter()
        for facts in cases:
            assess_completion(facts, on=ON)
        return (time.perf_counter() - start) / len(cases) * 1e6

    said_us: list[float] = []
    plain_us: list[float] = []
    for _ in range(args.r):
        said_us.append(one_round())
        plain_us.append(_swapped(one_round))
    with_said, reference = statistics.median(said_us), statistics.median(plain_us)
    print(f"{len(cases)} cases, {args.r} rounds")
    print(f"assess_completion with said:        {with_said:7.1f} µs")
    print(f"reference, plain str.format / join: {reference:7.1f} µs")
    print(f"ratio: {with_said / reference:.2f}")


if __name__ == "__main__":
    main()
