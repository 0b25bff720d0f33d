"""The Kennzahlen (`Stats`) as words and as CSV: every figure the screen plots is also said in
text (for a screen reader, `NO_COLOR`, a script) and written to CSV for a spreadsheet. German,
like the screens; no Textual here.
"""

from __future__ import annotations

import csv
import io

from inge_tui.api.models import RateGroup, Stats
from inge_tui.api.words import date_de, euro_cents

KIND_WORDS = {"abschluss": "Abschluss", "wiederholung": "Wiederholung", "erstattung": "Erstattung"}


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f} %"


def counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def decimal_de(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def days_de(value: float | None) -> str:
    return "–" if value is None else f"{decimal_de(value)} Tage"


def period_de(stats: Stats) -> str:
    return f"{date_de(stats.period_from)}–{date_de(stats.period_to)}"


def summary_lines(stats: Stats) -> list[str]:
    """The figures in sentences, the plots' numbers included."""
    backlog = " · ".join(f"{b.label}: {b.count}" for b in stats.backlog_by_age)
    arrived = ", ".join(f"{KIND_WORDS.get(k, k)} {n}" for k, n in stats.arrived_by_kind.items())
    per_day = [d.zertifikat + d.bescheinigung for d in stats.documents_per_day]
    busiest = max(stats.documents_per_day, key=lambda d: d.zertifikat + d.bescheinigung)
    total_docs = sum(per_day)
    t = stats.time_to_document
    r, refunds = stats.data_requests, stats.refunds
    lines = [
        f"Regionalstelle {stats.office}, Zeitraum {period_de(stats)}",
        f"Offen jetzt: {stats.open_entries} – nach Alter in Tagen: {backlog}",
        f"Eingegangen im Zeitraum: {arrived}",
        "Dokumente im Zeitraum: "
        + counted(stats.documents.get("zertifikat", 0), "Zertifikat", "Zertifikate")
        + ", "
        + counted(stats.documents.get("bescheinigung", 0), "Bescheinigung", "Bescheinigungen")
        + (
            f"; im Schnitt {decimal_de(total_docs / len(per_day))} je Tag, am meisten"
            f" {max(per_day)} am {date_de(busiest.day)}"
            if total_docs
            else ""
        ),
        f"Vom Eingang bis zum Dokument: Median {days_de(t.median_days)},"
        f" 90 % binnen {days_de(t.p90_days)} ({t.closed} erledigt)",
        f"Quote gesamt: {rate_words(stats.total)}",
        f"Datenanforderungen offen: {r.get('offen', 0)}, davon überfällig"
        f" {r.get('ueberfaellig', 0)}",
        f"Erstattungsanträge: offen {refunds.get('offen', 0)}, bewilligt"
        f" {refunds.get('bewilligt', 0)} ({euro_cents(refunds.get('bewilligt_cents', 0))}),"
        f" abgelehnt {refunds.get('abgelehnt', 0)}",
    ]
    return lines


def rate_words(group: RateGroup) -> str:
    return (
        f"{group.entries} Fälle, DTZ B1 {percent(group.b1_rate)} ({group.dtz_b1}/"
        f"{group.dtz_complete}), LiD bestanden {percent(group.lid_rate)} ({group.lid_passed}/"
        f"{group.lid_results})"
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
