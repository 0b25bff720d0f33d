"""The contract's resources (api.md) as pydantic models, shared by the service and the app.

Request models are strict: unknown fields, unknown enum values, points out of range, dates that
are not `JJJJ-MM-TT` are errors that name the field (`field_errors` words them in German).
Response models ignore fields they do not know, so an older app keeps reading a newer service.
This module imports neither Textual nor FastAPI nor SQLAlchemy and loads fast.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from inge_tui.domain.types import (
    CourseType,
    DocumentKind,
    IdDocumentType,
    Level,
    Part,
    ResultSource,
)

__all__ = [
    "CourseType",
    "DocumentKind",
    "IdDocumentType",
    "Level",
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


class EntryStatus(StrEnum):
    OFFEN = "offen"
    IN_BEARBEITUNG = "in_bearbeitung"
    ERLEDIGT = "erledigt"


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


def _iso_date(value: Any) -> Any:
    """Accept a `date` or a `JJJJ-MM-TT` string, nothing else (no timestamps, no datetimes)."""
    if isinstance(value, datetime):
        raise ValueError("ein Datum ohne Uhrzeit erwartet (JJJJ-MM-TT)")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    raise ValueError("kein gültiges Datum (JJJJ-MM-TT erwartet)")


def _printable(value: str) -> str:
    """No control characters (except line breaks and tabs) and no lone surrogates."""
    for ch in value:
        if ch in "\n\t":
            continue
        if unicodedata.category(ch) in {"Cc", "Cs"}:
            raise ValueError("enthält unzulässige Steuerzeichen")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
ParticipantId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
OfficeCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{1,15}$")]
TransmissionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_printable),
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_printable)
]
DocumentNumber = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[A-Z0-9]{5,20}$"),
]
PostalCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
HoerenLesenPoints = Annotated[int, Field(strict=True, ge=0, le=45)]
SchreibenPoints = Annotated[int, Field(strict=True, ge=0, le=20)]
SprechenPoints = Annotated[
    float, Field(strict=True, ge=0, le=100, multiple_of=0.5, allow_inf_nan=False)
]
LidPoints = Annotated[int, Field(strict=True, ge=0, le=33)]
Hours = Annotated[int, Field(strict=True, ge=0, le=2000)]
Version = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]

PART_MAXIMUM: Mapping[Part, float] = {Part.HOEREN_LESEN: 45, Part.SCHREIBEN: 20, Part.SPRECHEN: 100}


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------- requests (outside systems)


class ParticipantCreate(_Request):
    participant_id: ParticipantId
    surname: Name
    given_name: Name
    birth_date: IsoDate
    course_type: CourseType
    contingent_hours: Hours
    hours_used: Hours
    self_payer: StrictBool = False
    office: OfficeCode
    entitlement_date: IsoDate | None = None
    registered_on: IsoDate | None = None
    course_start: IsoDate | None = None

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date) -> date:
        if value.year < 1900:
            raise ValueError("Geburtsdatum vor 1900 ist nicht plausibel")
        return value


class AddressIn(_Request):
    street: Name
    postal_code: PostalCode
    city: Name


class IdentityUpdate(_Request):
    """What the course provider reports; fields left out keep their stored value."""

    document_type: IdDocumentType | None = None
    document_number: DocumentNumber | None = None
    address: AddressIn | None = None

    @model_validator(mode="after")
    def _something(self) -> IdentityUpdate:
        if self.document_type is None and self.document_number is None and self.address is None:
            raise ValueError("mindestens document_type, document_number oder address angeben")
        return self


class DtzParts(_Request):
    hoeren_lesen: HoerenLesenPoints | None = None
    schreiben: SchreibenPoints | None = None
    sprechen: SprechenPoints | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> DtzParts:
        if self.hoeren_lesen is None and self.schreiben is None and self.sprechen is None:
            raise ValueError("mindestens ein Prüfungsteil mit Punkten angeben")
        return self

    def given(self) -> dict[Part, float]:
        """The parts present in this transmission."""
        values = {p: getattr(self, p.value) for p in Part}
        return {p: float(v) for p, v in values.items() if v is not None}


class DtzPartsComplete(DtzParts):
    hoeren_lesen: HoerenLesenPoints
    schreiben: SchreibenPoints
    sprechen: SprechenPoints


class DtzResultIn(_Request):
    transmission_id: TransmissionId
    participant_id: ParticipantId
    exam_date: IsoDate
    exam_center: Name
    parts: DtzParts


class LidResultIn(_Request):
    transmission_id: TransmissionId
    participant_id: ParticipantId
    exam_date: IsoDate
    points: LidPoints


class RepetitionApplicationIn(_Request):
    participant_id: ParticipantId
    received_on: IsoDate
    requested_hours: Annotated[int, Field(strict=True, ge=1, le=1000)]
    provider_confirmation: StrictBool
    repetition_starts_on: IsoDate | None = None
    in_ninth_section: StrictBool = False
    proper_attendance: StrictBool = True
    obliged_44a: StrictBool = False


# ---------------------------------------------------------------- requests (caseworkers)


class DtzPaperIn(_Request):
    exam_date: IsoDate
    exam_center: Name
    parts: DtzPartsComplete
    version: Version | None = None


class AlternativeB1In(_Request):
    exam_name: Name
    level: CefrLevel
    issued_on: IsoDate
    presented_on: IsoDate
    version: Version | None = None


class CertificateRequest(_Request):
    expected_document: DocumentKind | None = None
    version: Version | None = None


class RepetitionDecisionIn(_Request):
    decision: RepetitionDecision
    hours: Annotated[int, Field(strict=True, ge=0, le=300)] | None = Field(
        default=None, validate_default=True
    )
    waive_dtz_condition: StrictBool = False
    reason: Text | None = None
    version: Version | None = None

    @field_validator("hours")
    @classmethod
    def _hours_for_approval(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None and info.data.get("decision") == RepetitionDecision.APPROVE:
            raise ValueError("bei einer Genehmigung die Stunden angeben")
        return value


class ClaimIn(_Request):
    version: Version | None = None


class TakeOverIn(_Request):
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=3, max_length=2000),
        AfterValidator(_printable),
    ]
    version: Version | None = None


class OfficeIn(_Request):
    code: OfficeCode
    name: Name


class TokenIn(_Request):
    role: Role
    office: OfficeCode | None = None
    name: Name | None = None


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


class TokenCreated(TokenInfo):
    token: str  # shown once; only its hash is stored


class PartResult(_Response):
    points: float
    maximum: float
    level: Level


class DtzResult(_Response):
    exam_date: date
    exam_center: str
    source: ResultSource
    parts: dict[Part, PartResult]
    overall: Level | None
    complete: bool
    revision: int
    corrected: bool
    recorded_at: datetime


class LidResult(_Response):
    exam_date: date
    points: int
    passed: bool
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
    rule_id: str
    text: str
    citation: str


class FundingOut(_Response):
    second_funded_dtz_possible: bool
    funded_lid_used: bool
    reasons: list[ReasonOut] = []


class AssessmentOut(_Response):
    document: DocumentKind | None
    blockers: list[BlockerOut]
    reasons: list[ReasonOut]
    funding: FundingOut
    rules_version: str
    can_issue: bool
    alt_b1_valid: bool = False


class ConditionOut(_Response):
    rule_id: str
    code: str
    text: str
    citation: str
    met: bool
    waivable: bool = False


class RepetitionAssessmentOut(_Response):
    rules_version: str
    conditions: list[ConditionOut]
    max_hours: int
    mandatory: bool
    eligible: bool
    eligible_with_waiver: bool
    reasons: list[ReasonOut] = []


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
    entry_id: int | None = None
    assessment: RepetitionAssessmentOut | None = None
    participant_version: int | None = None


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
    version: int


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
    certificates: list[Certificate] = []
    applications: list[RepetitionApplication] = []
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


class DtzStats(_Response):
    complete: int
    b1: int
    a2: int
    unter_a2: int
    b1_rate: float | None


class LidStats(_Response):
    results: int
    passed: int
    pass_rate: float | None


class Stats(_Response):
    office: str
    generated_at: datetime
    entries_by_status: dict[str, int]
    open_by_age: dict[str, int]
    entries_by_kind: dict[str, int]
    dtz: DtzStats
    lid: LidStats
    documents: dict[str, int]


# ---------------------------------------------------------------- German field errors

_MESSAGES = {
    "missing": "Pflichtfeld fehlt",
    "extra_forbidden": "unbekanntes Feld",
    "string_type": "Text erwartet",
    "int_type": "ganze Zahl erwartet",
    "int_from_float": "ganze Zahl erwartet",
    "float_type": "Zahl erwartet",
    "bool_type": "true oder false erwartet",
    "date_from_datetime_parsing": "kein gültiges Datum (JJJJ-MM-TT erwartet)",
    "date_parsing": "kein gültiges Datum (JJJJ-MM-TT erwartet)",
    "date_type": "kein gültiges Datum (JJJJ-MM-TT erwartet)",
    "string_pattern_mismatch": "hat nicht das erwartete Format",
    "string_too_short": "ist zu kurz",
    "string_too_long": "ist zu lang",
    "multiple_of": "nur in Schritten von {multiple_of} zulässig",
    "greater_than_equal": "muss mindestens {ge} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "enum": "unzulässiger Wert; erlaubt: {expected}",
    "model_type": "Objekt erwartet",
    "model_attributes_type": "Objekt erwartet",
    "dict_type": "Objekt erwartet",
    "json_invalid": "kein gültiges JSON",
    "finite_number": "endliche Zahl erwartet",
}


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        source = parts.pop(0)
        if source == "header" and parts:
            return "-".join(w.capitalize() for w in parts[0].split("-"))
    return ".".join(parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", "ungültiger Wert"))
    german = {k: str(v).replace(".", ",").replace(" or ", " oder ") for k, v in ctx.items()}
    try:
        return template.format(**german)
    except (KeyError, IndexError):
        return template


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Pydantic/FastAPI errors as `{field, message}` in German, one per field and problem."""
    out: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        item = (_field_name(error.get("loc", ())), _message(error))
        if item not in seen:
            seen.add(item)
            out.append(FieldError(field=item[0], message=item[1]))
    return out


Problem.model_rebuild()
