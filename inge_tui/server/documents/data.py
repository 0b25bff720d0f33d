"""What one document prints: the data the service fills and the layout draws."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date


@dataclass(frozen=True)
class DocumentData:
    """Everything printed on one Zertifikat or Bescheinigung; the service fills it."""

    kind: str  # "zertifikat" | "bescheinigung"
    number: str
    issued_on: date
    surname: str
    given_name: str
    birth_date: date
    document_type: str  # reisepass | personalausweis | passersatz | ausweisersatz
    document_number: str
    address_lines: tuple[str, ...]
    participant_id: str
    office_code: str
    office_name: str
    dtz_parts: tuple[tuple[str, float, float, str], ...]  # (German part label, points, max, level)
    dtz_overall: str | None
    dtz_exam_date: date | None
    dtz_source: str | None
    alt_b1: str | None  # description of an alternative B1 proof, if that is what counts
    lid_points: int | None
    lid_exam_date: date | None
    lid_passed: bool
    lid_naturalisation: bool
    dtz_aborted: bool = False  # broken off by the candidate (R2a): no part scored

    def printed_texts(self) -> Iterator[str]:
        """Every text the document prints from the case (names, address, proofs)."""
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str):
                yield value
            elif isinstance(value, tuple):
                yield from (part for part in value if isinstance(part, str))
