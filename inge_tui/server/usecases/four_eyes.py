"""The second pair of eyes (domain.md A.12): a step proposed by one person takes effect only
when a supervisor who is not that person confirms it. Used for withdrawing a Zertifikat and
for an approval that waives the DTZ condition (R13.3). Checked by the service, by the
confirming token and by its holder's name, so a second token of the proposer does not pass.
"""

from __future__ import annotations

from inge_tui.api import models as m
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal
from inge_tui.server.errors import Forbidden


def require_second_person(
    principal: Principal, proposal: dict[str, object], what: str, own: str
) -> None:
    """403 unless `principal` is a supervisor other than the proposal's `proposed_by`(`_token`);
    `what` and `own` name the step in German ("eine Rücknahme", "den eigenen Vorschlag zur
    Rücknahme")."""
    if principal.role != m.Role.SUPERVISOR:
        raise Forbidden(
            said("Über {what} entscheidet die Leitung (Rolle Leitung/supervisor).", what=what),
            code="forbidden",
        )
    if (
        principal.token_id == proposal["proposed_by_token"]
        or principal.name == proposal["proposed_by"]
    ):
        raise Forbidden(
            said("Vier-Augen-Prinzip: über {own} entscheidet eine andere Person.", own=own),
            code="four_eyes",
        )
