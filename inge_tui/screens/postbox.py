"""The Postkorb screen: status line, filter line with the count, the virtual list, the keys.

Keys call commands by id through the app (`app.run_command`), so a key, the palette and the
command line do the same thing. The screen keeps `session.entry` on the entry under the cursor
and tells the app when the first page is on screen (the start-up figure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol, cast, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from inge_tui.api.client import PostboxQuery
from inge_tui.api.models import PostboxEntry
from inge_tui.api.query import QueryError, format_query, parse_query
from inge_tui.commands import case_documents  # noqa: F401  (the print run and the number keys)
from inge_tui.i18n import N_, _, ngettext, number
from inge_tui.widgets.command_keys import command_binding
from inge_tui.widgets.footer import Footer
from inge_tui.widgets.outcome_line import OutcomeLine
from inge_tui.widgets.postbox_list import PostboxList
from inge_tui.widgets.postbox_source import EntryCache, ServiceLink, ServiceSource
from inge_tui.widgets.status import StatusLine, TroubleBanner


@runtime_checkable
class PostboxHost(Protocol):
    """What the Postkorb screen asks of the app it runs in (`inge_tui.app.IngeApp`)."""

    def refresh_status(self) -> None: ...
    def entry_highlighted(self, entry: PostboxEntry | None) -> None: ...
    def run_command(self, command_id: str, **kwargs: Any) -> None: ...
    def report_failure(self, error: BaseException, context: str = "") -> None: ...
    def notify(self, message: str, *, severity: str = ..., timeout: float | None = ...) -> None: ...


SORT_TEXT = {"newest": N_("neueste zuerst"), "oldest": N_("älteste zuerst")}
# the filter words stay German in every language: the line shows the filter in them
FILTER_HINT = N_("alle aktiven Einträge · / filtert, z. B. meine:ja blockiert:nein alter>30 Name")


def drafted() -> set[str]:
    """Who has a form draft on this machine (the list marks them ✎)."""
    from inge_tui.drafts import DraftStore

    return DraftStore.default().participants()


class FilterBar(Horizontal):
    """`Filter:` and the query line, and on the right the number of matches and the order."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        background: $boost;
        & > #filter-label { width: auto; padding: 0 1; color: $text-muted; }
        & > Input {
            width: 1fr; background: $boost;
            &:focus { background: $panel; }
            &.-invalid { color: $error; text-style: bold; }
        }
        & > #filter-count { width: auto; padding: 0 1; color: $text-muted; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(_("Filter:"), id="filter-label")
        yield Input(placeholder=_(FILTER_HINT), id="filter", select_on_focus=False, compact=True)
        yield Static("", id="filter-count", markup=False)


class PostboxScreen(Screen[None]):
    """The office's Postkorb."""

    TITLE = N_("Postkorb")
    AUTO_FOCUS = "PostboxList"
    BINDINGS: ClassVar[list[BindingType]] = [
        command_binding("filter", "filter"),
        command_binding("sort"),
        command_binding("next"),
        command_binding("open", show=False, prompt=True),
        command_binding("claim", show=False),
        command_binding("release", show=False),
        command_binding("take-over", show=False, prompt=True),
        command_binding("refresh", show=False),
        command_binding("print-batch", show=False),
        command_binding("mark-dispatched", show=False, prompt=True),
        command_binding("number-series", show=False),
        command_binding("view-load", show=False, prompt=True),
        command_binding("view-save", show=False, prompt=True),
    ]

    @dataclass
    class FirstPage(Message):
        """The first page of entries (or an empty result) is on screen."""

    def __init__(
        self,
        link: ServiceLink,
        entries: EntryCache,
        query: PostboxQuery,
        *,
        now: Callable[[], datetime],
        poll_seconds: float | None,
    ) -> None:
        super().__init__()
        self.link = link
        self.entries = entries
        self._source = ServiceSource(link, query, entries, drafted)
        self._now = now
        self._poll_seconds = poll_seconds
        self._first_page_seen = False
        self.title = _(self.TITLE)

    @property
    def host(self) -> PostboxHost:
        return cast(PostboxHost, self.app)

    @property
    def postbox_list(self) -> PostboxList:
        return self.query_one(PostboxList)

    @property
    def current_query(self) -> PostboxQuery:
        """The query the list shows."""
        return self._source.query

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield TroubleBanner()
        yield FilterBar()
        yield PostboxList(
            self._source, now=self._now, poll_seconds=self._poll_seconds, id="postbox"
        )
        yield OutcomeLine()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show_query()
        self.host.refresh_status()

    # ---- what the app asks of the screen

    def apply_query(self, query: PostboxQuery) -> None:
        """Show `query` (a new filter or order), or reload the same one keeping the cursor."""
        if query != self._source.query:
            self._source = ServiceSource(self.link, query, self.entries, drafted)
            self.postbox_list.set_source(self._source)
        else:
            self.postbox_list.refresh_data()
        self._show_query()

    def reload(self, keep_id: int | None = None) -> None:
        """Fetch again; the cursor stays on `keep_id` (default: the highlighted entry)."""
        self.postbox_list.refresh_data(None if keep_id is None else str(keep_id))

    def _show_query(self) -> None:
        fields = self.query("#filter").results(Input)
        field = next(fields, None)
        if field is None:  # torn down already (the app is ending)
            return
        if not field.has_focus:
            field.value = format_query(self._source.query, with_sort=False)
        field.remove_class("-invalid")
        self._show_count(self.postbox_list.count)

    def _show_count(self, count: int | None) -> None:
        """'Zeile 3 von 1.204 · neueste zuerst': where the cursor is, of how many, in what order."""
        order = _(SORT_TEXT.get(self._source.query.sort or "newest", ""))
        shown = "…" if count is None else number(count)
        where = ngettext("{count} Treffer", "{count} Treffer", count or 0).format(count=shown)
        if count and self.postbox_list.highlighted_id is not None:
            line = number(self.postbox_list.cursor_index + 1)
            where = _("Zeile {line} von {count}").format(line=line, count=shown)
        self.query_one("#filter-count", Static).update(f"{where} · {order}")

    # ---- the list

    @on(PostboxList.Highlighted)
    def _highlighted(self, event: PostboxList.Highlighted) -> None:
        self.host.entry_highlighted(self.entries.get(event.entry_id))
        self._show_count(self.postbox_list.count)
        if event.entry_id is not None:
            self._first_page()

    @on(PostboxList.Selected)
    def _selected(self, event: PostboxList.Selected) -> None:
        entry = self.entries.get(event.entry_id)
        if entry is not None:
            self.host.entry_highlighted(entry)
            self.host.run_command("open")

    @on(PostboxList.CountChanged)
    def _count_changed(self, event: PostboxList.CountChanged) -> None:
        self._show_count(event.count)
        if event.count == 0:
            self._first_page()

    @on(PostboxList.LoadFailed)
    def _load_failed(self, event: PostboxList.LoadFailed) -> None:
        self.host.report_failure(event.error)

    def _first_page(self) -> None:
        if not self._first_page_seen:
            self._first_page_seen = True
            self.post_message(self.FirstPage())

    def on_screen_resume(self) -> None:
        self.host.entry_highlighted(self.entries.get(self.postbox_list.highlighted_id))

    # ---- the filter line

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.focus()
        # at the end of what is there: the line may have been rewritten (a filter applied, a
        # view loaded) since the cursor last stood in it, and ctrl+u must clear all of it
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = event.input
        try:
            parse_query(event.value, base=self._source.query)
        except QueryError as error:
            field.add_class("-invalid")
            self.host.notify(error.message, severity="error", timeout=8)
            return
        field.remove_class("-invalid")
        self.postbox_list.focus()
        self.host.run_command("filter", query=event.value)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def key_escape(self) -> None:
        field = self.query_one("#filter", Input)
        if field.has_focus:
            field.value = format_query(self._source.query, with_sort=False)
            self.postbox_list.focus()
