"""Withdrawing a Zertifikat (Rücknahme, § 48 VwVfG) with four eyes (domain.md A.12).

When a correction takes the basis of a Zertifikat in force away, the assessment's next step is
`ruecknahme_vorschlagen`; a Zertifikat issued in error may be proposed for withdrawal at any
time too. A caseworker proposes with a written reason; a supervisor who is not the proposer
confirms or refuses. The service checks the four eyes, not only the app: the confirming token
and its holder's name must both differ from the proposer's. The proposer's claim on the entry
does not block the supervisor's decision. On confirmation the Zertifikat
leaves force (`zurueckgenommen`), stays on file, a letter to the participant states the
withdrawal (stored for dispatch), and the document now due can be issued. Every
step is audited; the case lock orders them.
"""

from __future__ import annotations

from inge_tui.api.requests import WithdrawalIn
from inge_tui.domain.repetition import reason_problem
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import Conflict, NotFound, invalid
from inge_tui.server.store.cases import CaseRecord, Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.casework import case_to_change, locked_case
from inge_tui.server.usecases.document_life import write_withdrawal_letter
from inge_tui.server.usecases.four_eyes import require_second_person
from inge_tui.server.usecases.postbox_sync import resync
from inge_tui.server.usecases.services import Answer, Services, check_version, dump
from inge_tui.server.usecases.views import certificate

PROPOSE, CONFIRM, REFUSE = "propose", "confirm", "refuse"


def decide(
    svc: Services,
    principal: Principal,
    certificate_id: str,
    step: str,
    body: WithdrawalIn,
    expected: int | None,
) -> Answer:
    """One step of a withdrawal: `propose`, `confirm` or `refuse`."""

    def run(tx: Tx) -> Answer:
        row = tx.ledger.certificate(certificate_id)
        if row is None:
            raise NotFound(said("Dokument nicht gefunden."))
        require_office(principal, row["office"], what=said("Dokument"))
        if step == PROPOSE:
            case = case_to_change(tx, principal, row["participant_id"], expected)
        else:
            # the second pair of eyes decides on the document, not on the work item: the
            # proposer's claim on the entry (held while the proposal waits) does not stand in
            # the way; a stale view still does
            case = locked_case(tx, principal, row["participant_id"])
            check_version(case, expected)
        open_proposal = next(
            (
                w
                for w in case.withdrawals
                if w["certificate_id"] == certificate_id and w["status"] == "offen"
            ),
            None,
        )
        if step == PROPOSE:
            outcome = _propose(tx, principal, row, open_proposal, body)
        else:
            outcome = _decide(tx, principal, row, open_proposal, body, confirm=step == CONFIRM)
            if outcome == "ruecknahme_bestaetigt":
                assert open_proposal is not None
                write_withdrawal_letter(tx, principal, case, row, open_proposal["reason"])
        synced = resync(tx, svc.rules, case.participant_id)
        fresh, a = synced.case, synced.assessment
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action=outcome,
            office=row["office"],
            participant_id=case.participant_id,
            inputs={"certificate_id": certificate_id, "reason": body.reason},
            outcome={"next_step": a.next_step.value},
            rules_version=a.rules_version,
        )
        current = _current(fresh, certificate_id)
        answer = certificate(
            current,
            participant_version=synced.version,
            withdrawals=fresh.withdrawals,
            letters=fresh.letters,
        )
        return Answer(201 if step == PROPOSE else 200, dump(answer))

    return svc.store.run(run)


def _propose(
    tx: Tx, principal: Principal, row: Row, open_proposal: Row | None, body: WithdrawalIn
) -> str:
    if row["kind"] != "zertifikat" or row["status"] != "gueltig":
        raise Conflict(
            said(
                "{number} ist kein gültiges Zertifikat; zurückgenommen werden kann nur ein"
                " Zertifikat, das in Kraft ist.",
                number=row["certificate_id"],
            ),
            code="not_withdrawable",
        )
    if open_proposal is not None:
        raise Conflict(
            said(
                "Für {number} liegt schon ein Vorschlag zur Rücknahme vor ({proposer}); er wartet"
                " auf die Freigabe.",
                number=row["certificate_id"],
                proposer=open_proposal["proposed_by"],
            ),
            code="withdrawal_pending",
        )
    problem = reason_problem(body.reason, said("Ein Vorschlag zur Rücknahme"))
    if problem:
        raise invalid("reason", problem)
    tx.ledger.insert_withdrawal(
        {
            "certificate_id": row["certificate_id"],
            "participant_id": row["participant_id"],
            "office": row["office"],
            "status": "offen",
            "reason": " ".join((body.reason or "").split()),
            "proposed_by": principal.name,
            "proposed_by_token": principal.token_id,
            "proposed_at": tx.now,
        }
    )
    return "ruecknahme_vorgeschlagen"


def _decide(
    tx: Tx,
    principal: Principal,
    row: Row,
    proposal: Row | None,
    body: WithdrawalIn,
    *,
    confirm: bool,
) -> str:
    if proposal is None:
        raise Conflict(
            said(
                "Für {number} liegt kein offener Vorschlag zur Rücknahme vor.",
                number=row["certificate_id"],
            ),
            code="no_withdrawal_pending",
        )
    require_second_person(
        principal,
        proposal,
        said("eine Rücknahme"),
        said("den eigenen Vorschlag zur Rücknahme"),
    )
    reason = " ".join((body.reason or "").split()) or None
    if not confirm:
        problem = reason_problem(reason, said("Die Ablehnung einer Rücknahme"))
        if problem:
            raise invalid("reason", problem)
    decided = tx.ledger.decide_withdrawal(
        proposal["withdrawal_id"],
        {
            "status": "bestaetigt" if confirm else "abgelehnt",
            "decided_by": principal.name,
            "decided_by_token": principal.token_id,
            "decided_at": tx.now,
            "decision_reason": reason,
        },
    )
    if decided is None:  # cannot happen under the case lock; the database has the last word
        raise Conflict(
            said("Der Vorschlag wurde gleichzeitig entschieden."), code="version_conflict"
        )
    if confirm:
        tx.ledger.end_certificate(row["certificate_id"], "zurueckgenommen", tx.now)
        return "ruecknahme_bestaetigt"
    return "ruecknahme_abgelehnt"


def _current(case: CaseRecord, certificate_id: str) -> Row:
    return next(c for c in case.certificates if c["certificate_id"] == certificate_id)
