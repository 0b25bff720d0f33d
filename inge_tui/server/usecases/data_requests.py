"""Chasing missing data from the course provider (domain.md A.16).

A blocker whose supplier is the course provider (R7: identity data and address; R4: the date
of registration) becomes a data request with a deadline: the caseworker asks, the course
provider that registered the participant sees its open requests and answers by reporting the
data through the identity route, and the request ends by itself when the blocker clears
(`postbox_sync.close_answered_requests`). An overdue request gets a reminder, recorded.

What is refused, whole and in German: asking for what is not missing (or not the course
provider's to supply), a second open request for the same item (also kept by a unique index),
a deadline in the past, a reminder before the deadline. The Postkorb carries the open
requests' first day and nearest deadline (`angefordert:ja`, `ueberfaellig:ja`).
"""

from __future__ import annotations

from datetime import timedelta

from inge_tui.api.models import Role
from inge_tui.api.requests import DataRequestIn, ReminderIn
from inge_tui.domain._format import date_de
from inge_tui.domain.completion import KURSTRAEGER, PROVIDER_ITEMS
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import Conflict, NotFound, invalid
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.casework import case_to_change
from inge_tui.server.usecases.postbox_sync import resync
from inge_tui.server.usecases.services import Answer, Services, dump
from inge_tui.server.usecases.views import data_request

OPEN, DONE = "offen", "erledigt"


def request_data(
    svc: Services,
    principal: Principal,
    participant_id: str,
    body: DataRequestIn,
    expected: int | None,
) -> Answer:
    """Ask the course provider for what a blocker names, with a deadline (201)."""

    def run(tx: Tx) -> Answer:
        case = case_to_change(tx, principal, participant_id, expected)
        what = PROVIDER_ITEMS.get(body.item)
        if what is None:
            known = ", ".join(sorted(PROVIDER_ITEMS))
            raise invalid(
                "item",
                said(
                    "„{item}“ fordert man nicht beim Kursträger an ({known})",
                    item=body.item,
                    known=known,
                ),
            )
        blockers = svc.rules.assess(case, on=tx.now.date()).blockers
        if not any(b.code == body.item and b.supplier == KURSTRAEGER for b in blockers):
            raise invalid("item", said("{what} fehlt nicht: es gibt nichts anzufordern", what=what))
        today = tx.now.date()
        due = body.due_on or today + timedelta(days=svc.settings.data_request_days)
        if due < today:
            raise invalid(
                "due_on", said("Die Frist {day} liegt in der Vergangenheit", day=date_de(due))
            )
        already = next((r for r in case.open_requests if r["item"] == body.item), None)
        if already is not None:
            raise Conflict(
                said(
                    "{what} ist schon seit {since} angefordert (Frist {due}); bei Überschreitung"
                    " erinnern.",
                    what=what,
                    since=date_de(already["requested_on"]),
                    due=date_de(already["due_on"]),
                ),
                code="request_open",
                current=dump(data_request(already, today)),
            )
        row = tx.cases.insert_request(
            {
                "office": case.participant["office"],
                "participant_id": participant_id,
                "item": body.item,
                "provider": case.participant.get("provider"),
                "note": body.note or None,
                "requested_on": today,
                "due_on": due,
                "requested_at": tx.now,
                "requested_by": principal.name,
                "status": OPEN,
            }
        )
        resync(tx, svc.rules, participant_id)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="daten_angefordert",
            office=row["office"],
            participant_id=participant_id,
            inputs={"item": body.item, "due_on": due.isoformat(), "note": row["note"]},
            outcome={"request_id": row["request_id"], "provider": row["provider"]},
        )
        return Answer(201, dump(data_request(row, today)))

    return svc.store.run(run)


def remind(svc: Services, principal: Principal, request_id: int, body: ReminderIn) -> Answer:
    """A reminder on an overdue request, optionally with a new deadline; recorded."""

    def run(tx: Tx) -> Answer:
        found = tx.cases.data_request(request_id)
        if found is None:
            raise NotFound(said("Datenanforderung nicht gefunden."))
        require_office(principal, found["office"], what=said("Datenanforderung"))
        case = case_to_change(tx, principal, found["participant_id"], None)
        row = next(r for r in case.data_requests if r["request_id"] == request_id)
        today = tx.now.date()
        if row["status"] != OPEN:
            raise Conflict(
                said("Diese Anforderung ist erledigt: die Daten liegen vor."), code="request_closed"
            )
        if row["due_on"] >= today:
            raise Conflict(
                said(
                    "Die Frist läuft noch bis {due}: erinnern erst danach.",
                    due=date_de(row["due_on"]),
                ),
                code="not_overdue",
            )
        if body.due_on is not None and body.due_on <= today:
            raise invalid(
                "due_on",
                said("Die neue Frist {day} muss nach heute liegen", day=date_de(body.due_on)),
            )
        values = {
            "reminders": row["reminders"] + 1,
            "reminded_at": tx.now,
            "reminded_by": principal.name,
        }
        if body.due_on is not None:
            values["due_on"] = body.due_on
        if body.note:
            values["note"] = body.note
        updated = tx.cases.update_request(request_id, values)
        resync(tx, svc.rules, row["participant_id"])
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="datenanforderung_erinnert",
            office=row["office"],
            participant_id=row["participant_id"],
            inputs={"request_id": request_id, "due_on": values.get("due_on"), "note": body.note},
            outcome={"reminders": updated["reminders"]},
        )
        return Answer(200, dump(data_request(updated, today)))

    return svc.store.run(run)


def list_requests(
    svc: Services, principal: Principal, status: str | None, participant_id: str | None
) -> Answer:
    """The office's requests for its staff; a course provider's own requests for it."""

    def run(tx: Tx) -> Answer:
        if principal.role == Role.COURSE_PROVIDER:
            scope = {"provider": principal.name}
        else:
            assert principal.office is not None
            scope = {"office": principal.office}
        rows = tx.cases.requests(**scope, status=status, participant_id=participant_id)
        today = tx.now.date()
        return Answer(200, {"items": [dump(data_request(r, today)) for r in rows]})

    return svc.store.run(run, readonly=True)
