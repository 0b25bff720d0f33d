"""The contract's values in German, for every front end: document, ID and blocker names, the
audit's actions, levels and dates as the screens write them, the masked ID number, and the
caseworker's today. The screens, the widgets and the commands all say things this way.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from inge_tui.api.models import AuditEntry, BlockerOut, DocumentKind, Identity, Level, Part, Role
from inge_tui.domain._format import COURSE_NAMES, LEVEL_NAMES, PART_NAMES, euro_de
from inge_tui.domain._format import points_de as _points_de
from inge_tui.i18n import N_, _, spoken

__all__ = [
    "ACTION_NAMES",
    "BLOCKER_COLUMN",
    "BLOCKER_SHORT",
    "COURSE_NAMES",
    "DOCUMENT_NAMES",
    "DOCUMENT_STATUS_NAMES",
    "ID_TYPE_NAMES",
    "LETTER_NAMES",
    "LEVEL_NAMES",
    "PART_LABELS",
    "PART_NAMES",
    "ROLE_NAMES",
    "SUPPLIER_NAMES",
    "action_label",
    "audit_line",
    "blocker_line",
    "date_de",
    "euro_cents",
    "level_label",
    "points_de",
    "shown_number",
    "today",
]

ROLE_NAMES = {
    Role.CASEWORKER: "Sachbearbeitung",
    Role.SUPERVISOR: "Leitung",
    Role.TEST_INSTITUTE: "Testinstitut",
    Role.OET: "OET-Auswertung",
    Role.COURSE_PROVIDER: "Kursträger",
    Role.ADMIN: "Betrieb",
}

DOCUMENT_NAMES = {
    DocumentKind.ZERTIFIKAT: "Zertifikat Integrationskurs",
    DocumentKind.BESCHEINIGUNG: "Bescheinigung über das erreichte Ergebnis",
}


# message ids, shown through _ (the command-line tool speaks German, where _ changes nothing)
ID_TYPE_NAMES = {
    "reisepass": N_("Reisepass"),
    "personalausweis": N_("Personalausweis"),
    "passersatz": N_("Passersatz"),
    "ausweisersatz": N_("Ausweisersatz"),
}


SUPPLIER_NAMES = {
    "kurstraeger": N_("Kursträger"),
    "pruefstelle": N_("Prüfstelle"),
    "oet": N_("OET/BAMF"),
    "regionalstelle": N_("Regionalstelle"),
}


BLOCKER_SHORT = {
    "nachname_fehlt": N_("Nachname fehlt"),
    "vorname_fehlt": N_("Vorname fehlt"),
    "geburtsdatum_fehlt": N_("Geburtsdatum fehlt"),
    "ausweisart_fehlt": N_("Ausweisart fehlt"),
    "ausweisnummer_fehlt": N_("Ausweisnummer fehlt"),
    "anschrift_fehlt": N_("Anschrift fehlt"),
    "lid_fehlt": N_("LiD-Ergebnis fehlt"),
    "dtz_fehlt": N_("DTZ-Ergebnis fehlt"),
    "dtz_unvollstaendig": N_("DTZ-Ergebnis unvollständig"),
    "anmeldedatum_fehlt": N_("Anmeldedatum fehlt"),
    "ruecknahme_vorschlagen": N_("Rücknahme vorschlagen"),
    "ruecknahme_freigabe": N_("Rücknahme wartet auf Freigabe"),
    "wartet_kontingent": N_("wartet: Kontingent noch nicht ausgeschöpft"),
    "wartet_dtz_ohne_erfolg": N_("wartet: Stunden am Prüfungstag"),
    "wartet_verzicht_freigabe": N_("Verzicht auf die DTZ-Voraussetzung wartet auf Freigabe"),
    "erstattung_zertifikat": N_("Erstattung: kein Zertifikat ausgestellt"),
    "erstattung_teilnahmeberechtigung": N_("Erstattung: ohne Teilnahmeberechtigung"),
    "erstattung_frist": N_("Erstattung: Erfolg nicht in der Frist"),
    "erstattung_beitrag_gezahlt": N_("Erstattung: kein Beitrag gezahlt"),
}


# the Postkorb's blocker column: shorter than BLOCKER_SHORT (the detail shows the rest);
# message ids, shown through _
BLOCKER_COLUMN = {
    "lid_fehlt": N_("LiD fehlt"),
    "dtz_fehlt": N_("DTZ fehlt"),
    "dtz_unvollstaendig": N_("DTZ unvollständig"),
    "anmeldedatum_fehlt": N_("Anmeldedatum fehlt"),
    "ruecknahme_vorschlagen": N_("Rücknahme vorschlagen"),
    "ruecknahme_freigabe": N_("Rücknahme: Freigabe"),
    "wartet_kontingent": N_("wartet: Kontingent"),
    "wartet_dtz_ohne_erfolg": N_("wartet: Stunden"),
    "wartet_verzicht_freigabe": N_("Verzicht: Freigabe"),
    "erstattung_zertifikat": N_("kein Zertifikat"),
    "erstattung_teilnahmeberechtigung": N_("ohne Berechtigung"),
    "erstattung_frist": N_("Frist versäumt"),
    "erstattung_beitrag_gezahlt": N_("nichts gezahlt"),
    "nachname_fehlt": N_("Nachname fehlt"),
    "vorname_fehlt": N_("Vorname fehlt"),
    "geburtsdatum_fehlt": N_("Geburtsdatum fehlt"),
    "ausweisart_fehlt": N_("Ausweisart fehlt"),
    "ausweisnummer_fehlt": N_("Ausweisnr. fehlt"),
    "anschrift_fehlt": N_("Anschrift fehlt"),
}

# the DTZ's parts as the screens label them; message ids, shown through _ (the domain's
# PART_NAMES are the documents' words, always German)
PART_LABELS = {
    Part.HOEREN_LESEN: N_("Hören/Lesen"),
    Part.SCHREIBEN: N_("Schreiben"),
    Part.SPRECHEN: N_("Sprechen"),
}

DOCUMENT_STATUS_NAMES = {
    "gueltig": N_("gültig"),
    "ersetzt": N_("ersetzt"),
    "zurueckgenommen": N_("zurückgenommen"),
    "storniert": N_("storniert"),
}
LETTER_NAMES = {
    "zweitschrift": "Zweitschrift",
    "ruecknahme": "Rücknahmebescheid",
    "erstattung": "Erstattungsbescheid",
}


ACTION_NAMES = {
    "fall_angesehen": N_("Fall angesehen"),
    "anmeldung_abgelehnt": N_("Anmeldung abgelehnt (unbekanntes Token)"),
    "identity_revealed": N_("Ausweisnummer angezeigt"),
    "teilnehmer_angemeldet": N_("Teilnehmer angemeldet"),
    "identitaet_gemeldet": N_("Ausweis und Anschrift gemeldet"),
    "dtz_empfangen": N_("DTZ-Ergebnis empfangen"),
    "dtz_korrigiert": N_("DTZ-Ergebnis korrigiert"),
    "lid_empfangen": N_("LiD-Ergebnis empfangen"),
    "lid_korrigiert": N_("LiD-Ergebnis korrigiert"),
    "dtz_papier_erfasst": N_("Papier-DTZ erfasst"),
    "alternativer_b1_nachweis": N_("Alternativer B1-Nachweis erfasst"),
    "wiederholung_beantragt": N_("Wiederholung beantragt"),
    "wiederholung_entschieden": N_("Wiederholungsantrag entschieden"),
    "dokument_ausgestellt": N_("Dokument ausgestellt"),
    "stunden_gemeldet": N_("Stunden gemeldet"),
    "ruecknahme_vorgeschlagen": N_("Rücknahme vorgeschlagen"),
    "ruecknahme_bestaetigt": N_("Rücknahme freigegeben"),
    "ruecknahme_abgelehnt": N_("Rücknahme abgelehnt"),
    "dokument_abgerufen": N_("Dokument abgerufen"),
    "postkorb_uebernommen": N_("Eintrag übernommen"),
    "postkorb_freigegeben": N_("Eintrag freigegeben"),
    "postkorb_uebernahme_durch_leitung": N_("Eintrag von der Leitung übernommen"),
    "dokument_storniert": N_("Dokument storniert"),
    "zweitschrift_ausgestellt": N_("Zweitschrift ausgestellt"),
    "schreiben_abgerufen": N_("Schreiben abgerufen"),
    "tagesdruck_erstellt": N_("Tagesdruck erstellt"),
    "versand_vermerkt": N_("Versand vermerkt"),
    "verzicht_vorgeschlagen": N_("Verzicht auf die DTZ-Voraussetzung vorgeschlagen"),
    "verzicht_abgelehnt": N_("Verzicht auf die DTZ-Voraussetzung abgelehnt"),
    "daten_angefordert": N_("Daten beim Kursträger angefordert"),
    "datenanforderung_erinnert": N_("An Datenanforderung erinnert"),
    "datenanforderung_erledigt": N_("Datenanforderung erledigt"),
    "erstattung_beantragt": N_("Erstattung beantragt"),
    "erstattung_entschieden": N_("Erstattungsantrag entschieden"),
}


def today() -> date:
    """The caseworker's today; tests pin it."""
    return date.today()


def euro_cents(cents: int | None) -> str:
    """137400 → "1.374,00 €"; None → "–"."""
    return "–" if cents is None else euro_de(Decimal(cents) / 100)


def date_de(value: date | None) -> str:
    return "–" if value is None else f"{value:%d.%m.%Y}"


def points_de(value: float) -> str:
    """Points as the interface writes them: "74,5" in German, "74.5" in English."""
    return spoken(_points_de(value))


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
    short = BLOCKER_SHORT.get(blocker.code)
    what = _(short) if short else blocker.text
    supplier = SUPPLIER_NAMES.get(blocker.supplier)
    return f"{what} ({_(supplier) if supplier else blocker.supplier})"


def action_label(action: str) -> str:
    name = ACTION_NAMES.get(action)
    return _(name) if name else action.replace("_", " ").capitalize()


def audit_line(entry: AuditEntry) -> str:
    """`22.11.2025 10:03 · Schmidt · Dokument ausgestellt · ZIK-2025-0000001`."""
    when = _local(entry.at)
    outcome, inputs = entry.outcome or {}, entry.inputs or {}
    # the number a step is about: what it made, else what it acted on, else how it ended
    detail = (
        outcome.get("letter_id")
        or outcome.get("certificate_id")
        or inputs.get("certificate_id")
        or outcome.get("status")
        or ""
    )
    parts = [f"{when:%d.%m.%Y %H:%M}", entry.actor, action_label(entry.action)]
    if detail:
        parts.append(str(detail))
    return " · ".join(parts)


def _local(at: datetime) -> datetime:
    return at.astimezone() if at.tzinfo is not None else at
