"""Caseworkers' use cases on one case: view it, reveal its ID document number, capture a paper
DTZ or an alternative B1 proof, decide a repetition application.

Every change names the case's new `version`; a caller that names an older one (`If-Match` or
the body's `version`) gets 409 with the current state. A case another caseworker holds a live
claim on is refused with 409 `claimed`. Each decision is audited with its inputs and the rules
version that decided it.
"""

from __future__ import annotations

from inge_tui.api import models as m
from inge_tui.api.requests import AlternativeB1In, DtzPaperIn, DtzScoringIn
from inge_tui.domain._format import date_de
from inge_tui.domain.attempts import countable_dtz
from inge_tui.domain.repetition import reason_problem
from inge_tui.domain.said import said
from inge_tui.domain.types import Part
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import Conflict, Invalid, NotFound, invalid
from inge_tui.server.store.cases import CaseRecord
from inge_tui.server.store.schema import dtz_results
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.facts import case_facts, counted_rows
from inge_tui.server.usecases.ingestion import check_exam_date, dtz_row, within_repetition
from inge_tui.server.usecases.postbox_sync import resync
from inge_tui.server.usecases.services import (
    Answer,
    Services,
    check_not_claimed_by_other,
    check_version,
    dump,
    run_or_try,
)
from inge_tui.server.usecases.views import (
    application,
    assessment,
    audit_entry,
    certificate,
    data_request,
    dtz_result,
    hours_report,
    identity,
    lid_result,
    postbox_entry,
    refund,
)

AUDIT_IN_DETAIL = 100


def locked_case(tx: Tx, principal: Principal, participant_id: str) -> CaseRecord:
    """Lock and load a case of the caller's office; anything else is 404."""
    row = tx.cases.lock(participant_id)
    if row is None:
        raise NotFound(said("Fall nicht gefunden."))
    require_office(principal, row["office"])
    case = tx.cases.load(participant_id)
    assert case is not None
    return case


def case_to_change(
    tx: Tx, principal: Principal, participant_id: str, expected: int | None
) -> CaseRecord:
    """The locked case, if the caller may change it now: right version, no one else's claim."""
    case = locked_case(tx, principal, participant_id)
    check_version(case, expected)
    check_not_claimed_by_other(tx, case, principal.token_id)
    return case


def detail(svc: Services, tx: Tx, case: CaseRecord, principal: Principal) -> m.Participant:
    """Everything a decision needs, as of this transaction; `dtz` and `lid` are the sittings
    the decision counts (domain.md A.11), every sitting is marked counted or not."""
    rules = svc.rules
    a = rules.assess(case, on=tx.now.date())
    entries = tx.postbox.for_participant(case.participant_id)
    by_application = {e["application_id"]: e["entry_id"] for e in entries if e["application_id"]}
    by_refund = {e["refund_id"]: e["entry_id"] for e in entries if e.get("refund_id")}
    counted_dtz, counted_lid = counted_rows(case, a.counted)
    countable = {(s.exam_date, s.source.value) for s in countable_dtz(case_facts(case))}
    dtz_rows = [
        dtz_result(
            r,
            rules,
            counted=r is counted_dtz,
            countable=(r["exam_date"], r["source"]) in countable,
        )
        for r in reversed(case.dtz)
    ]
    lid_rows = [lid_result(r, rules, counted=r is counted_lid) for r in reversed(case.lid)]
    alt = case.alt_b1
    audit_rows = tx.ledger.audit_page(
        office=None, participant_id=case.participant_id, before=None, limit=AUDIT_IN_DETAIL
    )
    pending = any(b.code == "anmeldedatum_fehlt" for b in a.blockers)
    return m.Participant.model_validate(
        {
            **case.participant,
            "identity": identity(case.identity),
            # the counted sitting; while none is complete, the latest one that may count
            "dtz": next((d for d in dtz_rows if d.counted), None)
            or next((d for d in dtz_rows if d.countable), None),
            "dtz_attempts": dtz_rows,
            "lid": next((r for r in lid_rows if r.counted), None),
            "lid_attempts": lid_rows,
            "alternative_b1": (
                {**alt, "valid": a.alt_b1_valid, "pending": pending} if alt is not None else None
            ),
            "assessment": assessment(a),
            "hours_reports": [hours_report(r) for r in case.hours],
            "certificates": [
                certificate(c, withdrawals=case.withdrawals, letters=case.letters)
                for c in case.certificates
            ],
            "applications": [
                application(
                    r,
                    entry_id=by_application.get(r["application_id"]),
                    ra=rules.repetition(case, r),
                )
                for r in case.applications
            ],
            "refunds": [
                refund(r, entry_id=by_refund.get(r["refund_id"]), ra=rules.refund(case, r))
                for r in case.refunds
            ],
            "data_requests": [data_request(r, tx.now.date()) for r in case.data_requests],
            "postbox": [postbox_entry(e, principal.token_id) for e in entries],
            "audit": [audit_entry(r) for r in audit_rows],
        }
    )


def view_case(svc: Services, principal: Principal, participant_id: str) -> Answer:
    """The case, and an audit entry saying who looked at it (domain.md A.10)."""

    def run(tx: Tx) -> Answer:
        case = locked_case(tx, principal, participant_id)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="fall_angesehen",
            office=case.participant["office"],
            participant_id=participant_id,
        )
        return Answer(200, dump(detail(svc, tx, case, principal)))

    return svc.store.run(run)


def reveal_identity(svc: Services, principal: Principal, participant_id: str) -> Answer:
    """The identity with the full ID document number; the view is audited (domain.md A.10).

    The audit entry says who revealed what kind of document, never the number itself.
    """

    def run(tx: Tx) -> Answer:
        row = tx.cases.get(participant_id)
        if row is None:
            raise NotFound(said("Fall nicht gefunden."))
        require_office(principal, row["office"])
        case = tx.cases.load(participant_id)
        assert case is not None
        shown = identity(case.identity, reveal=True)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="identity_revealed",
            office=row["office"],
            participant_id=participant_id,
            inputs={"field": "document_number"},
            outcome={
                "document_type": shown.document_type.value if shown.document_type else None,
                "document_number_present": bool(shown.document_number),
            },
        )
        return Answer(200, dump(shown))

    return svc.store.run(run)


def capture_paper_dtz(
    svc: Services,
    principal: Principal,
    participant_id: str,
    body: DtzPaperIn,
    expected: int | None,
    *,
    dry_run: bool = False,
) -> Answer:
    """A DTZ result from the paper copy (all three parts): a self-payer's (R8), or, with a
    recorded reason, anyone's whose result the web service did not deliver. It never replaces
    a transmitted sitting: a paper capture for a day the web service delivered is refused."""

    def run(tx: Tx) -> Answer:
        case = case_to_change(tx, principal, participant_id, expected)
        check_exam_date("exam_date", body.exam_date, case, tx.now.date())
        self_payer = bool(case.participant["self_payer"])
        if not self_payer:
            problem = reason_problem(body.capture_reason, said("Die Papiererfassung"))
            if problem:
                raise invalid(
                    "capture_reason",
                    said(
                        "{problem}; Papierergebnisse sind für Selbstzahler, für andere nur mit"
                        " Grund (etwa: Webservice hat das Ergebnis nicht geliefert)",
                        problem=problem,
                    ),
                )
            sent = tx.cases.current_attempt(
                dtz_results, participant_id, body.exam_date, source="webservice"
            )
            if sent is not None:
                raise Conflict(
                    said(
                        "Für den DTZ vom {day} liegt ein über den Webservice übermitteltes"
                        " Ergebnis vor; eine Papiererfassung ersetzt es nicht.",
                        day=date_de(body.exam_date),
                    ),
                    code="dtz_transmitted",
                    field="exam_date",
                )
        current = tx.cases.current_attempt(
            dtz_results, participant_id, body.exam_date, source="paper"
        )
        revision = 1
        if current is not None:
            tx.cases.supersede(dtz_results, "dtz_id", current["dtz_id"], tx.now)
            revision = current["revision"] + 1
        row = dtz_row(
            svc,
            body.parts.given(),
            {
                "participant_id": participant_id,
                "exam_date": body.exam_date,
                "exam_center": body.exam_center,
                "source": "paper",
                "revision": revision,
                "funded": False,
                "within_repetition": within_repetition(case, body.exam_date),
                "capture_reason": None if self_payer else body.capture_reason,
                "recorded_at": tx.now,
            },
        )
        row = tx.cases.insert_attempt(dtz_results, row)
        return _changed(
            svc,
            tx,
            principal,
            participant_id,
            "dtz_papier_erfasst",
            {
                "dtz": dump(dtz_result(row, svc.rules)),
                "capture_reason": row["capture_reason"],
            },
            correction=current is not None,
        )

    return run_or_try(svc, run, dry_run=dry_run)


def record_alternative_b1(
    svc: Services,
    principal: Principal,
    participant_id: str,
    body: AlternativeB1In,
    expected: int | None,
    *,
    dry_run: bool = False,
) -> Answer:
    """An alternative B1 proof (R4); whether it counts is the assessment's `alt_b1_valid`.
    No date on it may lie after the day it is captured."""

    def run(tx: Tx) -> Answer:
        case_to_change(tx, principal, participant_id, expected)  # locks and checks
        today = tx.now.date()
        for field in ("issued_on", "presented_on"):
            day = getattr(body, field)
            if day > today:
                raise invalid(field, said("{day} liegt nach dem heutigen Tag", day=date_de(day)))
        values = body.model_dump(exclude={"version"})
        tx.cases.replace_alt_b1(
            participant_id, {**values, "recorded_by": principal.name, "recorded_at": tx.now}
        )
        return _changed(svc, tx, principal, participant_id, "alternativer_b1_nachweis", values)

    return run_or_try(svc, run, dry_run=dry_run)


def _changed(
    svc: Services,
    tx: Tx,
    principal: Principal,
    participant_id: str,
    action: str,
    inputs: dict[str, object],
    *,
    correction: bool = False,
) -> Answer:
    synced = resync(tx, svc.rules, participant_id, correction=correction)
    case, a = synced.case, synced.assessment
    tx.ledger.audit(
        at=tx.now,
        actor=principal,
        action=action,
        office=case.participant["office"],
        participant_id=participant_id,
        inputs=inputs,
        outcome={"document": a.document, "blockers": [b.code for b in a.blockers]},
        rules_version=a.rules_version,
    )
    return Answer(200, dump(detail(svc, tx, case, principal)))


def score_dtz(svc: Services, body: DtzScoringIn) -> Answer:
    """R1 and R2 with this service's thresholds, for a form's live preview; nothing stored."""
    rules = svc.rules
    parts = {Part(p): float(v) for p, v in body.parts.items()}
    problems = []
    for part, points in parts.items():
        try:
            rules.dtz({part: points})
        except ValueError as error:  # the configured scale does not allow these points
            problem = getattr(error, "problem", None) or str(error).split(": ", 1)[-1]
            problems.append((f"parts.{part.value}", problem))
    if problems:
        raise Invalid(problems)
    outcome = rules.dtz(parts)
    score = m.DtzScore(
        parts={
            p: m.PartResult(points=v, maximum=rules.maximum(p), level=outcome.parts[p])
            for p, v in parts.items()
        },
        overall=outcome.overall if outcome.complete else None,
        complete=outcome.complete,
    )
    return Answer(200, dump(score))
