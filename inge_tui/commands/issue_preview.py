"""Issuing, as the caseworker sees it before confirming: why nothing can be issued now (in the
service's words, `next_step`), the preview of exactly what the document will say, and the
idempotency key that makes a retry safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from inge_tui.api.models import DocumentKind, Participant, PostboxEntry
from inge_tui.api.words import (
    DOCUMENT_NAMES,
    ID_TYPE_NAMES,
    PART_NAMES,
    blocker_line,
    date_de,
    level_label,
    points_de,
    shown_number,
    today,
)


def issue_block_reason(participant: Participant, entry: PostboxEntry | None) -> str | None:
    """Why the document cannot be issued now (German), or None when it can. The service's
    `next_step` decides (domain.md A.12, A.14); this only puts it in words."""
    if entry is not None and entry.claimed_by and not entry.claimed_by_me:
        return f"Ausstellung nicht möglich: in Bearbeitung von {entry.claimed_by}"
    a = participant.assessment
    if a.next_step == "keiner":
        return f"Nichts auszustellen: {a.in_force} gibt die gewerteten Ergebnisse wieder"
    if a.next_step == "ruecknahme_vorschlagen":
        return (
            f"Zertifikat {a.in_force} beruht nicht mehr auf den Ergebnissen: erst die Rücknahme"
            " vorschlagen (:propose-withdrawal <Begründung>)"
        )
    if a.next_step == "ruecknahme_freigeben":
        return (
            f"Rücknahme von {a.in_force} wartet auf die Leitung (:confirm-withdrawal oder"
            " :refuse-withdrawal <Begründung>)"
        )
    if a.blockers:
        return "Ausstellung blockiert: " + "; ".join(blocker_line(b) for b in a.blockers)
    if a.document is None:
        first = a.reasons[-1].text if a.reasons else "die Regeln ergeben kein Dokument"
        return f"Kein Dokument auszustellen: {first}"
    if not a.can_issue:
        return "Ausstellung derzeit nicht möglich (laut Dienst)"
    return None


def idempotency_key(participant_id: str, version: int, document: DocumentKind | str) -> str:
    """Same case, same version, same document: the same key, so a retry never issues twice."""
    return f"issue-{participant_id}-v{version}-{DocumentKind(document).value}"


@dataclass(frozen=True)
class IssuePreview:
    """Exactly what the document will say, and what the request will send."""

    participant_id: str
    version: int
    document: DocumentKind
    title: str
    lines: tuple[tuple[str, str], ...]
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return idempotency_key(self.participant_id, self.version, self.document)

    def text(self) -> str:
        width = max(len(label) for label, _value in self.lines)
        body = "\n".join(f"{label.ljust(width)}  {value}" for label, value in self.lines)
        return f"{self.title}\n{body}"


def issue_preview(
    participant: Participant, *, on: date | None = None, revealed: str | None = None
) -> IssuePreview:
    """The preview of the document the assessment names; ValueError when there is none.
    `revealed` is the full ID number from the reveal answer; without it the number is masked."""
    document = participant.assessment.document
    if document is None:
        raise ValueError("Nach den Regeln ist derzeit kein Dokument auszustellen.")
    identity = participant.identity
    number = shown_number(identity, revealed)
    id_type = ID_TYPE_NAMES.get(identity.document_type or "", "–")
    lines: list[tuple[str, str]] = [
        ("Dokument", DOCUMENT_NAMES[DocumentKind(document)]),
        ("Name", f"{participant.surname}, {participant.given_name}"),
        ("Geburtsdatum", date_de(participant.birth_date)),
        ("Ausweis", f"{id_type} {number}"),
    ]
    lines.extend(_result_lines(participant))
    if participant.assessment.supersedes:
        lines.append(
            ("Ersetzt", f"{participant.assessment.supersedes} (wird als ersetzt markiert)")
        )
    lines.append(("Regionalstelle", participant.office))
    lines.append(("Datum", date_de(on or today())))
    return IssuePreview(
        participant_id=participant.participant_id,
        version=participant.version,
        document=DocumentKind(document),
        title=f"Vorschau: {DOCUMENT_NAMES[DocumentKind(document)]}",
        lines=tuple(lines),
        reasons=tuple(f"{r.text} ({r.citation})" for r in participant.assessment.reasons),
    )


def _result_lines(participant: Participant) -> list[tuple[str, str]]:
    """The sittings the decision counted (the service marks them), as the document prints."""
    lines: list[tuple[str, str]] = []
    dtz = participant.dtz if participant.dtz is not None and participant.dtz.counted else None
    alt = participant.alternative_b1
    if dtz is not None and dtz.aborted:
        lines.append(("DTZ", f"abgebrochen am {date_de(dtz.exam_date)}: unter A2"))
    elif dtz is not None and dtz.complete:
        lines.append(("DTZ", f"{level_label(dtz.overall)} vom {date_de(dtz.exam_date)}"))
        lines.extend(
            (
                f"  {PART_NAMES[p]}",
                f"{points_de(r.points)} von {points_de(r.maximum)} Punkten: {level_label(r.level)}",
            )
            for p, r in dtz.parts.items()
        )
    if alt is not None and participant.assessment.counted.alt_b1:
        lines.append(("B1-Nachweis", f"{alt.exam_name} ({alt.level}, {date_de(alt.issued_on)})"))
    lid = participant.lid
    if lid is not None:
        verdict = "bestanden" if lid.passed else "nicht bestanden"
        lines.append(("LiD", f"{lid.points} von 33 Punkten, {verdict} ({date_de(lid.exam_date)})"))
    return lines
