"""Which seeded cases the demo's lives start from: open entries in a given state, oldest entry
first, so that the same seed always picks the same cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from inge_tui.server.store.schema import postbox_entries


def ready_cases(tx: Any, office: str, *, offset: int = 0, limit: int = 6) -> list[str]:
    """Open `abschluss` entries of `office` with a Zertifikat due and nothing blocking."""
    pb = postbox_entries.c
    stmt = (
        select(pb.participant_id)
        .where(
            pb.office == office,
            pb.kind == "abschluss",
            pb.status == "offen",
            pb.blocked.is_(False),
            pb.expected_document == "zertifikat",
        )
        .order_by(pb.entry_id)
        .offset(offset)
        .limit(limit)
    )
    return [str(pid) for pid in tx.conn.execute(stmt).scalars()]
