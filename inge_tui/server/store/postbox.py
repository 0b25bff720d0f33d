"""The Postkorb repository: entries, keyset pages, counts, claims.

A page is one query over `postbox_entries` that walks an index ending in
`(created_at, entry_id)` from the cursor on, so page 1 and page 20,000 cost the same. Every
filter the Postkorb offers has such an index (see `schema.py`); `q` is a prefix range over the
folded name or the participant id.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    tuple_,
    union_all,
    update,
)

from inge_tui.server.store import figures
from inge_tui.server.store.schema import UtcDateTime, postbox_entries

Row = dict[str, Any]
pb = postbox_entries.c

_TOP = "\U0010ffff"  # sorts after every character bytewise: the end of a prefix range
_FOLD = str.maketrans({"ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"})


@functools.lru_cache(maxsize=65_536)
def search_key(text: str) -> str:
    """Lower case without accents: `Şahin Ayşe` → `sahin ayse` (for `q` prefix search)."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(plain.split())


@dataclass(frozen=True)
class PostboxQuery:
    """The filters of one Postkorb request (all optional except the office)."""

    office: str
    statuses: tuple[str, ...] = ()
    kind: str | None = None
    q: str | None = None
    newest_first: bool = True
    blocked: bool | None = None
    older_than_days: int | None = None
    document: str | None = None  # zertifikat | bescheinigung | keins
    participant_id: str | None = None
    awaiting: str | None = None  # freigabe: waits for a supervisor's four eyes
    requested: bool | None = None  # an open data request to the course provider (A.16)
    overdue: bool | None = None  # an open data request past its deadline
    # (token, True): only entries this token holds; (token, False): all but those
    claimed_by_token: tuple[int | None, bool] | None = None


_FOR_PARTICIPANT = (
    select(postbox_entries)
    .where(pb.participant_id == bindparam("pid"))
    .order_by(pb.created_at, pb.entry_id)
)


class PostboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, entry_id: int, *, lock: bool = False) -> Row | None:
        stmt = select(postbox_entries).where(pb.entry_id == entry_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return dict(row._mapping) if row else None

    def for_participant(self, participant_id: str) -> list[Row]:
        rows = self.conn.execute(_FOR_PARTICIPANT, {"pid": participant_id})
        return [dict(r._mapping) for r in rows]

    def insert(self, values: Row) -> Row:
        stmt = insert(postbox_entries).values(**values).returning(postbox_entries)
        row = dict(self.conn.execute(stmt).one()._mapping)
        figures.entry_changed(self.conn, None, row)
        return row

    def update(
        self, entry_id: int, values: Row, *, expected_version: int | None = None
    ) -> Row | None:
        """Change an entry and bump its version; None when `expected_version` is stale. The
        Kennzahlen follow in the same transaction when a column they count changed."""
        before = self.get(entry_id) if figures.FIGURE_COLUMNS & values.keys() else None
        row = self._update(entry_id, values, expected_version)
        if before is not None and row is not None:
            figures.entry_changed(self.conn, before, row)
        return row

    def _update(self, entry_id: int, values: Row, expected_version: int | None) -> Row | None:
        where = [pb.entry_id == entry_id]
        if expected_version is not None:
            where.append(pb.version == expected_version)
        stmt = (
            update(postbox_entries)
            .where(*where)
            .values(**values, version=pb.version + 1)
            .returning(postbox_entries)
        )
        row = self.conn.execute(stmt).first()
        return dict(row._mapping) if row else None

    def lapsed_claims_exist(self, now: datetime) -> bool:
        stmt = select(pb.entry_id).where(_lapsed(now)).limit(1)
        return self.conn.execute(stmt).first() is not None

    def release_lapsed(self, now: datetime) -> int:
        """Give back every claim whose time is up (any process may do it; it is idempotent)."""
        stmt = (
            update(postbox_entries)
            .where(_lapsed(now))
            .values(
                status="offen",
                claimed_by_token=None,
                claimed_by_name=None,
                claimed_at=None,
                claim_expires_at=None,
                updated_at=now,
                version=pb.version + 1,
            )
        )
        return self.conn.execute(stmt).rowcount

    def page(
        self, query: PostboxQuery, now: datetime, *, after: tuple[datetime, int] | None, limit: int
    ) -> list[Row]:
        """Up to `limit` entries in sort order, starting after the cursor position `after`."""
        stmt = page_statement(query, now, after=after, limit=limit)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def count(self, query: PostboxQuery, now: datetime) -> int:
        return int(self.conn.execute(count_statement(query, now)).scalar_one())

    def counts_by(self, office: str, column: str) -> dict[str, int]:
        col = pb[column]
        stmt = select(col, func.count()).where(pb.office == office).group_by(col)
        return {str(k): int(n) for k, n in self.conn.execute(stmt)}

    def open_created_since(
        self, office: str, since: datetime | None, until: datetime | None
    ) -> int:
        where = [pb.office == office, pb.status != "erledigt"]
        if since is not None:
            where.append(pb.created_at >= since)
        if until is not None:
            where.append(pb.created_at < until)
        stmt = select(func.count()).select_from(postbox_entries).where(*where)
        return int(self.conn.execute(stmt).scalar_one())


def page_statement(
    query: PostboxQuery, now: datetime, *, after: tuple[datetime, int] | None, limit: int
) -> Select[Any]:
    """The one query behind a page: filters, the keyset position, the sort, the limit."""
    order = (
        [pb.created_at.desc(), pb.entry_id.desc()]
        if query.newest_first
        else [pb.created_at.asc(), pb.entry_id.asc()]
    )
    where = _filters(query, now)
    if after is not None:
        position = tuple_(
            bindparam("after_created", after[0], type_=UtcDateTime()),
            bindparam("after_id", after[1], type_=Integer()),
        )
        key = tuple_(pb.created_at, pb.entry_id)
        where.append(key < position if query.newest_first else key > position)
    return select(postbox_entries).where(*where).order_by(*order).limit(limit)


def count_statement(query: PostboxQuery, now: datetime) -> Select[Any]:
    return select(func.count()).select_from(postbox_entries).where(*_filters(query, now))


def _lapsed(now: datetime) -> ColumnElement[bool]:
    return and_(pb.status == "in_bearbeitung", pb.claim_expires_at <= now)


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column >= prefix, column < prefix + _TOP)


def _filters(query: PostboxQuery, now: datetime) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [pb.office == query.office]
    if len(query.statuses) == 1:
        where.append(pb.status == query.statuses[0])
    elif query.statuses:
        where.append(pb.status.in_(query.statuses))
    if query.kind:
        where.append(pb.kind == query.kind)
    if query.blocked is not None:
        where.append(pb.blocked == query.blocked)
    if query.document == "keins":
        where.append(pb.expected_document.is_(None))
    elif query.document:
        where.append(pb.expected_document == query.document)
    if query.older_than_days is not None:
        where.append(pb.created_at < now - timedelta(days=query.older_than_days))
    if query.participant_id:
        where.append(pb.participant_id == query.participant_id)
    if query.awaiting:
        where.append(pb.awaiting == query.awaiting)
    if query.claimed_by_token is not None:
        token, mine = query.claimed_by_token
        held = pb.claimed_by_token == token
        where.append(held if mine else or_(pb.claimed_by_token.is_(None), ~held))
    if query.requested is not None:
        where.append(pb.request_due.is_not(None) if query.requested else pb.request_due.is_(None))
    if query.overdue:
        where.append(and_(pb.request_due.is_not(None), pb.request_due < now.date()))
    elif query.overdue is False:
        where.append(or_(pb.request_due.is_(None), pb.request_due >= now.date()))
    if query.q:
        # The matches come from the name and id indexes; the few found are then sorted.
        name = search_key(query.q)
        ident = query.q.strip()
        office = pb.office == query.office
        options = [select(pb.entry_id).where(office, _prefix(pb.participant_id, ident))]
        if ident.upper() != ident:
            options.append(
                select(pb.entry_id).where(office, _prefix(pb.participant_id, ident.upper()))
            )
        if name:
            options.append(select(pb.entry_id).where(office, _prefix(pb.name_key, name)))
        where.append(pb.entry_id.in_(union_all(*options).scalar_subquery()))
    return where
