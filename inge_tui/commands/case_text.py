"""How a case reads in German, for screens and scripts alike: labels, the masked ID number,
what blocks issuing, the preview of the document, and the parsing of what caseworkers type
(German dates and points with a decimal comma). No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from inge_tui.api.models import (
    AuditEntry,
    BlockerOut,
    DocumentKind,
    Identity,
    Level,
    Part,
    Participant,
    PostboxEntry,
    RepetitionApplication,
)
from inge_tui.domain import DEFAULT_THRESHOLDS, part_level
from inge_tui.domain._format import COURSE_NAMES, LEVEL_NAMES, PART_NAMES, points_de

__all__ = [
    "COURSE_NAMES",
    "DOCUMENT_NAMES",
    "LEVEL_NAMES",
    "PART_NAMES",
    "IssuePreview",
    "action_label",
    "audit_line",
    "blocker_line",
    "date_de",
    "idempotency_key",
    "issue_block_reason",
    "issue_preview",
    "level_label",
    "parse_date",
    "parse_hours",
    "parse_points",
    "points_de",
    "repetition_summary",
    "shown_number",
    "today",
]

DOCUMENT_NAMES = {
    DocumentKind.ZERTIFIKAT: "Zertifikat Integrationskurs",
    DocumentKind.BESCHEINIGUNG: "Bescheinigung über das erreichte Ergebnis",
}
ID_TYPE_NAMES = {
    "reisepass": "Reisepass",
    "personalausweis": "Personalausweis",
    "passersatz": "Passersatz",
    "ausweisersatz": "Ausweisersatz",
}
SUPPLIER_NAMES = {
    "kurstraeger": "Kursträger",
    "pruefstelle": "Prüfstelle",
    "oet": "OET/BAMF",
    "regionalstelle": "Regionalstelle",
}
BLOCKER_SHORT = {
    "nachname_fehlt": "Nachname fehlt",
    "vorname_fehlt": "Vorname fehlt",
    "geburtsdatum_fehlt": "Geburtsdatum fehlt",
    "ausweisart_fehlt": "Ausweisart fehlt",
    "ausweisnummer_fehlt": "Ausweisnummer fehlt",
    "anschrift_fehlt": "Anschrift fehlt",
    "lid_fehlt": "LiD-Ergebnis fehlt",
    "dtz_fehlt": "DTZ-Ergebnis fehlt",
    "dtz_unvollstaendig": "DTZ-Ergebnis unvollständig",
    "anmeldedatum_fehlt": "Anmeldedatum fehlt",
    "ruecknahme_vorschlagen": "Rücknahme vorschlagen",
    "ruecknahme_freigabe": "Rücknahme wartet auf Freigabe",
    "wartet_kontingent": "wartet: Kontingent noch nicht ausgeschöpft",
    "wartet_dtz_ohne_erfolg": "wartet: Stunden am Prüfungstag",
}
DOCUMENT_STATUS_NAMES = {
    "gueltig": "gültig",
    "ersetzt": "ersetzt",
    "zurueckgenommen": "zurückgenommen",
}
ACTION_NAMES = {
    "fall_angesehen": "Fall angesehen",
    "identity_revealed": "Ausweisnummer angezeigt",
    "teilnehmer_angemeldet": "Teilnehmer angemeldet",
    "identitaet_gemeldet": "Ausweis und Anschrift gemeldet",
    "dtz_empfangen": "DTZ-Ergebnis empfangen",
    "dtz_korrigiert": "DTZ-Ergebnis korrigiert",
    "lid_empfangen": "LiD-Ergebnis empfangen",
    "lid_korrigiert": "LiD-Ergebnis korrigiert",
    "dtz_papier_erfasst": "Papier-DTZ erfasst",
    "alternativer_b1_nachweis": "Alternativer B1-Nachweis erfasst",
    "wiederholung_beantragt": "Wiederholung beantragt",
    "wiederholung_entschieden": "Wiederholungsantrag entschieden",
    "dokument_ausgestellt": "Dokument ausgestellt",
    "stunden_gemeldet": "Stunden gemeldet",
    "ruecknahme_vorgeschlagen": "Rücknahme vorgeschlagen",
    "ruecknahme_bestaetigt": "Rücknahme freigegeben",
    "ruecknahme_abgelehnt": "Rücknahme abgelehnt",
    "dokument_abgerufen": "Dokument abgerufen",
    "postkorb_uebernommen": "Eintrag übernommen",
    "postkorb_freigegeben": "Eintrag freigegeben",
    "postkorb_uebernahme_durch_leitung": "Eintrag von der Leitung übernommen",
}


def today() -> date:
    """The caseworker's today; tests pin it."""
    return date.today()


def date_de(value: date | None) -> str:
    return "–" if value is None else f"{value:%d.%m.%Y}"


def level_label(level: Level | str | None) -> str:
    if level is None:
        return "–"
    return LEVEL_NAMES.get(Level(level), str(level))


def shown_number(identity: Identity, revealed: str | None = None) -> str:
    """The ID number as the screen shows it: the full number only when the caseworker revealed
    it (the audited reveal answer), otherwise the service's `•••••••47`; `–` when none."""
    return revealed or identity.document_number_masked or "–"


def blocker_line(blocker: BlockerOut) -> str:
    """`Ausweisnummer fehlt (Kursträger)`: what is missing and who must supply it."""
    what = BLOCKER_SHORT.get(blocker.code, blocker.text)
    return f"{what} ({SUPPLIER_NAMES.get(blocker.supplier, blocker.supplier)})"


def action_label(action: str) -> str:
    return ACTION_NAMES.get(action, action.replace("_", " ").capitalize())


def audit_line(entry: AuditEntry) -> str:
    """`22.11.2025 10:03 · Schmidt · Dokument ausgestellt · ZIK-2025-0000001`."""
    when = _local(entry.at)
    outcome = entry.outcome or {}
    detail = outcome.get("certificate_id") or outcome.get("status") or ""
    parts = [f"{when:%d.%m.%Y %H:%M}", entry.actor, action_label(entry.action)]
    if detail:
        parts.append(str(detail))
    return " · ".join(parts)


def _local(at: datetime) -> datetime:
    return at.astimezone() if at.tzinfo is not None else at


# ---- issuing ------------------------------------------------------------------------------------


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
        width = max(len(label) for label, _ in self.lines)
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


# ---- what caseworkers type ---------------------------------------------------------------------

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> date:
    """`03.02.2025`, `3.2.2025` or `2025-02-03`; ValueError with a German message otherwise."""
    raw = text.strip()
    if not raw:
        raise ValueError("Datum fehlt (TT.MM.JJJJ)")
    german = _GERMAN_DATE.match(raw)
    iso = _ISO_DATE.match(raw)
    if german:
        day, month, year = (int(g) for g in german.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise ValueError(f"„{raw}“ ist kein Datum (TT.MM.JJJJ)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"„{raw}“ gibt es nicht im Kalender") from None


def parse_points(text: str, part: Part | str) -> float:
    """Points as typed (`74,5` or `74.5`) for one DTZ part, checked against its scale."""
    raw = text.strip().replace(",", ".")
    if not raw:
        raise ValueError("Punkte fehlen")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"„{text.strip()}“ ist keine Zahl") from None
    part = Part(part)
    try:
        part_level(part, value, DEFAULT_THRESHOLDS)
    except ValueError as error:
        # The domain names the part; the field already does, so keep only the why.
        raise ValueError(str(error).split(": ", 1)[-1]) from None
    return value


def parse_hours(text: str | int | None, *, limit: int = 300) -> int:
    """Whole UE from 1 to `limit`."""
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise ValueError("Stunden fehlen")
    if not raw.isdigit():
        raise ValueError(f"„{raw}“ ist keine ganze Zahl")
    hours = int(raw)
    if not 1 <= hours <= limit:
        raise ValueError(f"1 bis {limit} UE zulässig")
    return hours


def repetition_summary(
    application: RepetitionApplication,
    decision: str,
    hours: int | None,
    waive: bool,
    reason: str,
    *,
    done: bool = False,
) -> str:
    """Exactly what a decision does, e.g. `Wiederholung von 300 UE wird bewilligt (…)`."""
    assessment = application.assessment
    rules = application.rules_version or (assessment.rules_version if assessment else "")
    source = f"Antrag {application.application_id} vom {date_de(application.received_on)}" + (
        f", Regeln {rules}" if rules else ""
    )
    written = reason.strip()
    if decision == "approve":
        verb = "bewilligt" if done else "wird bewilligt"
        text = f"Wiederholung von {hours if hours is not None else '?'} UE {verb} ({source})."
        if waive:
            text += f" Auf die DTZ-Voraussetzung wird verzichtet: „{written or '…'}“."
        elif written:
            text += f" Begründung: „{written}“."
        return text
    verb = "abgelehnt" if done else "wird abgelehnt"
    return f"Antrag auf Wiederholung {verb} ({source}). Begründung: „{written or '…'}“."
