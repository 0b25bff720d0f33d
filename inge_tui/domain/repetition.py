"""R13–R15: applications to repeat up to 300 UE of the language course.

The rules in force on the day the application was received decide (domain.md Part A 4):
until 06.12.2024 § 5 Abs. 5 IntV a. F. (R14, any course type), from 07.12.2024 § 13 Abs. 1
Satz 4 IntV (R13, only Alphabetisierungs- and Förderkurse). A B1 in the DTZ that counts means
no repetition is needed and none may be waived in (R15).

Both rules want the DTZ taken without success *after* the individual contingent was used up
(§ 13 Abs. 1 Satz 4: "nach Ausschöpfung … ohne Erfolg … teilgenommen"); a DTZ failed with hours
left is the case of the second funded DTZ (R9), not of a repetition. The hours on the exam day
come from the course provider's dated reports (`hours`). Under R13 an application may be filed
in the 9th Kursabschnitt; it is approved only once the contingent is used up, and until then
the decision waits (`Condition.pending`). R14's "proper attendance" is shown and recorded but
refuses nothing on its own (domain.md R14).

A refusal, and a waiver, need a reason a participant can read: `MIN_REASON_LENGTH` characters
and more than one word.
"""

from __future__ import annotations

from ._format import course_de, date_de, level_de
from .attempts import ScoredDtz, best_dtz, countable_dtz, score_dtz
from .hours import hours_on
from .levels import DEFAULT_THRESHOLDS
from .rulesets import REPETITION_REFORM, WIEDERHOLUNG, rules_version, ruleset_for
from .said import said
from .types import (
    CaseFacts,
    Condition,
    CourseType,
    Level,
    Reason,
    RepetitionAssessment,
    RepetitionFacts,
    Thresholds,
)

MAX_REPETITION_HOURS = 300
MIN_REASON_LENGTH = 20
# § 13 Abs. 1 Satz 3 Nr. 1 and Nr. 3 IntV; Zweitschriftlerner (Nr. 2) are left out on purpose
R13_COURSE_TYPES = frozenset({CourseType.ALPHABETISIERUNG, CourseType.FOERDERBEDARF})

CITE_R13 = "§ 13 Abs. 1 Satz 4 IntV"
CITE_R13_DTZ = "§ 13 Abs. 1 Satz 4 und 5 IntV"
CITE_R13_PROCEDURE = "§ 13 Abs. 1 Satz 4 IntV; Antragsverfahren des BAMF"
CITE_R14 = "§ 5 Abs. 5 IntV a. F."
CITE_R14_PRACTICE = "§ 5 Abs. 5 IntV a. F.; BAMF-Leitfaden Abschluss des Integrationskurses"
CITE_R14_MANDATORY = "§ 5 Abs. 5 Satz 2 IntV a. F.; § 44a Abs. 1 Satz 1 AufenthG"
CITE_ATTENDANCE = "§ 5 Abs. 5 Satz 1, § 14 Abs. 6 IntV a. F."

APPROVE = "approve"
REJECT = "reject"


def assess_repetition(
    facts: CaseFacts,
    application: RepetitionFacts,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> RepetitionAssessment:
    """The conditions of R13 or R14 (by the day of receipt), each met or not, and the UE limit."""
    if isinstance(application.requested_hours, bool) or application.requested_hours < 1:
        raise ValueError(
            f"Wiederholungsantrag: beantragte Stunden {application.requested_hours!r} müssen"
            " mindestens 1 UE sein"
        )
    ruleset = ruleset_for(WIEDERHOLUNG, application.received_on)
    scored = score_dtz(countable_dtz(facts), thresholds)
    new_rules = ruleset.valid_from >= REPETITION_REFORM  # the 5. IntVÄndV's set or a later one
    received = date_de(application.received_on)
    if new_rules:
        conditions = _r13_conditions(facts, application, scored)
        regime = Reason(
            "R13",
            said("Antrag eingegangen am {day}: es gilt {law}", day=received, law=CITE_R13),
            CITE_R13,
        )
    else:
        conditions = _r14_conditions(facts, application, scored)
        regime = Reason(
            "R14",
            said("Antrag eingegangen am {day}: es gilt {law}", day=received, law=CITE_R14),
            CITE_R14,
        )
    rule = regime.rule_id
    max_hours = min(MAX_REPETITION_HOURS, application.requested_hours)
    reasons = [
        regime,
        Reason(
            rule,
            said(
                "Höchstens {most} UE; beantragt {requested} UE: genehmigungsfähig bis {hours} UE",
                most=MAX_REPETITION_HOURS,
                requested=application.requested_hours,
                hours=max_hours,
            ),
            regime.citation,
        ),
    ]
    mandatory = False
    if not new_rules and application.obliged_44a:
        mandatory = all(c.met for c in conditions if c.required)
        reasons.append(
            Reason(
                "R14",
                said(
                    "Zur Teilnahme verpflichtet (§ 44a Abs. 1 Satz 1 AufenthG): die Zulassung ist"
                    " zwingend"
                )
                if mandatory
                else said(
                    "Zur Teilnahme verpflichtet, aber nicht alle Voraussetzungen erfüllt:"
                    " keine Pflicht zur Zulassung"
                ),
                CITE_R14_MANDATORY,
            )
        )
    return RepetitionAssessment(
        rules_version=rules_version(ruleset.id, thresholds=thresholds),
        conditions=tuple(conditions),
        max_hours=max_hours,
        mandatory=mandatory,
        reasons=tuple(reasons),
    )


def _contingent(facts: CaseFacts) -> tuple[bool | None, str]:
    """Whether the individual contingent is used up now, and the standing in words."""
    hours = facts.hours_used
    limit = facts.contingent_hours
    if hours is None:
        return None, said("Stundenstand unbekannt: Stundenmeldung des Kursträgers fehlt")
    return hours >= limit, said("{hours} von {limit} UE", hours=hours, limit=limit)


def _r13_conditions(
    facts: CaseFacts, application: RepetitionFacts, scored: list[ScoredDtz]
) -> list[Condition]:
    course = course_de(facts.course_type)
    exhausted, used = _contingent(facts)
    pending = False
    contingent: str
    if exhausted:
        contingent = said("Stundenkontingent ausgeschöpft ({used})", used=used)
    elif exhausted is None:
        contingent, pending = used, True
    elif application.in_ninth_section:
        contingent = said(
            "im 9. Kursabschnitt ({used}): Antrag zulässig, Genehmigung erst nach Ausschöpfung"
            " des Stundenkontingents",
            used=used,
        )
        pending = True
    else:
        contingent = said(
            "Stundenkontingent nicht ausgeschöpft ({used}) und nicht im 9. Kursabschnitt",
            used=used,
        )
    started = application.repetition_started_on
    before_start = started is None or application.received_on < started
    timing = said("Antrag vor Beginn der Wiederholung gestellt")
    if started is not None and not before_start:
        timing = said(
            "Antrag erst am {received} gestellt, die Wiederholung begann am {started}",
            received=date_de(application.received_on),
            started=date_de(started),
        )
    return [
        Condition(
            "R13",
            "kursart",
            said("{course}: Wiederholung möglich", course=course)
            if facts.course_type in R13_COURSE_TYPES
            else said(
                "{course}: seit 07.12.2024 keine Wiederholung (nur Alphabetisierungskurs und"
                " Kurs für besonderen Förderbedarf)",
                course=course,
            ),
            CITE_R13,
            facts.course_type in R13_COURSE_TYPES,
        ),
        Condition("R13", "kontingent", contingent, CITE_R13, bool(exhausted), pending=pending),
        _dtz_condition("R13", facts, scored, CITE_R13_DTZ, waiver_note=""),
        _once_condition("R13", facts, CITE_R13),
        Condition(
            "R13",
            "antrag_vor_beginn",
            timing,
            CITE_R13_PROCEDURE,
            before_start,
        ),
        Condition(
            "R13",
            "bestaetigung_kurstraeger",
            said("Schriftliche Bestätigung des Kursträgers liegt vor")
            if application.provider_confirmation
            else said("Schriftliche Bestätigung des Kursträgers fehlt"),
            CITE_R13_PROCEDURE,
            application.provider_confirmation,
        ),
    ]


def _r14_conditions(
    facts: CaseFacts, application: RepetitionFacts, scored: list[ScoredDtz]
) -> list[Condition]:
    exhausted, used = _contingent(facts)
    waiver_note = (
        said("vorgesehen für Teilnehmende eines Alphabetisierungskurses")
        if facts.course_type is CourseType.ALPHABETISIERUNG
        else said("nur in begründeten Einzelfällen")
    )
    contingent: str
    if exhausted:
        contingent = said("Stundenkontingent ausgeschöpft ({used})", used=used)
    elif exhausted is None:
        contingent = used
    else:
        contingent = said("Stundenkontingent nicht ausgeschöpft ({used})", used=used)
    return [
        Condition(
            "R14",
            "ordnungsgemaesse_teilnahme",
            said("Ordnungsgemäße Teilnahme bestätigt")
            if application.proper_attendance
            else said(
                "Ordnungsgemäße Teilnahme nicht bestätigt (wird festgehalten; allein kein"
                " Ablehnungsgrund)"
            ),
            CITE_ATTENDANCE,
            application.proper_attendance,
            required=False,
        ),
        Condition(
            "R14",
            "kontingent",
            contingent,
            CITE_R14_PRACTICE,
            bool(exhausted),
            pending=exhausted is None,
        ),
        _dtz_condition("R14", facts, scored, CITE_R14_PRACTICE, waiver_note=waiver_note),
        _once_condition("R14", facts, CITE_R14),
    ]


def _dtz_condition(
    rule: str, facts: CaseFacts, scored: list[ScoredDtz], citation: str, *, waiver_note: str
) -> Condition:
    """A DTZ without B1 taken after the contingent was used up; waivable by BAMF, except after
    a B1 (R15: nothing to repeat for)."""
    counted = best_dtz(scored)
    if counted is not None and counted.overall is Level.B1:
        return Condition(
            "R15",
            "dtz_ohne_erfolg",
            said(
                "DTZ vom {day} mit B1 bestanden: Wiederholung nicht erforderlich",
                day=date_de(counted.attempt.exam_date),
            ),
            citation,
            met=False,
            waivable=False,
        )
    limit = facts.contingent_hours
    # every complete sitting (none is B1 here) with the hours as they stood on its day
    failed = [
        (
            s.attempt.exam_date,
            level_de(s.overall),
            hours_on(facts.hours_reports, s.attempt.exam_date),
        )
        for s in scored
        if s.overall is not None
    ]
    if not failed:
        return Condition(
            rule,
            "dtz_ohne_erfolg",
            said(
                "Kein vollständiges DTZ-Ergebnis: das BAMF kann auf diese Voraussetzung"
                " verzichten ({note})",
                note=waiver_note,
            )
            if waiver_note
            else said(
                "Kein vollständiges DTZ-Ergebnis: das BAMF kann auf diese Voraussetzung verzichten"
            ),
            citation,
            met=False,
            waivable=True,
        )
    after = [f for f in failed if f[2].reached(limit)]
    if after:
        day, level, standing = after[-1]
        return Condition(
            rule,
            "dtz_ohne_erfolg",
            said(
                "DTZ vom {day} nach Ausschöpfung des Stundenkontingents ohne Erfolg abgelegt"
                " ({level}; {hours})",
                day=date_de(day),
                level=level,
                hours=standing.describe(limit),
            ),
            citation,
            met=True,
        )
    unknown = [f for f in failed if f[2].reached(limit) is None]
    if unknown:
        day, level, standing = unknown[-1]
        sitting = {"day": date_de(day), "level": level, "hours": standing.describe(limit)}
        return Condition(
            rule,
            "dtz_ohne_erfolg",
            said(
                "DTZ vom {day} ohne Erfolg ({level}), aber {hours}: ob das Kontingent am"
                " Prüfungstag ausgeschöpft war, klärt die Stundenmeldung des Kursträgers; das"
                " BAMF kann verzichten ({note})",
                note=waiver_note,
                **sitting,
            )
            if waiver_note
            else said(
                "DTZ vom {day} ohne Erfolg ({level}), aber {hours}: ob das Kontingent am"
                " Prüfungstag ausgeschöpft war, klärt die Stundenmeldung des Kursträgers; das"
                " BAMF kann verzichten",
                **sitting,
            ),
            citation,
            met=False,
            waivable=True,
            pending=True,
        )
    day, level, standing = failed[-1]
    sitting = {"day": date_de(day), "level": level, "hours": standing.describe(limit)}
    return Condition(
        rule,
        "dtz_ohne_erfolg",
        said(
            "DTZ vom {day} ohne Erfolg ({level}), aber vor Ausschöpfung des Stundenkontingents"
            " abgelegt ({hours}): das ist der Fall des zweiten geförderten DTZ (§ 17 Abs. 3"
            " Satz 2 IntV), nicht der Wiederholung; das BAMF kann verzichten ({note})",
            note=waiver_note,
            **sitting,
        )
        if waiver_note
        else said(
            "DTZ vom {day} ohne Erfolg ({level}), aber vor Ausschöpfung des Stundenkontingents"
            " abgelegt ({hours}): das ist der Fall des zweiten geförderten DTZ (§ 17 Abs. 3"
            " Satz 2 IntV), nicht der Wiederholung; das BAMF kann verzichten",
            **sitting,
        ),
        citation,
        met=False,
        waivable=True,
    )


def _once_condition(rule: str, facts: CaseFacts, citation: str) -> Condition:
    return Condition(
        rule,
        "einmalig",
        said("Eine Wiederholung wurde bereits genehmigt; sie ist nur einmal möglich")
        if facts.repetition_approved_before
        else said("Bisher keine Wiederholung genehmigt"),
        citation,
        not facts.repetition_approved_before,
    )


def reason_problem(reason: str | None, what: str) -> str | None:
    """Why a written reason is not one a participant could read, or None when it is."""
    written = " ".join((reason or "").split())
    if not written:
        return said("{what} braucht eine Begründung", what=what)
    if len(written) < MIN_REASON_LENGTH or len(written.split()) < 2:
        return said(
            "{what} braucht eine Begründung, die die Teilnehmenden verstehen: mindestens"
            " {least} Zeichen und mehr als ein Wort (angegeben: „{written}“)",
            what=what,
            least=MIN_REASON_LENGTH,
            written=written,
        )
    return None


def _unmet(condition: Condition) -> str:
    """`Nicht erfüllt: …` with the condition's text, or `Noch nicht erfüllt …` while it waits."""
    if condition.pending:
        return said(
            "Noch nicht erfüllt (Genehmigung wartet): {condition}", condition=condition.text
        )
    return said("Nicht erfüllt: {condition}", condition=condition.text)


def check_repetition_decision(
    assessment: RepetitionAssessment,
    *,
    decision: str,
    hours: int | None,
    waive_dtz_condition: bool,
    reason: str | None,
) -> tuple[Reason, ...]:
    """What stands against a caseworker's decision; empty means the rules allow it."""
    rule = "R13" if any(c.rule_id == "R13" for c in assessment.conditions) else "R14"
    citation = CITE_R13 if rule == "R13" else CITE_R14
    problems: list[Reason] = []
    if decision == APPROVE:
        limit = min(MAX_REPETITION_HOURS, assessment.max_hours)
        if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= limit:
            problems.append(
                Reason(
                    rule,
                    said("Stunden müssen 1 bis {limit} UE betragen (angegeben: keine)", limit=limit)
                    if hours is None
                    else said(
                        "Stunden müssen 1 bis {limit} UE betragen (angegeben: {hours} UE)",
                        limit=limit,
                        hours=hours,
                    ),
                    citation,
                    about="hours",
                )
            )
        if assessment.eligible:
            return tuple(problems)
        blocking = [c for c in assessment.conditions if c.required and not c.met]
        if not assessment.eligible_with_waiver:
            problems.extend(
                Reason(c.rule_id, _unmet(c), c.citation) for c in blocking if not c.waivable
            )
            return tuple(problems)
        if not waive_dtz_condition:
            problems.append(
                Reason(
                    rule,
                    said(
                        "Genehmigung nur mit Verzicht auf die DTZ-Voraussetzung: Verzicht erklären"
                    ),
                    citation,
                )
            )
        problem = reason_problem(reason, said("Der Verzicht auf die DTZ-Voraussetzung"))
        if problem:
            problems.append(Reason(rule, problem, citation, about="reason"))
        return tuple(problems)
    if decision == REJECT:
        problem = reason_problem(reason, said("Eine Ablehnung"))
        if problem:
            problems.append(Reason(rule, problem, citation, about="reason"))
        if assessment.mandatory:
            problems.append(
                Reason(
                    "R14",
                    said(
                        "Die Zulassung ist zwingend (zur Teilnahme verpflichtet): Ablehnung nicht"
                        " zulässig"
                    ),
                    CITE_R14_MANDATORY,
                )
            )
        return tuple(problems)
    return (
        Reason(
            rule,
            said(
                "Unbekannte Entscheidung {decision}: erlaubt sind {approve} oder {reject}",
                decision=repr(decision),
                approve=repr(APPROVE),
                reject=repr(REJECT),
            ),
            citation,
        ),
    )
