"""Deciding a refund application in the command set (§ 9 Abs. 6 IntV, R16).

`decide-refund bewilligen [ANMERKUNG…]` grants the amount the service computed from R16 (the
caseworker never types an amount); `decide-refund ablehnen GRUND…` refuses with a reason. The
application is the one the open Postkorb entry stands for, else the case's only open one. The
Bescheid (a PDF letter) is handed to the user at once, like an issued document, and goes out
with the print run. Registered when `inge_tui.commands.case` is imported.
"""

from __future__ import annotations

from typing import Any

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Participant, RefundApplication
from inge_tui.api.words import euro_cents
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_session import (
    case_for,
    change_availability,
    deliver,
    failure,
    refresh_case,
)
from inge_tui.i18n import N_, _

DECISIONS = {
    "bewilligen": "approve",
    "approve": "approve",
    "ablehnen": "reject",
    "reject": "reject",
}


def open_refunds(participant: Participant) -> list[RefundApplication]:
    return [r for r in participant.refunds if r.status == "offen"]


def refund_in_view(session: Session) -> RefundApplication | None:
    """The application the open entry stands for, else the case's only open one."""
    participant = session.participant
    if participant is None:
        return None
    pending = open_refunds(participant)
    entry = session.entry
    if entry is not None and entry.refund_id is not None:
        return next((r for r in pending if r.refund_id == entry.refund_id), None)
    return pending[0] if len(pending) == 1 else None


@register
class DecideRefund(Command):
    id = "decide-refund"
    title = N_("Erstattungsantrag entscheiden")
    help = N_(
        "Bewilligt die Erstattung von 50 % des gezahlten Kostenbeitrags (Betrag nach R16, nur "
        "wenn jede Voraussetzung erfüllt ist) oder lehnt mit Begründung ab; der Bescheid wird "
        "als PDF abgelegt und mit dem Tagesdruck versandt."
    )
    binding = "case.decide-refund"
    key = "R"
    label = N_("Erstattung")
    changes_data = True
    args = (
        Arg("decision", N_("bewilligen oder ablehnen"), choices=tuple(DECISIONS)),
        Arg("reason", N_("Begründung (bei ablehnen nötig)"), required=False, rest=True),
    )

    def available(self, session: Session) -> Availability:
        allowed = change_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        pending = open_refunds(session.participant)
        if not pending:
            return Availability(False, _("Kein offener Erstattungsantrag"))
        if refund_in_view(session) is None:
            return Availability(False, _("Mehrere Erstattungsanträge offen: den Eintrag öffnen"))
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        participant = await case_for(self, session)
        if isinstance(participant, Outcome):
            return participant
        refund = refund_in_view(session)
        assert refund is not None  # available() said so
        decision = DECISIONS[kwargs["decision"]]
        reason = " ".join(str(kwargs.get("reason") or "").split()) or None
        try:
            decided = await session.client.decide_refund(
                refund.refund_id, decision=decision, reason=reason, version=participant.version
            )
        except ApiError as error:
            await refresh_case(session, participant.participant_id)
            return failure(error, draft=True)
        await refresh_case(session, participant.participant_id)
        said = refund_summary(decided)
        try:
            pdf = await session.client.refund_letter(decided.refund_id)
            where = await deliver(session, pdf, f"{decided.letter_id}.pdf", "application/pdf")
        except ApiError as error:
            missing = _("{said} Bescheid {number} nicht abgerufen: {error}")
            return Outcome(
                True,
                missing.format(said=said, number=decided.letter_id, error=error.message),
                {"refund_id": decided.refund_id, "letter_id": decided.letter_id},
            )
        return Outcome(
            True,
            _("{said} Bescheid {number}: {path}").format(
                said=said, number=decided.letter_id, path=where
            ),
            {"refund_id": decided.refund_id, "letter_id": decided.letter_id, "path": where},
        )


def refund_summary(refund: RefundApplication) -> str:
    if refund.status == "bewilligt":
        amount = euro_cents(refund.amount_cents)
        return _("Erstattung bewilligt: {amount} (Antrag {id}).").format(
            amount=amount, id=refund.refund_id
        )
    return _("Erstattung abgelehnt (Antrag {id}): {reason}.").format(
        id=refund.refund_id, reason=refund.decision_reason
    )
