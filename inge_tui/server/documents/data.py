"""What one document prints: the data the service fills and the layout draws."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any


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


_DATES = ("issued_on", "birth_date", "dtz_exam_date", "lid_exam_date")


def data_json(data: DocumentData) -> str:
    """The document's data as canonical JSON: what the service stores at issue and renders
    the PDF from (the same text always gives the same PDF)."""
    return json.dumps(asdict(data), sort_keys=True, ensure_ascii=False, default=str)


def data_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_from_json(text: str) -> DocumentData:
    raw: dict[str, Any] = json.loads(text)
    for name in _DATES:
        if raw.get(name):
            raw[name] = date.fromisoformat(raw[name])
    raw["address_lines"] = tuple(raw["address_lines"])
    raw["dtz_parts"] = tuple(tuple(part) for part in raw["dtz_parts"])
    return DocumentData(**raw)
