"""The office's Kennzahlen as queries: each reads one index range of the office and the period,
never the office's whole history, so a million-entry office answers in what its period holds
(`bench/stats.py` measures it against a Postkorb page).

- the backlog: open entries by age (`ix_postbox_office_status_created`, open entries only);
- entries that arrived in the period, with their course type, Prüfstelle and counted results
  (`ix_postbox_office_kind_created_figures`, read from the index alone);
- entries closed in the period with the day they arrived (`ix_postbox_office_closed`);
- documents issued per day and kind (`ix_certificates_office_issued_on_kind`);
- data requests and refund applications by state (their office indexes).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from inge_tui.server.store.schema import (
    certificates,
    data_requests,
    postbox_entries,
    refund_applications,
)

pb = postbox_entries.c
PASS_POINTS = 15  # LiD passed from 15 of 33 points (R3); the list column holds the points


def open_ages(conn: Connection, office: str, bounds: list[datetime | None]) -> list[int]:
    """Open entries per age bucket: `bounds` are the creation times from newest to oldest
    (None: no bound), one more than there are buckets."""
    buckets = []
    for newest, oldest in itertools.pairwise(bounds):
        where = [pb.office == office, pb.status != "erledigt"]
        if newest is not None:
            where.append(pb.created_at < newest)
        if oldest is not None:
            where.append(pb.created_at >= oldest)
        stmt = select(func.count()).select_from(postbox_entries).where(*where)
        buckets.append(int(conn.execute(stmt).scalar_one()))
    return buckets


def arrived(conn: Connection, office: str, since: datetime, until: datetime) -> list[Any]:
    """Entries that arrived in [since, until) by kind, course type and Prüfstelle: how many,
    with a complete DTZ, with B1, with a LiD result, with a LiD pass."""
    passed = case((pb.lid_points >= PASS_POINTS, 1), else_=0)
    stmt = (
        select(
            pb.kind,
            pb.course_type,
            pb.exam_center,
            func.count(),
            func.count(pb.dtz_overall),
            func.sum(case((pb.dtz_overall == "B1", 1), else_=0)),
            func.count(pb.lid_points),
            func.sum(passed),
        )
        .where(pb.office == office, pb.created_at >= since, pb.created_at < until)
        .group_by(pb.kind, pb.course_type, pb.exam_center)
    )
    return list(conn.execute(stmt).all())


def closed_ages(conn: Connection, office: str, since: datetime, until: datetime) -> list[float]:
    """Days from arrival to closing for `abschluss` entries closed in [since, until)."""
    stmt = select(pb.created_at, pb.closed_at).where(
        pb.office == office,
        pb.closed_at >= since,
        pb.closed_at < until,
        pb.kind == "abschluss",
    )
    return [
        (closed - created).total_seconds() / 86400 for created, closed in conn.execute(stmt).all()
    ]


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
