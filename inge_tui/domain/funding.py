"""R9–R12: which test sittings BAMF pays for (§ 17 Abs. 3 IntV).

R9 compares the hours used on the exam day (`hours.hours_on`, from the course provider's dated
reports) with the hours of the course type that § 17 Abs. 3 Satz 2 names (600, 900 or 400 UE),
not with a person's smaller individual contingent: a late entrant with 300 of 300 individual UE
on a 600-UE course has not used up the course's hours.
"""

from __future__ import annotations

from ._format import LID_NAME, date_de, level_de
from .attempts import ScoredDtz, score_dtz
from .course import DEFAULT_CONTINGENT
from .hours import hours_on
from .levels import DEFAULT_THRESHOLDS
from .said import said
from .types import CaseFacts, Funding, Level, Reason, Thresholds

CITE_SECOND_DTZ = "§ 17 Abs. 3 Satz 2 IntV"
CITE_OWN_COST = "§ 9 Abs. 3 IntTestV; BAMF-Leitfaden Abschluss des Integrationskurses"
CITE_REPETITION_DTZ = "§ 17 Abs. 3 Satz 3 IntV"
CITE_LID = "§ 17 Abs. 3 Satz 1 IntV; § 9 Abs. 3 IntTestV"


def assess_funding(facts: CaseFacts, *, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Funding:
    """R9 second funded DTZ, R10 own-cost DTZ, R11 DTZ within a repetition, R12 funded LiD."""
    scored = score_dtz(facts.dtz_attempts, thresholds)
    second_possible, r9 = _second_funded_dtz(facts, scored)
    reasons = [r9]
    reasons.append(
        Reason(
            "R10",
            said(
                "Weitere DTZ-Versuche auf eigene Kosten sind jederzeit und beliebig oft möglich;"
                " einzelne Prüfungsteile können nicht wiederholt werden"
            ),
            CITE_OWN_COST,
        )
    )
    r11 = _repetition_dtz(facts, scored)
    if r11 is not None:
        reasons.append(r11)
    funded_lid = [attempt for attempt in facts.lid_attempts if attempt.funded]
    if funded_lid:
        first = min(funded_lid, key=lambda attempt: attempt.exam_date)
        r12 = said(
            "Der geförderte Versuch im {lid} wurde am {day} genutzt; weitere Versuche sind"
            " kostenpflichtig (beliebig oft)",
            lid=LID_NAME,
            day=date_de(first.exam_date),
        )
    elif facts.self_payer:
        r12 = said("Selbstzahler: Versuche im {lid} sind kostenpflichtig", lid=LID_NAME)
    else:
        r12 = said("Ein geförderter Versuch im {lid} steht noch zur Verfügung", lid=LID_NAME)
    reasons.append(Reason("R12", r12, CITE_LID))
    return Funding(
        second_funded_dtz_possible=second_possible,
        funded_lid_used=bool(funded_lid),
        reasons=tuple(reasons),
    )


def _second_funded_dtz(facts: CaseFacts, scored: list[ScoredDtz]) -> tuple[bool, Reason]:
    """R9: after a failed first funded DTZ taken while hours were left, BAMF pays once more."""

    def no(text: str) -> tuple[bool, Reason]:
        return False, Reason(
            "R9", said("Kein zweiter geförderter DTZ: {why}", why=text), CITE_SECOND_DTZ
        )

    # sittings inside a repetition are funded under § 17 Abs. 3 Satz 3 (R11), not counted here
    regular = [s for s in scored if s.attempt.funded and not s.attempt.within_repetition]
    if facts.self_payer and not regular:
        return no(said("Selbstzahler; DTZ-Versuche werden nicht vom BAMF gefördert"))
    if not regular:
        return no(said("es liegt noch kein geförderter Erstversuch vor"))
    first = regular[0]
    when = date_de(first.attempt.exam_date)
    if len(regular) > 1:
        return no(
            said(
                "der zweite geförderte Versuch wurde am {day} bereits genutzt",
                day=date_de(regular[1].attempt.exam_date),
            )
        )
    if first.overall is None:
        return no(
            said("das Ergebnis des geförderten DTZ vom {day} ist noch unvollständig", day=when)
        )
    if first.overall is Level.B1:
        return no(said("der geförderte DTZ vom {day} ergab bereits B1", day=when))
    course_hours = DEFAULT_CONTINGENT[facts.course_type]
    standing = hours_on(
        facts.hours_reports, first.attempt.exam_date, ceiling=facts.contingent_hours
    )
    used = standing.describe(course_hours)
    reached = standing.reached(course_hours)
    if reached is None:
        return no(
            said(
                "{used}; ob die Stunden der Kursart am Prüfungstag ({day}) ausgeschöpft waren,"
                " ist offen: Stundenmeldung des Kursträgers abwarten",
                used=used,
                day=when,
            )
        )
    if reached:
        return no(
            said(
                "der DTZ vom {day} wurde erst nach Ausschöpfung der Stunden der Kursart abgelegt"
                " ({used})",
                day=when,
                used=used,
            )
        )
    return True, Reason(
        "R9",
        said(
            "Zweiter geförderter DTZ möglich: der geförderte DTZ vom {day} ergab {level} und"
            " wurde vor Ausschöpfung der Stunden der Kursart abgelegt ({used})",
            day=when,
            level=level_de(first.overall),
            used=used,
        ),
        CITE_SECOND_DTZ,
    )


def _repetition_dtz(facts: CaseFacts, scored: list[ScoredDtz]) -> Reason | None:
    """R11: within an approved repetition BAMF pays for exactly one DTZ sitting."""
    used = [s for s in scored if s.attempt.funded and s.attempt.within_repetition]
    if not facts.repetition_approved_before and not used:
        return None
    if used:
        text = said(
            "Der geförderte DTZ der Wiederholung wurde am {day} genutzt; weitere Versuche nur auf"
            " eigene Kosten",
            day=date_de(used[0].attempt.exam_date),
        )
    else:
        text = said(
            "Im Rahmen der genehmigten Wiederholung wird ein DTZ-Versuch gefördert (noch offen)"
        )
    return Reason("R11", text, CITE_REPETITION_DTZ)
