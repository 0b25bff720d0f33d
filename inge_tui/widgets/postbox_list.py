"""The Postkorb list: draws only the rows on screen, from a page cache fed by keyset pages.

A `ScrollView` whose virtual height is the number of matches (plus the fixed header line);
`render_line(y)` reads the row from a bounded `PageStore`, and a missing row shows "… lädt"
while one loader worker fetches the pages the screen needs, nearest cursor first, and refreshes
only those lines. Opening 1,000,000 entries costs the same as opening 100: one count and one page.

End (and a drag far ahead) do not walk 10,000 pages: when the source knows its count, pages
near the end are fetched backwards from the last row (`PageSource.fetch(reverse=True)`); a page in
the middle is reached from the nearer known cursor in pages of `MAX_LIMIT`, keeping only the
cursors on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from inge_tui.i18n import N_, _, ngettext, number
from inge_tui.widgets.command_keys import command_binding
from inge_tui.widgets.postbox_columns import AgePolicy
from inge_tui.widgets.postbox_loading import PageLoader
from inge_tui.widgets.postbox_pages import MAX_LIMIT, PageSource, PageStore, Row
from inge_tui.widgets.postbox_paint import RowPainter

__all__ = ["MAX_LIMIT", "AgePolicy", "PageSource", "PostboxList", "Row"]

PLACEHOLDER = N_("… lädt")
FAILED = N_("Laden fehlgeschlagen")
EMPTY = N_("Keine Einträge")


@dataclass(eq=False)
class _ListMessage(Message):
    """A message from a `PostboxList`; `control` makes `@on(…, "#id")` selectors work."""

    postbox_list: PostboxList

    @property
    def control(self) -> PostboxList:
        return self.postbox_list


class PostboxList(ScrollView, can_focus=True, inherit_bindings=False):
    """A virtual list of Postkorb entries with a cursor, marks and German column headers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Hoch"), show=False, id="postbox.cursor-up"),
        Binding("down,j", "cursor_down", N_("Runter"), show=False, id="postbox.cursor-down"),
        Binding("pageup", "page_up", N_("Seite hoch"), show=False, id="postbox.page-up"),
        Binding("pagedown", "page_down", N_("Seite runter"), show=False, id="postbox.page-down"),
        Binding("home", "first", N_("Anfang"), show=False, id="postbox.first"),
        Binding("end", "last", N_("Ende"), show=False, id="postbox.last"),
        Binding("enter", "select", N_("Öffnen"), id="postbox.select"),
        command_binding("mark", "toggle_mark"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "postbox-list--header",
        "postbox-list--cursor",
        "postbox-list--placeholder",
        "postbox-list--mark",
        "postbox-list--claimed",
        "postbox-list--blocked",
        "postbox-list--due",
        "postbox-list--overdue",
        "postbox-list--done",
    }

    DEFAULT_CSS = """
    PostboxList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        & > .postbox-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .postbox-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .postbox-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .postbox-list--placeholder { color: $text-muted; text-style: italic; }
        & > .postbox-list--mark { color: $accent; text-style: bold; }
        & > .postbox-list--claimed { color: $secondary; }
        & > .postbox-list--blocked { color: $warning; }
        & > .postbox-list--due { color: $warning; }
        & > .postbox-list--overdue { color: $error; text-style: bold; }
        & > .postbox-list--done { color: $text-muted; }
        &:ansi > .postbox-list--header { background: ansi_bright_blue; color: ansi_default; }
        &:ansi > .postbox-list--cursor { text-style: reverse; }
    }
    """

    @dataclass(eq=False)
    class Highlighted(_ListMessage):
        """The cursor moved, or the row under it arrived; `entry_id` is None while it loads."""

        index: int
        entry_id: str | None

    @dataclass(eq=False)
    class Selected(_ListMessage):
        """Enter (or a double click) on a loaded row: open the entry `entry_id`."""

        index: int
        entry_id: str

    @dataclass(eq=False)
    class MarksChanged(_ListMessage):
        """The set of marked entry ids changed (for bulk work)."""

        marked: frozenset[str]

    @dataclass(eq=False)
    class CountChanged(_ListMessage):
        """The number of matches changed; None while the source cannot say."""

        count: int | None

    @dataclass(eq=False)
    class LoadFailed(_ListMessage):
        """A fetch failed; those rows read "Laden fehlgeschlagen" until `refresh_data`."""

        error: BaseException

    def __init__(
        self,
        source: PageSource,
        *,
        page_size: int = 100,
        max_pages: int = 64,
        age_policy: AgePolicy | None = None,
        now: Callable[[], datetime] = datetime.now,
        poll_seconds: float | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Show `source`; `now` is the clock for ages, `poll_seconds` turns on live refresh."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._loader = PageLoader(self, source, page_size, max_pages)
        self._page_size = page_size
        self._now = now
        self._today: date = now().date()
        self._poll_seconds = poll_seconds
        self._cursor = 0
        self._marked: set[str] = set()
        self._announced: tuple[int, str | None] | None = None
        self._announced_count: int | None = -1
        self._painter = RowPainter(self, age_policy or AgePolicy())
        self._frame: tuple[int, int] | None = None
        """Content width and scroll offset while a frame renders (looked up once, not per line)."""

    # Public API

    @property
    def source(self) -> PageSource:
        """Where the rows come from."""
        return self._loader.source

    def set_source(self, source: PageSource) -> None:
        """Show another source (e.g. a new filter): cursor to the top, marks cleared."""
        self._loader.set_source(source)
        if self._marked:
            self._marked.clear()
            self.post_message(self.MarksChanged(self, frozenset()))
        self._cursor = 0
        self.scroll_to(y=0, animate=False, force=True)
        self._loader.reload(None, 0, 0, self._rows_visible())

    def refresh_data(self, keep_id: str | None = None) -> None:
        """Drop the cache and refetch; the cursor stays on `keep_id` (default: the highlighted one).

        If that entry is not on the pages loaded around the old position, the cursor keeps its
        index (clamped to the new count). What is shown stays until the new pages are in.
        """
        keep_id = keep_id or self.highlighted_id
        self._loader.reload(keep_id, self._cursor, int(self.scroll_y), self._rows_visible())

    @property
    def count(self) -> int | None:
        """The number of matches as far as known (None until the source or the end says)."""
        return self._store.total

    @property
    def store(self) -> PageStore:
        """The page cache (read it, do not change it; for tests and figures)."""
        return self._loader.store

    @property
    def _store(self) -> PageStore:
        return self._loader.store

    @property
    def is_loading(self) -> bool:
        """True while pages are being fetched (a reload, or rows the screen waits for)."""
        return self._loader.busy

    @property
    def cursor_index(self) -> int:
        """Index of the highlighted row."""
        return self._cursor

    @property
    def highlighted_row(self) -> Row | None:
        """The highlighted row, None while its page loads."""
        return self._store.row(self._cursor)

    @property
    def highlighted_id(self) -> str | None:
        """The entry id under the cursor, None while its page loads."""
        row = self.highlighted_row
        return None if row is None else row.entry_id

    @property
    def marked_ids(self) -> frozenset[str]:
        """Entry ids marked with space."""
        return frozenset(self._marked)

    def clear_marks(self) -> None:
        """Unmark everything."""
        if self._marked:
            self._marked.clear()
            self._painter.forget_rows()
            self.refresh()
            self.post_message(self.MarksChanged(self, frozenset()))

    def row_at(self, index: int) -> Row | None:
        """The row at `index` if loaded."""
        return self._store.row(index)

    def move_cursor(self, index: int) -> None:
        """Highlight row `index` (clamped) and scroll it into view."""
        self._loader.seek_end = False  # a move after End (without a count) ends the search
        extent = self._store.extent
        index = clamp(index, 0, max(0, extent - 1))
        old, self._cursor = self._cursor, index
        if old != index:
            self._refresh_index(old)
            self._refresh_index(index)
        self._scroll_to_cursor()
        self._announce()

    # Actions

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self._store.extent - 1)
        if self._store.total is None:
            self._loader.seek_to_end()

    def action_select(self) -> None:
        row = self.highlighted_row
        if row is not None:
            self.post_message(self.Selected(self, self._cursor, row.entry_id))

    def action_toggle_mark(self) -> None:
        row = self.highlighted_row
        if row is None:
            return
        if row.entry_id in self._marked:
            self._marked.discard(row.entry_id)
        else:
            self._marked.add(row.entry_id)
        self._refresh_index(self._cursor)
        self.post_message(self.MarksChanged(self, frozenset(self._marked)))
        self.move_cursor(self._cursor + 1)

    def _page(self, direction: int) -> None:
        rows = self._rows_visible()
        self.scroll_to(y=self.scroll_y + direction * rows, animate=False, force=True)
        self.move_cursor(self._cursor + direction * rows)

    # Events

    def on_mount(self) -> None:
        super().on_mount()
        self._update_virtual_size()
        self._loader.reload(None, 0, 0, self._rows_visible())
        if self._poll_seconds:
            self.set_interval(self._poll_seconds, self._loader.poll)

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = int(self.scroll_y) + offset.y - 1
        if index < self._store.extent:
            self.move_cursor(index)
            if event.chain == 2:
                self.action_select()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.clear()
        self.refresh()

    # Drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        today = self._now().date()
        if today != self._today:
            self._today = today
            self._painter.forget_rows()
        self._frame = (self.scrollable_content_region.width, int(self.scroll_y))
        self._loader.want_around(self._frame[1], self._rows_visible(), self._cursor)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, top = self._frame or (self.scrollable_content_region.width, int(self.scroll_y))
        if y == 0:
            return self._painter.header(width)
        index = top + y - 1
        store = self._store
        if index >= store.extent:
            if store.total == 0 and y == 1:
                return self._painter.placeholder(_(EMPTY), width, False)
            return Strip.blank(width, self.rich_style)
        row = store.row(index)
        is_cursor = index == self._cursor
        if row is None:
            failed = index // self._page_size in self._loader.failed
            return self._painter.placeholder(_(FAILED if failed else PLACEHOLDER), width, is_cursor)
        marked = row.entry_id in self._marked
        return self._painter.row(row, width, self._today, is_cursor=is_cursor, marked=marked)

    # Loading (the loader calls back here)

    def cancel_workers(self, group: str) -> None:
        """Cancel this list's workers of `group` (the loader's, before a reload)."""
        self.workers.cancel_group(self, group)

    def pages_arrived(self, low: int, high: int) -> None:
        self._update_virtual_size()
        self._refresh_range(low, high)
        if self._loader.seek_end and self._store.total is not None:
            self._loader.seek_end = False
            self.move_cursor(self._store.total - 1)
        self._announce()
        self._announce_count()

    def store_swapped(self, keep_id: str | None, old_index: int, old_top: int) -> None:
        self._painter.forget_rows()
        store = self._store
        found = store.find(keep_id) if keep_id else None
        index = found if found is not None else min(old_index, max(0, store.extent - 1))
        self._update_virtual_size()
        self._cursor = index
        # At the top, stay there so new entries are seen; further down, keep the row in place.
        top = 0 if old_top == 0 else max(0, old_top + index - old_index)
        self.scroll_to(y=top, animate=False, force=True)
        self._scroll_to_cursor()
        self.refresh()
        self._announce()
        self._announce_count()

    def load_failed(self, error: BaseException) -> None:
        self.refresh()
        self.post_message(self.LoadFailed(self, error))

    def _announce_count(self) -> None:
        count = self._store.total
        if count != self._announced_count:
            self._announced_count = count
            self.border_subtitle = (
                ""
                if count is None
                else ngettext("{count} Treffer", "{count} Treffer", count).format(
                    count=number(count)
                )
            )
            self.post_message(self.CountChanged(self, count))

    # Geometry

    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _update_virtual_size(self) -> None:
        size = Size(self.scrollable_content_region.width, self._store.extent + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _scroll_to_cursor(self) -> None:
        rows = self._rows_visible()
        top = int(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + rows:
            self.scroll_to(y=self._cursor - rows + 1, animate=False, force=True)

    def _refresh_index(self, index: int) -> None:
        self.refresh_lines(index + 1)

    def _refresh_range(self, low: int, high: int) -> None:
        top = int(self.scroll_y)
        low, high = max(low, top), min(high, top + self._rows_visible())
        if low < high:
            self.refresh_lines(low + 1, high - low)

    def _announce(self) -> None:
        """Post `Highlighted` when the cursor's (index, entry id) differs from the last posted."""
        row = self._store.row(self._cursor)
        current = (self._cursor, None if row is None else row.entry_id)
        if current != self._announced:
            self._announced = current
            self.post_message(self.Highlighted(self, *current))
