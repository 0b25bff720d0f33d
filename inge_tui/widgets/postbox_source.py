"""The Postkorb list's `PageSource` over the InGe service, and the link it waits on.

`ServiceSource` answers the list's keyset fetches with `GET /v1/postbox` and its count with
`GET /v1/postbox/count`. Walking the order from its far end (End in a long list) is the same
query in the opposite sort: keyset cursors work in both directions. Each entry the service sent
is kept (bounded) so the screen can hand the full `PostboxEntry` under the cursor to commands.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.models import PostboxEntry
from inge_tui.api.words import BLOCKER_COLUMN
from inge_tui.i18n import _
from inge_tui.widgets.postbox_pages import ME, Row


class ServiceLink:
    """The client once the service is reachable; fetches wait on it while it starts."""

    def __init__(self, client: IngeClient | None = None) -> None:
        self._client = client
        self._ready = asyncio.Event()
        if client is not None:
            self._ready.set()

    @property
    def client(self) -> IngeClient | None:
        return self._client

    def connect(self, client: IngeClient) -> None:
        self._client = client
        self._ready.set()

    async def wait(self) -> IngeClient:
        await self._ready.wait()
        assert self._client is not None
        return self._client


def blocker_text(code: str) -> str:
    """The short text of a blocker code, in the interface's language."""
    known = BLOCKER_COLUMN.get(code)
    return _(known) if known else code.replace("_", " ").capitalize()


def to_row(entry: PostboxEntry) -> Row:
    """A service entry as the list draws it."""
    if entry.claimed_by_me:
        holder: str | None = ME
    else:
        holder = entry.claimed_by
    return Row(
        entry_id=str(entry.entry_id),
        created_at=entry.created_at,
        kind=str(entry.kind),
        name=f"{entry.surname}, {entry.given_name}",
        participant_id=entry.participant_id,
        dtz_overall=None if entry.dtz_overall is None else str(entry.dtz_overall),
        lid_points=entry.lid_points,
        document=None if entry.expected_document is None else str(entry.expected_document),
        blockers=tuple(blocker_text(code) for code in entry.blockers),
        claim_holder=holder,
        claimed_since=entry.claimed_since,
        status=str(entry.status),
        flags=frozenset(entry.flags),
        request_due=entry.request_due,
    )


def opposite(sort: str | None) -> str:
    """The reverse of an order (the service's default is newest first)."""
    return "newest" if sort == "oldest" else "oldest"


class EntryCache:
    """The last entries the service sent, by id as the list names them (bounded LRU)."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._entries: OrderedDict[str, PostboxEntry] = OrderedDict()

    def put(self, entry: PostboxEntry) -> None:
        key = str(entry.entry_id)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def get(self, entry_id: str | None) -> PostboxEntry | None:
        return None if entry_id is None else self._entries.get(entry_id)


class ServiceSource:
    """Keyset pages of one filtered, sorted Postkorb listing."""

    def __init__(
        self,
        link: ServiceLink,
        query: PostboxQuery,
        entries: EntryCache,
        drafts: Callable[[], set[str]] = set,
    ) -> None:
        self.link = link
        self.query = query
        self.entries = entries
        self.drafts = drafts  # who has a form draft on this machine, read per page

    async def fetch(
        self, cursor: str | None, limit: int, *, reverse: bool = False
    ) -> tuple[Sequence[Row], str | None]:
        client = await self.link.wait()
        query = replace(self.query, sort=opposite(self.query.sort)) if reverse else self.query
        page = await client.postbox_page(query, cursor=cursor, limit=limit)
        for entry in page.items:
            self.entries.put(entry)
        drafted = self.drafts() if page.items else set()
        rows = [to_row(entry) for entry in page.items]
        return [replace(r, draft=r.participant_id in drafted) for r in rows], page.next_cursor

    async def count(self) -> int | None:
        client = await self.link.wait()
        return await client.postbox_count(self.query)
