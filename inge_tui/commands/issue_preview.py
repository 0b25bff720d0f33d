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
    PART_LABELS,
    blocker_line,
    date_de,
    level_label,
    points_de,
    shown_number,
    today,
)
from inge_tui.i18n import _


def issue_block_reason(participant: Participant, entry: PostboxEntry | None) -> str | None:
    """Why the document cannot be issued now (in words), or None when it can. The service's
    `next_step` decides (domain.md A.12, A.14); this only puts it in words."""
    if entry is not None and entry.claimed_by and not entry.claimed_by_me:
        said = _("Ausstellung nicht möglich: in Bearbeitung von {name}")
        return said.format(name=entry.claimed_by)
    a = participant.assessment
    if a.next_step == "keiner":
        said = _("Nichts auszustellen: {number} gibt die gewerteten Ergebnisse wieder")
        return said.format(number=a.in_force)
    if a.next_step == "ruecknahme_vorschlagen":
        return _(
            "Zertifikat {number} beruht nicht mehr auf den Ergebnissen: erst die Rücknahme"
            " vorschlagen (:propose-withdrawal <Begründung>)"
        ).format(number=a.in_force)
    if a.next_step == "ruecknahme_freigeben":
        return _(
            "Rücknahme von {number} wartet auf die Leitung (:confirm-withdrawal oder"
            " :refuse-withdrawal <Begründung>)"
        ).format(number=a.in_force)
    if a.blockers:
        said = _("Ausstellung blockiert: {blockers}")
        return said.format(blockers="; ".join(blocker_line(b) for b in a.blockers))
    if a.document is None:
        first = a.reasons[-1].text if a.reasons else _("die Regeln ergeben kein Dokument")
        return _("Kein Dokument auszustellen: {why}").format(why=first)
    if not a.can_issue:
        return _("Ausstellung derzeit nicht möglich (laut Dienst)")
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
        raise ValueError(_("Nach den Regeln ist derzeit kein Dokument auszustellen."))
    identity = participant.identity
    number = shown_number(identity, revealed)
    id_type = ID_TYPE_NAMES.get(identity.document_type or "")
    lines: list[tuple[str, str]] = [
        (_("Dokument"), DOCUMENT_NAMES[DocumentKind(document)]),
        (_("Name"), f"{participant.surname}, {participant.given_name}"),
        (_("Geburtsdatum"), date_de(participant.birth_date)),
        (_("Ausweis"), f"{_(id_type) if id_type else '–'} {number}"),
    ]
    lines.extend(_result_lines(participant))
    if participant.assessment.supersedes:
        said = _("{number} (wird als ersetzt markiert)")
        lines.append((_("Ersetzt"), said.format(number=participant.assessment.supersedes)))
    lines.append(("Regionalstelle", participant.office))
    lines.append((_("Datum"), date_de(on or today())))
    return IssuePreview(
        participant_id=participant.participant_id,
        version=participant.version,
        document=DocumentKind(document),
        title=_("Vorschau: {document}").format(document=DOCUMENT_NAMES[DocumentKind(document)]),
        lines=tuple(lines),
        reasons=tuple(f"{r.text} ({r.citation})" for r in participant.assessment.reasons),
    )


def _result_lines(participant: Participant) -> list[tuple[str, str]]:
    """The sittings the decision counted (the service marks them), as the document prints."""
    lines: list[tuple[str, str]] = []
    dtz = participant.dtz if participant.dtz is not None and participant.dtz.counted else None
    alt = participant.alternative_b1
    if dtz is not None and dtz.aborted:
        said = _("abgebrochen am {date}: unter A2").format(date=date_de(dtz.exam_date))
        lines.append(("DTZ", said))
    elif dtz is not None and dtz.complete:
        said = _("{level} vom {date}").format(
            level=_(level_label(dtz.overall)), date=date_de(dtz.exam_date)
        )
        lines.append(("DTZ", said))
        points = _("{points} von {maximum} Punkten: {level}")
        lines.extend(
            (
                f"  {_(PART_LABELS[p])}",
                points.format(
                    points=points_de(r.points),
                    maximum=points_de(r.maximum),
                    level=_(level_label(r.level)),
                ),
            )
            for p, r in dtz.parts.items()
        )
    if alt is not None and participant.assessment.counted.alt_b1:
        said = f"{alt.exam_name} ({alt.level}, {date_de(alt.issued_on)})"
        lines.append((_("B1-Nachweis"), said))
    lid = participant.lid
    if lid is not None:
        verdict = _("bestanden") if lid.passed else _("nicht bestanden")
        said = _("{points} von 33 Punkten, {verdict} ({date})").format(
            points=lid.points, verdict=verdict, date=date_de(lid.exam_date)
        )
        lines.append(("LiD", said))
    return lines
