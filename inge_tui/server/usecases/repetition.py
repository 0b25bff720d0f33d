"""Deciding an application to repeat the language course (R13, R14), with four eyes on a waiver.

A decision follows the rules in force on the application's `received_on`. An approval that the
rules allow only because the DTZ condition is waived (R13.3; R14 for Alpha participants and in
justified cases) is discretionary: the caseworker's approval becomes a **proposal** (hours and
the written reason kept with the application; answered 202), the Postkorb entry stays open and
waits for a supervisor (`wartet:freigabe`), and only a supervisor other than the proposer
confirms it, after which the application is `genehmigt` with both names on record, or refuses
it with a reason, after which the application is open again (domain.md A.12, R13.3). While a
proposal waits, nobody decides the application otherwise. Every step is audited; the decision
itself once, as `wiederholung_entschieden`.
"""

from __future__ import annotations

from dataclasses import dataclass

from inge_tui.api import models as m
from inge_tui.api.requests import RepetitionDecisionIn, WaiverStepIn
from inge_tui.domain.repetition import reason_problem
from inge_tui.domain.said import said
from inge_tui.domain.types import RepetitionAssessment
from inge_tui.server.auth import Principal
from inge_tui.server.errors import Conflict, Invalid, NotFound, invalid
from inge_tui.server.store.cases import CaseRecord, Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.casework import case_to_change, locked_case
from inge_tui.server.usecases.four_eyes import require_second_person
from inge_tui.server.usecases.postbox_sync import closed_values, resync
from inge_tui.server.usecases.services import Answer, Services, check_version, dump, run_or_try
from inge_tui.server.usecases.views import application

CONFIRM, REFUSE = "confirm", "refuse"
_NO_WAIVER = {
    "waiver_hours": None,
    "waiver_reason": None,
    "waiver_proposed_by": None,
    "waiver_proposed_by_token": None,
    "waiver_proposed_at": None,
}


def decide_repetition(
    svc: Services,
    principal: Principal,
    application_id: int,
    body: RepetitionDecisionIn,
    expected: int | None,
    *,
    dry_run: bool = False,
) -> Answer:
    """Approve or reject by the rules in force on the application's `received_on` (R13, R14);
    an approval that needs the waiver is proposed for a supervisor's confirmation (202)."""

    def run(tx: Tx) -> Answer:
        case, app_row = _application(tx, principal, application_id, expected, change=True)
        _check_open(app_row)
        ra = svc.rules.repetition(case, app_row)
        _check_allowed(
            svc, ra, body.decision.value, body.hours, body.waive_dtz_condition, body.reason
        )
        approve = body.decision == m.RepetitionDecision.APPROVE
        if approve and body.waive_dtz_condition and not ra.eligible:
            return _propose(_Step(svc, tx, principal, case, app_row, ra), body)
        values = {
            "status": "genehmigt" if approve else "abgelehnt",
            "decided_hours": body.hours if approve else None,
            "waive_dtz_condition": body.waive_dtz_condition,
            "decision_reason": body.reason,
            "decided_by": principal.name,
        }
        return _decide(
            svc,
            tx,
            principal,
            case,
            app_row,
            ra,
            values,
            body.model_dump(mode="json", exclude={"version"}),
        )

    return run_or_try(svc, run, dry_run=dry_run)


def decide_waiver(
    svc: Services,
    principal: Principal,
    application_id: int,
    step: str,
    body: WaiverStepIn,
    expected: int | None,
) -> Answer:
    """A supervisor other than the proposer confirms (`confirm`) or refuses (`refuse`, with a
    reason) a proposed waiver. The proposer's claim on the entry does not stand in the way."""

    def run(tx: Tx) -> Answer:
        case, app_row = _application(tx, principal, application_id, expected, change=False)
        if app_row["status"] != "offen" or not app_row.get("waiver_proposed_by"):
            raise Conflict(
                said("Für Antrag {id} wartet kein Verzicht auf die Freigabe.", id=application_id),
                code="no_waiver_pending",
            )
        proposal = {
            "proposed_by": app_row["waiver_proposed_by"],
            "proposed_by_token": app_row["waiver_proposed_by_token"],
        }
        require_second_person(
            principal,
            proposal,
            said("einen Verzicht"),
            said("den eigenen Vorschlag zum Verzicht"),
        )
        remark = " ".join((body.reason or "").split()) or None
        ra = svc.rules.repetition(case, app_row)
        if step == REFUSE:
            problem = reason_problem(remark, said("Die Ablehnung eines Verzichts"))
            if problem:
                raise invalid("reason", problem)
            return _refuse(_Step(svc, tx, principal, case, app_row, ra), remark)
        # the facts may have changed since the proposal: the rules decide again
        _check_allowed(svc, ra, "approve", app_row["waiver_hours"], True, app_row["waiver_reason"])
        values = {
            "status": "genehmigt",
            "decided_hours": app_row["waiver_hours"],
            "waive_dtz_condition": True,
            "decision_reason": app_row["waiver_reason"],
            "decided_by": app_row["waiver_proposed_by"],
            "waiver_confirmed_by": principal.name,
        }
        decision = {
            "decision": "approve",
            "hours": app_row["waiver_hours"],
            "waive_dtz_condition": True,
            "reason": app_row["waiver_reason"],
            "proposed_by": app_row["waiver_proposed_by"],
            "confirmed_by": principal.name,
            "remark": remark,
        }
        return _decide(svc, tx, principal, case, app_row, ra, values, decision)

    return svc.store.run(run)


def _application(
    tx: Tx, principal: Principal, application_id: int, expected: int | None, *, change: bool
) -> tuple[CaseRecord, Row]:
    """The locked case and the application; `change`: the caller may change the case now
    (version and claim); otherwise only the version (the second pair of eyes)."""
    row = tx.cases.application(application_id)
    if row is None:
        raise NotFound(said("Antrag nicht gefunden."))
    if change:
        case = case_to_change(tx, principal, row["participant_id"], expected)
    else:
        case = locked_case(tx, principal, row["participant_id"])
        check_version(case, expected)
    return case, next(a for a in case.applications if a["application_id"] == application_id)


def _check_open(app_row: Row) -> None:
    if app_row["status"] != "offen":
        raise Conflict(
            said("Über diesen Antrag ist schon entschieden."),
            code="already_decided",
            current=dump(application(app_row)),
        )
    if app_row.get("waiver_proposed_by"):
        raise Conflict(
            said(
                "Ein Verzicht auf die DTZ-Voraussetzung ({proposer}) wartet auf die Freigabe durch"
                " die Leitung; bis dahin wird nicht anders entschieden.",
                proposer=app_row["waiver_proposed_by"],
            ),
            code="waiver_pending",
            current=dump(application(app_row)),
        )


def _check_allowed(
    svc: Services,
    ra: RepetitionAssessment,
    decision: str,
    hours: int | None,
    waive: bool,
    reason: str | None,
) -> None:
    problems = svc.rules.decision_problems(
        ra, decision=decision, hours=hours, waive_dtz_condition=waive, reason=reason
    )
    if problems:
        raise Invalid(
            [(p.about or "decision", p.text) for p in problems],
            code="rules_forbid",
            reasons=[
                {"rule_id": p.rule_id, "text": p.text, "citation": p.citation} for p in problems
            ],
        )


@dataclass(frozen=True)
class _Step:
    """One step on an application within the transaction: the locked case, the application
    as it was, what the rules say about it, who acts."""

    svc: Services
    tx: Tx
    principal: Principal
    case: CaseRecord
    app_row: Row
    ra: RepetitionAssessment


def _propose(step: _Step, body: RepetitionDecisionIn) -> Answer:
    proposal = {
        "waiver_hours": body.hours,
        "waiver_reason": " ".join((body.reason or "").split()),
        "waiver_proposed_by": step.principal.name,
        "waiver_proposed_by_token": step.principal.token_id,
        "waiver_proposed_at": step.tx.now,
    }
    decision = body.model_dump(mode="json", exclude={"version"})
    return _still_open(step, proposal, "verzicht_vorgeschlagen", decision, status=202)


def _refuse(step: _Step, reason: str | None) -> Answer:
    refused = {
        "hours": step.app_row["waiver_hours"],
        "proposal_reason": step.app_row["waiver_reason"],
        "proposed_by": step.app_row["waiver_proposed_by"],
        "reason": reason,
    }
    return _still_open(step, dict(_NO_WAIVER), "verzicht_abgelehnt", refused, status=200)


def _still_open(
    step: _Step, values: Row, action: str, decision: dict[str, object], *, status: int
) -> Answer:
    """Change the open application (a proposal made or refused): the entry stays open."""
    row = _update(step.tx, step.app_row, values)
    synced = resync(step.tx, step.svc.rules, step.case.participant_id)
    entry_id = _entry_id(synced.entries, step.app_row["application_id"])
    _audit(
        step.tx,
        step.principal,
        step.case,
        entry_id,
        action,
        step.app_row,
        step.ra,
        decision,
    )
    answer = application(row, entry_id=entry_id, ra=step.ra, participant_version=synced.version)
    return Answer(status, dump(answer))


def _decide(
    svc: Services,
    tx: Tx,
    principal: Principal,
    case: CaseRecord,
    app_row: Row,
    ra: RepetitionAssessment,
    values: Row,
    decision: dict[str, object],
) -> Answer:
    decided = _update(
        tx,
        app_row,
        {**values, **_NO_WAIVER, "decided_at": tx.now, "rules_version": ra.rules_version},
    )
    entry_id = None
    for entry in tx.postbox.for_participant(case.participant_id):
        if entry["application_id"] == app_row["application_id"]:
            entry_id = entry["entry_id"]
            # a closed entry keeps what it showed when it closed: a decided application waits
            # for nothing (not the waiver's confirmation it may have waited for)
            nothing_waits = {"blocker_codes": "", "blocked": False}
            tx.postbox.update(entry_id, {**closed_values(tx), **nothing_waits})
    version = resync(tx, svc.rules, case.participant_id).version
    _audit(
        tx,
        principal,
        case,
        entry_id,
        "wiederholung_entschieden",
        app_row,
        ra,
        decision,
        outcome={"status": decided["status"], "hours": decided["decided_hours"]},
    )
    answer = application(decided, entry_id=entry_id, ra=ra, participant_version=version)
    return Answer(200, dump(answer))


def _update(tx: Tx, app_row: Row, values: Row) -> Row:
    row = tx.cases.decide_application(app_row["application_id"], app_row["version"], values)
    if row is None:  # cannot happen under the case lock; the database has the last word
        raise Conflict(said("Der Antrag wurde gleichzeitig geändert."), code="version_conflict")
    return row


def _entry_id(entries: list[Row], application_id: int) -> int | None:
    return next((e["entry_id"] for e in entries if e.get("application_id") == application_id), None)


def _audit(
    tx: Tx,
    principal: Principal,
    case: CaseRecord,
    entry_id: int | None,
    action: str,
    app_row: Row,
    ra: RepetitionAssessment,
    decision: dict[str, object],
    outcome: dict[str, object] | None = None,
) -> None:
    tx.ledger.audit(
        at=tx.now,
        actor=principal,
        action=action,
        office=case.participant["office"],
        participant_id=case.participant_id,
        entry_id=entry_id,
        inputs={
            "application": dump(application(app_row)),
            "decision": decision,
            "conditions": [
                {"code": c.code, "met": c.met, "waivable": c.waivable} for c in ra.conditions
            ],
        },
        outcome=outcome or {"status": "offen"},
        rules_version=ra.rules_version,
    )
