"""Withdrawing a Zertifikat with four eyes (Rücknahme, § 48 VwVfG; domain.md A.12): a
caseworker proposes with a written reason, a supervisor other than the proposer confirms or
refuses. The service checks the roles and the four eyes; these commands only carry the step.
Registered when `inge_tui.commands.case` is imported.
"""

from __future__ import annotations

from typing import Any, ClassVar

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Certificate, Participant
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_session import (
    case_availability,
    case_for,
    change_availability,
    failure,
    refresh_case,
)
from inge_tui.i18n import N_, _


def zertifikat_in_force(participant: Participant) -> Certificate | None:
    return next(
        (c for c in participant.certificates if c.kind == "zertifikat" and c.status == "gueltig"),
        None,
    )


def _proposal_open(certificate: Certificate | None) -> bool:
    return certificate is not None and any(w.status == "offen" for w in certificate.withdrawals)


class _WithdrawalStep(Command):
    step: ClassVar[str]
    done: ClassVar[str]
    changes_data = True

    def available(self, session: Session) -> Availability:
        # the supervisor decides on the document: the proposer's claim does not stand in the way
        allowed = (
            change_availability(session) if self.step == "propose" else case_availability(session)
        )
        if not allowed.ok or session.participant is None:
            return allowed
        certificate = zertifikat_in_force(session.participant)
        if certificate is None:
            return Availability(False, _("Kein gültiges Zertifikat in diesem Fall"))
        if _proposal_open(certificate) is (self.step == "propose"):
            return Availability(
                False,
                _("Ein Vorschlag zur Rücknahme wartet schon auf die Freigabe")
                if self.step == "propose"
                else _("Kein offener Vorschlag zur Rücknahme"),
            )
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        participant = await case_for(self, session)
        if isinstance(participant, Outcome):
            return participant
        certificate = zertifikat_in_force(participant)
        assert certificate is not None
        reason = str(kwargs.get("reason") or "").strip() or None
        try:
            await session.client.withdrawal(
                certificate.certificate_id, self.step, reason, participant.version
            )
        except ApiError as error:
            return failure(error)
        await refresh_case(session, participant.participant_id)
        return Outcome(
            True,
            f"{certificate.certificate_id}: {_(self.done)}.",
            {"certificate_id": certificate.certificate_id, "step": self.step},
        )


@register
class ProposeWithdrawal(_WithdrawalStep):
    id = "propose-withdrawal"
    title = N_("Rücknahme des Zertifikats vorschlagen")
    help = N_(
        "Schlägt die Rücknahme des gültigen Zertifikats vor (§ 48 VwVfG), wenn seine Grundlage "
        "weggefallen ist oder es irrtümlich ausgestellt wurde; Begründung mit mindestens 20 "
        "Zeichen. Die Leitung gibt frei."
    )
    binding = "case.propose-withdrawal"
    key = "z"
    label = N_("Rücknahme vorschlagen")
    args = (Arg("reason", N_("Begründung"), rest=True),)
    step = "propose"
    done = N_("Rücknahme vorgeschlagen; sie wartet auf die Freigabe durch die Leitung")


@register
class ConfirmWithdrawal(_WithdrawalStep):
    id = "confirm-withdrawal"
    title = N_("Rücknahme freigeben (Leitung)")
    help = N_(
        "Gibt die vorgeschlagene Rücknahme frei: nur die Leitung, nie die vorschlagende Person "
        "(Vier-Augen-Prinzip). Danach ist das Dokument auszustellen, das jetzt zusteht."
    )
    binding = "case.confirm-withdrawal"
    key = "Z"
    label = N_("Rücknahme freigeben")
    args = (Arg("reason", N_("Anmerkung"), required=False, rest=True),)
    step = "confirm"
    done = N_("Rücknahme freigegeben; jetzt das fällige Dokument ausstellen")


@register
class RefuseWithdrawal(_WithdrawalStep):
    id = "refuse-withdrawal"
    title = N_("Rücknahme ablehnen (Leitung)")
    help = N_("Lehnt die vorgeschlagene Rücknahme ab: nur die Leitung, mit Begründung.")
    binding = "case.refuse-withdrawal"
    key = "N"
    label = N_("Rücknahme ablehnen")
    args = (Arg("reason", N_("Begründung"), rest=True),)
    step = "refuse"
    done = N_("Rücknahme abgelehnt")
