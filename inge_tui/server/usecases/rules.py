"""The domain engine as the service uses it: configured thresholds, one call per question."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from inge_tui.domain import (
    DEFAULT_THRESHOLDS,
    assess_completion,
    assess_refund,
    assess_repetition,
    check_repetition_decision,
    dtz_outcome,
    lid_outcome,
    thresholds_from_mapping,
)
from inge_tui.domain.attempts import ABORTED
from inge_tui.domain.types import (
    Assessment,
    DtzOutcome,
    LidOutcome,
    Part,
    Reason,
    RefundAssessment,
    RepetitionAssessment,
    Thresholds,
)
from inge_tui.server.store.cases import CaseRecord, Row
from inge_tui.server.usecases.facts import case_facts, facts_for_application, repetition_facts


class Rules:
    """The rules with this service's DTZ thresholds (R1 overrides from the settings)."""

    def __init__(self, overrides: Mapping[str, Mapping[str, float]] | None = None) -> None:
        self.thresholds: Thresholds = (
            thresholds_from_mapping(overrides) if overrides else DEFAULT_THRESHOLDS
        )

    def assess(self, case: CaseRecord, *, on: date) -> Assessment:
        return assess_completion(case_facts(case), on=on, thresholds=self.thresholds)

    def dtz(self, parts: Mapping[Part, float]) -> DtzOutcome:
        return dtz_outcome(parts, self.thresholds)

    def dtz_sitting(self, parts: Mapping[Part, float], *, aborted: bool) -> DtzOutcome:
        """R1, R2 and R2a for a stored sitting: an aborted one is complete, unter A2."""
        return ABORTED if aborted else dtz_outcome(parts, self.thresholds)

    def lid(self, points: int) -> LidOutcome:
        return lid_outcome(points)

    def maximum(self, part: Part) -> float:
        return float(self.thresholds.scale(part).maximum)

    def repetition(self, case: CaseRecord, application: Row) -> RepetitionAssessment:
        return assess_repetition(
            facts_for_application(case, application),
            repetition_facts(application),
            thresholds=self.thresholds,
        )

    def refund(self, case: CaseRecord, application: Row) -> RefundAssessment:
        """R16 for a refund application, on the case as it stands now (a Zertifikat issued or
        withdrawn since the application was filed counts)."""
        full = application.get("contribution_full_cents")
        return assess_refund(
            case_facts(case),
            contribution_paid=Decimal(application["contribution_paid_cents"]) / 100,
            contribution_full=Decimal(full) / 100 if full is not None else None,
            thresholds=self.thresholds,
        )

    def decision_problems(
        self,
        assessment: RepetitionAssessment,
        *,
        decision: str,
        hours: int | None,
        waive_dtz_condition: bool,
        reason: str | None,
    ) -> tuple[Reason, ...]:
        return check_repetition_decision(
            assessment,
            decision=decision,
            hours=hours,
            waive_dtz_condition=waive_dtz_condition,
            reason=reason,
        )
