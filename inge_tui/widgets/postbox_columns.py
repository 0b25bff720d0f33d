"""How a Postkorb row reads: which columns fit a width, and the text of each cell.

Widths are counted in terminal cells (`rich.cells`), never with `len()`, so names with combining
marks, right-to-left scripts or emoji keep the columns aligned. Every cell says in words what a
colour also says (an overdue entry reads "überf."/"überfällig"), so 16-colour and monochrome
terminals lose nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from rich.cells import cell_len, set_cell_size

from inge_tui.i18n import N_, _
from inge_tui.widgets.postbox_pages import ME, Row

Align = Literal["left", "right"]

MARK = "✓"
"""Shown in the first cell of a marked row."""
DRAFT = "✎"
"""Shown in the first cell of an unmarked row whose case has a form draft on this machine."""
CLAIMED = "●"
"""Shown in the second cell of a row the user holds a claim on."""
CLAIMED_BY_OTHER = "⊘"
"""Shown in the second cell of a row someone else holds (read only for the user)."""
PREFIX_WIDTH = 2
"""Mark and claim marker, before the first column."""
GAP = 1


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its headers (full, and short for the narrow width; German message ids) and
    two widths."""

    key: str
    header: str
    short_header: str
    narrow: int
    wide: int
    align: Align = "left"


AGE = Column(
    "age", N_("Alter"), N_("Alter"), 10, 16
)  # "31 überf." at 80 columns, "31 T überfällig"
KIND = Column("kind", N_("Art"), N_("Art"), 7, 12)
NAME = Column("name", N_("Name"), N_("Name"), 14, 32)
# the whole id even at 80 columns: caseworkers read it out, type it and copy it
PARTICIPANT = Column("participant_id", N_("TN-Nr."), N_("TN-Nr."), 12, 12)
DTZ = Column("dtz", "DTZ", "DTZ", 3, 8)
LID = Column("lid", "LiD", "LiD", 3, 3, "right")
DOCUMENT = Column("document", N_("Dokument"), N_("Dok."), 6, 13)
BLOCKERS = Column("blockers", N_("Hindernisse"), N_("Hindernisse"), 13, 28)
CLAIM = Column("claim", N_("Bearbeitung"), N_("Bearb."), 10, 20)  # "K. Müller seit 09:30"

ESSENTIAL = (AGE, KIND, NAME, PARTICIPANT, DTZ, LID, DOCUMENT, BLOCKERS)
"""What must fit at 80 columns (with the mark and claim marker in front)."""
WIDEN_ORDER = (DOCUMENT, CLAIM, AGE, KIND, DTZ, PARTICIPANT)
"""Which columns get their long form first when there is room."""
NAME_BEFORE_CLAIM = 20
"""The claim column appears only if the name keeps at least this many cells."""
NAME_BEFORE_WIDENING = 22
"""Columns widen only while the name keeps at least this many cells."""


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns shown at one width, each with its width in cells."""

    width: int
    columns: tuple[tuple[Column, int], ...]

    @property
    def cell_width(self) -> int:
        """Cells a row takes: the prefix, and a gap and the width of each column."""
        return PREFIX_WIDTH + sum(GAP + width for _column, width in self.columns)

    def headers(self) -> Iterator[tuple[str, int, Align]]:
        """Each column's header (full if it fits, else short), width and alignment."""
        for column, width in self.columns:
            header = _(column.header)
            text = header if cell_len(header) <= width else _(column.short_header)
            yield text, width, column.align


def layout_for(width: int) -> Layout:
    """Choose the columns and their widths for a content `width` (the name takes the rest)."""
    widths = {column.key: column.narrow for column in ESSENTIAL}
    chosen = list(ESSENTIAL)

    def name_room(columns: list[Column]) -> int:
        fixed = sum(widths[c.key] for c in columns if c is not NAME)
        return width - PREFIX_WIDTH - GAP * len(columns) - fixed

    widths[CLAIM.key] = CLAIM.narrow
    if name_room([*chosen, CLAIM]) >= NAME_BEFORE_CLAIM:
        chosen.append(CLAIM)
    for column in WIDEN_ORDER:
        if column not in chosen:
            continue
        narrow = widths[column.key]
        widths[column.key] = column.wide
        if name_room(chosen) < NAME_BEFORE_WIDENING:
            widths[column.key] = narrow
    room = name_room(chosen)
    name = max(1, min(room, NAME.wide))
    if BLOCKERS in chosen and room > name:
        widths[BLOCKERS.key] = min(BLOCKERS.wide, widths[BLOCKERS.key] + room - name)
        room = name_room(chosen)
    widths[NAME.key] = max(1, room)
    return Layout(width, tuple((column, widths[column.key]) for column in chosen))


# Cell texts

AgeState = Literal["fresh", "due", "overdue"]

_KIND_TEXT = {
    "abschluss": (N_("Abschluss"), N_("Abschl.")),
    "wiederholung": (N_("Wiederholung"), N_("Wdh.")),
    "erstattung": (N_("Erstattung"), N_("Erst.")),
}
_DTZ_TEXT = {"B1": ("B1", "B1"), "A2": ("A2", "A2"), "unter_A2": (N_("unter A2"), "<A2")}
# the document names are names (Zertifikat Integrationskurs, Bescheinigung): never translated
_DOCUMENT_TEXT = {
    "zertifikat": ("Zertifikat", "Zert."),
    "bescheinigung": ("Bescheinigung", "Besch."),
}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (C0, DEL, C1) and the bidi marks, embeddings, overrides and isolates."""
NONE_TEXT = "—"


@dataclass(frozen=True, slots=True)
class AgePolicy:
    """When an entry counts as due soon and as overdue, in days since it arrived."""

    due_after_days: int = 21
    overdue_after_days: int = 30


def clean(text: str) -> str:
    """Text safe to put in a cell: no control characters, no bidi overrides that reorder a line."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(lambda match: " " if match.group() in "\t\n\r" else "", text)


def fit(text: str, width: int, align: Align = "left") -> str:
    """Crop (with "…") or pad `text` to exactly `width` cells."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length > width:
        text = set_cell_size(text, width - 1) + "…"
        length = width
    padding = " " * (width - length)
    return text + padding if align == "left" else padding + text


def age(created_at: date, today: date, policy: AgePolicy, long: bool) -> tuple[str, AgeState]:
    """Days since the entry arrived in words, and whether it is fresh, due or overdue."""
    if isinstance(created_at, datetime):
        created_at = _local(created_at).date()
    days = max(0, (today - created_at).days)
    if days > policy.overdue_after_days:
        said = _("{days} T überfällig") if long else _("{days} überf.")
        return said.format(days=days), "overdue"
    text = _("heute") if days == 0 else _("{days} T").format(days=days)
    return text, "due" if days > policy.due_after_days else "fresh"


def _local(moment: datetime) -> datetime:
    """A time the service sent (aware, usually UTC) in the terminal's local time."""
    return moment if moment.tzinfo is None else moment.astimezone()


def _pick(table: dict[str, tuple[str, str]], value: str | None, long: bool) -> str:
    if value is None:
        return NONE_TEXT
    texts = table.get(value)
    if texts is None:
        return clean(value).replace("_", " ").capitalize()
    return _(texts[0] if long else texts[1])


def claim_text(row: Row, today: date, long: bool) -> str:
    """Who holds the claim, and (when there is room) since when: a time today, else a date."""
    if not row.claim_holder:
        return ""
    holder = _(ME) if row.claim_holder == ME else clean(row.claim_holder)
    if not long or row.claimed_since is None:
        return holder
    since = _local(row.claimed_since)
    when = since.strftime("%H:%M") if since.date() == today else since.strftime("%d.%m.")
    return _("{holder} seit {when}").format(holder=holder, when=when)


def blockers_text(blockers: tuple[str, ...], width: int) -> str:
    """The first blocker and how many more, fitted into `width` cells."""
    if not blockers:
        return ""
    first = clean(blockers[0])
    if len(blockers) == 1:
        return first
    more = f" +{len(blockers) - 1}"
    return fit(first, max(1, width - len(more))).rstrip() + more


def request_text(due: date, today: date, long: bool) -> tuple[str, bool]:
    """An open data request's state before the blockers: its deadline, or that it is overdue
    (in words, not only in colour)."""
    if due < today:
        return (_("überfällig") if long else _("überf.")), True
    return (_("Frist {date}").format(date=f"{due:%d.%m.}") if long else _("angef.")), False


def claim_marker(row: Row) -> str:
    """`●` the user's own claim, `⊘` someone else's, blank for none: told apart by shape, at
    every width (the holder's name only shows where the claim column fits)."""
    if not row.claim_holder:
        return " "
    return CLAIMED if row.claim_holder == ME else CLAIMED_BY_OTHER


def cells(
    row: Row, layout: Layout, today: date, policy: AgePolicy, marked: bool
) -> list[tuple[str, str | None]]:
    """The fitted text of each cell and the component class that colours it (None: row style).

    The first two cells are the mark and the claim marker; each later cell is preceded by a gap.
    """
    out: list[tuple[str, str | None]] = [
        (
            MARK if marked else DRAFT if row.draft else " ",
            "postbox-list--mark" if marked else None,
        ),
        (claim_marker(row), "postbox-list--claimed"),
    ]
    for column, width in layout.columns:
        long = width >= column.wide
        style: str | None = None
        key = column.key
        if key == "age":
            text, state = age(row.created_at, today, policy, long)
            style = {"overdue": "postbox-list--overdue", "due": "postbox-list--due"}.get(state)
        elif key == "kind":
            text = _pick(_KIND_TEXT, row.kind, long)
        elif key == "name":
            text = clean(row.name)
        elif key == "participant_id":
            text = clean(row.participant_id)
        elif key == "dtz":
            text = _pick(_DTZ_TEXT, row.dtz_overall, long)
        elif key == "lid":
            text = NONE_TEXT if row.lid_points is None else str(row.lid_points)
        elif key == "document":
            text = _pick(_DOCUMENT_TEXT, row.document, long)
        elif key == "blockers":
            style = "postbox-list--blocked" if row.blockers else None
            if row.request_due is not None:
                said, overdue = request_text(row.request_due, today, width >= 20)
                rest = blockers_text(row.blockers, max(1, width - cell_len(said) - 1))
                text = f"{said} {rest}".rstrip()
                if overdue:
                    style = "postbox-list--overdue"
            else:
                text = blockers_text(row.blockers, width)
        else:
            text = claim_text(row, today, long)
            style = "postbox-list--claimed"
        out.append((" " * GAP, None))
        out.append((fit(text, width, column.align), style))
    return out
