"""The Postkorb: listing by keyset cursor, counting, and one entry.

The cursor is opaque to the client: URL-safe base64 of `[created_at, entry_id, sort]` of the
last entry on the page. A page asks the index for the rows after that position, so its cost
does not grow with the depth. Claims that have lapsed are given back before a page is read.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime

from inge_tui.api import models as m
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal
from inge_tui.server.errors import NotFound, invalid
from inge_tui.server.store.postbox import PostboxQuery
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.services import Answer, Services, dump
from inge_tui.server.usecases.views import postbox_entry


def encode_cursor(created_at: datetime, entry_id: int, sort: str) -> str:
    raw = json.dumps([created_at.isoformat(), entry_id, sort], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, entry_id, cursor_sort = json.loads(raw)
        position = datetime.fromisoformat(created), int(entry_id)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise invalid("cursor", said("ungültiger Cursor; bitte ohne Cursor neu beginnen")) from None
    if position[0].tzinfo is None:
        raise invalid("cursor", said("ungültiger Cursor; bitte ohne Cursor neu beginnen"))
    if cursor_sort != sort:
        raise invalid("cursor", said("der Cursor gehört zu einer anderen Sortierung"))
    return position


def release_lapsed(svc: Services) -> None:
    """Give back lapsed claims; a cheap read first, so a quiet Postkorb takes no write lock."""
    if svc.store.run(lambda tx: tx.postbox.lapsed_claims_exist(tx.now), readonly=True):
        svc.store.run(lambda tx: tx.postbox.release_lapsed(tx.now))


def _query(principal: Principal, filters: dict[str, object]) -> PostboxQuery:
    assert principal.office is not None
    statuses = tuple(str(s) for s in filters.get("status") or ())  # type: ignore[attr-defined]
    return PostboxQuery(
        office=principal.office,
        statuses=statuses,
        kind=_str(filters.get("kind")),
        q=_str(filters.get("q")) or None,
        newest_first=filters.get("sort", m.PostboxSort.NEWEST) == m.PostboxSort.NEWEST,
        blocked=filters.get("blocked"),  # type: ignore[arg-type]
        older_than_days=filters.get("older_than_days"),  # type: ignore[arg-type]
        document=_str(filters.get("document")),
        participant_id=_str(filters.get("participant_id")),
        awaiting=_str(filters.get("awaiting")),
        requested=filters.get("requested"),  # type: ignore[arg-type]
        overdue=filters.get("overdue"),  # type: ignore[arg-type]
        claimed_by_token=(
            None if filters.get("mine") is None else (principal.token_id, bool(filters["mine"]))
        ),
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def list_entries(
    svc: Services, principal: Principal, filters: dict[str, object], limit: int, cursor: str | None
) -> Answer:
    query = _query(principal, filters)
    sort = str(filters.get("sort", m.PostboxSort.NEWEST))
    after = decode_cursor(cursor, sort) if cursor else None
    release_lapsed(svc)

    def run(tx: Tx) -> Answer:
        rows = tx.postbox.page(query, tx.now, after=after, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = (
            encode_cursor(rows[-1]["created_at"], rows[-1]["entry_id"], sort)
            if more and rows
            else None
        )
        page = m.PostboxPage(
            items=[postbox_entry(r, principal.token_id) for r in rows], next_cursor=next_cursor
        )
        return Answer(200, dump(page))

    return svc.store.run(run, readonly=True)


def count_entries(svc: Services, principal: Principal, filters: dict[str, object]) -> Answer:
    query = _query(principal, filters)
    release_lapsed(svc)
    count = svc.store.run(lambda tx: tx.postbox.count(query, tx.now), readonly=True)
    return Answer(200, dump(m.PostboxCount(count=count)))


def get_entry(svc: Services, principal: Principal, entry_id: int) -> Answer:
    release_lapsed(svc)

    def run(tx: Tx) -> Answer:
        row = tx.postbox.get(entry_id)
        if row is None or row["office"] != principal.office:
            raise NotFound(said("Postkorb-Eintrag nicht gefunden."))
        return Answer(200, dump(postbox_entry(row, principal.token_id)))

    return svc.store.run(run, readonly=True)
