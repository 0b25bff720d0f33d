"""The office's Kennzahlen: kept up to date with every change of an entry, read per period.

A busy office has a million entries; its figures must not read them all. Two small tables
(`figures_arrived`, `figures_closed`, schema 6) hold the counts by UTC day: the entries that
arrived that day with their counted results, and the `abschluss` entries closed that day by
the whole hours they were open. `entry_changed` applies the difference an entry's insert or
update makes, in the same transaction (the Postkorb repository calls it); `rebuild`
recomputes both from the entries (after a bulk seed, in the migration, in tests to check
the running totals). Reading a period then sums a few hundred rows:

- the backlog: open entries by age (`ix_postbox_office_status_created`, open entries only);
- arrivals with rates by course type and Prüfstelle, and time to document (the tables);
- documents issued per day and kind (`ix_certificates_office_issued_on_kind`);
- data requests and refund applications by state (their office indexes).

Contention: an arrival adds to its day's row for its course type and Prüfstelle; a closing
adds to its day's row for its duration; on PostgreSQL those rows are locked until commit, so
transactions that touch the same row wait for each other (ingestion of one Prüfstelle's
results on one day), which the case lock already makes short.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Integer, and_, case, cast, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from inge_tui.server.store.schema import (
    certificates,
    data_requests,
    figures_arrived,
    figures_closed,
    postbox_entries,
    refund_applications,
)

pb = postbox_entries.c
fa, fc = figures_arrived.c, figures_closed.c
OPEN = ("offen", "in_bearbeitung")  # two index ranges, where `!= erledigt` scans them all
PASS_POINTS = 15  # LiD passed from 15 of 33 points (R3); the list column holds the points
# the entry columns the figures depend on: an update without them changes no figure
FIGURE_COLUMNS = frozenset(
    {
        "office",
        "kind",
        "created_at",
        "course_type",
        "exam_center",
        "dtz_overall",
        "lid_points",
        "closed_at",
    }
)
ARRIVED_KEY = ("office", "day", "kind", "course_type", "exam_center")
ARRIVED_COUNTS = ("entries", "dtz_complete", "dtz_b1", "lid_results", "lid_passed")

Row = dict[str, Any]


def _utc_day(at: datetime) -> date:
    return at.astimezone(UTC).date()


def _arrived(row: Row) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    key = (
        row["office"],
        _utc_day(row["created_at"]),
        row["kind"],
        row.get("course_type") or "",
        row.get("exam_center") or "",
    )
    points = row.get("lid_points")
    counts = (
        1,
        int(row.get("dtz_overall") is not None),
        int(row.get("dtz_overall") == "B1"),
        int(points is not None),
        int(points is not None and points >= PASS_POINTS),
    )
    return key, counts


def _closed(row: Row) -> tuple[Any, ...] | None:
    closed = row.get("closed_at")
    if row["kind"] != "abschluss" or closed is None:
        return None
    seconds = int(closed.timestamp()) - int(row["created_at"].timestamp())  # whole seconds
    return (row["office"], _utc_day(closed), max(seconds, 0) // 3600)


def entry_changed(conn: Connection, before: Row | None, after: Row | None) -> None:
    """Apply to the figures what changing one entry from `before` to `after` did (None: the
    entry was not there / is gone)."""
    old_arrived = _arrived(before) if before else None
    new_arrived = _arrived(after) if after else None
    if old_arrived != new_arrived:
        if old_arrived:
            _add_arrived(conn, old_arrived[0], old_arrived[1], -1)
        if new_arrived:
            _add_arrived(conn, new_arrived[0], new_arrived[1], +1)
    old_closed = _closed(before) if before else None
    new_closed = _closed(after) if after else None
    if old_closed != new_closed:
        if old_closed:
            _add_closed(conn, old_closed, -1)
        if new_closed:
            _add_closed(conn, new_closed, +1)


def _upsert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _add_arrived(
    conn: Connection, key: tuple[Any, ...], counts: tuple[int, ...], sign: int
) -> None:
    values = dict(zip(ARRIVED_KEY, key, strict=True))
    values |= {name: sign * n for name, n in zip(ARRIVED_COUNTS, counts, strict=True)}
    stmt = _upsert(conn)(figures_arrived).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(ARRIVED_KEY),
        set_={name: fa[name] + stmt.excluded[name] for name in ARRIVED_COUNTS},
    )
    conn.execute(stmt)


def _add_closed(conn: Connection, key: tuple[Any, ...], sign: int) -> None:
    office, day, hours = key
    stmt = _upsert(conn)(figures_closed).values(office=office, day=day, hours=hours, entries=sign)
    stmt = stmt.on_conflict_do_update(
        index_elements=["office", "day", "hours"],
        set_={"entries": fc.entries + stmt.excluded.entries},
    )
    conn.execute(stmt)


def rebuild(conn: Connection) -> None:
    """Both tables recomputed from the entries, in one statement each."""
    conn.execute(delete(figures_arrived))
    conn.execute(delete(figures_closed))
    arrived, closed = _from_entries(conn)
    conn.execute(insert(figures_arrived).from_select([*ARRIVED_KEY, *ARRIVED_COUNTS], arrived))
    conn.execute(insert(figures_closed).from_select(["office", "day", "hours", "entries"], closed))


def drift(conn: Connection) -> list[str]:
    """Where the running totals differ from the entries (empty: they agree)."""
    arrived, closed = _from_entries(conn)
    differences = []
    for name, table, fresh in (
        ("arrived", figures_arrived, arrived),
        ("closed", figures_closed, closed),
    ):
        width = _width(table)
        kept = {_plain(r) for r in conn.execute(select(table)).all() if any(r[width:])}
        computed = {_plain(r) for r in conn.execute(fresh).all()}
        differences += [f"{name}: kept {row}" for row in sorted(kept - computed, key=str)]
        differences += [f"{name}: entries say {row}" for row in sorted(computed - kept, key=str)]
    return differences


def _plain(row: Any) -> tuple[Any, ...]:
    """A row with its day as ISO text and its numbers as int (the drivers differ)."""
    return tuple(
        v.isoformat() if isinstance(v, date) else int(v) if isinstance(v, int | float) else v
        for v in row
    )


def _width(table: Any) -> int:
    """How many key columns a figures table has (the rest are counts)."""
    return len(ARRIVED_KEY) if table is figures_arrived else 3


def _from_entries(conn: Connection) -> tuple[Any, Any]:
    """The two tables' rows computed from the entries, as SELECT statements."""
    if conn.dialect.name == "sqlite":
        created_day = func.date(pb.created_at)
        closed_day = func.date(pb.closed_at)
        whole = cast(func.strftime("%s", pb.closed_at), Integer) - cast(
            func.strftime("%s", pb.created_at), Integer
        )
        seconds = func.max(whole, 0)
    else:
        created_day = func.date(func.timezone("UTC", pb.created_at))
        closed_day = func.date(func.timezone("UTC", pb.closed_at))
        whole = cast(
            func.extract("epoch", func.date_trunc("second", pb.closed_at)), Integer
        ) - cast(func.extract("epoch", func.date_trunc("second", pb.created_at)), Integer)
        seconds = func.greatest(whole, 0)
    course = func.coalesce(pb.course_type, "")
    center = func.coalesce(pb.exam_center, "")
    arrived = select(
        pb.office,
        created_day,
        pb.kind,
        course,
        center,
        func.count(),
        func.count(pb.dtz_overall),
        func.sum(case((pb.dtz_overall == "B1", 1), else_=0)),
        func.count(pb.lid_points),
        func.sum(case((pb.lid_points >= PASS_POINTS, 1), else_=0)),
    ).group_by(pb.office, created_day, pb.kind, course, center)
    hours = seconds // 3600  # whole hours: floor division (SQLAlchemy 2 `/` is true division)
    closed = (
        select(pb.office, closed_day, hours, func.count())
        .where(pb.kind == "abschluss", pb.closed_at.is_not(None))
        .group_by(pb.office, closed_day, hours)
    )
    return arrived, closed


def open_ages(conn: Connection, office: str, bounds: list[datetime | None]) -> list[int]:
    """Open entries per age bucket: `bounds` are the creation times from newest to oldest
    (None: no bound), one more than there are buckets."""
    buckets = []
    for newest, oldest in itertools.pairwise(bounds):
        where = [pb.office == office, pb.status.in_(OPEN)]
        if newest is not None:
            where.append(pb.created_at < newest)
        if oldest is not None:
            where.append(pb.created_at >= oldest)
        stmt = select(func.count()).select_from(postbox_entries).where(*where)
        buckets.append(int(conn.execute(stmt).scalar_one()))
    return buckets


def arrived(conn: Connection, office: str, first: date, last: date) -> list[Any]:
    """Entries that arrived on the days [first, last] by kind, course type and Prüfstelle:
    how many, with a complete DTZ, with B1, with a LiD result, with a LiD pass."""
    stmt = (
        select(
            fa.kind,
            fa.course_type,
            fa.exam_center,
            *(func.sum(fa[name]) for name in ARRIVED_COUNTS),
        )
        .where(fa.office == office, fa.day >= first, fa.day <= last)
        .group_by(fa.kind, fa.course_type, fa.exam_center)
    )
    return [row for row in conn.execute(stmt).all() if row[3]]


def closed_hours(conn: Connection, office: str, first: date, last: date) -> list[tuple[int, int]]:
    """(whole hours open, entries) for the `abschluss` entries closed on the days [first,
    last], shortest first."""
    stmt = (
        select(fc.hours, func.sum(fc.entries))
        .where(fc.office == office, fc.day >= first, fc.day <= last)
        .group_by(fc.hours)
        .order_by(fc.hours)
    )
    return [(int(h), int(n)) for h, n in conn.execute(stmt).all() if n]


def documents_per_day(
    conn: Connection, office: str, first: date, last: date
) -> dict[tuple[date, str], int]:
    c = certificates.c
    stmt = (
        select(c.issued_on, c.kind, func.count())
        .where(c.office == office, c.issued_on >= first, c.issued_on <= last)
        .group_by(c.issued_on, c.kind)
    )
    return {(day, str(kind)): int(n) for day, kind, n in conn.execute(stmt).all()}


def requests_by_state(conn: Connection, office: str, today: date) -> dict[str, int]:
    r = data_requests.c
    stmt = select(
        func.count(),
        func.sum(case((r.due_on < today, 1), else_=0)),
    ).where(r.office == office, r.status == "offen")
    total, overdue = conn.execute(stmt).one()
    return {"offen": int(total or 0), "ueberfaellig": int(overdue or 0)}


def refunds_by_state(conn: Connection, office: str) -> dict[str, int]:
    r = refund_applications.c
    stmt = (
        select(r.status, func.count(), func.sum(r.amount_cents))
        .where(and_(r.office == office))
        .group_by(r.status)
    )
    found = {"offen": 0, "bewilligt": 0, "abgelehnt": 0, "bewilligt_cents": 0}
    for status, count, cents in conn.execute(stmt).all():
        found[str(status)] = int(count)
        if status == "bewilligt":
            found["bewilligt_cents"] = int(cents or 0)
    return found
