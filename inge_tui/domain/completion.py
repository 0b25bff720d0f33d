"""R4–R12: which document closes the course, what blocks issuing it, what is due, and why.

`assess_completion` reads the facts of one participant and answers with the document
(Zertifikat or Bescheinigung, None while a test result is missing), the blockers that stop
issuing (each naming who must supply what), German reasons with their citations, the funding
of further sittings, the sittings it counted (A.11), and the next step given the document
already in force (A.12, A.14): issue (superseding it), wait, propose or confirm a withdrawal,
or nothing, because the document in force prints what the rules count.

Which sitting counts is decided in `attempts`: the best complete DTZ and the best LiD, so a
later worse sitting never takes back an earlier B1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ._format import LID_NAME, date_de, level_de, part_de, points_de
from .alt_b1 import check_alt_b1
from .attempts import ScoredDtz, best_dtz, best_lid, countable_dtz, score_dtz
from .funding import assess_funding
from .levels import (
    DEFAULT_THRESHOLDS,
    LID_MAXIMUM,
    LID_NATURALISATION_FROM,
    LID_PASS_FROM,
    lid_outcome,
)
from .rulesets import ABSCHLUSS, rules_version, ruleset_for
from .said import joined, said
from .types import (
    Assessment,
    Basis,
    Blocker,
    CaseFacts,
    Counted,
    DocumentKind,
    DtzBasis,
    IssuedDocument,
    Level,
    LidAttempt,
    LidBasis,
    LidOutcome,
    NextStep,
    Part,
    ProofBasis,
    Reason,
    ResultSource,
    Thresholds,
)

# The point bands of R1 and the A2 pattern of R2 are the DTZ's own scoring rules (domain.md § 3,
# from the telc handbook of 2015); no ordinance states them, so none is cited for them.
CITE_PART = said("DTZ-Bewertungsregeln (Punkteschwellen, telc-Handbuch 2015)")
CITE_OVERALL = "§ 10 Abs. 1 IntTestV"
CITE_OVERALL_A2 = said("DTZ-Bewertungsregeln (Gesamtergebnis A2)")
CITE_ABORTED = "§ 9 Abs. 2 IntTestV"
CITE_LID = "§ 10 Abs. 2 IntTestV"
CITE_NATURALISATION = "§ 10 Abs. 3 IntTestV; § 17 Abs. 5 IntV"
CITE_COUNTED = "§ 17 Abs. 2 Satz 1 IntV; § 9 Abs. 3 IntTestV"
CITE_READY = "§ 17 Abs. 1 IntV"
CITE_ZERTIFIKAT = "§ 17 Abs. 2 Satz 1, Abs. 4 Satz 1 IntV"
# The BAMF guide of 23.05.2024 cites Satz 4; the 2017 text had it as Satz 3 (open question 1).
CITE_BESCHEINIGUNG = "§ 17 Abs. 4 Satz 4 IntV"
CITE_IDENTITY = "§ 17 Abs. 4 Satz 2 IntV"
CITE_ADDRESS = said(
    "BAMF-Leitfaden Abschluss des Integrationskurses (Zusendung an die Teilnehmenden)"
)
CITE_SELF_PAYER = said(
    "BAMF, InGe-Online-Test (14.11.2019): Ergebnisse der Selbstzahler auf Papier"
)
CITE_WITHDRAWAL = "§ 48 VwVfG"

KURSTRAEGER = "kurstraeger"
PRUEFSTELLE = "pruefstelle"
OET = "oet"
REGIONALSTELLE = "regionalstelle"

# (blocker code, what is missing, CaseFacts field): the data § 17 Abs. 4 Satz 2 IntV requires
IDENTITY_FIELDS = (
    ("nachname_fehlt", said("Nachname"), "surname"),
    ("vorname_fehlt", said("Vorname"), "given_name"),
    ("geburtsdatum_fehlt", said("Geburtsdatum"), "birth_date"),
    ("ausweisart_fehlt", said("Art des Ausweisdokuments"), "document_type"),
    ("ausweisnummer_fehlt", said("Nummer des Ausweisdokuments"), "document_number"),
)

# what a caseworker can ask the course provider for (domain.md A.16): the blockers whose
# supplier is the course provider (R7, R4), by code, with what is asked for in German
PROVIDER_ITEMS = {
    **{code: label for code, label, _name in IDENTITY_FIELDS},
    "anschrift_fehlt": said("Postanschrift"),
    "anmeldedatum_fehlt": said("Datum der Anmeldung beim Kursträger"),
}


def assess_completion(
    facts: CaseFacts, *, on: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Assessment:
    """The completion decision for `facts` under the rules in force on `on`.

    Raises ValueError for impossible points (the service refuses them on the way in) and for a
    day before the completion rules begin (`rulesets.RULE_SETS`).
    """
    ruleset = ruleset_for(ABSCHLUSS, on)
    reasons: list[Reason] = []
    blockers = identity_blockers(facts)
    if not blockers:
        reasons.append(
            Reason(
                "R7",
                said(
                    "Pflichtangaben vollständig: Name, Vorname, Geburtsdatum, Ausweisart und"
                    " -nummer"
                ),
                CITE_IDENTITY,
            )
        )
        reasons.append(Reason("R7", said("Postanschrift für den Versand liegt vor"), CITE_ADDRESS))

    alt_valid = alt_pending = False
    if facts.alt_b1 is not None:
        check = check_alt_b1(facts.alt_b1, registered_on=facts.registered_on)
        alt_valid, alt_pending = check.valid, check.pending
        reasons.extend(check.reasons)

    if facts.self_payer:
        reasons.append(_self_payer_reason(facts))
    scored = score_dtz(countable_dtz(facts), thresholds)
    counted = best_dtz(scored)
    if counted is not None:
        reasons.extend(_dtz_reasons(counted, scored, thresholds))
    dtz_b1 = counted is not None and counted.overall is Level.B1
    language_b1 = alt_valid or dtz_b1
    result_blockers = [b for b in [_dtz_blocker(facts, scored, counted, language_b1)] if b]
    if alt_pending and not language_b1:
        # the proof may yet show B1: it, not a DTZ, is what the case waits for
        result_blockers = [b for b in result_blockers if b.code != "dtz_fehlt"]
        result_blockers.append(
            Blocker(
                "anmeldedatum_fehlt",
                said(
                    "Datum der Anmeldung beim Kursträger fehlt: ohne es zählt der alternative"
                    " B1-Nachweis nicht (rechtzeitige Vorlage nicht prüfbar)"
                ),
                KURSTRAEGER,
                "R4",
            )
        )

    lid_attempt = best_lid(facts.lid_attempts)
    lid: LidOutcome | None = None
    if lid_attempt is None:
        blockers.append(
            Blocker("lid_fehlt", said("Kein Ergebnis im {lid} erfasst", lid=LID_NAME), OET, "R5")
        )
    else:
        lid = lid_outcome(lid_attempt.points)
        reasons.extend(_lid_reasons(lid_attempt, lid, len(facts.lid_attempts)))

    document: DocumentKind | None = None
    if result_blockers:
        blockers.extend(result_blockers)
    elif lid is not None:
        reasons.append(
            Reason(
                "R5",
                said(
                    "Beide Abschlussergebnisse liegen vor: DTZ oder alternativer B1-Nachweis und"
                    " {lid}",
                    lid=LID_NAME,
                ),
                CITE_READY,
            )
        )
        passed = language_b1 and lid.passed
        document = DocumentKind.ZERTIFIKAT if passed else DocumentKind.BESCHEINIGUNG
        reasons.append(_document_reason(document, counted, alt_valid, lid))

    sittings = Counted(
        dtz=counted.attempt if counted is not None else None,
        alt_b1=facts.alt_b1 if alt_valid and not dtz_b1 else None,
        lid=lid_attempt,
    )
    basis = make_basis(document, sittings, counted) if document is not None else None
    in_force = facts.in_force
    step = _next_step(document, blockers, sittings, counted, in_force)
    reasons.extend(_step_reasons(step, document, in_force))
    shown = counted if counted is not None else (scored[-1] if scored else None)
    return Assessment(
        document=document,
        blockers=tuple(blockers),
        reasons=tuple(reasons),
        funding=assess_funding(facts, thresholds=thresholds),
        rules_version=rules_version(ruleset.id, thresholds=thresholds),
        dtz=shown.outcome if shown is not None else None,
        lid=lid,
        alt_b1_valid=alt_valid,
        counted=sittings,
        basis=basis,
        in_force=in_force,
        next_step=step,
    )


def make_basis(kind: DocumentKind, sittings: Counted, scored: ScoredDtz | None) -> Basis:
    """What a document of `kind` prints for the counted sittings (A.11)."""
    dtz = None
    if sittings.dtz is not None and scored is not None and scored.overall is not None:
        attempt = sittings.dtz
        dtz = DtzBasis(
            exam_date=attempt.exam_date,
            source=attempt.source,
            overall=scored.overall,
            points=() if attempt.aborted else tuple((p, float(attempt.parts[p])) for p in Part),
            aborted=attempt.aborted,
        )
    proof = sittings.alt_b1
    return Basis(
        kind=kind,
        dtz=dtz,
        alt_b1=(
            ProofBasis(proof.exam_name.strip(), proof.level.strip().upper(), proof.issued_on)
            if proof is not None
            else None
        ),
        lid=LidBasis(sittings.lid.exam_date, sittings.lid.points) if sittings.lid else None,
    )


def _next_step(
    document: DocumentKind | None,
    blockers: list[Blocker],
    sittings: Counted,
    scored: ScoredDtz | None,
    in_force: IssuedDocument | None,
) -> NextStep:
    """A.12 and A.14: what ends the case's work now, given the document in force. A proposal
    to withdraw the Zertifikat in force waits for a supervisor whatever the rules now give (it
    may have been issued in error): until it is confirmed or refused, that is what is due."""
    if (
        in_force is not None
        and in_force.kind is DocumentKind.ZERTIFIKAT
        and in_force.withdrawal_proposed
    ):
        return NextStep.RUECKNAHME_FREIGEBEN
    if in_force is not None:
        printed = in_force.basis
        # an old document whose inputs cannot be read back is taken as saying what it should
        same = printed is None or printed == make_basis(in_force.kind, sittings, scored)
        if same and document in (None, in_force.kind):
            return NextStep.KEINER
    if document is None:
        return NextStep.WARTEN
    if (
        in_force is not None
        and in_force.kind is DocumentKind.ZERTIFIKAT
        and document is not DocumentKind.ZERTIFIKAT
    ):
        return NextStep.RUECKNAHME_VORSCHLAGEN
    if blockers:
        return NextStep.WARTEN
    return NextStep.AUSSTELLEN


def _step_reasons(
    step: NextStep, document: DocumentKind | None, in_force: IssuedDocument | None
) -> list[Reason]:
    if in_force is None:
        return []
    name = _kind_name(in_force.kind)
    if step is NextStep.KEINER:
        return [
            Reason(
                "R6",
                said(
                    "{name} {number} ist ausgestellt und gibt die gewerteten Ergebnisse wieder:"
                    " nichts weiter auszustellen",
                    name=name,
                    number=in_force.number,
                ),
                CITE_ZERTIFIKAT if in_force.kind is DocumentKind.ZERTIFIKAT else CITE_BESCHEINIGUNG,
            )
        ]
    if step is NextStep.AUSSTELLEN and document is not None:
        return [
            Reason(
                "R6",
                said(
                    "{name} {number} gibt die gewerteten Ergebnisse nicht mehr wieder:"
                    " {document} ausstellen, {number} wird als ersetzt markiert",
                    name=name,
                    number=in_force.number,
                    document=_kind_name(document),
                ),
                CITE_ZERTIFIKAT if document is DocumentKind.ZERTIFIKAT else CITE_BESCHEINIGUNG,
            )
        ]
    if step in (NextStep.RUECKNAHME_VORSCHLAGEN, NextStep.RUECKNAHME_FREIGEBEN):
        todo = (
            said("der Vorschlag zur Rücknahme wartet auf die Freigabe durch die Leitung")
            if step is NextStep.RUECKNAHME_FREIGEBEN
            else said("Rücknahme mit Begründung vorschlagen (Freigabe durch die Leitung)")
        )
        if document is DocumentKind.ZERTIFIKAT:  # proposed as issued in error
            return [
                Reason(
                    "R6",
                    said(
                        "Zertifikat {number}: {todo} (Vorschlag: irrtümlich ausgestellt)",
                        number=in_force.number,
                        todo=todo,
                    ),
                    CITE_WITHDRAWAL,
                )
            ]
        return [
            Reason(
                "R6",
                said(
                    "Zertifikat {number} beruht nicht mehr auf den gewerteten Ergebnissen"
                    " (jetzt: Bescheinigung): {todo}; danach die Bescheinigung ausstellen",
                    number=in_force.number,
                    todo=todo,
                ),
                CITE_WITHDRAWAL,
            )
        ]
    return []


def _kind_name(kind: DocumentKind) -> str:
    return said("Zertifikat") if kind is DocumentKind.ZERTIFIKAT else said("Bescheinigung")


def identity_blockers(facts: CaseFacts) -> list[Blocker]:
    """R7: one blocker per missing item of § 17 Abs. 4 Satz 2 IntV and for a missing address."""
    blockers = [
        Blocker(
            code,
            said(
                "{label} fehlt: beim Kursträger anfordern (Pflichtangabe, {cite})",
                label=label,
                cite=CITE_IDENTITY,
            ),
            KURSTRAEGER,
            "R7",
        )
        for code, label, name in IDENTITY_FIELDS
        if _missing(getattr(facts, name))
    ]
    if not facts.has_address:
        blockers.append(
            Blocker(
                "anschrift_fehlt",
                said("Postanschrift fehlt: für den Versand beim Kursträger anfordern"),
                KURSTRAEGER,
                "R7",
            )
        )
    return blockers


def success_date(facts: CaseFacts, *, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> date | None:
    """The first day both B1 (DTZ or valid alternative proof) and a LiD pass were shown."""
    language_days = [
        s.attempt.exam_date
        for s in score_dtz(countable_dtz(facts), thresholds)
        if s.overall is Level.B1
    ]
    proof = facts.alt_b1
    if proof is not None and check_alt_b1(proof, registered_on=facts.registered_on).valid:
        language_days.append(proof.issued_on)
    lid_days = [a.exam_date for a in facts.lid_attempts if lid_outcome(a.points).passed]
    if not language_days or not lid_days:
        return None
    return max(min(language_days), min(lid_days))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _self_payer_reason(facts: CaseFacts) -> Reason:
    ignored = sum(a.source is not ResultSource.PAPER for a in facts.dtz_attempts)
    text = said(
        "Selbstzahler: DTZ-Ergebnisse kommen nicht über den Webservice; es zählt das von der"
        " Regionalstelle erfasste Papierergebnis (oder ein alternativer B1-Nachweis)"
    )
    if ignored:
        text = said(
            "{text}; {ignored} Webservice-Ergebnis(se) nicht berücksichtigt",
            text=text,
            ignored=ignored,
        )
    return Reason("R8", text, CITE_SELF_PAYER)


def _dtz_blocker(
    facts: CaseFacts, scored: list[ScoredDtz], counted: ScoredDtz | None, language_b1: bool
) -> Blocker | None:
    """R5/R8: what DTZ result is still missing, unless B1 is already shown and nothing can add."""
    if language_b1:
        return None
    # an unfinished sitting on or after the counted one's day may still change the document;
    # by date, not list position, so the answer does not depend on the order results came in
    since = counted.attempt.exam_date if counted is not None else date.min
    pending = [s for s in scored if not s.outcome.complete and s.attempt.exam_date >= since]
    supplier = REGIONALSTELLE if facts.self_payer else PRUEFSTELLE
    if pending:
        latest = pending[-1]
        missing = joined(", ", [part_de(p) for p in Part if p not in latest.outcome.parts])
        todo = (
            said("Papierergebnis vollständig erfassen")
            if facts.self_payer
            else said("Übermittlung durch die Prüfstelle abwarten")
        )
        return Blocker(
            "dtz_unvollstaendig",
            said(
                "DTZ vom {day} unvollständig, es fehlt: {missing}; {todo}",
                day=date_de(latest.attempt.exam_date),
                missing=missing,
                todo=todo,
            ),
            supplier,
            "R5",
        )
    if counted is not None:
        return None
    if facts.self_payer:
        return Blocker(
            "dtz_fehlt",
            said(
                "Selbstzahler: Das DTZ-Ergebnis kommt nicht über den Webservice; die"
                " Regionalstelle muss das Papierergebnis erfassen (oder einen alternativen"
                " B1-Nachweis)"
            ),
            REGIONALSTELLE,
            "R8",
        )
    return Blocker("dtz_fehlt", said("Kein DTZ-Ergebnis übermittelt"), PRUEFSTELLE, "R5")


def _dtz_reasons(
    counted: ScoredDtz, scored: list[ScoredDtz], thresholds: Thresholds
) -> list[Reason]:
    complete = sum(s.outcome.complete for s in scored)
    which = (
        said("bestes vollständiges Ergebnis von {complete} Versuchen", complete=complete)
        if complete > 1
        else said("einziger vollständiger Versuch")
    )
    day = date_de(counted.attempt.exam_date)
    paper = counted.attempt.source is ResultSource.PAPER
    counts = (
        said("Gewertet wird der DTZ vom {day} (Papierergebnis) ({which})", day=day, which=which)
        if paper
        else said("Gewertet wird der DTZ vom {day} ({which})", day=day, which=which)
    )
    reasons = [Reason("R6", counts, CITE_COUNTED)]
    if counted.attempt.aborted:
        reasons.append(
            Reason(
                "R2a",
                said(
                    "DTZ vom {day} abgebrochen: gilt als nicht bestanden (unter A2); Teile werden"
                    " nicht gewertet",
                    day=day,
                ),
                CITE_ABORTED,
            )
        )
        return reasons
    levels = counted.outcome.parts
    for part in Part:
        scale = thresholds.scale(part)
        level = levels[part]
        bound = (
            said("A2 ab {points}", points=points_de(scale.a2_from))
            if level is Level.UNTER_A2
            else said("B1 ab {points}", points=points_de(scale.b1_from))
        )
        reasons.append(
            Reason(
                "R1",
                said(
                    "{part} {points} von {maximum} Punkten: {level} ({bound})",
                    part=part_de(part),
                    points=points_de(counted.attempt.parts[part]),
                    maximum=points_de(scale.maximum),
                    level=level_de(level),
                    bound=bound,
                ),
                CITE_PART,
            )
        )
    overall = counted.overall
    assert overall is not None
    reasons.append(Reason("R2", overall_text(levels, overall), overall_citation(overall)))
    return reasons


def overall_citation(overall: Level) -> str:
    """B1 is § 10 Abs. 1 IntTestV; A2 and "unter A2" follow from the DTZ's scoring rules."""
    return CITE_OVERALL if overall is Level.B1 else CITE_OVERALL_A2


def overall_text(levels: Mapping[Part, Level], overall: Level) -> str:
    """R2 in words: the level the rule gave, and why it is that level and not the next."""
    speaking = levels[Part.SPRECHEN]
    written = (Part.HOEREN_LESEN, Part.SCHREIBEN)
    level = level_de(overall)
    if overall is Level.B1:
        b1 = joined(" und ", [part_de(p) for p in written if levels[p] is Level.B1])
        return said("DTZ-Gesamtergebnis {level}: Sprechen B1 und {b1} B1", level=level, b1=b1)
    if overall is Level.A2:
        a2 = joined(" und ", [part_de(p) for p in written if levels[p] is not Level.UNTER_A2])
        if speaking is Level.B1:
            return said(
                "DTZ-Gesamtergebnis {level}: Sprechen B1, aber weder Hören/Lesen noch Schreiben B1",
                level=level,
            )
        return said(
            "DTZ-Gesamtergebnis {level}: Sprechen A2 und {a2} mindestens A2; Sprechen A2"
            " begrenzt auf A2",
            level=level,
            a2=a2,
        )
    if speaking is Level.UNTER_A2:
        return said(
            "DTZ-Gesamtergebnis {level}: Sprechen unter A2 begrenzt das Gesamtergebnis",
            level=level,
        )
    return said(
        "DTZ-Gesamtergebnis {level}: Sprechen {speaking}, aber weder Hören/Lesen noch Schreiben"
        " erreicht A2",
        level=level,
        speaking=level_de(speaking),
    )


def _lid_reasons(attempt: LidAttempt, lid: LidOutcome, sittings: int) -> list[Reason]:
    verdict = (
        said("bestanden")
        if lid.passed
        else said("nicht bestanden (bestanden ab {points})", points=LID_PASS_FROM)
    )
    facts = {
        "lid": LID_NAME,
        "day": date_de(attempt.exam_date),
        "points": lid.points,
        "maximum": LID_MAXIMUM,
        "verdict": verdict,
    }
    text = (
        said(
            "{lid} vom {day}: {points} von {maximum} Punkten: {verdict}; bestes von {sittings}"
            " Ergebnissen",
            sittings=sittings,
            **facts,
        )
        if sittings > 1
        else said("{lid} vom {day}: {points} von {maximum} Punkten: {verdict}", **facts)
    )
    reasons = [Reason("R3", text, CITE_LID)]
    if lid.naturalisation:
        reasons.append(
            Reason(
                "R3",
                said(
                    "Ab {points} Punkten gilt das Ergebnis auch für die Einbürgerung, sofern das"
                    " Land eine Verwaltungsvereinbarung mit dem BAMF hat",
                    points=LID_NATURALISATION_FROM,
                ),
                CITE_NATURALISATION,
            )
        )
    return reasons


def _document_reason(
    document: DocumentKind, counted: ScoredDtz | None, alt_valid: bool, lid: LidOutcome
) -> Reason:
    dtz_b1 = counted is not None and counted.overall is Level.B1
    lid_text = said(
        "{lid} {points} von {maximum} Punkten", lid=LID_NAME, points=lid.points, maximum=LID_MAXIMUM
    )
    proof = said("alternativer B1-Nachweis")
    if document is DocumentKind.ZERTIFIKAT:
        return Reason(
            "R6",
            said(
                "Zertifikat Integrationskurs: {language} und {lid} (bestanden)",
                language="DTZ B1" if dtz_b1 else proof,
                lid=lid_text,
            ),
            CITE_ZERTIFIKAT,
        )
    reached: list[str] = (
        [said("DTZ {level}", level=level_de(counted.overall))]
        if counted and counted.overall
        else []
    )
    if alt_valid:
        reached.append(proof)
    reached.append(lid_text)
    lacking: list[str] = []
    if not (dtz_b1 or alt_valid):
        lacking.append(said("DTZ B1 (oder ein gültiger alternativer B1-Nachweis)"))
    if not lid.passed:
        lacking.append(
            said("bestandener {lid} (ab {points} Punkten)", lid=LID_NAME, points=LID_PASS_FROM)
        )
    return Reason(
        "R6",
        said(
            "Bescheinigung über das erreichte Ergebnis: {reached}; für das Zertifikat fehlt:"
            " {lacking}",
            reached=joined(", ", reached),
            lacking=joined(" und ", lacking),
        ),
        CITE_BESCHEINIGUNG,
    )
