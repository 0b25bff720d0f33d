"""The Kennzahlen (`Stats`) as words and as CSV: every figure the screen plots is also said in
text (for a screen reader, `NO_COLOR`, a script) and written to CSV for a spreadsheet. The
sentences speak the interface's language (German for the command-line tool); the CSV is always
German, since spreadsheets and scripts read its column names. No Textual here.
"""

from __future__ import annotations

import csv
import io

from inge_tui.api.models import RateGroup, Stats
from inge_tui.api.words import date_de, euro_cents
from inge_tui.i18n import N_, _, language, ngettext

KIND_WORDS = {  # message ids, shown through _
    "abschluss": N_("Abschluss"),
    "wiederholung": N_("Wiederholung"),
    "erstattung": N_("Erstattung"),
}


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f} %"


def decimal_de(value: float) -> str:
    """`2.5` as the interface writes it: "2,5" in German (the command-line tool), "2.5" in
    English."""
    written = f"{value:.1f}"
    return written.replace(".", ",") if language() == "de" else written


def days_de(value: float | None) -> str:
    return "–" if value is None else _("{n} Tage").format(n=decimal_de(value))


def period_de(stats: Stats) -> str:
    return f"{date_de(stats.period_from)}–{date_de(stats.period_to)}"


def summary_lines(stats: Stats) -> list[str]:
    """The figures in sentences, the plots' numbers included."""
    backlog = " · ".join(f"{b.label}: {b.count}" for b in stats.backlog_by_age)
    arrived = ", ".join(
        f"{_(KIND_WORDS[k]) if k in KIND_WORDS else k} {n}"
        for k, n in stats.arrived_by_kind.items()
    )
    per_day = [d.zertifikat + d.bescheinigung for d in stats.documents_per_day]
    busiest = max(stats.documents_per_day, key=lambda d: d.zertifikat + d.bescheinigung)
    total_docs = sum(per_day)
    t = stats.time_to_document
    r, refunds = stats.data_requests, stats.refunds
    zertifikate = stats.documents.get("zertifikat", 0)
    bescheinigungen = stats.documents.get("bescheinigung", 0)
    documents = _("Dokumente im Zeitraum: {zertifikate}, {bescheinigungen}").format(
        zertifikate=ngettext("{n} Zertifikat", "{n} Zertifikate", zertifikate).format(
            n=zertifikate
        ),
        bescheinigungen=ngettext(
            "{n} Bescheinigung", "{n} Bescheinigungen", bescheinigungen
        ).format(n=bescheinigungen),
    )
    if total_docs:
        documents += _("; im Schnitt {mean} je Tag, am meisten {peak} am {date}").format(
            mean=decimal_de(total_docs / len(per_day)),
            peak=max(per_day),
            date=date_de(busiest.day),
        )
    lines = [
        _("Regionalstelle {office}, Zeitraum {period}").format(
            office=stats.office, period=period_de(stats)
        ),
        _("Offen jetzt: {n} – nach Alter in Tagen: {backlog}").format(
            n=stats.open_entries, backlog=backlog
        ),
        _("Eingegangen im Zeitraum: {arrived}").format(arrived=arrived),
        documents,
        # TRANSLATORS: "90 %" is a percentage, not a placeholder
        _("Vom Eingang bis zum Dokument: Median {median}, 90 % binnen {p90} ({n} erledigt)").format(
            median=days_de(t.median_days), p90=days_de(t.p90_days), n=t.closed
        ),
        _("Quote gesamt: {rates}").format(rates=rate_words(stats.total)),
        _("Datenanforderungen offen: {open}, davon überfällig {overdue}").format(
            open=r.get("offen", 0), overdue=r.get("ueberfaellig", 0)
        ),
        _(
            "Erstattungsanträge: offen {open}, bewilligt {approved} ({amount}), abgelehnt "
            "{rejected}"
        ).format(
            open=refunds.get("offen", 0),
            approved=refunds.get("bewilligt", 0),
            amount=euro_cents(refunds.get("bewilligt_cents", 0)),
            rejected=refunds.get("abgelehnt", 0),
        ),
    ]
    return lines


def rate_words(group: RateGroup) -> str:
    return _(
        "{cases} Fälle, DTZ B1 {b1_rate} ({b1}/{dtz}), LiD bestanden {lid_rate} ({passed}/{lid})"
    ).format(
        cases=group.entries,
        b1_rate=percent(group.b1_rate),
        b1=group.dtz_b1,
        dtz=group.dtz_complete,
        lid_rate=percent(group.lid_rate),
        passed=group.lid_passed,
        lid=group.lid_results,
    )


def csv_text(stats: Stats) -> str:
    """Every figure as `Abschnitt;Gruppe;Kennzahl;Wert` rows (semicolons, as German
    spreadsheets expect; numbers with a decimal point, rates as shares of 1)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(["abschnitt", "gruppe", "kennzahl", "wert"])
    w.writerow(["zeitraum", stats.office, "von", stats.period_from.isoformat()])
    w.writerow(["zeitraum", stats.office, "bis", stats.period_to.isoformat()])
    w.writerow(["bestand", "", "offen", stats.open_entries])
    for b in stats.backlog_by_age:
        w.writerow(["bestand_nach_alter", b.label, "offen", b.count])
    for kind, n in stats.arrived_by_kind.items():
        w.writerow(["eingang", kind, "eintraege", n])
    for day in stats.documents_per_day:
        w.writerow(["dokumente_je_tag", day.day.isoformat(), "zertifikat", day.zertifikat])
        w.writerow(["dokumente_je_tag", day.day.isoformat(), "bescheinigung", day.bescheinigung])
    for section, groups in (
        ("quote_gesamt", [stats.total]),
        ("quote_kursart", stats.by_course_type),
        ("quote_pruefstelle", stats.by_exam_center),
    ):
        for g in groups:
            for name in (
                "entries",
                "dtz_complete",
                "dtz_b1",
                "b1_rate",
                "lid_results",
                "lid_passed",
                "lid_rate",
            ):
                value = getattr(g, name)
                w.writerow([section, g.label, name, "" if value is None else value])
    t = stats.time_to_document
    w.writerow(["dauer_bis_dokument", "", "erledigt", t.closed])
    w.writerow(
        ["dauer_bis_dokument", "", "median_tage", "" if t.median_days is None else t.median_days]
    )
    w.writerow(["dauer_bis_dokument", "", "p90_tage", "" if t.p90_days is None else t.p90_days])
    for state, n in stats.data_requests.items():
        w.writerow(["datenanforderungen", state, "anzahl", n])
    for state, n in stats.refunds.items():
        w.writerow(["erstattungen", state, "anzahl" if not state.endswith("cents") else "cent", n])
    return out.getvalue()
