"""Everything the Postkorb list awaits: the page loader, the reload that keeps the cursor, polling.

One loader worker at a time fills the pages the list wants (nearest the cursor first) and stops
when none are missing, so a drag or End loads only where the view ends up. A reload builds a
fresh `PageStore` beside the shown one and the list swaps it in whole: a live refresh never
flashes placeholders. All work runs in workers of the list (group `postbox-pages`), and each
answer is dropped if a newer reload started while it was on its way. Workers get a `partial`, not
a coroutine, so one that never starts (the app is closing) leaves nothing un-awaited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol, runtime_checkable

from inge_tui.widgets.postbox_pages import PageSource, PageStore, Row, Step

PAGES_GROUP = "postbox-pages"
POLL_GROUP = "postbox-poll"
_NOTHING_NEW = "Die Quelle liefert auf dieselbe Anfrage nichts Neues."


@runtime_checkable
class LoaderOwner(Protocol):
    """What the loader needs of the list it fills (`PostboxList`): its workers, and the three
    places it reports to."""

    def run_worker(self, work: Any, **kwargs: Any) -> Any: ...
    def cancel_workers(self, group: str) -> None: ...
    def refresh_data(self) -> None: ...
    def pages_arrived(self, low: int, high: int) -> None: ...
    def load_failed(self, error: BaseException) -> None: ...
    def store_swapped(self, keep_id: str | None, old_index: int, old_top: int) -> None: ...


class PageLoader:
    """Fills the list's `PageStore` from its `PageSource`; reports back through the list."""

    def __init__(
        self, owner: LoaderOwner, source: PageSource, page_size: int, max_pages: int
    ) -> None:
        self.owner = owner
        self.source = source
        self.page_size = page_size
        self.max_pages = max_pages
        self.store = PageStore(page_size, max_pages)
        self.failed: set[int] = set()
        """Pages whose fetch failed; shown as failed until the next reload."""
        self.reloading = False
        self.seek_end = False
        """End was pressed without a count: walk forward until the end is known."""
        self._generation = 0
        self._active = False
        self._wanted: list[int] = []
        self._keep: set[int] = set()

    @property
    def busy(self) -> bool:
        """A reload or a page fetch is under way."""
        return self.reloading or self._active

    def want_around(self, top: int, rows: int, cursor: int) -> None:
        """Ask for the pages on screen, then one screen either side, nearest the cursor first."""
        extent, size = self.store.extent, self.page_size
        if extent <= 0:
            return
        cursor_page = cursor // size
        visible = set(range(top // size, (min(top + rows, extent) - 1) // size + 1))
        low, high = max(0, top - rows), min(top + 2 * rows, extent) - 1
        around = visible | set(range(low // size, high // size + 1)) | {cursor_page}
        order = sorted(around, key=lambda page: (page not in visible, abs(page - cursor_page)))
        self.want(order, around)

    def want(self, pages: list[int], keep: set[int]) -> None:
        """Ask for `pages` (in this order); rows of fetches only stay on pages in `keep`."""
        self._keep = keep
        self._wanted = [p for p in pages if p not in self.failed and not self.store.is_complete(p)]
        self._ensure_worker()

    def set_source(self, source: PageSource) -> None:
        """Read from `source` from the next reload on (it may page backwards again)."""
        self.source = source
        self.store.reverse_ok = True

    def seek_to_end(self) -> None:
        """Find the end of a source that cannot count, in pages of `MAX_LIMIT`."""
        self.seek_end = True
        self._ensure_worker()

    def reload(self, keep_id: str | None, old_index: int, old_top: int, rows: int) -> None:
        """Fetch the count and the pages at the old position into a fresh store, then swap."""
        self._generation += 1
        self.owner.cancel_workers(PAGES_GROUP)
        self._active = False
        self.reloading = True
        self.seek_end = False
        self.owner.run_worker(
            partial(self._reload, self._generation, keep_id, old_index, old_top, rows),
            name="postbox-reload",
            group=PAGES_GROUP,
            exit_on_error=False,
        )

    def poll(self) -> None:
        """Check in the background whether entries arrived; reload if so."""
        if not self.reloading:
            self.owner.run_worker(
                partial(self._check_for_news, self._generation),
                name="postbox-poll",
                group=POLL_GROUP,
                exclusive=True,
                exit_on_error=False,
            )

    # The loader

    def _ensure_worker(self) -> None:
        if self._active or self.reloading or not (self._wanted or self.seek_end):
            return
        self._active = True
        self.owner.run_worker(
            partial(self._load_pages, self._generation),
            name="postbox-loader",
            group=PAGES_GROUP,
            exit_on_error=False,
        )

    def _next_step(self) -> tuple[int | None, Step | None]:
        store = self.store
        if self.seek_end and store.total is None:
            return None, store.plan_walk_to_end()
        for page in self._wanted:
            if page not in self.failed and (step := store.plan(page)) is not None:
                return page, step
        return None, None

    async def _load_pages(self, generation: int) -> None:
        page: int | None = None
        previous: Step | None = None
        try:
            while generation == self._generation:
                page, step = self._next_step()
                if step is None:
                    break
                if step == previous:
                    raise RuntimeError(_NOTHING_NEW)
                previous = step
                answer = await self._fetch(self.store, step)
                if generation != self._generation:
                    return
                if answer is not None:
                    low, high = self.store.apply(step, *answer, keep=self._keep.__contains__)
                    self.owner.pages_arrived(low, high)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a failed fetch must not take the app down
            if generation == self._generation:
                self.failed.update(self._wanted)
                if page is not None:
                    self.failed.add(page)
                self.seek_end = False
                self.owner.load_failed(error)
        finally:
            if generation == self._generation:
                self._active = False

    async def _fetch(self, store: PageStore, step: Step) -> tuple[Sequence[Row], str | None] | None:
        """Run one step; None when the source turned out not to page backwards."""
        if not step.reverse:
            return await self.source.fetch(step.cursor, step.limit)
        try:
            return await self.source.fetch(step.cursor, step.limit, reverse=True)
        except NotImplementedError:
            store.reverse_ok = False
            return None

    # Reloading

    async def _reload(
        self, generation: int, keep_id: str | None, old_index: int, old_top: int, rows: int
    ) -> None:
        size = self.page_size
        store = PageStore(size, self.max_pages, reverse=self.store.reverse_ok)
        last = old_top + rows - 1
        targets = sorted({old_index // size, *range(old_top // size, last // size + 1)})
        keep = set(targets).__contains__
        count = asyncio.ensure_future(self.source.count())
        try:
            if targets[0] == 0:  # the first page needs no count: fetch it while counting
                await self._fill(store, 0, keep)
            store.set_total(await count)
            for page in targets:
                await self._fill(store, page, keep)
        except asyncio.CancelledError:
            count.cancel()
            raise
        except Exception as error:  # keep what is shown, say what failed
            count.cancel()
            if generation == self._generation:
                self.reloading = False
                if not self.store.cached_pages:
                    self.failed.update(targets)
                self.owner.load_failed(error)
            return
        if generation == self._generation:
            self.reloading = False
            self.store = store
            self.failed.clear()
            self.owner.store_swapped(keep_id, old_index, old_top)

    async def _fill(self, store: PageStore, page: int, keep: Callable[[int], bool]) -> None:
        previous: Step | None = None
        while (step := store.plan(page)) is not None:
            if step == previous:
                raise RuntimeError(_NOTHING_NEW)
            previous = step
            answer = await self._fetch(store, step)
            if answer is not None:
                store.apply(step, *answer, keep=keep)

    # Live refresh

    async def _check_for_news(self, generation: int) -> None:
        """Reload when the count changed or an entry of the first page did: new entries arrive
        at the top, and a claim, release or decision by someone else changes a row there."""
        try:
            total = await self.source.count()
            rows, _cursor = await self.source.fetch(None, self.page_size)
        except Exception:  # the next poll tries again; a real fetch will report
            return
        if generation != self._generation or self.reloading:
            return
        counted = total is not None and total != self.store.total
        shown = [self.store.row(index) for index in range(len(rows))]
        changed = any(old is not None and old != new for old, new in zip(shown, rows, strict=True))
        head = self.store.row(0)
        if counted or changed or (head is not None and not rows):
            self.owner.refresh_data()
