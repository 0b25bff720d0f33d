"""Rule sets and the periods in which they are in force (domain.md Part A 4).

A decision applies the rule set in force on its relevant date and records the rule set's id in
its `rules_version`. Ids read `<topic>-<first day in force>`; a set that was in force before
anything this software handles reads `<topic>-bis-<last day in force>` instead, and one whose
start is not known and whose end has not come reads `<topic>-stand-<date of the text read>`.

| id                          | in force             | what it holds                           |
|-----------------------------|----------------------|-----------------------------------------|
| abschluss-2023-02-01        | from 01.02.2023      | completion R4–R12 incl. alt. B1 proof   |
| wiederholung-bis-2024-12-06 | until 06.12.2024     | R14, § 5 Abs. 5 IntV a. F.              |
| wiederholung-2024-12-07     | from 07.12.2024      | R13, § 13 Abs. 1 Satz 4 IntV            |
| erstattung-bis-2023-01-31   | until 31.01.2023 (*) | R16, 2-year window                      |
| erstattung-2023-02-01       | from 01.02.2023 (*)  | R16, 3 years for § 13 Abs. 1 courses    |
| orientierung-bis-2023-04-30 | until 30.04.2023 (**)| R18, Intensivkurs 30 UE                 |
| orientierung-2023-05-01     | from 01.05.2023 (**) | R18, 100 UE for every course type       |
| dtz-zulassung-2023-01-01    | from 01.01.2023      | R19 (g.a.s.t. admission rule)           |
| loeschung-stand-2017-06-21  | open                 | R17, § 8 Abs. 6 IntV, §§ 11, 13 IntTestV |

The relevant date: (*) the first Teilnahmeberechtigung, (**) the course start, a repetition's
date of receipt, and for completion the day of the assessment.

A decision made with DTZ thresholds other than the defaults says so: its `rules_version` gets
`+schwellen(...)` with the table it used, so the audit never claims the default table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ._format import date_de, points_de
from .levels import DEFAULT_THRESHOLDS
from .said import said
from .types import Part, Thresholds

ABSCHLUSS = "abschluss"
WIEDERHOLUNG = "wiederholung"
ERSTATTUNG = "erstattung"
ORIENTIERUNG = "orientierung"
DTZ_ZULASSUNG = "dtz-zulassung"
LOESCHUNG = "loeschung"

REPETITION_REFORM = date(2024, 12, 7)  # 5. IntVÄndV
REFUND_REFORM = date(2023, 2, 1)  # 4. IntVÄndV, § 22 Abs. 2 IntV
ORIENTATION_REFORM = date(2023, 5, 1)  # § 22 Abs. 3 IntV, as domain.md reads the cut-off


@dataclass(frozen=True)
class RuleSet:
    """One version of the rules on one topic, in force from `valid_from` to `valid_until`."""

    id: str
    topic: str
    valid_from: date
    valid_until: date | None  # last day in force; None while in force
    title: str

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        "abschluss-2023-02-01",
        ABSCHLUSS,
        date(2023, 2, 1),
        None,
        said("Abschluss: Zertifikat oder Bescheinigung, alternativer B1-Nachweis (§ 17 IntV)"),
    ),
    RuleSet(
        "wiederholung-bis-2024-12-06",
        WIEDERHOLUNG,
        date.min,
        date(2024, 12, 6),
        said("Wiederholung nach § 5 Abs. 5 IntV a. F. (alle Kursarten)"),
    ),
    RuleSet(
        "wiederholung-2024-12-07",
        WIEDERHOLUNG,
        REPETITION_REFORM,
        None,
        said("Wiederholung nach § 13 Abs. 1 Satz 4 IntV (nur Alphabetisierungs- und Förderkurse)"),
    ),
    RuleSet(
        "erstattung-bis-2023-01-31",
        ERSTATTUNG,
        date.min,
        date(2023, 1, 31),
        said("Erstattung 50 %: Frist 2 Jahre (§ 9 Abs. 6 IntV)"),
    ),
    RuleSet(
        "erstattung-2023-02-01",
        ERSTATTUNG,
        REFUND_REFORM,
        None,
        said("Erstattung 50 %: Frist 3 Jahre für Kurse nach § 13 Abs. 1 IntV (§ 22 Abs. 2 IntV)"),
    ),
    RuleSet(
        "orientierung-bis-2023-04-30",
        ORIENTIERUNG,
        date.min,
        date(2023, 4, 30),
        said("Orientierungskurs: Intensivkurs 30 UE, sonst 100 UE"),
    ),
    RuleSet(
        "orientierung-2023-05-01",
        ORIENTIERUNG,
        ORIENTATION_REFORM,
        None,
        said("Orientierungskurs: 100 UE für alle Kursarten (§ 22 Abs. 3 IntV)"),
    ),
    RuleSet(
        "dtz-zulassung-2023-01-01",
        DTZ_ZULASSUNG,
        date(2023, 1, 1),
        None,
        said(
            "Zulassung zum DTZ: Teilnahmeberechtigung oder ein besuchter Kursabschnitt (g.a.s.t.)"
        ),
    ),
    RuleSet(
        "loeschung-stand-2017-06-21",
        LOESCHUNG,
        date.min,
        None,
        said("Löschfristen: § 8 Abs. 6 IntV, §§ 11 und 13 IntTestV"),
    ),
)

RULES_VERSION = "abschluss-2023-02-01"  # the completion rules (assess_completion)


def ruleset_for(topic: str, on: date) -> RuleSet:
    """The rule set on `topic` in force on `on`; ValueError when none is."""
    matches = [rs for rs in RULE_SETS if rs.topic == topic and rs.in_force(on)]
    if not matches:
        topics = sorted({rs.topic for rs in RULE_SETS})
        if topic not in topics:
            raise ValueError(f"Unbekanntes Regelthema {topic!r}; bekannt: {', '.join(topics)}")
        raise ValueError(f"Für {topic!r} ist am {date_de(on)} keine Regelversion hinterlegt")
    return matches[0]


def ruleset_words(topic: str, relevant: date, what: str) -> str:
    """Why a rule set applies, in words: `Antrag eingegangen am 01.09.2024, vor dem
    07.12.2024: Wiederholung nach § 5 Abs. 5 IntV a. F. (alle Kursarten)`."""
    rs = ruleset_for(topic, relevant)
    day = date_de(relevant)
    if rs.valid_from == date.min and rs.valid_until is not None:
        until = date_de(rs.valid_until + timedelta(days=1))
        return said(
            "{what} am {day}, vor dem {until}: {title}",
            what=what,
            day=day,
            until=until,
            title=rs.title,
        )
    return said(
        "{what} am {day}, ab dem {since}: {title}",
        what=what,
        day=day,
        since=date_de(rs.valid_from),
        title=rs.title,
    )


def rules_version(*ruleset_ids: str, thresholds: Thresholds | None = None) -> str:
    """The ids a decision used, joined by "+", plus the DTZ table when it is not the default."""
    parts = list(ruleset_ids)
    if thresholds is not None and thresholds != DEFAULT_THRESHOLDS:
        table = ",".join(
            f"{part.value}={_n(s.a2_from)}/{_n(s.b1_from)}/{_n(s.maximum)}/{_n(s.step)}"
            for part in Part
            for s in (thresholds.scale(part),)
        )
        parts.append(f"schwellen({table})")
    return "+".join(parts)


def _n(value: float) -> str:
    # a dot, not the German comma: the comma separates the parts of the table
    return points_de(value).replace(",", ".")
