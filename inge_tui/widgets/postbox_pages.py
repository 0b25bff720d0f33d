"""The Postkorb's rows, the keyset source they come from, and the bounded page cache over it.

Nothing here draws or talks HTTP: the list widget asks a `PageStore` which fetch would fill a
page, awaits it on a `PageSource`, and hands the answer back. Keyset paging means the rows at
index i can only be reached with the cursor the previous page answered, so the store keeps a
small chain of cursors ("anchors", one string per fetch) from both ends of the order, and a
bounded LRU of row pages; memory stays flat however many entries the source holds.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from inge_tui.i18n import N_

MAX_LIMIT = 500
"""The service's upper bound for `limit` (api.md, Postkorb); long walks use it."""


ME = N_("Sie")  # the caseworker's own claim, in the column that names the holder
"""The claim holder of an entry the caseworker holds (the claim column shows it)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One Postkorb entry as the list shows it; the HTTP adapter maps the service's entry to it.

    `dtz_overall` is written as on the wire (`B1`, `A2`, `unter_A2`) or None while the DTZ result
    is incomplete; `document` is `zertifikat`, `bescheinigung` or None; `blockers` are short
    German texts (or codes), most important first.
    """

    entry_id: str
    created_at: date | datetime
    kind: str
    name: str
    participant_id: str
    dtz_overall: str | None = None
    lid_points: int | None = None
    document: str | None = None
    blockers: tuple[str, ...] = ()
    claim_holder: str | None = None
    claimed_since: datetime | None = None
    status: str = "offen"
    flags: frozenset[str] = frozenset()
    # an open data request to the course provider (domain.md A.16): the nearest deadline
    request_due: date | None = None
    draft: bool = False  # a form draft of this case waits on this machine (issue 14)


class PageSource(Protocol):
    """Where the rows come from: keyset pages of one filtered, sorted order."""

    async def fetch(
        self, cursor: str | None, limit: int, *, reverse: bool = False
    ) -> tuple[Sequence[Row], str | None]:
        """Up to `limit` rows after `cursor`, and the cursor of the next page (None at the end).

        With `reverse=True` the same order is walked from its far end: the first call (cursor
        None) answers the last `limit` rows, last row first, and its cursor continues towards the
        start. A source that cannot do this raises `NotImplementedError`; the list then walks
        forward in pages of `MAX_LIMIT`.
        """
        ...

    async def count(self) -> int | None:
        """The number of rows in this order (matches of the filter), None when unknown."""
        ...


@dataclass(frozen=True, slots=True)
class Step:
    """One fetch the store asks for.

    Forward: `cursor` answers the rows from index `start` on. Reverse: `cursor` answers the rows
    from the `start`-th row counted from the end (0 = the last row) towards the beginning.
    """

    reverse: bool
    cursor: str | None
    start: int
    limit: int


class PageStore:
    """Rows by index in pages of `page_size` (at most `max_pages` held) and the cursor chains."""

    def __init__(
        self,
        page_size: int = 100,
        max_pages: int = 64,
        *,
        max_limit: int = MAX_LIMIT,
        reverse: bool = True,
    ) -> None:
        if not 0 < page_size <= max_limit:
            raise ValueError(f"page_size must be 1…{max_limit}, not {page_size}")
        self.page_size = page_size
        self.max_pages = max(2, max_pages)
        self.max_limit = max_limit
        self.reverse_ok = reverse
        """False once the source said it cannot page backwards."""
        self.total: int | None = None
        """Rows in the order: from `count()`, or learnt by reaching an end."""
        self._pages: OrderedDict[int, list[Row | None]] = OrderedDict()
        self._reverse_pages: set[int] = set()
        self._forward: dict[int, str | None] = {0: None}
        self._forward_keys: list[int] = [0]
        self._backward: dict[int, str | None] = {0: None}
        self._backward_keys: list[int] = [0]

    # What is known

    @property
    def extent(self) -> int:
        """How many rows the list should offer: the total, or what is known plus a page to come."""
        if self.total is not None:
            return self.total
        return self._forward_keys[-1] + self.page_size

    @property
    def anchor_count(self) -> int:
        """Cursors held (both directions); grows by one per fetch, never with the row count."""
        return len(self._forward_keys) + len(self._backward_keys)

    @property
    def cached_pages(self) -> int:
        """Pages of rows held right now (at most `max_pages`)."""
        return len(self._pages)

    def set_total(self, total: int | None) -> None:
        """Take the source's count; rows placed from the end depend on it: a change drops them."""
        if total is None or total == self.total:
            return
        if self.total is not None:
            self._drop_tail()
        self.total = max(0, total)

    def row(self, index: int) -> Row | None:
        """The row at `index` if its page is held, else None (the caller shows a placeholder)."""
        number, offset = divmod(index, self.page_size)
        page = self._pages.get(number)
        if page is None:
            return None
        self._pages.move_to_end(number)
        return page[offset]

    def page_range(self, number: int) -> tuple[int, int]:
        """First index and one past the last index of page `number`."""
        low = number * self.page_size
        high = low + self.page_size
        if self.total is not None:
            high = min(high, self.total)
        return low, max(low, high)

    def is_complete(self, number: int) -> bool:
        """True when every row of the page is held (an empty page is complete)."""
        low, high = self.page_range(number)
        if low >= high:
            return True
        page = self._pages.get(number)
        return page is not None and None not in page[: high - low]

    def find(self, entry_id: str) -> int | None:
        """The index of `entry_id` among the held rows, or None."""
        for number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row is not None and row.entry_id == entry_id:
                    return number * self.page_size + offset
        return None

    # Planning and applying fetches

    def plan(self, number: int) -> Step | None:
        """The next fetch towards filling page `number` from the nearer known cursor, or None."""
        if self.is_complete(number):
            return None
        low, high = self.page_range(number)
        anchor = self._forward_keys[bisect.bisect_right(self._forward_keys, low) - 1]
        best = Step(False, self._forward[anchor], anchor, min(self.max_limit, high - anchor))
        cost = high - anchor
        if self.total is not None and self.reverse_ok:
            keys = self._backward_keys
            back = keys[bisect.bisect_right(keys, self.total - high) - 1]
            back_cost = self.total - low - back
            if back_cost < cost:
                limit = min(self.max_limit, back_cost)
                best = Step(True, self._backward[back], back, limit)
        return best

    def plan_walk_to_end(self) -> Step:
        """A forward fetch of `max_limit` rows from the furthest cursor (End with no count)."""
        anchor = self._forward_keys[-1]
        return Step(False, self._forward[anchor], anchor, self.max_limit)

    def apply(
        self,
        step: Step,
        rows: Sequence[Row],
        next_cursor: str | None,
        keep: Callable[[int], bool],
    ) -> tuple[int, int]:
        """Store a fetch's answer; rows land only on pages `keep` wants. Returns the index range."""
        if step.reverse:
            return self._apply_reverse(step, rows, next_cursor, keep)
        start = step.start
        for offset, row in enumerate(rows):
            self._put(start + offset, row, keep, reverse=False)
        end = start + len(rows)
        if next_cursor is None or not rows:
            if end != self.total:
                if self.total is not None:
                    self._drop_tail()
                self.total = end
        elif self.total is None or end < self.total:
            self._add_anchor(self._forward, self._forward_keys, end, next_cursor)
        return start, end

    def _apply_reverse(
        self,
        step: Step,
        rows: Sequence[Row],
        next_cursor: str | None,
        keep: Callable[[int], bool],
    ) -> tuple[int, int]:
        total = self.total
        if total is None:
            raise ValueError("a reverse step needs the total")
        for offset, row in enumerate(rows):
            index = total - 1 - (step.start + offset)
            if index >= 0:
                self._put(index, row, keep, reverse=True)
        counted = step.start + len(rows)
        if next_cursor is None or not rows:
            if counted != total:
                # The count was stale: every row placed from the end sits at the wrong index.
                self._drop_tail()
                self.total = counted
                return 0, counted
        elif counted < total:
            self._add_anchor(self._backward, self._backward_keys, counted, next_cursor)
        return max(0, total - counted), total - step.start

    # Internals

    def _put(self, index: int, row: Row, keep: Callable[[int], bool], *, reverse: bool) -> None:
        number, offset = divmod(index, self.page_size)
        page = self._pages.get(number)
        if page is None:
            if not keep(number):
                return
            page = [None] * self.page_size
            self._pages[number] = page
            while len(self._pages) > self.max_pages:
                evicted, _rows = self._pages.popitem(last=False)
                self._reverse_pages.discard(evicted)
        if reverse:
            self._reverse_pages.add(number)
        page[offset] = row

    def _drop_tail(self) -> None:
        """Forget what was placed counting from the end (it depends on the total)."""
        for number in self._reverse_pages:
            self._pages.pop(number, None)
        self._reverse_pages.clear()
        self._backward = {0: None}
        self._backward_keys = [0]

    @staticmethod
    def _add_anchor(
        anchors: dict[int, str | None], keys: list[int], index: int, cursor: str
    ) -> None:
        if index not in anchors:
            bisect.insort(keys, index)
        anchors[index] = cursor
