"""R4: whether an alternative B1 proof replaces the DTZ (§ 17 Abs. 2 Satz 2 und 3 IntV).

`RECOGNISED_B1_EXAMS` is our own short list: BAMF's list is not public (domain.md open
question 10), so these are the standardised exams we expect it to hold (own knowledge,
unverified). A name matches ignoring case, hyphens and extra spaces ("goethe zertifikat b1").
The level on the certificate is checked separately, so a Goethe-Zertifikat B2 needs its own entry.
"""

from __future__ import annotations

from datetime import date

from ._calendar import add_years
from ._format import date_de
from .types import AltB1Proof, Reason

RECOGNISED_B1_EXAMS: tuple[str, ...] = (
    "Goethe-Zertifikat B1",
    "Goethe-Zertifikat B2",
    "Goethe-Zertifikat C1",
    "Goethe-Zertifikat C2",
    "telc Deutsch B1",
    "telc Deutsch B2",
    "telc Deutsch C1",
    "telc Deutsch C1 Hochschule",
    "ÖSD Zertifikat B1",
    "ÖSD Zertifikat B2",
    "ÖSD Zertifikat C1",
    "ÖSD Zertifikat C2",
    "TestDaF",
    "DSH",
)
LEVELS_FROM_B1 = ("B1", "B2", "C1", "C2")
CITATION = "§ 17 Abs. 2 Satz 2 und 3 IntV"


def _normalise(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").casefold().split())


_RECOGNISED = frozenset(_normalise(name) for name in RECOGNISED_B1_EXAMS)


def is_recognised_exam(exam_name: str) -> bool:
    return _normalise(exam_name) in _RECOGNISED


def check_alt_b1(
    proof: AltB1Proof, *, registered_on: date | None
) -> tuple[bool, tuple[Reason, ...]]:
    """R4: valid or not, with a reason for every condition that fails (or one that says valid).

    When the registration date with the course provider is unknown the deadline for presenting
    cannot be checked; the proof then counts, and a reason says the check was not possible.
    """
    name = proof.exam_name.strip()
    level = proof.level.strip().upper()
    failures: list[str] = []
    if not is_recognised_exam(name):
        failures.append(f"„{name}“ ist keine vom BAMF anerkannte standardisierte Prüfung")
    if level not in LEVELS_FROM_B1:
        failures.append(f"Niveau {proof.level.strip() or '(leer)'} liegt unter B1")
    if proof.issued_on > proof.presented_on:
        failures.append(
            f"ausgestellt am {date_de(proof.issued_on)}, nach der Vorlage am"
            f" {date_de(proof.presented_on)}"
        )
    elif proof.issued_on < add_years(proof.presented_on, -1):
        failures.append(
            f"bei Vorlage am {date_de(proof.presented_on)} älter als ein Jahr"
            f" (ausgestellt am {date_de(proof.issued_on)})"
        )
    if registered_on is not None and proof.presented_on > registered_on:
        failures.append(
            f"erst am {date_de(proof.presented_on)} vorgelegt, nach der Anmeldung beim"
            f" Kursträger am {date_de(registered_on)}"
        )
    if failures:
        return False, tuple(
            Reason("R4", f"Alternativer B1-Nachweis nicht anerkannt: {text}", CITATION)
            for text in failures
        )
    reasons = [
        Reason(
            "R4",
            f"Alternativer B1-Nachweis anerkannt: {name}, Niveau {level}, ausgestellt am"
            f" {date_de(proof.issued_on)}, vorgelegt am {date_de(proof.presented_on)}",
            CITATION,
        )
    ]
    if registered_on is None:
        reasons.append(
            Reason(
                "R4",
                "Anmeldedatum beim Kursträger unbekannt: ob der Nachweis bis zur Anmeldung"
                " vorgelegt wurde, ist nicht geprüft",
                CITATION,
            )
        )
    return True, tuple(reasons)
