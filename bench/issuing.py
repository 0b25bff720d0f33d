"""Issue N documents with their PDFs over HTTP, one caseworker after another.

    uv run python bench/issuing.py                    # 1,000 documents, SQLite
    uv run python bench/issuing.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test

Seeds enough demo cases, starts the real service in its own process, lists the open
`abschluss` entries that nothing blocks, and issues one document each (`Idempotency-Key` per
participant). Prints documents per second and p50/p99 per issue. As the reference in the same
run it times fetching the same participants (`GET /v1/participants/…`), so the ratio shows what
deciding, rendering the PDF and storing it add to a read.
"""

from __future__ import annotations

import argparse
import time

import httpx
from _service import caseworker_client, percentiles

OFFICE = "RS-BER"


def issuable(client: httpx.Client, wanted: int) -> list[dict]:
    entries: list[dict] = []
    cursor = None
    params = {"status": "offen", "kind": "abschluss", "blocked": "false", "limit": "500"}
    while len(entries) < wanted:
        page = client.get("/v1/postbox", params=params | ({"cursor": cursor} if cursor else {}))
        page.raise_for_status()
        body = page.json()
        entries += [e for e in body["items"] if e["expected_document"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    return entries[:wanted]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database is made)")
    args = parser.parse_args()

    with caseworker_client(
        args.database_url, None, participants=args.participants, office=OFFICE, timeout=60
    ) as (client, backend):
        entries = issuable(client, args.documents)
        reads, issues, kinds = [], [], {}
        for entry in entries:
            started = time.perf_counter()
            client.get(f"/v1/participants/{entry['participant_id']}").raise_for_status()
            reads.append((time.perf_counter() - started) * 1000)
        wall = time.perf_counter()
        for entry in entries:
            started = time.perf_counter()
            answer = client.post(
                f"/v1/participants/{entry['participant_id']}/certificates",
                json={"expected_document": entry["expected_document"]},
                headers={"Idempotency-Key": f"bench-{entry['participant_id']}"},
            )
            issues.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
            kind = answer.json()["kind"]
            kinds[kind] = kinds.get(kind, 0) + 1
        wall = time.perf_counter() - wall

    i50, i99 = percentiles(issues)
    r50, r99 = percentiles(reads)
    print(
        f"\nIssuing over HTTP, {backend}: {len(issues)} documents ({kinds}) in {wall:.1f} s, "
        f"{len(issues) / wall:.1f} documents/s"
    )
    print(f"{'request':<28}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'issue (decide + PDF + store)':<28}{i50:>10.2f}{i99:>10.2f}")
    print(f"{'reference: read participant':<28}{r50:>10.2f}{r99:>10.2f}")
    print(f"{'ratio issue/read':<28}{i50 / r50:>10.2f}{i99 / r99:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
