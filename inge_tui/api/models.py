"""The contract's resources (api.md) as pydantic models, shared by the service and the app.

This module holds the enums and the response models. Response models ignore fields they do not
know, so an older app keeps reading a newer service. The request bodies live in `requests`, the
German wording of field errors in `field_errors`. This module imports neither Textual nor
FastAPI nor SQLAlchemy and loads fast.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from inge_tui.domain.types import (
    CourseType,
    DocumentKind,
    DocumentStatus,
    IdDocumentType,
    Level,
    NextStep,
    Part,
    ResultSource,
)

__all__ = [
    "CourseType",
    "DocumentKind",
    "DocumentStatus",
    "IdDocumentType",
    "Level",
    "NextStep",
    "Part",
    "ResultSource",
]


class Role(StrEnum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    TEST_INSTITUTE = "test_institute"
    OET = "oet"
    COURSE_PROVIDER = "course_provider"
    ADMIN = "admin"


class EntryKind(StrEnum):
    ABSCHLUSS = "abschluss"
    WIEDERHOLUNG = "wiederholung"
    ERSTATTUNG = "erstattung"


class EntryStatus(StrEnum):
    OFFEN = "offen"
    IN_BEARBEITUNG = "in_bearbeitung"
    ERLEDIGT = "erledigt"


class AwaitingFilter(StrEnum):
    """The Postkorb's `awaiting` filter: entries that wait for someone other than their
    caseworker; `freigabe`: a supervisor's four eyes (a withdrawal, a waiver of R13.3)."""

    FREIGABE = "freigabe"


class DocumentFilter(StrEnum):
    """The Postkorb's `document` filter: the expected document, or none yet (`keins`)."""

    ZERTIFIKAT = "zertifikat"
    BESCHEINIGUNG = "bescheinigung"
    KEINS = "keins"


class PostboxSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"


class CefrLevel(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class RepetitionDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ApplicationStatus(StrEnum):
    OFFEN = "offen"
    GENEHMIGT = "genehmigt"
    ABGELEHNT = "abgelehnt"


class RefundStatus(StrEnum):
    OFFEN = "offen"
    BEWILLIGT = "bewilligt"
    ABGELEHNT = "abgelehnt"


class WithdrawalStatus(StrEnum):
    OFFEN = "offen"
    BESTAETIGT = "bestaetigt"
    ABGELEHNT = "abgelehnt"


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------- responses


class FieldError(_Response):
    field: str
    message: str


class Problem(_Response):
    """An error answer: `detail` is a German sentence or, for 422, the list of field errors."""

    detail: str | list[FieldError]
    code: str | None = None
    blockers: list[BlockerOut] | None = None
    reasons: list[ReasonOut] | None = None
    current: dict[str, Any] | None = None
    field: str | None = None  # the parameter a refusal other than 422 is about (`office`)


class Health(_Response):
    status: str
    database: str
    schema_version: int
    version: str


class Office(_Response):
    code: str
    name: str


class TokenInfo(_Response):
    token_id: int
    role: Role
    office: str | None
    name: str
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None: made before tokens expired (schema 7)


class TokenCreated(TokenInfo):
    token: str  # shown once; only its hash is stored


class PartResult(_Response):
    points: float
    maximum: float
    level: Level


class DtzResult(_Response):
    """One DTZ sitting. `counted`: the sitting the decision counts (domain.md A.11);
    `countable`: False for a sitting the rules may not count (a self-payer's web-service
    result, a paper stand-in for a day the web service transmitted; R8)."""

    exam_date: date
    exam_center: str
    source: ResultSource
    parts: dict[Part, PartResult]
    overall: Level | None
    complete: bool
    revision: int
    corrected: bool
    recorded_at: datetime
    aborted: bool = False
    capture_reason: str | None = None
    counted: bool = False
    countable: bool = True


class DtzScore(_Response):
    """Points scored by the service's thresholds: each given part's level, and the overall
    level once all three are there (R1, R2)."""

    parts: dict[Part, PartResult]
    overall: Level | None
    complete: bool


class LidResult(_Response):
    exam_date: date
    points: int
    passed: bool
    counted: bool = False
    naturalisation: bool
    revision: int
    corrected: bool
    recorded_at: datetime


class AlternativeB1(_Response):
    exam_name: str
    level: CefrLevel
    issued_on: date
    presented_on: date
    valid: bool
    pending: bool = False  # waits for the date of registration with the course provider (R4)


class Address(_Response):
    street: str
    postal_code: str
    city: str


class Identity(_Response):
    """`document_number_masked` keeps only the last two characters (`•••••••47`); the full
    `document_number` is personal data, sent only by the audited reveal route
    (`POST /v1/participants/{id}/identity/reveal`), null everywhere else; nobody logs it."""

    document_type: IdDocumentType | None = None
    document_number: str | None = Field(default=None, repr=False)
    document_number_masked: str | None = None
    address: Address | None = None
    updated_at: datetime | None = None


class BlockerOut(_Response):
    code: str
    text: str
    supplier: str
    rule_id: str


class ReasonOut(_Response):
    """Why a rule decided as it did; `about` names the input a failing condition is about
    (`exam_name`, `level`, `issued_on`, `presented_on` for R4; `hours`, `reason` for a
    decision), so a form can show it under that field."""

    rule_id: str
    text: str
    citation: str
    about: str | None = None


class FundingOut(_Response):
    second_funded_dtz_possible: bool
    funded_lid_used: bool
    reasons: list[ReasonOut] = []


class CountedOut(_Response):
    """The sittings the decision counted (A.11): what the document prints."""

    dtz_exam_date: date | None = None
    dtz_source: ResultSource | None = None
    alt_b1: bool = False
    lid_exam_date: date | None = None


class AssessmentOut(_Response):
    """`document`: what the rules call for; `next_step`: what is due given the document in
    force (`ausstellen`, `warten`, `ruecknahme_vorschlagen`, `ruecknahme_freigeben`, `keiner`);
    `can_issue` is true exactly when issuing now is accepted."""

    document: DocumentKind | None
    blockers: list[BlockerOut]
    reasons: list[ReasonOut]
    funding: FundingOut
    rules_version: str
    can_issue: bool
    alt_b1_valid: bool = False
    next_step: NextStep = NextStep.WARTEN
    counted: CountedOut = CountedOut()
    in_force: str | None = None  # the number of the document in force
    supersedes: str | None = None  # the number issuing now replaces


class ConditionOut(_Response):
    rule_id: str
    code: str
    text: str
    citation: str
    met: bool
    waivable: bool = False
    pending: bool = False  # not met yet; the decision waits for a fact (R13 9th section)
    required: bool = True  # False: shown and recorded, decides nothing alone (R14 attendance)


class RepetitionAssessmentOut(_Response):
    rules_version: str
    conditions: list[ConditionOut]
    max_hours: int
    mandatory: bool
    eligible: bool
    eligible_with_waiver: bool
    reasons: list[ReasonOut] = []
    waiting: bool = False  # approval waits for a pending condition


class WaiverProposal(_Response):
    """An approval that waives the DTZ condition (R13.3), proposed and waiting for a
    supervisor other than the proposer (four eyes)."""

    hours: int
    reason: str
    proposed_by: str
    proposed_at: datetime


class RepetitionApplication(_Response):
    application_id: int
    participant_id: str
    received_on: date
    requested_hours: int
    provider_confirmation: bool
    repetition_starts_on: date | None = None
    in_ninth_section: bool = False
    proper_attendance: bool = True
    obliged_44a: bool = False
    status: ApplicationStatus
    decision: RepetitionDecision | None = None
    decided_hours: int | None = None
    waive_dtz_condition: bool | None = None
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    rules_version: str | None = None
    version: int
    created_at: datetime
    waiver_proposal: WaiverProposal | None = None  # waits for the supervisor's confirmation
    waiver_confirmed_by: str | None = None  # the second pair of eyes on a waiver
    entry_id: int | None = None
    assessment: RepetitionAssessmentOut | None = None
    participant_version: int | None = None


class RefundAssessmentOut(_Response):
    """What R16 says about a refund application: each condition and the amount in cents."""

    rules_version: str
    eligible: bool
    amount_cents: int  # 50 % of the contribution paid, 0 unless eligible
    deadline: date | None = None  # the last day on which success still counts
    window_years: int | None = None
    success_date: date | None = None
    conditions: list[ConditionOut]
    reasons: list[ReasonOut] = []


class RefundApplication(_Response):
    """An application to refund 50 % of the contribution paid (§ 9 Abs. 6 IntV, R16)."""

    refund_id: int
    participant_id: str
    office: str
    received_on: date
    contribution_paid_cents: int
    contribution_full_cents: int | None = None  # without exemption, when the provider knows it
    iban_masked: str  # DE•• •••• •••• •••• ••30 00
    account_holder: str
    filed_by: str  # the course provider that filed it
    status: RefundStatus
    amount_cents: int | None = None  # granted
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    rules_version: str | None = None
    letter_id: str | None = None  # the Bescheid (GET /v1/refund-applications/{id}/letter)
    dispatched_at: datetime | None = None
    version: int
    created_at: datetime
    entry_id: int | None = None
    assessment: RefundAssessmentOut | None = None
    participant_version: int | None = None


class Withdrawal(_Response):
    """A proposal to withdraw a Zertifikat (Rücknahme, § 48 VwVfG) and its four-eyes decision."""

    withdrawal_id: int
    certificate_id: str
    participant_id: str
    status: WithdrawalStatus
    reason: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


class Letter(_Response):
    """What the office posts besides a document: a Zweitschrift of it or a withdrawal letter."""

    letter_id: str  # ZIK-2026-0000123-Z1 (copy), ZIK-2026-0000123-R (withdrawal letter)
    kind: str  # zweitschrift | ruecknahme
    certificate_id: str
    issued_on: date
    issued_at: datetime
    issued_by: str
    reason: str | None = None
    dispatched_at: datetime | None = None
    pdf_url: str


class Certificate(_Response):
    certificate_id: str  # the document number, e.g. ZIK-2026-0000123
    kind: DocumentKind
    participant_id: str
    office: str
    issued_on: date
    issued_at: datetime
    issued_by: str
    rules_version: str
    inputs: dict[str, Any] = {}
    pdf_url: str
    participant_version: int | None = None
    status: DocumentStatus = DocumentStatus.GUELTIG
    superseded_by: str | None = None
    superseded_at: datetime | None = None
    supersedes: str | None = None
    withdrawals: list[Withdrawal] = []
    # the decision record (Aktenvermerk): why the rules gave this document, with citations;
    # it stays in the case file and is not printed on the participant's document
    record: list[ReasonOut] = []
    reversed_by: str | None = None
    reversal_reason: str | None = None
    dispatched_at: datetime | None = None
    letters: list[Letter] = []


class DispatchItem(_Response):
    item_id: str  # a document number or a letter id
    kind: str  # zertifikat | bescheinigung | zweitschrift | ruecknahme
    participant_id: str
    name: str
    issued_on: date


class DispatchBatch(_Response):
    """What the office has not posted yet, in print order; `as_of` names this stand."""

    office: str
    as_of: datetime
    items: list[DispatchItem] = []


class DispatchDone(_Response):
    dispatched: int
    at: datetime
    items: list[DispatchItem] = []


class UnusedNumber(_Response):
    number: str
    state: str  # verworfen | reserviert
    reason: str
    at: datetime
    by: str


class NumberSeries(_Response):
    """One series (ZIK-2026): how each number up to `last` ended, the unused ones with their
    reason, and the numbers nothing accounts for (always empty, domain.md A.13)."""

    series: str
    last: int
    counts: dict[str, int] = {}
    unused: list[UnusedNumber] = []
    unexplained: list[str] = []


class NumberSeriesReport(_Response):
    year: int
    series: list[NumberSeries] = []


class HoursReportOut(_Response):
    report_id: str
    as_of: date
    hours_used: int
    recorded_at: datetime


class AuditEntry(_Response):
    audit_id: int
    at: datetime
    actor: str
    role: str
    action: str
    participant_id: str | None = None
    entry_id: int | None = None
    inputs: dict[str, Any] = {}
    outcome: dict[str, Any] = {}
    rules_version: str | None = None


class AuditPage(_Response):
    items: list[AuditEntry]
    next_cursor: str | None = None


class PostboxEntry(_Response):
    entry_id: int
    kind: EntryKind
    status: EntryStatus
    office: str
    participant_id: str
    application_id: int | None = None
    refund_id: int | None = None
    surname: str
    given_name: str
    self_payer: bool
    dtz_overall: Level | None = None
    lid_points: int | None = None
    expected_document: DocumentKind | None = None
    blockers: list[str] = []
    blocked: bool
    flags: list[str] = []
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    claimed_by: str | None = None
    claimed_since: datetime | None = None
    claim_expires_at: datetime | None = None
    claimed_by_me: bool = False
    # the case's open data requests to the course provider (domain.md A.16): the first
    # request's day and the nearest deadline; overdue when the deadline is before today
    requested_on: date | None = None
    request_due: date | None = None
    version: int


class DataRequest(_Response):
    """A request to the course provider for data a blocker names (domain.md A.16); it closes
    by itself (`erledigt`) when the blocker clears."""

    request_id: int
    participant_id: str
    office: str
    item: str  # the blocker's code, e.g. ausweisnummer_fehlt
    item_text: str  # German: "Ausweisnummer"
    provider: str | None = None  # the course provider asked
    note: str | None = None
    requested_on: date
    due_on: date
    requested_by: str
    requested_at: datetime
    reminders: int = 0
    reminded_at: datetime | None = None
    reminded_by: str | None = None
    status: str  # offen | erledigt
    overdue: bool = False  # open and the deadline before today (the service's day)
    closed_at: datetime | None = None
    # for the course provider: the participant's name, so it knows whom the request is about
    surname: str | None = None
    given_name: str | None = None


class DataRequestList(_Response):
    items: list[DataRequest]


class PostboxPage(_Response):
    items: list[PostboxEntry]
    next_cursor: str | None = None


class PostboxCount(_Response):
    count: int


class ParticipantSummary(_Response):
    participant_id: str
    office: str
    surname: str
    given_name: str
    birth_date: date
    course_type: CourseType
    contingent_hours: int
    hours_used: int
    self_payer: bool
    entitlement_date: date | None = None
    registered_on: date | None = None
    course_start: date | None = None
    version: int
    created_at: datetime
    updated_at: datetime


class Participant(ParticipantSummary):
    """Everything a decision needs (api.md), plus the case's documents, applications, audit."""

    identity: Identity
    dtz: DtzResult | None = None
    dtz_attempts: list[DtzResult] = []
    lid: LidResult | None = None
    lid_attempts: list[LidResult] = []
    alternative_b1: AlternativeB1 | None = None
    assessment: AssessmentOut
    hours_reports: list[HoursReportOut] = []
    certificates: list[Certificate] = []
    applications: list[RepetitionApplication] = []
    refunds: list[RefundApplication] = []
    data_requests: list[DataRequest] = []
    postbox: list[PostboxEntry] = []
    audit: list[AuditEntry] = []


class IdentityReceipt(_Response):
    participant_id: str
    identity: Identity
    version: int


class TransmissionReceipt(_Response):
    """The answer to a DTZ or LiD transmission; a repeat answers exactly this again."""

    transmission_id: str
    participant_id: str
    kind: str
    dtz: DtzResult | None = None
    lid: LidResult | None = None
    correction: bool = False
    postbox_entry_id: int | None = None
    version: int


class AgeBucket(_Response):
    """Open entries whose age in days lies in [low, high] (high None: and older)."""

    label: str
    low: int
    high: int | None = None
    count: int


class DayDocuments(_Response):
    day: date
    zertifikat: int = 0
    bescheinigung: int = 0


class RateGroup(_Response):
    """Entries that arrived in the period, for one course type or Prüfstelle: the counted DTZ
    (complete, B1) and LiD (result, passed), each rate of those with a result."""

    group: str  # the course type's code or the Prüfstelle's name ("" for none)
    label: str  # German
    entries: int
    dtz_complete: int
    dtz_b1: int
    b1_rate: float | None = None
    lid_results: int
    lid_passed: int
    lid_rate: float | None = None


class DurationStats(_Response):
    """Days from a Postkorb entry's arrival to its closing (the document), entries closed in
    the period."""

    closed: int
    median_days: float | None = None
    p90_days: float | None = None


class Stats(_Response):
    """The office's Kennzahlen for a period (`period_from` … `period_to`, both included); the
    backlog is as of now."""

    office: str
    generated_at: datetime
    period_from: date
    period_to: date
    open_entries: int
    backlog_by_age: list[AgeBucket]
    arrived_by_kind: dict[str, int]
    documents: dict[str, int]  # issued in the period, by kind
    documents_per_day: list[DayDocuments]  # every day of the period, oldest first
    total: RateGroup  # every `abschluss` entry of the period
    by_course_type: list[RateGroup]
    by_exam_center: list[RateGroup]
    time_to_document: DurationStats
    data_requests: dict[str, int]  # offen, ueberfaellig (now)
    refunds: dict[str, int]  # offen, bewilligt, abgelehnt, bewilligt_cents (all time)


Problem.model_rebuild()
