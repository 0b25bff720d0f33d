"""Which test sitting counts when a participant sat a test more than once.

A DTZ counts with its best complete result (highest overall level; on a tie the latest sitting),
a LiD with its most points (on a tie the latest). So a later, worse sitting never takes back an
earlier B1 or an earlier pass: § 9 Abs. 3 IntTestV lets a person sit the tests any number of
times, and § 17 Abs. 2 IntV asks only that B1 and the pass mark were shown (domain.md A.11).

Which DTZ sittings may count at all (R8): for a self-payer only those the Regionalstelle
captured from paper; for anyone else every sitting, but where the web service transmitted a
sitting, a paper stand-in for the same exam day gives way to it. An aborted sitting (R2a) is
complete and "unter A2", with no part scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from .levels import DEFAULT_THRESHOLDS, dtz_outcome
from .types import CaseFacts, DtzAttempt, DtzOutcome, Level, LidAttempt, ResultSource, Thresholds

# R2a: an aborted sitting is complete, not passed, and no part of it is scored
ABORTED = DtzOutcome(parts=MappingProxyType({}), overall=Level.UNTER_A2, complete=True)

T = TypeVar("T", DtzAttempt, LidAttempt)


@dataclass(frozen=True)
class ScoredDtz:
    """A DTZ sitting with its levels worked out."""

    attempt: DtzAttempt
    outcome: DtzOutcome

    @property
    def overall(self) -> Level | None:
        return self.outcome.overall


def score_dtz(
    attempts: Iterable[DtzAttempt], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[ScoredDtz]:
    """Every sitting with its outcome, oldest first (same day: in the order given)."""
    return [ScoredDtz(a, outcome_of(a, thresholds)) for a in _oldest_first(attempts)]


def outcome_of(attempt: DtzAttempt, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> DtzOutcome:
    """R1, R2 and R2a for one sitting."""
    return ABORTED if attempt.aborted else dtz_outcome(attempt.parts, thresholds)


def countable_dtz(facts: CaseFacts) -> tuple[DtzAttempt, ...]:
    """R8: the sittings that may count for this person (see the module docstring)."""
    if facts.self_payer:
        return tuple(a for a in facts.dtz_attempts if a.source is ResultSource.PAPER)
    transmitted = {a.exam_date for a in facts.dtz_attempts if a.source is ResultSource.WEBSERVICE}
    return tuple(
        a
        for a in facts.dtz_attempts
        if a.source is ResultSource.WEBSERVICE or a.exam_date not in transmitted
    )


def best_dtz(scored: list[ScoredDtz]) -> ScoredDtz | None:
    """The sitting that counts among `scored` (oldest first): the best complete one, the latest
    among equals; None while no sitting is complete."""
    best: ScoredDtz | None = None
    for candidate in scored:
        level = candidate.overall
        if level is not None and (best is None or level.rank >= _rank(best.overall)):
            best = candidate
    return best


def best_lid(attempts: Iterable[LidAttempt]) -> LidAttempt | None:
    """The LiD sitting that counts: most points, the latest among equals; None if none."""
    best: LidAttempt | None = None
    for attempt in _oldest_first(attempts):
        if best is None or attempt.points >= best.points:
            best = attempt
    return best


def _oldest_first(attempts: Iterable[T]) -> list[T]:
    # sorted() is stable: sittings of one day keep the order they were given in
    return sorted(attempts, key=lambda attempt: attempt.exam_date)


def _rank(level: Level | None) -> int:
    return -1 if level is None else level.rank
