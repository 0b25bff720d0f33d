"""The Kennzahlen of a million-entry office over HTTP, against a Postkorb page in the same run.

    uv run python bench/stats.py                          # 1,000,000 in one office, SQLite
    uv run python bench/stats.py --participants 100000    # smaller
    uv run python bench/stats.py --store /tmp/inge-1m.db  # reuse (or keep) a seeded file
    uv run python bench/stats.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test

Seeds one office (`demo seed`, its closed entries with their documents), starts the real
service (`inge-tui serve`) in its own process, then times `--requests` requests of
`GET /v1/stats` (the last 60 days, and a whole year) and of the first Postkorb page of 50,
alternating, so that both see the same machine. Prints p50/p99 and the ratio to the page:
the target is a stats answer within 200 ms.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

import httpx
from _service import caseworker_client, percentiles

OFFICE = "RS-BER"


def timed(client: httpx.Client, path: str, params: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database is made)")
    parser.add_argument("--store", help="SQLite file to seed or reuse")
    args = parser.parse_args()

    year = {"from": (date.today() - timedelta(days=365)).isoformat()}
    kinds = {
        "Postkorb page of 50": ("/v1/postbox", {"limit": "50"}),
        "stats, 60 days": ("/v1/stats", {}),
        "stats, 366 days": ("/v1/stats", year),
    }
    samples: dict[str, list[float]] = {name: [] for name in kinds}
    with caseworker_client(
        args.database_url, args.store, participants=args.participants, office=OFFICE, timeout=120
    ) as (client, backend):
        entries = client.get("/v1/postbox/count", params={"status": "erledigt"}).json()["count"]
        entries += client.get("/v1/postbox/count").json()["count"]
        figures = client.get("/v1/stats", params=year).json()
        for path, params in kinds.values():  # warm up
            for _ in range(3):
                timed(client, path, params)
        for _ in range(args.requests):
            for name, (path, params) in kinds.items():
                samples[name].append(timed(client, path, params))

    print(
        f"\nKennzahlen over HTTP, {backend}, {entries:,} Postkorb entries in the office, "
        f"{args.requests} requests each (alternating)"
    )
    print(
        f"the year's figures: {figures['total']['entries']:,} entries arrived, "
        f"{sum(figures['documents'].values()):,} documents, "
        f"{figures['time_to_document']['closed']:,} closed"
    )
    page50 = percentiles(samples["Postkorb page of 50"])
    print(f"{'request':<24}{'p50 ms':>10}{'p99 ms':>10}{'p50/page':>10}")
    for name, values in samples.items():
        p50, p99 = percentiles(values)
        print(f"{name:<24}{p50:>10.1f}{p99:>10.1f}{p50 / page50[0]:>10.1f}")
    worst = max(percentiles(samples[n])[0] for n in kinds if n.startswith("stats"))
    print(f"target: stats p50 within 200 ms: {'met' if worst <= 200 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
