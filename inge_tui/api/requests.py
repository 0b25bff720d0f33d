"""The request bodies of the contract (api.md): what outside systems and caseworkers send.

Request models are strict: unknown fields, unknown enum values, points out of range, dates that
are not `JJJJ-MM-TT` are errors that name the field (`field_errors` words them in German). The
field types and validators they share live here too. Like `models`, this module imports neither
Textual nor FastAPI nor SQLAlchemy.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from inge_tui.api.models import CefrLevel, RepetitionDecision, Role
from inge_tui.domain.said import said
from inge_tui.domain.types import CourseType, DocumentKind, IdDocumentType, Part


def _iso_date(value: Any) -> Any:
    """Accept a `date` or a `JJJJ-MM-TT` string, nothing else (no timestamps, no datetimes)."""
    if isinstance(value, datetime):
        raise ValueError(said("ein Datum ohne Uhrzeit erwartet (JJJJ-MM-TT)"))
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    raise ValueError(said("kein gültiges Datum (JJJJ-MM-TT erwartet)"))


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidi marks, embeddings, overrides and isolates: they reorder what a caseworker reads (a name
that shows one thing and sorts and prints as another). Joiners (U+200C, U+200D) stay: Persian
and Indic names need them."""
_NAMED = {"\n": said("Zeilenumbruch"), "\r": said("Wagenrücklauf"), "\t": said("Tabulator")}


def _refuse_controls(value: str, *, line_breaks: bool) -> str:
    """No control characters, no line or paragraph separators (U+2028/9), no bidi controls and
    no lone surrogates; a multi-line text (`line_breaks`) keeps its line breaks."""
    if value.isascii() and value.isprintable():
        return value
    for ch in value:
        if line_breaks and ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category in {"Cc", "Cs", "Zl", "Zp"}:
            what = _NAMED.get(ch) or f"U+{ord(ch):04X}"
            raise ValueError(
                said("enthält ein Steuerzeichen ({what}); nur druckbarer Text", what=what)
            )
        if ch in _BIDI:
            raise ValueError(
                said(
                    "enthält eine Schreibrichtungs-Steuerung ({what}); nur druckbarer Text",
                    what=f"U+{ord(ch):04X}",
                )
            )
    return value


def _crlf(value: Any) -> Any:
    """Windows line ends as one line break (what a pasted reason brings along)."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _one_line(value: str) -> str:
    return _refuse_controls(value, line_breaks=False)


def _lines(value: str) -> str:
    return _refuse_controls(value, line_breaks=True)


def _iban(value: Any) -> Any:
    """An IBAN as people write it (spaces, lower case) to its electronic form, checked by its
    check digits (ISO 13616, mod 97)."""
    if not isinstance(value, str):
        raise ValueError(said("eine IBAN als Text erwartet"))
    iban = "".join(value.split()).upper()
    if not (15 <= len(iban) <= 34 and iban[:2].isalpha() and iban[2:4].isdigit()):
        raise ValueError(said("keine IBAN (zwei Buchstaben, zwei Prüfziffern, 11 bis 30 Zeichen)"))
    if not iban.isascii() or not iban.isalnum():
        raise ValueError(said("eine IBAN enthält nur Buchstaben und Ziffern"))
    if iban.startswith("DE") and len(iban) != 22:
        raise ValueError(said("eine deutsche IBAN hat 22 Zeichen"))
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValueError(said("Prüfziffer stimmt nicht; bitte die IBAN prüfen"))
    return iban


def _whole(value: Any) -> Any:
    """`3.0` as 3: JSON has one number type, and JSON Schema counts 3.0 as an integer, so a
    client whose encoder writes it so is not refused; 3.5, `"3"` and `true` still are."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


Whole = BeforeValidator(_whole)
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Iban = Annotated[str, BeforeValidator(_iban)]
Cents = Annotated[int, Field(strict=True, ge=0, le=100_000_000), Whole]
ParticipantId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
OfficeCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{1,15}$")]
TransmissionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
# What `_refuse_controls` refuses, said in the contract as a JSON Schema regex: controls (Cc),
# U+2028/9 and the bidi controls (lone surrogates, also refused, cannot be said portably). A name
# must also be more than blanks (it is stripped, then must not be empty); a multi-line text may
# hold line breaks (`\n`, and `\r\n`, which it stores as `\n`).
_BELOW_LF, _ABOVE_LF = r"\x00-\x09", r"\x0b-\x1f\x7f-\x9f\u2028\u2029"
_BIDI_RANGES = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NOT_IN_NAME = _BELOW_LF + r"\n" + _ABOVE_LF + _BIDI_RANGES
_NOT_IN_TEXT = _BELOW_LF + _ABOVE_LF + _BIDI_RANGES
Name = Annotated[
    str,
    AfterValidator(_one_line),  # before stripping: a trailing line break is refused, not eaten
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 200,
            "pattern": f"^[^{_NOT_IN_NAME}]*[^\\s{_NOT_IN_NAME}][^{_NOT_IN_NAME}]*$",
        }
    ),
]
Text = Annotated[
    str,
    BeforeValidator(_crlf),
    AfterValidator(_lines),
    StringConstraints(strip_whitespace=True, max_length=2000),
    WithJsonSchema(
        {"type": "string", "maxLength": 2000, "pattern": f"^(?:[^{_NOT_IN_TEXT}]|\\r\\n)*$"}
    ),
]
DocumentNumber = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[A-Z0-9]{5,20}$"),
    # as people type it: the service strips and upper-cases it before the check
    WithJsonSchema({"type": "string", "pattern": r"^\s*[A-Za-z0-9]{5,20}\s*$"}),
]
PostalCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
HoerenLesenPoints = Annotated[int, Field(strict=True, ge=0, le=45), Whole]
SchreibenPoints = Annotated[int, Field(strict=True, ge=0, le=20), Whole]
SprechenPoints = Annotated[
    float, Field(strict=True, ge=0, le=100, multiple_of=0.5, allow_inf_nan=False)
]
LidPoints = Annotated[int, Field(strict=True, ge=0, le=33), Whole]
Hours = Annotated[int, Field(strict=True, ge=0, le=2000), Whole]
Version = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1), Whole]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- requests (outside systems)


class ParticipantCreate(_Request):
    participant_id: ParticipantId
    surname: Name
    given_name: Name
    birth_date: IsoDate
    course_type: CourseType
    contingent_hours: Hours
    hours_used: Hours
    # the day `hours_used` stands for (domain.md A.15); without it, the day of registration
    hours_as_of: IsoDate | None = None
    self_payer: StrictBool = False
    office: OfficeCode
    entitlement_date: IsoDate | None = None
    registered_on: IsoDate | None = None
    course_start: IsoDate | None = None

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date) -> date:
        if value.year < 1900:
            raise ValueError(said("Geburtsdatum vor 1900 ist nicht plausibel"))
        return value


class AddressIn(_Request):
    street: Name
    postal_code: PostalCode
    city: Name


class IdentityUpdate(_Request):
    """What the course provider reports; fields left out keep their stored value.

    `registered_on` is the day of registration with the course provider, when it was not known
    at registration: without it an alternative B1 proof cannot be checked (R4)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                for name in ("document_type", "document_number", "address", "registered_on")
            ]
        }
    )

    document_type: IdDocumentType | None = None
    document_number: DocumentNumber | None = None
    address: AddressIn | None = None
    registered_on: IsoDate | None = None

    @model_validator(mode="after")
    def _something(self) -> IdentityUpdate:
        given = (self.document_type, self.document_number, self.address, self.registered_on)
        if all(value is None for value in given):
            raise ValueError(
                said(
                    "mindestens document_type, document_number, address oder registered_on angeben"
                )
            )
        return self


class HoursReportIn(_Request):
    """The language-part hours used as of a day (domain.md A.15); `report_id` is the course
    provider's own id: the same report again is a no-op, another body under it is refused."""

    report_id: TransmissionId
    as_of: IsoDate
    hours_used: Hours


class DtzParts(_Request):
    hoeren_lesen: HoerenLesenPoints | None = None
    schreiben: SchreibenPoints | None = None
    sprechen: SprechenPoints | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> DtzParts:
        if self.hoeren_lesen is None and self.schreiben is None and self.sprechen is None:
            raise ValueError(said("mindestens ein Prüfungsteil mit Punkten angeben"))
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
    """Parts of a sitting, or `aborted: true` (without parts) for an exam the candidate broke
    off (§ 9 Abs. 2 IntTestV, R2a): it counts as not passed and no part is scored."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"aborted": {"const": True}}, "required": ["aborted"]},
            "then": {"properties": {"parts": {"type": "null"}}},
            "else": {"properties": {"parts": {"type": "object"}}, "required": ["parts"]},
        }
    )

    transmission_id: TransmissionId
    participant_id: ParticipantId
    exam_date: IsoDate
    exam_center: Name
    aborted: StrictBool = False
    parts: DtzParts | None = Field(default=None, validate_default=True)

    @field_validator("parts")
    @classmethod
    def _parts_or_aborted(cls, value: DtzParts | None, info: ValidationInfo) -> DtzParts | None:
        aborted = info.data.get("aborted")
        if aborted and value is not None:
            raise ValueError(said("eine abgebrochene Prüfung wird ohne Punkte übermittelt"))
        if aborted is False and value is None:
            raise ValueError(
                said("Pflichtfeld fehlt (oder aborted: true für eine abgebrochene Prüfung)")
            )
        return value


class LidResultIn(_Request):
    transmission_id: TransmissionId
    participant_id: ParticipantId
    exam_date: IsoDate
    points: LidPoints


class RepetitionApplicationIn(_Request):
    participant_id: ParticipantId
    received_on: IsoDate
    requested_hours: Annotated[int, Field(strict=True, ge=1, le=1000), Whole]
    provider_confirmation: StrictBool
    repetition_starts_on: IsoDate | None = None
    in_ninth_section: StrictBool = False
    proper_attendance: StrictBool = True
    obliged_44a: StrictBool = False


class RefundApplicationIn(_Request):
    """An application for the refund of 50 % of the contribution (§ 9 Abs. 6 IntV), with the
    contribution actually paid and, when known, the one due without any exemption (cents)."""

    participant_id: ParticipantId
    received_on: IsoDate
    contribution_paid_cents: Cents
    contribution_full_cents: Cents | None = None
    iban: Iban
    account_holder: Name

    @field_validator("contribution_full_cents")
    @classmethod
    def _full_not_below_paid(cls, value: int | None, info: ValidationInfo) -> int | None:
        paid = info.data.get("contribution_paid_cents")
        if value is not None and paid is not None and value < paid:
            raise ValueError(said("der volle Kostenbeitrag ist kleiner als der gezahlte"))
        return value


# ---------------------------------------------------------------- requests (caseworkers)


class DtzScoringIn(_Request):
    """Points to be scored with the service's thresholds (parts may be missing). The schema
    states each part's scale; the points are checked by the service's own scale, not by
    pydantic, so a refusal says why per part in the rules' words (`parts.sprechen`: "nur in
    Schritten von 0,5 Punkten (74,3 angegeben)")."""

    parts: dict[Part, Annotated[float, Field(strict=True, allow_inf_nan=False)]] = Field(
        json_schema_extra=lambda schema: schema.update(properties=_SCALE_SCHEMAS)
    )


# The contract's scale per part, as every other request states it (`DtzPartsComplete`): points
# off the scale are refused with the service's own reason, but the schema says what is on it.
_SCALE_SCHEMAS: dict[str, Any] = {
    part.value: TypeAdapter(points).json_schema()
    for part, points in (
        (Part.HOEREN_LESEN, HoerenLesenPoints),
        (Part.SCHREIBEN, SchreibenPoints),
        (Part.SPRECHEN, SprechenPoints),
    )
}


class DtzPaperIn(_Request):
    """A DTZ result captured from paper: for self-payers; for anyone else only with
    `capture_reason` (why the web service did not deliver it; R8)."""

    exam_date: IsoDate
    exam_center: Name
    parts: DtzPartsComplete
    capture_reason: Text | None = None
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


def _required_with(decision: RepetitionDecision, field: str, schema: dict[str, Any]) -> Any:
    """JSON Schema's `if`/`then`: with this `decision`, `field` is required and has `schema`
    (what the validators and R14 demand, said in the contract instead of only in a 422)."""
    return {
        "if": {"properties": {"decision": {"const": decision.value}}, "required": ["decision"]},
        "then": {"properties": {field: schema}, "required": [field]},
    }


_SAID = {"type": "string", "pattern": r"\S"}  # a reason with more than whitespace
_SOME_HOURS = {"type": "integer", "minimum": 1}


class RepetitionDecisionIn(_Request):
    """Approve with `hours`, or reject with a `reason` (R14)."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                _required_with(RepetitionDecision.APPROVE, "hours", _SOME_HOURS),
                _required_with(RepetitionDecision.REJECT, "reason", _SAID),
            ]
        }
    )

    decision: RepetitionDecision
    hours: Annotated[int, Field(strict=True, ge=0, le=300), Whole] | None = Field(
        default=None, validate_default=True
    )
    waive_dtz_condition: StrictBool = False
    reason: Text | None = None
    version: Version | None = None

    @field_validator("hours")
    @classmethod
    def _hours_for_approval(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None and info.data.get("decision") == RepetitionDecision.APPROVE:
            raise ValueError(said("bei einer Genehmigung die Stunden angeben"))
        return value


class RefundDecisionIn(_Request):
    """Grant (the amount R16 computes) or refuse (with a reason) a refund application."""

    model_config = ConfigDict(
        json_schema_extra=_required_with(RepetitionDecision.REJECT, "reason", _SAID)
    )

    decision: RepetitionDecision
    reason: Text | None = None
    version: Version | None = None


class WithdrawalIn(_Request):
    """A proposal to withdraw a Zertifikat, or a supervisor's confirmation or refusal of it."""

    reason: Text | None = None
    version: Version | None = None


class WaiverStepIn(_Request):
    """A supervisor's confirmation (a remark, optional) or refusal (a reason) of a proposed
    waiver of the DTZ condition (R13.3)."""

    reason: Text | None = None
    version: Version | None = None


class ReversalIn(_Request):
    """Reversing (Storno) a document issued in error, before dispatch: why, in writing."""

    reason: Text | None = None
    version: Version | None = None


class CopyIn(_Request):
    """A Zweitschrift of a lost or damaged document: the occasion (for example "verloren")."""

    reason: Text | None = None
    version: Version | None = None


class DataRequestIn(_Request):
    """A request to the course provider for what a blocker names (domain.md A.16): `item` is
    the blocker's code (`ausweisnummer_fehlt`, `anschrift_fehlt`, …); without `due_on` the
    deadline is the service's default (14 days unless configured)."""

    item: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
    due_on: IsoDate | None = None
    note: Text | None = None
    version: Version | None = None


class ReminderIn(_Request):
    """A reminder on an overdue data request, optionally with a new deadline."""

    due_on: IsoDate | None = None
    note: Text | None = None


class DispatchIn(_Request):
    """Mark the print run of `as_of` (the stand of `GET /v1/dispatch`) as posted."""

    as_of: AwareDatetime


class ClaimIn(_Request):
    version: Version | None = None


_IN_TEXT = f"(?:[^{_NOT_IN_TEXT}]|\\r\\n)"
_EDGE = f"[^\\s{_NOT_IN_TEXT}]"  # what a stripped text starts and ends with


class TakeOverIn(_Request):
    reason: Annotated[
        str,
        BeforeValidator(_crlf),
        AfterValidator(_lines),
        StringConstraints(strip_whitespace=True, min_length=3, max_length=2000),
        # at least 3 characters once stripped: two printable ends with something between
        WithJsonSchema(
            {
                "type": "string",
                "maxLength": 2000,
                "pattern": f"^{_IN_TEXT}*{_EDGE}{_IN_TEXT}+{_EDGE}{_IN_TEXT}*$",
            }
        ),
    ]
    version: Version | None = None


class OfficeIn(_Request):
    code: OfficeCode
    name: Name


class TokenIn(_Request):
    role: Role
    office: OfficeCode | None = None
    name: Name | None = None
    days: Annotated[int, Field(strict=True, ge=1, le=3660), Whole] | None = None  # None: the role's
