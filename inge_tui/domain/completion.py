"""R4–R12: which document closes the course, what blocks issuing it, and why.

`assess_completion` reads the facts of one participant and answers with the document
(Zertifikat or Bescheinigung, None while a test result is missing), the blockers that stop
issuing (each naming who must supply what), German reasons with their citations, and the funding
of further sittings. Which sitting counts is decided in `attempts`: the best complete DTZ and the
best LiD, so a later worse sitting never takes back an earlier B1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ._format import LID_NAME, date_de, level_de, part_de, points_de
from .alt_b1 import check_alt_b1
from .attempts import ScoredDtz, best_dtz, best_lid, score_dtz
from .funding import assess_funding
from .levels import (
    DEFAULT_THRESHOLDS,
    LID_MAXIMUM,
    LID_NATURALISATION_FROM,
    LID_PASS_FROM,
    lid_outcome,
)
from .rulesets import ABSCHLUSS, rules_version, ruleset_for
from .types import (
    Assessment,
    Blocker,
    CaseFacts,
    DocumentKind,
    DtzAttempt,
    Level,
    LidAttempt,
    LidOutcome,
    Part,
    Reason,
    ResultSource,
    Thresholds,
)

CITE_PART = "§ 17 Abs. 1 Satz 1 Nr. 1 IntV (DTZ-Punkteschwellen)"
CITE_OVERALL = "§ 10 Abs. 1 IntTestV"
CITE_LID = "§ 10 Abs. 2 IntTestV"
CITE_NATURALISATION = "§ 10 Abs. 3 IntTestV; § 17 Abs. 5 IntV"
CITE_COUNTED = "§ 17 Abs. 2 Satz 1 IntV; § 9 Abs. 3 IntTestV"
CITE_READY = "§ 17 Abs. 1 IntV"
CITE_ZERTIFIKAT = "§ 17 Abs. 2 Satz 1, Abs. 4 Satz 1 IntV"
# The BAMF guide of 23.05.2024 cites Satz 4; the 2017 text had it as Satz 3 (open question 1).
CITE_BESCHEINIGUNG = "§ 17 Abs. 4 Satz 4 IntV"
CITE_IDENTITY = "§ 17 Abs. 4 Satz 2 IntV"
CITE_SELF_PAYER = "§ 17 Abs. 4 IntV (Selbstzahler: Papierergebnis)"

KURSTRAEGER = "kurstraeger"
PRUEFSTELLE = "pruefstelle"
OET = "oet"
REGIONALSTELLE = "regionalstelle"

# (blocker code, what is missing, CaseFacts field): the data § 17 Abs. 4 Satz 2 IntV requires
IDENTITY_FIELDS = (
    ("nachname_fehlt", "Nachname", "surname"),
    ("vorname_fehlt", "Vorname", "given_name"),
    ("geburtsdatum_fehlt", "Geburtsdatum", "birth_date"),
    ("ausweisart_fehlt", "Art des Ausweisdokuments", "document_type"),
    ("ausweisnummer_fehlt", "Nummer des Ausweisdokuments", "document_number"),
)


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
                "Pflichtangaben vollständig: Name, Vorname, Geburtsdatum, Ausweisart und"
                " -nummer, Postanschrift",
                CITE_IDENTITY,
            )
        )

    alt_valid = False
    if facts.alt_b1 is not None:
        alt_valid, alt_reasons = check_alt_b1(facts.alt_b1, registered_on=facts.registered_on)
        reasons.extend(alt_reasons)

    if facts.self_payer:
        reasons.append(_self_payer_reason(facts))
    scored = score_dtz(_countable_dtz(facts), thresholds)
    counted = best_dtz(scored)
    if counted is not None:
        reasons.extend(_dtz_reasons(counted, scored, thresholds))
    language_b1 = alt_valid or (counted is not None and counted.overall is Level.B1)
    dtz_blocker = _dtz_blocker(facts, scored, counted, language_b1)

    lid_attempt = best_lid(facts.lid_attempts)
    lid: LidOutcome | None = None
    if lid_attempt is None:
        blockers.append(Blocker("lid_fehlt", f"Kein Ergebnis im {LID_NAME} erfasst", OET, "R5"))
    else:
        lid = lid_outcome(lid_attempt.points)
        reasons.extend(_lid_reasons(lid_attempt, lid, len(facts.lid_attempts)))

    document: DocumentKind | None = None
    if dtz_blocker is not None:
        blockers.append(dtz_blocker)
    elif lid is not None:
        reasons.append(
            Reason(
                "R5",
                f"Beide Abschlussergebnisse liegen vor: DTZ oder alternativer B1-Nachweis und"
                f" {LID_NAME}",
                CITE_READY,
            )
        )
        passed = language_b1 and lid.passed
        document = DocumentKind.ZERTIFIKAT if passed else DocumentKind.BESCHEINIGUNG
        reasons.append(_document_reason(document, counted, alt_valid, lid))

    if facts.zertifikat_issued:
        document = None
        blockers.append(
            Blocker(
                "zertifikat_vorhanden",
                "Ein Zertifikat Integrationskurs wurde bereits ausgestellt; je Person wird nur"
                " eines ausgestellt",
                REGIONALSTELLE,
                "R6",
            )
        )

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
    )


def identity_blockers(facts: CaseFacts) -> list[Blocker]:
    """R7: one blocker per missing item of § 17 Abs. 4 Satz 2 IntV and for a missing address."""
    blockers = [
        Blocker(
            code,
            f"{label} fehlt: beim Kursträger anfordern (Pflichtangabe, {CITE_IDENTITY})",
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
                "Postanschrift fehlt: für den Versand beim Kursträger anfordern",
                KURSTRAEGER,
                "R7",
            )
        )
    return blockers


def _countable_dtz(facts: CaseFacts) -> tuple[DtzAttempt, ...]:
    """R8: for a self-payer only the paper result the Regionalstelle captured counts."""
    if facts.self_payer:
        return tuple(a for a in facts.dtz_attempts if a.source is ResultSource.PAPER)
    return facts.dtz_attempts


def success_date(facts: CaseFacts, *, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> date | None:
    """The first day both B1 (DTZ or valid alternative proof) and a LiD pass were shown."""
    language_days = [
        s.attempt.exam_date
        for s in score_dtz(_countable_dtz(facts), thresholds)
        if s.overall is Level.B1
    ]
    proof = facts.alt_b1
    if proof is not None and check_alt_b1(proof, registered_on=facts.registered_on)[0]:
        language_days.append(proof.issued_on)
    lid_days = [a.exam_date for a in facts.lid_attempts if lid_outcome(a.points).passed]
    if not language_days or not lid_days:
        return None
    return max(min(language_days), min(lid_days))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _self_payer_reason(facts: CaseFacts) -> Reason:
    ignored = sum(a.source is not ResultSource.PAPER for a in facts.dtz_attempts)
    text = (
        "Selbstzahler: DTZ-Ergebnisse kommen nicht über den Webservice; es zählt das von der"
        " Regionalstelle erfasste Papierergebnis (oder ein alternativer B1-Nachweis)"
    )
    if ignored:
        text += f"; {ignored} Webservice-Ergebnis(se) nicht berücksichtigt"
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
        missing = ", ".join(part_de(p) for p in Part if p not in latest.outcome.parts)
        todo = (
            "Papierergebnis vollständig erfassen"
            if facts.self_payer
            else "Übermittlung durch die Prüfstelle abwarten"
        )
        return Blocker(
            "dtz_unvollstaendig",
            f"DTZ vom {date_de(latest.attempt.exam_date)} unvollständig, es fehlt: {missing};"
            f" {todo}",
            supplier,
            "R5",
        )
    if counted is not None:
        return None
    if facts.self_payer:
        return Blocker(
            "dtz_fehlt",
            "Selbstzahler: Das DTZ-Ergebnis kommt nicht über den Webservice; die Regionalstelle"
            " muss das Papierergebnis erfassen (oder einen alternativen B1-Nachweis)",
            REGIONALSTELLE,
            "R8",
        )
    return Blocker("dtz_fehlt", "Kein DTZ-Ergebnis übermittelt", PRUEFSTELLE, "R5")


def _dtz_reasons(
    counted: ScoredDtz, scored: list[ScoredDtz], thresholds: Thresholds
) -> list[Reason]:
    complete = sum(s.outcome.complete for s in scored)
    which = (
        f"bestes vollständiges Ergebnis von {complete} Versuchen"
        if complete > 1
        else "einziger vollständiger Versuch"
    )
    reasons = [
        Reason(
            "R6",
            f"Gewertet wird der DTZ vom {date_de(counted.attempt.exam_date)} ({which})",
            CITE_COUNTED,
        )
    ]
    levels = counted.outcome.parts
    for part in Part:
        scale = thresholds.scale(part)
        level = levels[part]
        bound = (
            f"A2 ab {points_de(scale.a2_from)}"
            if level is Level.UNTER_A2
            else f"B1 ab {points_de(scale.b1_from)}"
        )
        reasons.append(
            Reason(
                "R1",
                f"{part_de(part)} {points_de(counted.attempt.parts[part])} von"
                f" {points_de(scale.maximum)} Punkten: {level_de(level)} ({bound})",
                CITE_PART,
            )
        )
    reasons.append(Reason("R2", _overall_text(levels), CITE_OVERALL))
    return reasons


def _overall_text(levels: Mapping[Part, Level]) -> str:
    """R2 in words: why the overall level is what it is."""
    speaking = levels[Part.SPRECHEN]
    written = (Part.HOEREN_LESEN, Part.SCHREIBEN)
    b1_written = [part_de(p) for p in written if levels[p] is Level.B1]
    if speaking is Level.B1 and b1_written:
        return f"DTZ-Gesamtergebnis B1: Sprechen B1 und {' und '.join(b1_written)} B1"
    some_a2 = any(levels[p] is not Level.UNTER_A2 for p in written)
    if speaking is Level.B1:
        return "DTZ-Gesamtergebnis A2: Sprechen B1, aber weder Hören/Lesen noch Schreiben B1"
    if speaking is Level.A2 and some_a2:
        return "DTZ-Gesamtergebnis A2: Sprechen A2 begrenzt das Gesamtergebnis auf A2"
    if speaking is Level.A2:
        return "DTZ-Gesamtergebnis unter A2: weder Hören/Lesen noch Schreiben erreicht A2"
    return "DTZ-Gesamtergebnis unter A2: Sprechen unter A2 begrenzt das Gesamtergebnis"


def _lid_reasons(attempt: LidAttempt, lid: LidOutcome, sittings: int) -> list[Reason]:
    which = f"; bestes von {sittings} Ergebnissen" if sittings > 1 else ""
    verdict = "bestanden" if lid.passed else f"nicht bestanden (bestanden ab {LID_PASS_FROM})"
    reasons = [
        Reason(
            "R3",
            f"{LID_NAME} vom {date_de(attempt.exam_date)}: {lid.points} von {LID_MAXIMUM}"
            f" Punkten: {verdict}{which}",
            CITE_LID,
        )
    ]
    if lid.naturalisation:
        reasons.append(
            Reason(
                "R3",
                f"Ab {LID_NATURALISATION_FROM} Punkten gilt das Ergebnis auch für die Einbürgerung,"
                " sofern das Land eine Verwaltungsvereinbarung mit dem BAMF hat",
                CITE_NATURALISATION,
            )
        )
    return reasons


def _document_reason(
    document: DocumentKind, counted: ScoredDtz | None, alt_valid: bool, lid: LidOutcome
) -> Reason:
    dtz_b1 = counted is not None and counted.overall is Level.B1
    lid_text = f"{LID_NAME} {lid.points} von {LID_MAXIMUM} Punkten"
    if document is DocumentKind.ZERTIFIKAT:
        language = "DTZ B1" if dtz_b1 else "alternativer B1-Nachweis"
        return Reason(
            "R6",
            f"Zertifikat Integrationskurs: {language} und {lid_text} (bestanden)",
            CITE_ZERTIFIKAT,
        )
    reached = [f"DTZ {level_de(counted.overall)}"] if counted and counted.overall else []
    if alt_valid:
        reached.append("alternativer B1-Nachweis")
    reached.append(lid_text)
    lacking = []
    if not (dtz_b1 or alt_valid):
        lacking.append("DTZ B1 (oder ein gültiger alternativer B1-Nachweis)")
    if not lid.passed:
        lacking.append(f"bestandener {LID_NAME} (ab {LID_PASS_FROM} Punkten)")
    return Reason(
        "R6",
        f"Bescheinigung über das erreichte Ergebnis: {', '.join(reached)}; für das Zertifikat"
        f" fehlt: {' und '.join(lacking)}",
        CITE_BESCHEINIGUNG,
    )
