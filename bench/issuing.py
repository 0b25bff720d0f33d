"""Issue N documents with their PDFs over HTTP, one caseworker after another.

    uv run python bench/issuing.py                    # 1,000 documents, SQLite
    uv run python bench/issuing.py --database-url postgresql://inge:inge@127.0.0.1:5432/inge_test

Seeds enough demo cases, starts the real service in its own process, lists the open
`abschluss` entries that nothing blocks, and issues one document each (`Idempotency-Key` per
participant). Prints documents per second and p50/p99 per issue. As the reference in the same
run it times fetching the same participants (`GET /v1/participants/…`), so the ratio shows what
deciding and storing add to a read. Then:

- the first fetch of each PDF (rendered on first use from the text fixed at issue, then
  stored) and a second fetch (the stored bytes);
- a bulk run as the app does it (`issue-document --all`: `commands.bulk.plan_bulk` and
  `run_bulk` over the same HTTP API) on `--bulk` further marked entries, in documents/s.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from _service import caseworker_client, percentiles

from inge_tui.api.client import IngeClient
from inge_tui.commands.base import Session
from inge_tui.commands.bulk import plan_bulk, run_bulk
from inge_tui.headless import HeadlessUi, Printer

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
    parser.add_argument("--bulk", type=int, default=500, help="entries for the bulk run")
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database is made)")
    args = parser.parse_args()

    with caseworker_client(
        args.database_url, None, participants=args.participants, office=OFFICE, timeout=60
    ) as (client, backend):
        everything = issuable(client, args.documents + args.bulk)
        entries, rest = everything[: args.documents], everything[args.documents :]
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
        numbers = [
            c["certificate_id"]
            for e in entries[:200]
            for c in client.get(f"/v1/participants/{e['participant_id']}").json()["certificates"]
        ]
        first, again = [], []
        for number in numbers:
            for times in (first, again):
                started = time.perf_counter()
                client.get(f"/v1/certificates/{number}/pdf").raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
        bulk = asyncio.run(bulk_run(client, [e["entry_id"] for e in rest]))

    i50, i99 = percentiles(issues)
    r50, r99 = percentiles(reads)
    print(
        f"\nIssuing over HTTP, {backend}: {len(issues)} documents ({kinds}) in {wall:.1f} s, "
        f"{len(issues) / wall:.1f} documents/s"
    )
    print(f"{'request':<28}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'issue (decide + store)':<28}{i50:>10.2f}{i99:>10.2f}")
    print(f"{'reference: read participant':<28}{r50:>10.2f}{r99:>10.2f}")
    print(f"{'ratio issue/read':<28}{i50 / r50:>10.2f}{i99 / r99:>10.2f}")
    f50, f99 = percentiles(first)
    a50, a99 = percentiles(again)
    print(f"{'PDF, first fetch (render)':<28}{f50:>10.2f}{f99:>10.2f}")
    print(f"{'PDF, second fetch (stored)':<28}{a50:>10.2f}{a99:>10.2f}")
    issued, seconds = bulk
    print(
        f"\nBulk run (issue-document --all, as the app runs it): {issued} documents in "
        f"{seconds:.1f} s, {issued / seconds:.1f} documents/s "
        f"(sequential issuing above: {len(issues) / wall:.1f}/s)"
    )
    return 0


async def bulk_run(client: httpx.Client, entry_ids: list[int]) -> tuple[int, float]:
    """The app's bulk issuing on marked entries: the dry run, then the run (no PDFs)."""
    token = str(client.headers["Authorization"]).removeprefix("Bearer ")
    api = IngeClient(str(client.base_url), token, timeout=60)
    session = Session(api, HeadlessUi(Printer()), marked=set(entry_ids))
    try:
        plan = await plan_bulk(session)
        started = time.perf_counter()
        report = await run_bulk(session, plan)
        return report.count("ausgestellt"), time.perf_counter() - started
    finally:
        await api.aclose()


if __name__ == "__main__":
    raise SystemExit(main())
