"""Data requests in the demo (domain.md A.16): in the first office, the real use case asks the
course provider for missing data on a few blocked cases, on days in the past (a store whose
clock is set back), so that the Postkorb shows a request within its deadline, an overdue one,
an overdue one already reminded, and one the provider answered (closed by itself).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from inge_tui.api.requests import DataRequestIn, IdentityUpdate, ReminderIn
from inge_tui.server.auth import Principal
from inge_tui.server.store.schema import postbox_entries
from inge_tui.server.store.uow import Store
from inge_tui.server.usecases import data_requests, ingestion
from inge_tui.server.usecases.services import Services

# (days ago it was asked, deadline in days from then, reminded days ago or None, answered)
LIVES = (
    (3, 14, None, False),  # within its deadline
    (20, 14, None, False),  # overdue
    (30, 14, 2, False),  # overdue, reminded two days ago
    (12, 14, None, True),  # the provider reported the data: closed by itself
)
NOTES = (
    None,
    "Bitte die Nummer aus dem Reisepass übermitteln",
    "Zweite Bitte: ohne Anschrift kein Versand",
    None,
)


def demo_requests(svc: Services, worker: Principal, provider: Principal, office: str) -> list[int]:
    """Give a few blocked cases of `office` a data request's life; returns the request ids."""
    cases = svc.store.run(lambda tx: _blocked_cases(tx, office, len(LIVES)), readonly=True)
    made = []
    now = datetime.now(UTC)
    for (pid, item), (ago, days, reminded, answered), note in zip(
        cases, LIVES, NOTES, strict=False
    ):
        then = _at(svc, now - timedelta(days=ago))
        body = DataRequestIn(item=item, due_on=(now - timedelta(days=ago - days)).date(), note=note)
        answer = data_requests.request_data(then, worker, pid, body, None)
        request_id = int(answer.body["request_id"])
        made.append(request_id)
        if reminded is not None:
            later = _at(svc, now - timedelta(days=reminded))
            data_requests.remind(later, worker, request_id, ReminderIn())
        if answered:
            ingestion.update_identity(svc, provider, pid, _answer(item))
    return made


def _at(svc: Services, moment: datetime) -> Services:
    """The same services with the clock at `moment` (and moving on from there)."""
    start = datetime.now(UTC)
    store = Store(svc.store.engine, lambda: moment + (datetime.now(UTC) - start))
    return Services(store=store, rules=svc.rules, settings=svc.settings)


def _blocked_cases(tx: Any, office: str, count: int) -> list[tuple[str, str]]:
    """Open entries blocked by something the course provider supplies: (participant, item)."""
    pb = postbox_entries.c
    stmt = (
        select(pb.participant_id, pb.blocker_codes)
        .where(
            pb.office == office,
            pb.kind == "abschluss",
            pb.status == "offen",
            pb.blocked.is_(True),
            pb.blocker_codes.like("%_fehlt%"),
        )
        .order_by(pb.entry_id)
        .limit(200)
    )
    found: list[tuple[str, str]] = []
    wanted = ("ausweisnummer_fehlt", "anschrift_fehlt", "ausweisart_fehlt")
    for pid, codes in tx.conn.execute(stmt).all():
        item = next((c for c in wanted if c in str(codes).split(",")), None)
        if item is not None:
            found.append((str(pid), item))
        if len(found) == count:
            break
    return found


def _answer(item: str) -> IdentityUpdate:
    if item == "anschrift_fehlt":
        address = {"street": "Königstraße 12", "postal_code": "90402", "city": "Nürnberg"}
        return IdentityUpdate.model_validate({"address": address})
    if item == "ausweisart_fehlt":
        return IdentityUpdate.model_validate({"document_type": "reisepass"})
    return IdentityUpdate.model_validate({"document_number": "C01X00T47"})
