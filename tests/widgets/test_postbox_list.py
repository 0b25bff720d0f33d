"""The Postkorb list as a user sees it: rows drawn, keys pressed, pages fetched by keyset cursor.

The source is an in-memory `PageSource` whose cursors are the last entry id of a page (keyset,
as the service does it), so an entry inserted at the top does not shift a cursor. Every test
records what the source was asked, and asserts on the text the widget renders.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.pilot import Pilot

from inge_tui.widgets.postbox_list import PostboxList, Row
from inge_tui.widgets.postbox_pages import PageStore, Step

NOW = datetime(2025, 3, 14, 10, 30)
TODAY = NOW.date()


def make_row(n: int, **changes: object) -> Row:
    row = Row(
        entry_id=f"e{n:07d}",
        created_at=TODAY - timedelta(days=n % 50),
        kind="abschluss" if n % 3 else "wiederholung",
        name=f"Name{n:07d}, Vorname",
        participant_id=f"TN{n:08d}",
        dtz_overall=("B1", "A2", "unter_A2", None)[n % 4],
        lid_points=n % 34,
        document=("zertifikat", "bescheinigung", None)[n % 3],
        blockers=("Ausweisnr. fehlt", "Adresse fehlt")[: n % 3],
        claim_holder="K. Müller" if n % 5 == 0 else None,
        claimed_since=NOW - timedelta(hours=1) if n % 5 == 0 else None,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


class MemorySource:
    """A `PageSource` over a list; cursors are entry ids (keyset), the log records every call."""

    def __init__(self, rows: list[Row], *, countable: bool = True) -> None:
        self.rows = rows
        self.countable = countable
        self.calls: list[tuple[str | None, int, bool]] = []
        self.gates: dict[str | None, asyncio.Event] = {}
        self.fail = False
        self._index: dict[str, int] = {}

    def _position(self, cursor: str | None, reverse: bool) -> int:
        if cursor is None:
            return 0
        if len(self._index) != len(self.rows):  # rows were added: index them again
            self._index = {row.entry_id: i for i, row in enumerate(self.rows)}
        index = self._index[cursor]
        return len(self.rows) - index if reverse else index + 1

    async def fetch(
        self, cursor: str | None, limit: int, *, reverse: bool = False
    ) -> tuple[Sequence[Row], str | None]:
        self.calls.append((cursor, limit, reverse))
        if cursor in self.gates:
            await self.gates[cursor].wait()
        if self.fail:
            raise ConnectionError("Dienst nicht erreichbar")
        start = self._position(cursor, reverse)
        order = self.rows[::-1] if reverse else self.rows
        page = order[start : start + limit]
        more = start + len(page) < len(order)
        return page, page[-1].entry_id if page and more else None

    async def count(self) -> int | None:
        return len(self.rows) if self.countable else None


class ListApp(App[None]):
    def __init__(self, source: MemorySource, **options: object) -> None:
        super().__init__()
        self.source = source
        self.options = options
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield PostboxList(self.source, now=lambda: NOW, **self.options)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(PostboxList).focus()

    def on_postbox_list_highlighted(self, message: PostboxList.Highlighted) -> None:
        self.messages.append(message)

    def on_postbox_list_selected(self, message: PostboxList.Selected) -> None:
        self.messages.append(message)

    def on_postbox_list_marks_changed(self, message: PostboxList.MarksChanged) -> None:
        self.messages.append(message)

    def on_postbox_list_count_changed(self, message: PostboxList.CountChanged) -> None:
        self.messages.append(message)

    def on_postbox_list_load_failed(self, message: PostboxList.LoadFailed) -> None:
        self.messages.append(message)


async def settle(pilot: object, widget: PostboxList) -> None:
    """Let workers run and the screen refresh until no fetch is under way."""
    for _ in range(200):
        await pilot.pause()  # type: ignore[attr-defined]
        if not widget.is_loading:
            await pilot.pause()  # type: ignore[attr-defined]
            if not widget.is_loading:
                return
    raise AssertionError("the list kept loading")


@asynccontextmanager
async def shown(
    source: MemorySource, *, size: tuple[int, int] = (80, 24), **options: object
) -> AsyncIterator[tuple[ListApp, Pilot[None], PostboxList]]:
    """The list over `source` in a `ListApp` of `size`, its first fetches settled."""
    app = ListApp(source, **options)
    async with app.run_test(size=size) as pilot:
        widget = app.query_one(PostboxList)
        await settle(pilot, widget)
        yield app, pilot, widget


async def wait_until(condition: Callable[[], bool]) -> None:
    """Give the live refresh up to two seconds of real time to make `condition()` hold."""
    for _ in range(100):
        await asyncio.sleep(0.02)
        if condition():
            return


def screen_lines(widget: PostboxList) -> list[str]:
    """The text of every line the widget renders now (header first)."""
    region = widget.scrollable_content_region
    return [strip.text for strip in widget.render_lines(Region(0, 0, region.width, region.height))]


@pytest.mark.asyncio
async def test_first_page_is_drawn_from_one_count_and_one_page() -> None:
    source = MemorySource([make_row(n) for n in range(1000)])
    async with shown(source) as (app, _pilot, widget):
        lines = screen_lines(widget)
        assert lines[0].split() == [
            "Alter",
            "Art",
            "Name",
            "TN-Nr.",
            "DTZ",
            "LiD",
            "Dok.",
            "Hindernisse",
        ]
        assert "Name0000000" in lines[1] and "Name0000022" in lines[23]
        assert source.calls == [(None, 100, False)]
        assert widget.count == 1000
        assert widget.border_subtitle == "1.000 Treffer"
        assert any(
            isinstance(m, PostboxList.CountChanged) and m.count == 1000 for m in app.messages
        )


@pytest.mark.asyncio
async def test_page_down_moves_a_screen_and_fetches_the_next_keyset_page() -> None:
    source = MemorySource([make_row(n) for n in range(1000)])
    async with shown(source) as (_app, pilot, widget):
        await pilot.press("pagedown")
        await settle(pilot, widget)
        assert widget.cursor_index == 23
        assert "Name0000023" in screen_lines(widget)[1]
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot, widget)
        assert widget.cursor_index == 92
        # The second page was asked for with the cursor the first page answered, not an offset.
        assert (source.rows[99].entry_id, 100, False) in source.calls
        assert "Name0000092" in screen_lines(widget)[1]


@pytest.mark.asyncio
async def test_end_shows_the_last_entries_without_walking_every_page() -> None:
    source = MemorySource([make_row(n) for n in range(10_000)])
    async with shown(source) as (_app, pilot, widget):
        await pilot.press("end")
        await settle(pilot, widget)
        lines = screen_lines(widget)
        assert widget.cursor_index == 9999
        assert "Name0009999" in lines[-1] and "Name0009977" in lines[1]
        assert widget.highlighted_id == "e0009999"
        assert len(source.calls) <= 3  # first page, then the tail read backwards
        assert any(reverse for _, _, reverse in source.calls)
        await pilot.press("up", "pageup")
        await settle(pilot, widget)
        assert widget.highlighted_id == "e0009975"
        await pilot.press("home")
        await settle(pilot, widget)
        assert widget.highlighted_id == "e0000000"


@pytest.mark.asyncio
async def test_a_drag_to_the_middle_loads_only_where_the_view_ends_up() -> None:
    source = MemorySource([make_row(n) for n in range(100_000)])
    async with shown(source) as (_app, pilot, widget):
        for y in (10_000, 30_000, 50_000):  # the scrollbar dragged down in three frames
            widget.scroll_to(y=y, animate=False)
            await pilot.pause()
        await settle(pilot, widget)
        lines = screen_lines(widget)
        assert "Name0050000" in lines[1] and "Name0050022" in lines[23]
        # Reached from the top in steps of 500, about 100 fetches, not 500 pages of 100 …
        assert len(source.calls) < 110 and max(limit for _, limit, _ in source.calls) == 500
        # … and rows walked past are not kept, only those around where the view stopped.
        assert widget.row_at(20_000) is None and widget.row_at(40_000) is None
        assert widget.store.cached_pages <= 8


@pytest.mark.asyncio
async def test_end_without_a_count_walks_forward_in_big_pages() -> None:
    source = MemorySource([make_row(n) for n in range(1_234)], countable=False)
    async with shown(source) as (_app, pilot, widget):
        assert widget.count is None  # the list grows as pages arrive
        await pilot.press("end")
        await settle(pilot, widget)
        assert widget.count == 1234
        assert widget.highlighted_id == "e0001233"
        assert [limit for _, limit, _ in source.calls[1:4]] == [500, 500, 500]


@pytest.mark.asyncio
async def test_refresh_keeps_the_cursor_on_the_same_entry_when_one_arrives_on_top() -> None:
    source = MemorySource([make_row(n) for n in range(1000)])
    async with shown(source) as (app, pilot, widget):
        await pilot.press("j", "j", "j", "down", "down")
        assert widget.highlighted_id == "e0000005"
        source.rows.insert(0, make_row(9_999_999, name="Neu, Eintrag"))
        widget.refresh_data()
        await settle(pilot, widget)
        assert widget.highlighted_id == "e0000005"
        assert widget.cursor_index == 6
        assert widget.count == 1001
        lines = screen_lines(widget)
        assert "Neu, Eintrag" in lines[1]
        highlighted = [m for m in app.messages if isinstance(m, PostboxList.Highlighted)]
        assert (highlighted[-1].index, highlighted[-1].entry_id) == (6, "e0000005")


@pytest.mark.asyncio
async def test_live_refresh_picks_up_new_entries_and_keeps_the_cursor() -> None:
    source = MemorySource([make_row(n) for n in range(300)])
    async with shown(source, poll_seconds=0.05) as (_app, pilot, widget):
        await pilot.press("down", "down")
        source.rows.insert(0, make_row(9_000_001, name="Neu, Eins"))
        source.rows.insert(0, make_row(9_000_002, name="Neu, Zwei"))
        await wait_until(lambda: widget.count == 302 and not widget.is_loading)
        await settle(pilot, widget)
        assert widget.count == 302
        assert (widget.cursor_index, widget.highlighted_id) == (4, "e0000002")


@pytest.mark.asyncio
async def test_live_refresh_shows_a_claim_someone_else_took_on_the_first_page() -> None:
    """No entry arrives and the count stays: the row still shows the new holder by itself."""
    source = MemorySource([make_row(n, claim_holder=None, claimed_since=None) for n in range(300)])
    async with shown(source, poll_seconds=0.05, size=(120, 24)) as (_app, pilot, widget):
        await pilot.press("down", "down")
        assert "Jonas Weber" not in screen_lines(widget)[4]
        source.rows[3] = replace(source.rows[3], claim_holder="Jonas Weber", claimed_since=NOW)
        await wait_until(lambda: "Jonas Weber" in screen_lines(widget)[4] and not widget.is_loading)
        await settle(pilot, widget)
        lines = screen_lines(widget)
        assert "Jonas Weber" in lines[4] and "⊘" in lines[4][:3]  # a colleague's claim
        assert widget.count == 300
        assert (widget.cursor_index, widget.highlighted_id) == (2, "e0000002")


@pytest.mark.asyncio
async def test_space_marks_entries_and_enter_selects_the_highlighted_one() -> None:
    source = MemorySource([make_row(n) for n in range(50)])
    async with shown(source) as (app, pilot, widget):
        await pilot.press("space", "space", "up", "space", "space")
        assert widget.marked_ids == {"e0000000", "e0000002"}
        assert widget.cursor_index == 3
        lines = screen_lines(widget)
        assert [line[0] for line in lines[1:5]] == ["✓", " ", "✓", " "]
        marks = [m for m in app.messages if isinstance(m, PostboxList.MarksChanged)]
        assert marks[-1].marked == {"e0000000", "e0000002"}
        await pilot.press("enter")
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, PostboxList.Selected)]
        assert [(m.index, m.entry_id) for m in selected] == [(3, "e0000003")]


@pytest.mark.asyncio
async def test_at_80_columns_the_essential_columns_fit_and_overdue_is_written_out() -> None:
    overdue = make_row(
        0,
        created_at=TODAY - timedelta(days=45),
        kind="abschluss",
        dtz_overall="unter_A2",
        lid_points=12,
        document="bescheinigung",
        blockers=("Ausweisnr. fehlt", "Adresse fehlt"),
        claim_holder="K. Müller",
    )
    fresh = make_row(
        1,
        created_at=TODAY - timedelta(days=3),
        kind="wiederholung",
        dtz_overall="B1",
        lid_points=33,
        document="zertifikat",
        blockers=(),
        claim_holder=None,
    )
    rows = [overdue, fresh]
    async with shown(MemorySource(rows)) as (_app, _pilot, widget):
        header, first, second = screen_lines(widget)[:3]
        assert widget.scrollable_content_region.width == 79  # one cell for the scrollbar
        assert first.split()[:3] == ["⊘", "45", "überf."]  # someone else's claim, by shape
        assert "45 überf." in first and "3 T " in second
        assert "Abschl." in first and "Wdh." in second
        assert " <A2 " in first and " B1 " in second
        assert "Besch." in first and "Zert." in second
        assert "Ausweisnr… +1" in first  # first blocker, cropped, and how many more
        assert "TN00000000" in first and "TN00000001" in second
        assert "Name0000000, V…" in first  # the name keeps 15 cells at 80 columns
        assert "Bearbeitung" not in header
        assert {cell_len(line) for line in (header, first, second)} == {79}


@pytest.mark.asyncio
async def test_a_data_request_says_requested_or_overdue_before_the_blocker() -> None:
    waiting = make_row(0, blockers=("Anschrift fehlt",), request_due=TODAY + timedelta(days=4))
    late = make_row(1, blockers=("Anschrift fehlt",), request_due=TODAY - timedelta(days=1))
    async with shown(MemorySource([waiting, late])) as (_app, _pilot, widget):
        _header, first, second = screen_lines(widget)[:3]
        assert "angef. Ansch…" in first  # in words, not only in colour
        assert "überf. Ansch…" in second
    async with shown(MemorySource([waiting, late]), size=(160, 40)) as (_app, _pilot, widget):
        _header, first, second = screen_lines(widget)[:3]
        assert f"Frist {TODAY + timedelta(days=4):%d.%m.} Anschrift fehlt" in first
        assert "überfällig Anschrift fehlt" in second


@pytest.mark.asyncio
async def test_at_120_columns_the_claim_holder_and_since_are_shown() -> None:
    rows = [make_row(0, created_at=TODAY - timedelta(days=45), claim_holder="K. Müller")]
    async with shown(MemorySource(rows), size=(120, 40)) as (_app, _pilot, widget):
        header, first = screen_lines(widget)[:2]
        assert header.split() == (
            [
                "Alter",
                "Art",
                "Name",
                "TN-Nr.",
                "DTZ",
                "LiD",
                "Dokument",
                "Hindernisse",
                "Bearbeitung",
            ]
        )
        assert "45 überf." in first  # the claim holder widens before the age
        assert " Zertifikat " in first  # the document's full name where there is room
        assert "K. Müller seit 09:30" in first
        assert cell_len(first) == 119


@pytest.mark.asyncio
async def test_combining_marks_rtl_and_emoji_keep_the_columns_aligned() -> None:
    names = [
        "Öztürk, Ayşe",
        "Nguyê\u0303n, Thi\u0323",
        "محمد، أحمد",
        "כהן, דוד",
        "Li 👩‍👩‍👧 🙂",
        "x\x1b[31m\u202e",
    ]
    rows = [make_row(n, name=name, participant_id=f"TN{n:08d}") for n, name in enumerate(names)]
    async with shown(MemorySource(rows)) as (_app, _pilot, widget):
        lines = screen_lines(widget)[1 : 1 + len(names)]
        offsets = {cell_len(line[: line.index(f"TN{n:08d}")]) for n, line in enumerate(lines)}
        assert len(offsets) == 1  # the participant id starts in the same cell on every row
        assert {cell_len(line) for line in lines} == {79}
        assert "\x1b" not in lines[5] and "\u202e" not in lines[5]


@pytest.mark.asyncio
async def test_a_slow_page_shows_a_placeholder_until_it_arrives() -> None:
    source = MemorySource([make_row(n) for n in range(1000)])
    gate = source.gates[source.rows[99].entry_id] = asyncio.Event()
    async with shown(source) as (_app, pilot, widget):
        await pilot.press(*["pagedown"] * 4)
        await pilot.pause()
        lines = screen_lines(widget)
        assert "Name0000099" in lines[8] and "… lädt" in lines[9]
        assert widget.is_loading and widget.row_at(100) is None
        gate.set()
        await settle(pilot, widget)
        lines = screen_lines(widget)
        assert "Name0000100" in lines[9] and not any("lädt" in line for line in lines)


@pytest.mark.asyncio
async def test_a_failed_fetch_is_reported_and_shown() -> None:
    source = MemorySource([make_row(n) for n in range(1000)])
    async with shown(source) as (app, pilot, widget):
        source.fail = True
        await pilot.press(*["pagedown"] * 5)
        await settle(pilot, widget)
        failed = [m for m in app.messages if isinstance(m, PostboxList.LoadFailed)]
        assert failed and isinstance(failed[0].error, ConnectionError)
        assert any("Laden fehlgeschlagen" in line for line in screen_lines(widget))
        source.fail = False
        widget.refresh_data()
        await settle(pilot, widget)
        assert not any("fehlgeschlagen" in line for line in screen_lines(widget))


@pytest.mark.asyncio
async def test_an_empty_filter_says_so() -> None:
    async with shown(MemorySource([])) as (_app, pilot, widget):
        lines = screen_lines(widget)
        assert widget.count == 0 and "Keine Einträge" in lines[1]
        assert widget.highlighted_id is None
        await pilot.press("down", "end", "enter", "space")
        assert widget.cursor_index == 0 and widget.marked_ids == frozenset()


@pytest.mark.asyncio
async def test_a_new_source_starts_at_the_top_with_no_marks() -> None:
    async with shown(MemorySource([make_row(n) for n in range(500)])) as (_app, pilot, widget):
        await pilot.press("space", "pagedown", "pagedown")
        filtered = MemorySource([make_row(n) for n in range(0, 500, 5)])
        widget.set_source(filtered)
        await settle(pilot, widget)
        assert (widget.count, widget.cursor_index, widget.highlighted_id) == (100, 0, "e0000000")
        assert widget.marked_ids == frozenset()
        assert "Name0000005" in screen_lines(widget)[2]


@pytest.mark.asyncio
async def test_the_ansi_theme_restyles_the_cursor_and_the_text_still_says_overdue() -> None:
    rows = [make_row(0, created_at=TODAY - timedelta(days=40)), make_row(1)]
    async with shown(MemorySource(rows)) as (app, pilot, widget):
        assert not any(segment.style and segment.style.reverse for segment in widget.render_line(1))
        app.theme = "ansi-dark"
        await settle(pilot, widget)
        cursor_row = widget.render_line(1)
        assert "40 überf." in cursor_row.text
        assert all(segment.style and segment.style.reverse for segment in cursor_row)
        assert not any(segment.style and segment.style.reverse for segment in widget.render_line(2))


def test_every_binding_has_an_id_users_can_remap() -> None:
    ids = [binding.id for binding in PostboxList.BINDINGS]  # type: ignore[union-attr]
    assert all(isinstance(i, str) and i.startswith("postbox.") for i in ids)
    assert len(set(ids)) == len(ids)


def bare_row(n: int) -> Row:
    return Row(f"e{n:07d}", TODAY, "abschluss", "", "")


def test_the_page_cache_stays_bounded_and_reaches_any_page_of_a_million() -> None:
    total = 1_000_000

    def answer(step: Step) -> tuple[list[Row], str | None]:
        """Keyset pages of `make_row(0…total-1)`; the cursor is the position after the page."""
        stop = min(total, step.start + step.limit)
        positions = range(step.start, stop)
        rows = [bare_row(total - 1 - p if step.reverse else p) for p in positions]
        return rows, (f"{'r' if step.reverse else 'f'}{stop}" if stop < total else None)

    store = PageStore(page_size=100, max_pages=8)
    store.set_total(total)
    fetches = 0
    for page in (0, 1, 9_999, 9_998, 5_000, 5_003, 2, 7_500):
        while (step := store.plan(page)) is not None:
            assert step.limit <= 500
            store.apply(step, *answer(step), keep={page}.__contains__)
            fetches += 1
        low, high = store.page_range(page)
        assert [store.row(i).entry_id for i in (low, high - 1)] == [  # type: ignore[union-attr]
            f"e{low:07d}",
            f"e{high - 1:07d}",
        ]
        assert store.cached_pages <= 8
    # The middle is walked once, from the nearer end, in pages of 500 (about 1,000 fetches);
    # the ends cost a fetch or two each, and the walk left one cursor per fetch, nothing more.
    assert 1_000 <= fetches < 1_020
    assert store.anchor_count <= fetches + 2


def test_my_claim_and_someone_else_s_differ_by_shape() -> None:
    from inge_tui.widgets.postbox_columns import claim_marker
    from inge_tui.widgets.postbox_pages import ME

    assert claim_marker(make_row(0, claim_holder=ME)) == "●"
    assert claim_marker(make_row(1, claim_holder="K. Müller")) == "⊘"
    assert claim_marker(make_row(2, claim_holder=None)) == " "


@pytest.mark.asyncio
async def test_a_row_whose_case_has_a_draft_carries_a_pencil_until_marked() -> None:
    rows = [make_row(0, draft=True, claim_holder=None), make_row(1, claim_holder=None)]
    async with shown(MemorySource(rows)) as (_app, pilot, widget):
        first, second = screen_lines(widget)[1:3]
        assert first.startswith("✎") and not second.startswith("✎")
        await pilot.press("space")  # marked: the mark takes the first cell
        assert screen_lines(widget)[1].startswith("✓")
