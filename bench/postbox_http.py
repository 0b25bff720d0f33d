"""A Postkorb page over HTTP at the start and at entry N, p50/p99 over many requests.

    uv run python bench/postbox_http.py                        # 1,000,000 entries, SQLite
    uv run python bench/postbox_http.py --participants 100000  # smaller
    uv run python bench/postbox_http.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test
    uv run python bench/postbox_http.py --store /tmp/inge-1m.db  # reuse (or keep) a seeded file

Seeds one office with N participants (`demo seed`), starts the real service (`inge-tui serve`)
in its own process on a loopback port, walks the keyset cursor to the last page (pages of 500),
then times `--requests` requests of a 50-entry page at the start and at the deep cursor. The
ratio deep/start is the figure that matters: keyset paging should cost the same at both ends.
"""

from __future__ import annotations

import argparse
import os
import time

import httpx
from _service import caseworker_client, percentiles

OFFICE = "RS-BER"


def time_requests(client: httpx.Client, params: dict[str, str], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get("/v1/postbox", params=params)
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return samples


def deep_cursor(client: httpx.Client) -> tuple[str | None, int]:
    """Walk the whole listing in pages of 500; the cursor before the last page, and the count."""
    cursor, seen, last = None, 0, None
    while True:
        params = {"limit": "500"} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/postbox", params=params).json()
        seen += len(page["items"])
        if not page["next_cursor"]:
            return last, seen
        last, cursor = cursor, page["next_cursor"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database is made)")
    parser.add_argument("--store", help="SQLite file to seed or reuse")
    args = parser.parse_args()

    with caseworker_client(
        args.database_url, args.store, participants=args.participants, office=OFFICE
    ) as (client, backend):
        walk_started = time.perf_counter()
        cursor, total = deep_cursor(client)
        walk = time.perf_counter() - walk_started
        time_requests(client, {"limit": "50"}, 20)  # warm up
        first = time_requests(client, {"limit": "50"}, args.requests)
        deep = time_requests(client, {"limit": "50", "cursor": cursor or ""}, args.requests)

    f50, f99 = percentiles(first)
    d50, d99 = percentiles(deep)
    print(
        f"\nPostkorb over HTTP, {backend}, {total:,} entries in the office "
        f"(walked in {walk:.1f} s), {args.requests} requests each, 50 entries a page"
    )
    print(f"{'page':<22}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'first page':<22}{f50:>10.2f}{f99:>10.2f}")
    print(f"{'at entry ' + format(total - 50, ','):<22}{d50:>10.2f}{d99:>10.2f}")
    print(f"{'ratio deep/first':<22}{d50 / f50:>10.2f}{d99 / f99:>10.2f}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
