"""Paints Postkorb rows as `Strip`s with the list's component styles, and caches what it painted.

Colours come from the widget's component classes (`postbox-list--…` in its DEFAULT_CSS), so every
theme, the 16-colour `ansi` one included, restyles the list; `clear()` after a style change.
"""

from __future__ import annotations

from datetime import date

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widget import Widget

from inge_tui.widgets.postbox_columns import PREFIX_WIDTH, AgePolicy, Layout, cells, fit, layout_for
from inge_tui.widgets.postbox_pages import Row

StripKey = tuple[str, int, bool, bool]


class RowPainter:
    """Header, row and placeholder strips for one widget, cached by (entry, width, cursor, mark)."""

    def __init__(self, widget: Widget, policy: AgePolicy, cache_size: int = 1024) -> None:
        self.widget = widget
        self.policy = policy
        self._strips: LRUCache[StripKey, Strip] = LRUCache(cache_size)
        self._layouts: dict[int, Layout] = {}
        self._header: tuple[int, Strip] | None = None
        self._styles: dict[tuple[str | None, bool], Style] = {}

    def clear(self) -> None:
        """Forget everything painted (the styles changed: theme, focus, CSS reload)."""
        self._strips.clear()
        self._header = None
        self._styles.clear()

    def forget_rows(self) -> None:
        """Forget painted rows (their data or the day changed)."""
        self._strips.clear()

    def layout(self, width: int) -> Layout:
        """The columns for `width`, computed once per width."""
        layout = self._layouts.get(width)
        if layout is None:
            layout = self._layouts[width] = layout_for(width)
        return layout

    def header(self, width: int) -> Strip:
        """The fixed header line with the German column names."""
        if self._header is not None and self._header[0] == width:
            return self._header[1]
        style = self.widget.get_component_rich_style("postbox-list--header")
        text = " " * PREFIX_WIDTH + "".join(
            " " + fit(header, cells_wide, align)
            for header, cells_wide, align in self.layout(width).headers()
        )
        strip = Strip([Segment(fit(text, width), style)], width)
        self._header = (width, strip)
        return strip

    def row(self, row: Row, width: int, today: date, *, is_cursor: bool, marked: bool) -> Strip:
        """One entry, from the cache when it was painted before."""
        key = (row.entry_id, width, is_cursor, marked)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._paint(row, width, today, is_cursor, marked)
            self._strips.set(key, strip)
        return strip

    def placeholder(self, text: str, width: int, is_cursor: bool) -> Strip:
        """A row whose page is not here yet ("… lädt") or failed to load."""
        indent = PREFIX_WIDTH + 1
        return Strip(
            [
                Segment(" " * indent, self.style(None, is_cursor)),
                Segment(
                    fit(text, width - indent), self.style("postbox-list--placeholder", is_cursor)
                ),
            ],
            width,
        )

    def style(self, component: str | None, is_cursor: bool) -> Style:
        """The row's style, a cell's component colour over it, and the cursor's over both."""
        key = (component, is_cursor)
        style = self._styles.get(key)
        if style is None:
            widget = self.widget
            style = widget.rich_style
            if component is not None:
                style += widget.get_component_rich_style(component, partial=True)
            if is_cursor:
                style += widget.get_component_rich_style("postbox-list--cursor")
            self._styles[key] = style
        return style

    def _paint(self, row: Row, width: int, today: date, is_cursor: bool, marked: bool) -> Strip:
        plain = "postbox-list--done" if row.status == "erledigt" else None
        layout = self.layout(width)
        # Neighbouring cells of one style become one segment: fewer segments, less work per frame.
        segments: list[Segment] = []
        text_run: list[str] = []
        run_style: Style | None = None
        for text, component in cells(row, layout, today, self.policy, marked):
            style = self.style(component or plain, is_cursor)
            if style is not run_style and text_run:
                segments.append(Segment("".join(text_run), run_style))
                text_run = []
            run_style = style
            text_run.append(text)
        if text_run:
            segments.append(Segment("".join(text_run), run_style))
        if layout.cell_width == width:
            return Strip(segments, width)
        return Strip(segments).adjust_cell_length(width, self.style(None, is_cursor))
