"""Claims on Postkorb entries: claim, release, and a supervisor's take-over with a reason.

A claim is exclusive and lapses after `Settings.claim_minutes`; it shows who holds it and since
when. Claiming again as the holder extends it. Exclusivity comes from the database: the entry
row is locked and the update is conditional on the version that was read, so two processes
cannot both win.
"""

from __future__ import annotations

from datetime import timedelta

from inge_tui.api.requests import TakeOverIn
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal
from inge_tui.server.errors import Conflict, NotFound, version_conflict
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.services import Answer, Services, dump
from inge_tui.server.usecases.views import postbox_entry

Row = dict[str, object]


def _entry(tx: Tx, principal: Principal, entry_id: int, expected: int | None) -> Row:
    tx.postbox.release_lapsed(tx.now)
    row = tx.postbox.get(entry_id, lock=True)
    if row is None or row["office"] != principal.office:
        raise NotFound(said("Postkorb-Eintrag nicht gefunden."))
    if expected is not None and expected != row["version"]:
        raise version_conflict(dump(postbox_entry(row, principal.token_id)), said("Der Eintrag"))
    return row


def _held_by_other(row: Row, principal: Principal) -> bool:
    return row["claimed_by_token"] is not None and row["claimed_by_token"] != principal.token_id


def _claimed_conflict(row: Row, principal: Principal) -> Conflict:
    return Conflict(
        said(
            "Der Eintrag ist von {holder} in Bearbeitung (seit {since} UTC).",
            holder=row["claimed_by_name"],
            since=f"{row['claimed_at']:%d.%m.%Y %H:%M}",  # type: ignore[str-format]
        ),
        code="claimed",
        current=dump(postbox_entry(row, principal.token_id)),  # type: ignore[arg-type]
    )


def _claim_values(tx: Tx, svc: Services, principal: Principal, since: object) -> Row:
    return {
        "status": "in_bearbeitung",
        "claimed_by_token": principal.token_id,
        "claimed_by_name": principal.name,
        "claimed_at": since,
        "claim_expires_at": tx.now + timedelta(minutes=svc.settings.claim_minutes),
        "updated_at": tx.now,
    }


def _save(
    tx: Tx, principal: Principal, row: Row, values: Row, action: str, **audit: object
) -> Answer:
    updated = tx.postbox.update(row["entry_id"], values, expected_version=row["version"])  # type: ignore[arg-type]
    if updated is None:
        raise version_conflict(None, said("Der Eintrag"))
    tx.ledger.audit(
        at=tx.now,
        actor=principal,
        action=action,
        office=principal.office,
        participant_id=row["participant_id"],  # type: ignore[arg-type]
        entry_id=row["entry_id"],  # type: ignore[arg-type]
        inputs=audit or None,
    )
    return Answer(200, dump(postbox_entry(updated, principal.token_id)))


def claim(svc: Services, principal: Principal, entry_id: int, expected: int | None) -> Answer:
    def run(tx: Tx) -> Answer:
        row = _entry(tx, principal, entry_id, expected)
        if row["status"] == "erledigt":
            raise Conflict("Der Eintrag ist schon erledigt.", code="closed")
        if _held_by_other(row, principal):
            raise _claimed_conflict(row, principal)
        since = row["claimed_at"] if row["claimed_by_token"] == principal.token_id else tx.now
        values = _claim_values(tx, svc, principal, since)
        return _save(tx, principal, row, values, "postkorb_uebernommen")

    return svc.store.run(run)


def release(svc: Services, principal: Principal, entry_id: int, expected: int | None) -> Answer:
    def run(tx: Tx) -> Answer:
        row = _entry(tx, principal, entry_id, expected)
        if row["claimed_by_token"] is None:
            return Answer(200, dump(postbox_entry(row, principal.token_id)))
        if _held_by_other(row, principal):
            raise _claimed_conflict(row, principal)
        values = {
            "status": "offen" if row["status"] == "in_bearbeitung" else row["status"],
            "claimed_by_token": None,
            "claimed_by_name": None,
            "claimed_at": None,
            "claim_expires_at": None,
            "updated_at": tx.now,
        }
        return _save(tx, principal, row, values, "postkorb_freigegeben")

    return svc.store.run(run)


def take_over(
    svc: Services, principal: Principal, entry_id: int, body: TakeOverIn, expected: int | None
) -> Answer:
    """A supervisor takes an entry over from its holder; the reason goes to the audit."""

    def run(tx: Tx) -> Answer:
        row = _entry(tx, principal, entry_id, expected)
        if row["status"] == "erledigt":
            raise Conflict("Der Eintrag ist schon erledigt.", code="closed")
        values = _claim_values(tx, svc, principal, tx.now)
        return _save(
            tx,
            principal,
            row,
            values,
            "postkorb_uebernahme_durch_leitung",
            reason=body.reason,
            previous_holder=row["claimed_by_name"],
        )

    return svc.store.run(run)
