"""A working day at several Regionalstellen at once, over HTTP (loopback only), bounded.

`run_workload(plan)` starts one coroutine per caseworker and four for the outside systems
and stops them when `plan.seconds` have passed or `plan.max_requests` were sent, whichever
comes first. Each caseworker loops: list the open, unblocked entries of the office (sometimes
a page further along the cursor), pick one, open the case, claim the entry, issue the document
the rules name (or decide the repetition application), release it if that was refused, and go
to the next. Some issues are sent twice with the same `Idempotency-Key` (a retry), and some
first attempts are cut off by a tiny client timeout and then retried: a retry must never issue
a second document. Meanwhile a course provider registers new participants, the test institute
posts their DTZ (some split into two transmissions, some repeated) and OET their LiD results,
so new `abschluss` entries appear in the Postkorb while it is being worked; for three in ten
the institute corrects the DTZ a moment later, often after a document was issued, so entries
reopen and documents are superseded (or a withdrawal becomes due) under load.

Every answer is timed per operation. `Outcome.problems` lists what the clients saw that must
never happen (a 5xx, a replay naming another document, a transport error that was not provoked).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

NAMES = (
    ("Nguyễn", "Thị Lan"),
    ("Şahin", "Ayşe"),
    ("محمدی", "زهرا"),  # Persian, right to left
    ("Kowalczyk", "Małgorzata"),
    ("Ivanova", "Оксана"),
    ("Haddad", "Rania 🌻"),
)
DTZ_PARTS = {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}


@dataclass(frozen=True)
class Caseworker:
    token: str
    office: str
    name: str


@dataclass(frozen=True)
class Plan:
    """What to run: where, who, how long, how much."""

    base_urls: Sequence[str]
    caseworkers: Sequence[Caseworker]
    provider_token: str
    institute_token: str
    oet_token: str
    offices: Sequence[str]
    seconds: float = 60.0
    max_requests: int = 200_000
    feed_interval: float = 0.25  # seconds between two new participants
    retry_share: float = 0.10  # issues sent again with the same key
    timeout_share: float = 0.05  # issues whose first attempt is cut off by the client
    fed_prefix: str = "LT-"
    seed: int = 1


@dataclass
class Outcome:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    issued: dict[str, str] = field(default_factory=dict)  # participant -> document number
    decided: set[int] = field(default_factory=set)
    fed_complete: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    replayed_after_cut_off: int = 0  # cut-off first attempts the service had completed
    requests: int = 0
    seconds: float = 0.0


class _Run:
    """Shared state of one run: the clock, the request budget, the figures."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.out = Outcome()
        self.deadline = time.monotonic() + plan.seconds

    def going(self) -> bool:
        return time.monotonic() < self.deadline and self.out.requests < self.plan.max_requests

    async def call(
        self, client: httpx.AsyncClient, op: str, method: str, path: str, **kwargs: Any
    ) -> httpx.Response | None:
        """One timed request; None after a transport error (recorded as status 0)."""
        self.out.requests += 1
        started = time.perf_counter()
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.TransportError as error:
            self.out.statuses[op][0] += 1
            if not kwargs.get("timeout"):
                self.out.problems.append(f"{op} {path}: {type(error).__name__}")
            return None
        self.out.samples[op].append((time.perf_counter() - started) * 1000)
        self.out.statuses[op][response.status_code] += 1
        if response.status_code >= 500:
            self.out.problems.append(f"{op} {path}: {response.status_code} {response.text[:200]}")
        return response


def _client(base_url: str, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
        limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
    )


async def _caseworker(run: _Run, client: httpx.AsyncClient, rng: random.Random) -> None:
    while run.going():
        params = {"status": "offen", "blocked": "false", "limit": "100"}
        params["sort"] = rng.choice(("newest", "newest", "oldest"))
        page = await run.call(client, "list", "GET", "/v1/postbox", params=params)
        if page is None or page.status_code != 200:
            await asyncio.sleep(0.2)
            continue
        body = page.json()
        for _ in range(rng.choice((0, 0, 0, 1, 2))):  # "next page" now and then
            if not body["next_cursor"]:
                break
            more = await run.call(
                client,
                "list_next",
                "GET",
                "/v1/postbox",
                params=params | {"cursor": body["next_cursor"]},
            )
            if more is None or more.status_code != 200:
                break
            body = more.json()
        if not body["items"]:
            await asyncio.sleep(0.2)
            continue
        await _work_entry(run, client, rng, rng.choice(body["items"]))


async def _work_entry(
    run: _Run, client: httpx.AsyncClient, rng: random.Random, entry: dict[str, Any]
) -> None:
    pid, entry_id = entry["participant_id"], entry["entry_id"]
    opened = await run.call(client, "open", "GET", f"/v1/participants/{pid}")
    if opened is None or opened.status_code != 200:
        return
    claim = await run.call(
        client, "claim", "POST", f"/v1/postbox/{entry_id}/claim", json={"version": entry["version"]}
    )
    if claim is None or claim.status_code != 200:
        return  # someone else was quicker (409 claimed / version_conflict / closed)
    done = False
    try:
        case = opened.json()
        if entry["kind"] == "abschluss":
            done = await _issue(run, client, rng, case)
        elif entry["application_id"] is not None:
            done = await _decide(run, client, case, entry["application_id"])
    finally:
        if not done:
            await run.call(client, "release", "POST", f"/v1/postbox/{entry_id}/release")


async def _issue(
    run: _Run, client: httpx.AsyncClient, rng: random.Random, case: dict[str, Any]
) -> bool:
    pid = case["participant_id"]
    document = case["assessment"]["document"]
    if document is None or case["assessment"]["blockers"]:
        return False
    path = f"/v1/participants/{pid}/certificates"
    key = f"load-{pid}-{rng.getrandbits(32):08x}"
    request: dict[str, Any] = {
        "json": {"expected_document": document},
        "headers": {"Idempotency-Key": key, "If-Match": str(case["version"])},
    }
    cut_off = rng.random() < run.plan.timeout_share
    if cut_off:  # the first attempt is cut off by the client, then retried with the same key
        await run.call(client, "issue_cut_off", "POST", path, timeout=0.002, **request)
    answer = await run.call(client, "issue", "POST", path, **request)
    if answer is None or answer.status_code != 201:
        return False
    if answer.headers.get("Idempotent-Replayed") == "true":
        run.out.replayed_after_cut_off += 1
        if not cut_off:
            run.out.problems.append(f"a first request with {key} was answered as a replay")
    number = answer.json()["certificate_id"]
    run.out.issued[pid] = number
    if rng.random() < run.plan.retry_share:
        again = await run.call(client, "issue_retry", "POST", path, **request)
        if again is None or again.status_code != 201 or again.json()["certificate_id"] != number:
            status = again.status_code if again is not None else "transport"
            run.out.problems.append(f"retry of {key} did not answer {number}: {status}")
        elif again.headers.get("Idempotent-Replayed") != "true":
            run.out.problems.append(f"retry of {key} was not marked as replayed")
    return True


async def _decide(
    run: _Run, client: httpx.AsyncClient, case: dict[str, Any], application_id: int
) -> bool:
    answer = await run.call(
        client,
        "decide",
        "POST",
        f"/v1/repetition-applications/{application_id}/decision",
        json={"decision": "reject", "reason": "Lasttest: Antrag abgelehnt"},
        headers={"If-Match": str(case["version"])},
    )
    if answer is not None and answer.status_code == 200:
        run.out.decided.add(application_id)
        return True
    return False


async def _provider(
    run: _Run, client: httpx.AsyncClient, rng: random.Random, queue: asyncio.Queue[str]
) -> None:
    n = 0
    while run.going():
        n += 1
        pid = f"{run.plan.fed_prefix}{run.plan.seed:03d}-{n:06d}"
        surname, given = rng.choice(NAMES)
        body = {
            "participant_id": pid,
            "surname": surname,
            "given_name": given,
            "birth_date": "1991-05-04",
            "course_type": "allgemein",
            "contingent_hours": 700,
            "hours_used": 700,
            "self_payer": False,
            "office": rng.choice(list(run.plan.offices)),
            "entitlement_date": "2024-11-01",
        }
        registered = await run.call(client, "feed_register", "POST", "/v1/participants", json=body)
        if registered is not None and registered.status_code == 201:
            identity = {
                "document_type": "reisepass",
                "document_number": f"LT{rng.randrange(10**8):08d}",
                "address": {"street": "Lastweg 1", "postal_code": "90402", "city": "Nürnberg"},
            }
            await run.call(
                client, "feed_identity", "PUT", f"/v1/participants/{pid}/identity", json=identity
            )
            await queue.put(pid)
        await asyncio.sleep(run.plan.feed_interval)


async def _institute(
    run: _Run,
    client: httpx.AsyncClient,
    rng: random.Random,
    inbox: asyncio.Queue[str],
    outbox: asyncio.Queue[str],
) -> None:
    while run.going():
        try:
            pid = await asyncio.wait_for(inbox.get(), timeout=0.5)
        except TimeoutError:
            continue
        parts = dict(DTZ_PARTS)
        sendings = [parts] if rng.random() < 0.7 else [{"sprechen": 80}, parts]
        ok = True
        for n, sent in enumerate(sendings):
            body = {
                "transmission_id": f"DTZ-{pid}-{n}",
                "participant_id": pid,
                "exam_date": "2026-01-10",
                "exam_center": "PST-LAST-001",
                "parts": sent,
            }
            answer = await run.call(client, "feed_dtz", "POST", "/v1/dtz-results", json=body)
            ok = ok and answer is not None and answer.status_code == 201
            if ok and rng.random() < 0.1:  # the institute sends it again: a no-op
                again = await run.call(
                    client, "feed_dtz_repeat", "POST", "/v1/dtz-results", json=body
                )
                if again is None or again.headers.get("Idempotent-Replayed") != "true":
                    run.out.problems.append(f"repeated DTZ transmission for {pid} was not a replay")
        if ok:
            await outbox.put(pid)


async def _oet(
    run: _Run,
    client: httpx.AsyncClient,
    rng: random.Random,
    inbox: asyncio.Queue[str],
    corrections: asyncio.Queue[str],
) -> None:
    while run.going():
        try:
            pid = await asyncio.wait_for(inbox.get(), timeout=0.5)
        except TimeoutError:
            continue
        body = {
            "transmission_id": f"LID-{pid}",
            "participant_id": pid,
            "exam_date": "2026-01-20",
            "points": rng.choice((14, 17, 20, 28)),
        }
        answer = await run.call(client, "feed_lid", "POST", "/v1/lid-results", json=body)
        if answer is not None and answer.status_code == 201:
            run.out.fed_complete.append(pid)
            if rng.random() < 0.3:  # the institute will correct the DTZ later
                await corrections.put(pid)


async def _corrector(
    run: _Run, client: httpx.AsyncClient, rng: random.Random, inbox: asyncio.Queue[str]
) -> None:
    """Late corrections of a fed DTZ (other Sprechen points on the same sitting), after the
    caseworkers may have issued: what left entries that could never be closed (issue 10)."""
    while run.going():
        try:
            pid = await asyncio.wait_for(inbox.get(), timeout=0.5)
        except TimeoutError:
            continue
        await asyncio.sleep(rng.uniform(0.2, 2.0))
        body = {
            "transmission_id": f"DTZ-{pid}-korrektur",
            "participant_id": pid,
            "exam_date": "2026-01-10",
            "exam_center": "PST-LAST-001",
            "parts": {"sprechen": rng.choice((70, 85, 90))},
        }
        await run.call(client, "feed_correct", "POST", "/v1/dtz-results", json=body)


async def run_workload(plan: Plan) -> Outcome:
    """Run the plan; returns the figures and what the clients saw (see the module docstring)."""
    run = _Run(plan)
    urls = list(plan.base_urls)
    clients: list[httpx.AsyncClient] = []
    tasks = []
    started = time.perf_counter()
    for n, worker in enumerate(plan.caseworkers):
        client = _client(urls[n % len(urls)], worker.token)
        clients.append(client)
        tasks.append(_caseworker(run, client, random.Random(plan.seed * 1000 + n)))
    registered: asyncio.Queue[str] = asyncio.Queue()
    with_dtz: asyncio.Queue[str] = asyncio.Queue()
    to_correct: asyncio.Queue[str] = asyncio.Queue()
    feeds = [
        (plan.provider_token, lambda c, r: _provider(run, c, r, registered)),
        (plan.institute_token, lambda c, r: _institute(run, c, r, registered, with_dtz)),
        (plan.oet_token, lambda c, r: _oet(run, c, r, with_dtz, to_correct)),
        (plan.institute_token, lambda c, r: _corrector(run, c, r, to_correct)),
    ]
    for n, (token, feed) in enumerate(feeds):
        client = _client(urls[n % len(urls)], token)
        clients.append(client)
        tasks.append(feed(client, random.Random(plan.seed * 7 + n)))
    try:
        await asyncio.gather(*tasks)
    finally:
        for client in clients:
            await client.aclose()
    run.out.seconds = time.perf_counter() - started
    return run.out
