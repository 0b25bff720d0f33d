"""Plain data the rules work on and answer with.

Everything here is a frozen dataclass or a string enum: no I/O, no framework, nothing of ours.
The service turns its rows into these facts; the rules turn facts into decisions with reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Level(StrEnum):
    """A DTZ level as written on the wire; compare with `rank`, never with `<` on the string."""

    UNTER_A2 = "unter_A2"
    A2 = "A2"
    B1 = "B1"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.UNTER_A2: 0, Level.A2: 1, Level.B1: 2}


class Part(StrEnum):
    """The three scored parts of the DTZ (Hören and Lesen are one part)."""

    HOEREN_LESEN = "hoeren_lesen"
    SCHREIBEN = "schreiben"
    SPRECHEN = "sprechen"


class CourseType(StrEnum):
    ALLGEMEIN = "allgemein"
    INTENSIV = "intensiv"
    ALPHABETISIERUNG = "alphabetisierung"
    ZWEITSCHRIFTLERNER = "zweitschriftlerner"
    FOERDERBEDARF = "foerderbedarf"
    JUGEND = "jugend"
    ELTERN = "eltern"
    FRAUEN = "frauen"


class DocumentKind(StrEnum):
    """What the Regionalstelle issues at the end of the course (§ 17 Abs. 4 IntV)."""

    ZERTIFIKAT = "zertifikat"
    BESCHEINIGUNG = "bescheinigung"


class IdDocumentType(StrEnum):
    REISEPASS = "reisepass"
    PERSONALAUSWEIS = "personalausweis"
    PASSERSATZ = "passersatz"
    AUSWEISERSATZ = "ausweisersatz"


class ResultSource(StrEnum):
    WEBSERVICE = "webservice"
    PAPER = "paper"


@dataclass(frozen=True)
class PartScale:
    """Point range of one DTZ part and where A2 and B1 begin (R1)."""

    maximum: float
    a2_from: float
    b1_from: float
    step: float = 1.0


@dataclass(frozen=True)
class Thresholds:
    """The one table of DTZ thresholds; the service may override the defaults by configuration."""

    hoeren_lesen: PartScale
    schreiben: PartScale
    sprechen: PartScale

    def scale(self, part: Part) -> PartScale:
        scale: PartScale = getattr(self, part.value)
        return scale


@dataclass(frozen=True)
class Reason:
    """Why a rule decided as it did: rule id (R1…R20), German text, legal citation; `about`
    names the input a failing condition is about (R4: `exam_name`, `level`, `issued_on`,
    `presented_on`; a decision check: `hours`, `reason`)."""

    rule_id: str
    text: str
    citation: str
    about: str | None = None


@dataclass(frozen=True)
class Blocker:
    """Something that stops issuing until someone supplies it.

    `code` is stable (e.g. `ausweisnummer_fehlt`), `text` is German, `supplier` says who must act:
    `kurstraeger`, `pruefstelle`, `oet`, or `regionalstelle`.
    """

    code: str
    text: str
    supplier: str
    rule_id: str


@dataclass(frozen=True)
class DtzAttempt:
    """One DTZ sitting; `parts` holds the points received so far (a part may still be missing).

    An `aborted` sitting was broken off by the candidate (§ 9 Abs. 2 IntTestV, R2a): it is
    complete, counts as not passed ("unter A2") and its parts are not scored.
    """

    exam_date: date
    parts: Mapping[Part, float]
    source: ResultSource = ResultSource.WEBSERVICE
    funded: bool = True
    within_repetition: bool = False
    aborted: bool = False


@dataclass(frozen=True)
class HoursReport:
    """The language-part hours a course provider reported as used on `as_of` (domain.md A.15)."""

    as_of: date
    hours_used: int


@dataclass(frozen=True)
class LidAttempt:
    exam_date: date
    points: int
    funded: bool = True


@dataclass(frozen=True)
class AltB1Proof:
    """An alternative proof of B1 (§ 17 Abs. 2 Satz 2–3 IntV), checked by R4."""

    exam_name: str
    level: str  # CEFR level as written on the certificate: B1, B2, C1, C2 (or lower, which fails)
    issued_on: date
    presented_on: date


class DocumentStatus(StrEnum):
    """Where an issued document stands in its life (domain.md A.12)."""

    GUELTIG = "gueltig"
    ERSETZT = "ersetzt"  # superseded by a later document (its number in `superseded_by`)
    ZURUECKGENOMMEN = "zurueckgenommen"  # withdrawn (Rücknahme, § 48 VwVfG) with four eyes
    STORNIERT = "storniert"  # reversed by its issuer before dispatch; counts as never issued


@dataclass(frozen=True)
class DtzBasis:
    """A DTZ sitting as a document prints it."""

    exam_date: date
    source: ResultSource
    overall: Level
    points: tuple[tuple[Part, float], ...] = ()  # empty for an aborted sitting
    aborted: bool = False


@dataclass(frozen=True)
class LidBasis:
    exam_date: date
    points: int


@dataclass(frozen=True)
class ProofBasis:
    exam_name: str
    level: str
    issued_on: date


@dataclass(frozen=True)
class Basis:
    """What a document prints of the results: its kind and the sittings the rules counted.

    Two documents with equal bases say the same thing; a document whose basis differs from the
    one the rules give now no longer says what the case shows (A.11, A.12).
    """

    kind: DocumentKind
    dtz: DtzBasis | None
    alt_b1: ProofBasis | None
    lid: LidBasis | None


@dataclass(frozen=True)
class IssuedDocument:
    """A Zertifikat or Bescheinigung on file, with what it printed."""

    number: str
    kind: DocumentKind
    basis: Basis | None  # None: an old document whose inputs cannot be read back
    status: DocumentStatus = DocumentStatus.GUELTIG
    withdrawal_proposed: bool = False


@dataclass(frozen=True)
class Counted:
    """The sittings a decision counted (A.11): the best complete DTZ (for a self-payer a paper
    one), the valid alternative B1 proof when it is what shows B1, and the best LiD."""

    dtz: DtzAttempt | None = None
    alt_b1: AltB1Proof | None = None
    lid: LidAttempt | None = None


@dataclass(frozen=True)
class CaseFacts:
    """Everything the completion and repetition rules need to know about one participant."""

    surname: str | None
    given_name: str | None
    birth_date: date | None
    course_type: CourseType
    contingent_hours: int  # the person's individual contingent of the language part
    hours_reports: tuple[HoursReport, ...] = ()
    self_payer: bool = False
    entitlement_date: date | None = None  # first Teilnahmeberechtigung (R16)
    registered_on: date | None = None  # registration with the course provider (R4)
    course_start: date | None = None  # R18
    document_type: IdDocumentType | None = None
    document_number: str | None = None
    has_address: bool = False
    dtz_attempts: tuple[DtzAttempt, ...] = ()
    lid_attempts: tuple[LidAttempt, ...] = ()
    alt_b1: AltB1Proof | None = None
    repetition_approved_before: bool = False
    documents: tuple[IssuedDocument, ...] = ()

    @property
    def hours_used(self) -> int | None:
        """The hours of the latest report (the standing today), None when none was reported."""
        if not self.hours_reports:
            return None
        return max(self.hours_reports, key=lambda r: r.as_of).hours_used

    @property
    def in_force(self) -> IssuedDocument | None:
        """The issued document that is valid now (at most one: A.12)."""
        return next((d for d in self.documents if d.status is DocumentStatus.GUELTIG), None)

    @property
    def zertifikat_issued(self) -> bool:
        """A Zertifikat Integrationskurs is in force (superseded Bescheinigungen do not count)."""
        doc = self.in_force
        return doc is not None and doc.kind is DocumentKind.ZERTIFIKAT


@dataclass(frozen=True)
class DtzOutcome:
    """Part levels and the overall level of one DTZ attempt (R1, R2)."""

    parts: Mapping[Part, Level]
    overall: Level | None  # None while a part is missing
    complete: bool


@dataclass(frozen=True)
class LidOutcome:
    points: int
    passed: bool  # ≥ 15 (R3)
    naturalisation: bool  # ≥ 17 (R3)


@dataclass(frozen=True)
class Funding:
    second_funded_dtz_possible: bool
    funded_lid_used: bool
    reasons: tuple[Reason, ...] = ()


class NextStep(StrEnum):
    """What ends a case's `abschluss` work now (domain.md A.12, A.14)."""

    AUSSTELLEN = "ausstellen"  # issue `document` (superseding the one in force, if any)
    WARTEN = "warten"  # a blocker: someone must supply something first
    RUECKNAHME_VORSCHLAGEN = "ruecknahme_vorschlagen"  # the Zertifikat in force lost its basis
    RUECKNAHME_FREIGEBEN = "ruecknahme_freigeben"  # a proposal waits for a supervisor
    KEINER = "keiner"  # the document in force prints what the rules count: nothing is due


@dataclass(frozen=True)
class Assessment:
    """The completion decision: which document, what blocks it, and why (R4–R12), the sittings
    it counted, and what is due given the document already in force (A.11, A.12, A.14)."""

    document: DocumentKind | None
    blockers: tuple[Blocker, ...]
    reasons: tuple[Reason, ...]
    funding: Funding
    rules_version: str
    dtz: DtzOutcome | None = None
    lid: LidOutcome | None = None
    alt_b1_valid: bool = False
    counted: Counted = field(default_factory=lambda: Counted())
    basis: Basis | None = None  # what the document due now prints; None while none is due
    in_force: IssuedDocument | None = None
    next_step: NextStep = NextStep.WARTEN

    @property
    def can_issue(self) -> bool:
        return self.next_step is NextStep.AUSSTELLEN

    @property
    def supersedes(self) -> str | None:
        """The number of the document that issuing now replaces (A.12), if any."""
        if self.next_step is NextStep.AUSSTELLEN and self.in_force is not None:
            return self.in_force.number
        return None


@dataclass(frozen=True)
class RepetitionFacts:
    """A repetition application as the rules see it (R13, R14)."""

    received_on: date
    requested_hours: int
    provider_confirmation: bool
    repetition_started_on: date | None = None
    in_ninth_section: bool = False
    proper_attendance: bool = True
    obliged_44a: bool = False  # § 44a Abs. 1 Satz 1 AufenthG: approval was mandatory (R14)


@dataclass(frozen=True)
class Condition:
    """One condition of a repetition rule, met or not, and whether BAMF may waive it.

    `pending`: not met yet, but it will be once a fact arrives (the contingent used up, the
    hours of the exam date reported): the decision waits instead of refusing. `required=False`
    marks a fact that is shown and recorded but decides nothing on its own (R14 attendance).
    """

    rule_id: str
    code: str
    text: str
    citation: str
    met: bool
    waivable: bool = False
    pending: bool = False
    required: bool = True


@dataclass(frozen=True)
class RepetitionAssessment:
    rules_version: str
    conditions: tuple[Condition, ...]
    max_hours: int
    mandatory: bool = False
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.conditions if c.required)

    @property
    def eligible_with_waiver(self) -> bool:
        """Eligible once BAMF waives every unmet condition that may be waived."""
        return all(c.met or c.waivable for c in self.conditions if c.required)

    @property
    def waiting_for(self) -> tuple[Condition, ...]:
        """Unmet conditions that a coming fact will settle: approval waits for them."""
        return tuple(c for c in self.conditions if c.required and not c.met and c.pending)


@dataclass(frozen=True)
class RefundAssessment:
    """The refund of 50 % of the contribution actually paid (R16)."""

    eligible: bool
    amount: Decimal  # 0.00 unless eligible
    deadline: date | None  # last day on which success still counts; None if not determinable
    window_years: int | None
    success_date: date | None  # the day success under § 17 Abs. 2 IntV was first shown
    reasons: tuple[Reason, ...]
    rules_version: str
    # each condition of R16 met or not, as the caseworker checks them (`required=False`: the
    # partial exemption, shown because it explains the amount, decides nothing alone)
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class OrientationHours:
    """The Orientierungskurs hours a course carries (R18)."""

    hours: int
    reasons: tuple[Reason, ...]
    rules_version: str


@dataclass(frozen=True)
class DtzAdmission:
    """Whether a person may sit the DTZ (R19)."""

    admitted: bool
    reasons: tuple[Reason, ...]
    rules_version: str


@dataclass(frozen=True)
class RetentionDates:
    """The last day each kind of data may be kept (R17); deletion is due the day after."""

    exam_papers_until: date
    inspection_until: date
    test_results_until: date
    names_until: date
    other_personal_data_until: date
    reasons: tuple[Reason, ...]
    rules_version: str
