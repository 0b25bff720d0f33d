"""The rules of domain.md as pure functions over plain data (stdlib only, nothing else of ours).

Scoring (R1–R3) in `levels`, the completion decision (R4–R12) in `completion`, repetition
applications (R13–R15) in `repetition`, the refund (R16) in `refund`, deletion dates (R17) in
`retention`, course facts (R18, R19) in `course`, and the dated rule sets in `rulesets`.
"""

from .alt_b1 import RECOGNISED_B1_EXAMS, check_alt_b1, is_recognised_exam
from .completion import assess_completion, identity_blockers, success_date
from .course import DEFAULT_CONTINGENT, dtz_admission, orientation_hours
from .funding import assess_funding
from .levels import (
    DEFAULT_THRESHOLDS,
    dtz_outcome,
    lid_outcome,
    overall_level,
    part_level,
    thresholds_from_mapping,
    thresholds_to_mapping,
)
from .refund import assess_refund
from .repetition import MAX_REPETITION_HOURS, assess_repetition, check_repetition_decision
from .retention import retention_dates
from .rulesets import RULE_SETS, RULES_VERSION, RuleSet, rules_version, ruleset_for
from .types import (
    AltB1Proof,
    Assessment,
    Blocker,
    CaseFacts,
    Condition,
    CourseType,
    DocumentKind,
    DtzAdmission,
    DtzAttempt,
    DtzOutcome,
    Funding,
    IdDocumentType,
    Level,
    LidAttempt,
    LidOutcome,
    OrientationHours,
    Part,
    PartScale,
    Reason,
    RefundAssessment,
    RepetitionAssessment,
    RepetitionFacts,
    ResultSource,
    RetentionDates,
    Thresholds,
)

__all__ = [
    "DEFAULT_CONTINGENT",
    "DEFAULT_THRESHOLDS",
    "MAX_REPETITION_HOURS",
    "RECOGNISED_B1_EXAMS",
    "RULES_VERSION",
    "RULE_SETS",
    "AltB1Proof",
    "Assessment",
    "Blocker",
    "CaseFacts",
    "Condition",
    "CourseType",
    "DocumentKind",
    "DtzAdmission",
    "DtzAttempt",
    "DtzOutcome",
    "Funding",
    "IdDocumentType",
    "Level",
    "LidAttempt",
    "LidOutcome",
    "OrientationHours",
    "Part",
    "PartScale",
    "Reason",
    "RefundAssessment",
    "RepetitionAssessment",
    "RepetitionFacts",
    "ResultSource",
    "RetentionDates",
    "RuleSet",
    "Thresholds",
    "assess_completion",
    "assess_funding",
    "assess_refund",
    "assess_repetition",
    "check_alt_b1",
    "check_repetition_decision",
    "dtz_admission",
    "dtz_outcome",
    "identity_blockers",
    "is_recognised_exam",
    "lid_outcome",
    "orientation_hours",
    "overall_level",
    "part_level",
    "retention_dates",
    "rules_version",
    "ruleset_for",
    "success_date",
    "thresholds_from_mapping",
    "thresholds_to_mapping",
]
