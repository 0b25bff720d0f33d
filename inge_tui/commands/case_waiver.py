"""Four eyes on a repetition approval that waives the DTZ condition (R13.3; domain.md A.12).

`decide-repetition` with the waiver proposes the approval; a supervisor other than the proposer
confirms it (`confirm-waiver`) or refuses it with a reason (`refuse-waiver`). The service checks
the role and the four eyes; these commands carry the step for the case's one waiting proposal.
Registered when `inge_tui.commands.case` is imported.
"""

from __future__ import annotations

from typing import Any, ClassVar

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Participant, RepetitionApplication
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_session import (
    case_availability,
    case_for,
    failure,
    refresh_case,
)
from inge_tui.i18n import N_, _


def waiting_waiver(participant: Participant) -> RepetitionApplication | None:
    """The case's application whose approval with a waiver waits for a supervisor."""
    return next(
        (a for a in participant.applications if a.status == "offen" and a.waiver_proposal), None
    )


class _WaiverStep(Command):
    step: ClassVar[str]
    done: ClassVar[str]
    changes_data = True

    def available(self, session: Session) -> Availability:
        # the supervisor decides on the proposal: the proposer's claim does not stand in the way
        allowed = case_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        if waiting_waiver(session.participant) is None:
            return Availability(False, _("Kein Verzicht wartet auf die Freigabe"))
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        participant = await case_for(self, session)
        if isinstance(participant, Outcome):
            return participant
        application = waiting_waiver(participant)
        assert application is not None  # available() says so
        reason = str(kwargs.get("reason") or "").strip() or None
        try:
            await session.client.waiver(
                application.application_id, self.step, reason, participant.version
            )
        except ApiError as error:
            return failure(error)
        await refresh_case(session, participant.participant_id)
        return Outcome(
            True,
            _("Antrag {id}: {done}.").format(id=application.application_id, done=_(self.done)),
            {"application_id": application.application_id, "step": self.step},
        )


@register
class ConfirmWaiver(_WaiverStep):
    id = "confirm-waiver"
    title = N_("Verzicht auf die DTZ-Voraussetzung freigeben (Leitung)")
    help = N_(
        "Gibt die vorgeschlagene Bewilligung mit Verzicht auf die DTZ-Voraussetzung frei (R13.3):"
        " nur die Leitung, nie die vorschlagende Person (Vier-Augen-Prinzip)."
    )
    binding = "case.confirm-waiver"
    key = "G"
    label = N_("Verzicht freigeben")
    args = (Arg("reason", N_("Anmerkung"), required=False, rest=True),)
    step = "confirm"
    done = N_("Verzicht freigegeben, Wiederholung bewilligt")


@register
class RefuseWaiver(_WaiverStep):
    id = "refuse-waiver"
    title = N_("Verzicht auf die DTZ-Voraussetzung ablehnen (Leitung)")
    help = N_(
        "Lehnt den vorgeschlagenen Verzicht ab: nur die Leitung, mit Begründung. Der Antrag ist"
        " danach wieder offen."
    )
    binding = "case.refuse-waiver"
    key = "A"
    label = N_("Verzicht ablehnen")
    args = (Arg("reason", N_("Begründung"), rest=True),)
    step = "refuse"
    done = N_("Verzicht abgelehnt; der Antrag ist wieder offen")
