"""R4: whether an alternative B1 proof replaces the DTZ (§ 17 Abs. 2 Satz 2 und 3 IntV).

`RECOGNISED_EXAMS` is our own short list: BAMF's list is not public (domain.md open question
10), so these are the standardised exams we expect it to hold (own knowledge, unverified). Each
exam names the levels it can certify: a Goethe-Zertifikat B1 certifies B1 and nothing else, so
"Goethe-Zertifikat B1" with level C2 is refused; TestDaF certifies B2 or C1 by its TDN grade.

Names match leniently: case, spacing, hyphens and dots do not matter, and a grade added to the
name ("TestDaF (TDN 4)", "DSH-2") is read as that grade. A name that matches no exam is not
accepted, and the reason names the nearest exam on the list, so the caseworker sees it.

When the date of registration with the course provider is unknown, whether the proof was
presented in time cannot be checked: the proof does not count yet, and the case waits for the
course provider to report that date (`AltB1Check.pending`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ._calendar import add_years
from ._format import date_de
from .said import joined, said
from .types import AltB1Proof, Reason

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
LEVELS_FROM_B1 = ("B1", "B2", "C1", "C2")
CITATION = "§ 17 Abs. 2 Satz 2 und 3 IntV"


@dataclass(frozen=True)
class RecognisedExam:
    """An exam family, the levels it certifies, and what a grade in its name stands for."""

    name: str
    levels: tuple[str, ...]
    grades: tuple[tuple[str, str], ...] = ()  # (grade as written after the name, level)


RECOGNISED_EXAMS: tuple[RecognisedExam, ...] = (
    RecognisedExam("Goethe-Zertifikat B1", ("B1",)),
    RecognisedExam("Goethe-Zertifikat B2", ("B2",)),
    RecognisedExam("Goethe-Zertifikat C1", ("C1",)),
    RecognisedExam("Goethe-Zertifikat C2", ("C2",)),
    RecognisedExam("telc Deutsch B1", ("B1",)),
    RecognisedExam("telc Deutsch B2", ("B2",)),
    RecognisedExam("telc Deutsch C1", ("C1",)),
    RecognisedExam("telc Deutsch C1 Hochschule", ("C1",)),
    RecognisedExam("ÖSD Zertifikat B1", ("B1",)),
    RecognisedExam("ÖSD Zertifikat B2", ("B2",)),
    RecognisedExam("ÖSD Zertifikat C1", ("C1",)),
    RecognisedExam("ÖSD Zertifikat C2", ("C2",)),
    RecognisedExam("TestDaF", ("B2", "C1"), (("TDN 3", "B2"), ("TDN 4", "C1"), ("TDN 5", "C1"))),
    RecognisedExam("DSH", ("B2", "C1", "C2"), (("1", "B2"), ("2", "C1"), ("3", "C2"))),
)
# the names as a caseworker types them, for suggestions in forms
RECOGNISED_B1_EXAMS: tuple[str, ...] = tuple(exam.name for exam in RECOGNISED_EXAMS)


@dataclass(frozen=True)
class AltB1Check:
    """R4's answer: `valid` counts as B1; `pending` waits for the registration date."""

    valid: bool
    pending: bool
    reasons: tuple[Reason, ...]


def _normalise(name: str) -> str:
    folded = name.casefold().replace("oesd", "ösd")
    return " ".join(re.sub(r"[-_./·:,()\[\]]", " ", folded).split())


_BY_NAME = {_normalise(exam.name): exam for exam in RECOGNISED_EXAMS}


def match_exam(exam_name: str) -> tuple[RecognisedExam | None, str | None]:
    """The exam a typed name means and the level a grade in the name stands for, if any."""
    key = _normalise(exam_name)
    exam = _BY_NAME.get(key)
    if exam is not None:
        return exam, None
    # the longest known name the typed one begins with, the rest read as a grade
    for known in sorted(_BY_NAME, key=len, reverse=True):
        if key.startswith(known + " "):
            exam = _BY_NAME[known]
            rest = key[len(known) + 1 :]
            for grade, level in exam.grades:
                if rest == _normalise(grade):
                    return exam, level
            return None, None
    return None, None


def is_recognised_exam(exam_name: str) -> bool:
    return match_exam(exam_name)[0] is not None


def nearest_exam(exam_name: str) -> str | None:
    import difflib  # only once a name did not match

    close = difflib.get_close_matches(_normalise(exam_name), list(_BY_NAME), n=1, cutoff=0.5)
    return _BY_NAME[close[0]].name if close else None


def check_alt_b1(proof: AltB1Proof, *, registered_on: date | None) -> AltB1Check:
    """R4: valid or not, with a reason for every condition that fails (or one that says valid)."""
    name = proof.exam_name.strip()
    level = proof.level.strip().upper()
    failures: list[tuple[str, str]] = []  # (the input it is about, why)
    exam, graded = match_exam(name)
    if exam is None:
        nearest = nearest_exam(name)
        unlisted = (
            said(
                "„{name}“ steht nicht auf der Liste der vom BAMF anerkannten standardisierten"
                " Prüfungen (gemeint: „{nearest}“?)",
                name=name,
                nearest=nearest,
            )
            if nearest
            else said(
                "„{name}“ steht nicht auf der Liste der vom BAMF anerkannten standardisierten"
                " Prüfungen",
                name=name,
            )
        )
        failures.append(("exam_name", unlisted))
    if level not in LEVELS:
        failures.append(
            (
                "level",
                said(
                    "Niveau „{level}“ ist kein GER-Niveau",
                    level=proof.level.strip() or said("(leer)"),
                ),
            )
        )
    elif level not in LEVELS_FROM_B1:
        failures.append(("level", said("Niveau {level} liegt unter B1", level=level)))
    elif exam is not None and graded is not None and graded != level:
        failures.append(
            (
                "level",
                said(
                    "„{name}“ bescheinigt Niveau {graded}, nicht {level}",
                    name=name,
                    graded=graded,
                    level=level,
                ),
            )
        )
    elif exam is not None and level not in exam.levels:
        failures.append(
            (
                "level",
                said(
                    "„{name}“ bescheinigt Niveau {graded}, nicht {level}",
                    name=exam.name,
                    graded=joined(" oder ", exam.levels),
                    level=level,
                ),
            )
        )
    if proof.issued_on > proof.presented_on:
        failures.append(
            (
                "issued_on",
                said(
                    "ausgestellt am {issued}, nach der Vorlage am {presented}",
                    issued=date_de(proof.issued_on),
                    presented=date_de(proof.presented_on),
                ),
            )
        )
    elif proof.issued_on < add_years(proof.presented_on, -1):
        failures.append(
            (
                "issued_on",
                said(
                    "bei Vorlage am {presented} älter als ein Jahr (ausgestellt am {issued})",
                    issued=date_de(proof.issued_on),
                    presented=date_de(proof.presented_on),
                ),
            )
        )
    if registered_on is not None and proof.presented_on > registered_on:
        failures.append(
            (
                "presented_on",
                said(
                    "erst am {presented} vorgelegt, nach der Anmeldung beim Kursträger am"
                    " {registered}",
                    presented=date_de(proof.presented_on),
                    registered=date_de(registered_on),
                ),
            )
        )
    if failures:
        reasons = tuple(
            Reason(
                "R4",
                said("Alternativer B1-Nachweis nicht anerkannt: {why}", why=text),
                CITATION,
                about,
            )
            for about, text in failures
        )
        return AltB1Check(valid=False, pending=False, reasons=reasons)
    shown = exam.name if exam is not None and exam.name != name else name
    described = said(
        "{exam}, Niveau {level}, ausgestellt am {issued}, vorgelegt am {presented}",
        exam=shown,
        level=level,
        issued=date_de(proof.issued_on),
        presented=date_de(proof.presented_on),
    )
    if registered_on is None:
        return AltB1Check(
            valid=False,
            pending=True,
            reasons=(
                Reason(
                    "R4",
                    said(
                        "Alternativer B1-Nachweis ({proof}) zählt noch nicht: das Datum der"
                        " Anmeldung beim Kursträger fehlt, die rechtzeitige Vorlage ist nicht"
                        " prüfbar",
                        proof=described,
                    ),
                    CITATION,
                ),
            ),
        )
    return AltB1Check(
        valid=True,
        pending=False,
        reasons=(
            Reason(
                "R4", said("Alternativer B1-Nachweis anerkannt: {proof}", proof=described), CITATION
            ),
        ),
    )
