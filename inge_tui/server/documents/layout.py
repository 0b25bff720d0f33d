"""The page of a Zertifikat Integrationskurs or a Bescheinigung, drawn with fpdf2.

One A4 page in German after DIN 5008 form A: the Bundesamt's header line, the participant's
address for a window envelope, the reference block (document number, participant number,
Regionalstelle, date), the title, the personal data § 17 Abs. 4 Satz 2 IntV requires, the DTZ
result or the alternative B1 proof, the LiD result with the naturalisation note, a signature
field and a footer that names the number and says this is a demo document with synthetic data
(domain.md Part A 7, 8). The rules' reasoning is not printed: it is the decision record
(Aktenvermerk) in the case file, so the document stays one page whatever the case. Every
variable value goes through `text.printable` first. This module does not import fpdf2 itself:
it draws on the document object `documents.render_pdf` hands it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from inge_tui.server.documents.text import printable

if TYPE_CHECKING:
    from fpdf import FPDF

    from inge_tui.server.documents.data import DocumentData

FAMILY = "dejavu"

KIND_TITLES = {
    "zertifikat": (
        "Zertifikat Integrationskurs",
        "nach § 17 Abs. 2 und 4 der Integrationskursverordnung (IntV)",
    ),
    "bescheinigung": (
        "Bescheinigung",
        "über das in den Abschlusstests tatsächlich erreichte Ergebnis (§ 17 Abs. 4 IntV)",
    ),
}
DOCUMENT_TYPES = {
    "reisepass": "Reisepass",
    "personalausweis": "Personalausweis",
    "passersatz": "Passersatzpapier",
    "ausweisersatz": "Ausweisersatz",
}
_INTRO = {
    "zertifikat": (
        "Das Bundesamt für Migration und Flüchtlinge bescheinigt, dass die nachstehend genannte "
        "Person den Integrationskurs erfolgreich abgeschlossen hat (§ 43 Abs. 2 Satz 2 AufenthG, "
        "§ 17 Abs. 2 IntV): Sie hat Deutschkenntnisse auf dem Niveau B1 des Gemeinsamen "
        "Europäischen Referenzrahmens nachgewiesen und den Test „Leben in Deutschland“ bestanden."
    ),
    "bescheinigung": (
        "Das Bundesamt für Migration und Flüchtlinge bescheinigt der nachstehend genannten Person "
        "die Ergebnisse, die sie in den Abschlusstests des Integrationskurses tatsächlich erreicht "
        "hat (§ 17 Abs. 4 IntV). Die Voraussetzungen für das Zertifikat Integrationskurs "
        "(§ 17 Abs. 2 IntV) sind damit nicht erfüllt."
    ),
}
_SOURCES = {
    "webservice": "vom Testinstitut elektronisch übermittelt",
    "paper": "von der Regionalstelle nach dem vorgelegten Papiernachweis erfasst",
}
DEMO_NOTE = (
    "Demo-Dokument von inge-tui mit synthetischen Daten – kein amtliches Dokument des Bundesamts.",
    "Alle Namen, Nummern und Kennungen auf diesem Dokument sind frei erfunden.",
)

# Page geometry in mm (A4, DIN 5008 form A: letterhead 27 mm, address field 27–72 mm).
LEFT, RIGHT, WIDTH = 25.0, 20.0, 165.0
_BOTTOM = 273.0  # content ends here; the footer begins at 279 mm
_INK, _GREY, _RULE, _FILL = (20, 20, 20), (95, 95, 95), (150, 150, 150), (236, 236, 236)


_NBSP_AFTER = re.compile(r"(§|Abs\.|Satz|Nr\.) ")
_NBSP_BEFORE = re.compile(r"(\d) (Abs\.|Satz|Nr\.|IntV|IntTestV|AufenthG|StAG)")


def keep_together(text: str) -> str:
    """No line break inside a citation such as "§ 17 Abs. 4 IntV"."""
    return _NBSP_BEFORE.sub("\\1\u00a0\\2", _NBSP_AFTER.sub("\\1\u00a0", text))


def german_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def german_number(value: float) -> str:
    """33.0 -> "33", 74.5 -> "74,5"."""
    return f"{value:g}".replace(".", ",")


def level_text(level: str | None) -> str:
    return level.replace("_", " ") if level else "–"


_WRAPPED: dict[tuple[str, str, float, float], list[str]] = {}


def draw_footer(pdf: FPDF, lines: tuple[str, ...]) -> None:
    """The footer of every page: a rule, the document line with the page number, the demo note."""
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.line(LEFT, 279.0, 210.0 - RIGHT, 279.0)
    pdf.set_xy(LEFT, 280.5)
    pdf.set_text_color(*_GREY)
    for index, line in enumerate(lines):
        pdf.set_font(FAMILY, "B" if index == 0 else "", 7)
        text = line.replace("{page}", str(pdf.page_no()))
        pdf.cell(WIDTH, 3.4, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)


class Page:
    """Draws one document; every printed value goes through `printable` first."""

    def __init__(self, pdf: FPDF, data: DocumentData, covered: frozenset[int]) -> None:
        self.pdf, self.data, self.covered = pdf, data, covered

    def text(self, value: str) -> str:
        return printable(value, self.covered)

    def draw(self) -> None:
        pdf, data = self.pdf, self.data
        title, _ = KIND_TITLES[data.kind]
        pdf.set_creation_date(datetime.combine(data.issued_on, time(12, 0), tzinfo=UTC))
        pdf.set_title(f"{title} {data.number}")
        pdf.set_subject(f"{title} – Demo-Dokument mit synthetischen Daten")
        pdf.set_author("Bundesamt für Migration und Flüchtlinge (Demo, inge-tui)")
        pdf.set_creator("inge-tui")
        pdf.set_lang("de-DE")
        pdf.alias_nb_pages("{inge:pages}")
        pdf.set_margins(LEFT, 20.0, RIGHT)
        pdf.set_auto_page_break(True, margin=297.0 - _BOTTOM)
        pdf.footer_lines = (  # type: ignore[attr-defined]
            self.text(f"{title} · Nr. {data.number} · Seite {{page}} von {{inge:pages}}"),
            *DEMO_NOTE,
        )
        pdf.add_page()
        pdf.set_text_color(*_INK)
        self.letterhead()
        self.address_and_reference()
        self.heading()
        self.personal_data()
        self.dtz()
        self.lid()
        self.signature()

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)

    def fitted(
        self, value: str, width: float, size: float, bold: bool = False, smallest: float = 6
    ) -> None:
        """Set the largest font size ≤ size (down to `smallest`) at which the value fits."""
        self.font(size, bold)
        while size > smallest and self.pdf.get_string_width(value) > width - 2:
            size -= 0.5
            self.font(size, bold)

    def wrap(self, text: str, width: float, fixed: bool = False) -> list[str]:
        """Greedy line breaking at spaces (not at no-break spaces) in the current font.

        `fixed` texts (ours, the same on many documents) are remembered; personal data is not.
        """
        pdf = self.pdf
        key = (text, pdf.font_style, pdf.font_size_pt, width)
        lines = _WRAPPED.get(key) if fixed else None
        if lines is None:
            measure = pdf.get_string_width
            space = measure(" ")
            lines, current, used = [], "", 0.0
            for word in text.split(" "):
                size = measure(word)
                if current and used + space + size > width:
                    lines.append(current)
                    current, used = word, size
                else:
                    current, used = (
                        (f"{current} {word}", used + space + size) if current else (word, size)
                    )
            lines.append(current)
            if fixed and len(_WRAPPED) < 256:
                _WRAPPED[key] = lines
        return lines

    def paragraph(
        self, text: str, width: float, height: float, x: float = LEFT, fixed: bool = False
    ) -> None:
        """Left-aligned wrapped text; ends at the start of the next line at the left margin."""
        pdf = self.pdf
        for line in self.wrap(text, width - 2 * pdf.c_margin, fixed):
            pdf.set_x(x)
            pdf.cell(width, height, line, new_x="LMARGIN", new_y="NEXT")

    def letterhead(self) -> None:
        pdf = self.pdf
        pdf.set_xy(LEFT, 9)
        self.font(7)
        pdf.set_text_color(*_GREY)
        pdf.cell(WIDTH, 6, "DEMO · synthetische Daten", align="R")
        pdf.set_text_color(*_INK)
        pdf.set_xy(LEFT, 9)
        self.font(13, bold=True)
        pdf.cell(WIDTH, 6, "Bundesamt für Migration und Flüchtlinge")
        pdf.set_xy(LEFT, 15.5)
        self.font(10)
        pdf.set_text_color(*_GREY)
        pdf.cell(WIDTH, 5, self.text(self.data.office_name))
        pdf.set_text_color(*_INK)
        pdf.set_draw_color(*_INK)
        pdf.set_line_width(0.4)
        pdf.line(LEFT, 24, 210 - RIGHT, 24)
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.2)
        for y, length in ((87.0, 5.0), (148.5, 7.0), (192.0, 5.0)):  # fold and punch marks
            pdf.line(0, y, length, y)

    def address_and_reference(self) -> None:
        pdf, data = self.pdf, self.data
        pdf.set_xy(LEFT, 39.5)
        self.font(6.5)
        pdf.set_text_color(*_GREY)
        pdf.cell(
            85, 3.5, self.text(f"Bundesamt für Migration und Flüchtlinge · {data.office_name}")
        )
        pdf.set_draw_color(*_RULE)
        pdf.line(LEFT, 43.5, LEFT + 85, 43.5)
        pdf.set_text_color(*_INK)
        lines = (f"{data.given_name} {data.surname}", *data.address_lines)
        y = 47.0
        for line in lines[:5]:  # the DIN 5008 address field ends at 72 mm
            value = self.text(line)
            self.fitted(value, 85, 10)
            pdf.set_xy(LEFT, y)
            pdf.cell(85, 4.8, value)
            y += 4.8
        rows = (
            ("Dokumentnummer", data.number),
            ("Teilnehmernummer", data.participant_id),
            ("Regionalstelle", data.office_code),
            ("Datum", german_date(data.issued_on)),
        )
        y = 33.0
        for label, value in rows:
            pdf.set_xy(122, y)
            self.font(7.5)
            pdf.set_text_color(*_GREY)
            pdf.cell(29, 5, label)
            pdf.set_text_color(*_INK)
            text = self.text(value)
            self.fitted(text, 210 - RIGHT - 151, 9, bold=label == "Dokumentnummer")
            pdf.cell(210 - RIGHT - 151, 5, text)
            y += 5.5

    def heading(self) -> None:
        pdf, data = self.pdf, self.data
        title, subtitle = KIND_TITLES[data.kind]
        pdf.set_xy(LEFT, 77)
        self.font(18, bold=True)
        pdf.cell(WIDTH, 8.5, title, new_x="LMARGIN", new_y="NEXT")
        self.font(9)
        pdf.set_text_color(*_GREY)
        pdf.cell(WIDTH, 4.5, subtitle, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*_INK)
        pdf.ln(2.5)
        self.font(9)
        self.paragraph(keep_together(_INTRO[data.kind]), WIDTH, 4.4, fixed=True)

    def section(self, title: str, aside: str = "") -> None:
        """A bold heading with a rule under it; `aside` is set small and grey on the right."""
        pdf = self.pdf
        pdf.ln(2.5)
        if aside:
            y = pdf.get_y()
            self.font(8)
            pdf.set_text_color(*_GREY)
            pdf.cell(WIDTH, 5.5, aside, align="R")
            pdf.set_text_color(*_INK)
            pdf.set_xy(LEFT, y)
        self.font(10.5, bold=True)
        pdf.cell(WIDTH, 5.5, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*_INK)
        pdf.set_line_width(0.3)
        pdf.line(LEFT, pdf.get_y(), 210 - RIGHT, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.ln(1)

    def pairs(self, rows: tuple[tuple[str, str], ...]) -> None:
        """Label/value rows: labels on a light band, values bold; a long value wraps."""
        pdf = self.pdf
        pdf.set_draw_color(*_RULE)
        pdf.set_fill_color(*_FILL)
        value_width = WIDTH - 52
        for label, value in rows:
            text = self.text(value)
            self.fitted(text, value_width - 3, 10, bold=True, smallest=9)
            lines = self.wrap(text, value_width - 3)
            height = max(5.8, 4.4 * len(lines) + 1.4)
            y = pdf.get_y()
            size = pdf.font_size_pt
            self.font(8)
            pdf.cell(52, height, f" {label}", border="B", fill=True)
            self.font(size, bold=True)
            if len(lines) == 1:  # indented by a cell, not by spaces: bidi moves those
                indent = pdf.get_string_width("  ")
                pdf.cell(indent, height, "", border="B")
                pdf.cell(value_width - indent, height, text, border="B")
            else:
                pdf.set_xy(LEFT + 55, y + 0.7)
                self.paragraph(text, value_width - 3, 4.4, x=LEFT + 55)
                pdf.line(LEFT + 52, y + height, LEFT + WIDTH, y + height)
            pdf.set_xy(LEFT, y + height)

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]], bold_last: bool) -> None:
        """A results table; column 0 left, the others centred, the last row bold if asked."""
        pdf = self.pdf
        widths = (70.0, 27.0, 33.0, 35.0)
        pdf.set_draw_color(*_RULE)
        pdf.set_fill_color(*_FILL)
        self.font(8, bold=True)
        for index, (width, label) in enumerate(zip(widths, header, strict=True)):
            first = index == 0
            text, align = (f" {label}", "L") if first else (label, "C")
            pdf.cell(width, 5, text, border="B", align=align, fill=True)
        pdf.ln(5)
        for row_index, row in enumerate(rows):
            self.font(9.5, bold=bold_last and row_index == len(rows) - 1)
            for index, (width, value) in enumerate(zip(widths, row, strict=True)):
                first = index == 0
                text, align = (f" {value}", "L") if first else (value, "C")
                pdf.cell(width, 5.4, text, border="B", align=align)
            pdf.ln(5.4)

    def note(self, value: str) -> None:
        self.pdf.ln(0.6)
        self.font(7.5)
        self.pdf.set_text_color(*_GREY)
        self.paragraph(keep_together(value), WIDTH, 3.6, fixed=True)
        self.pdf.set_text_color(*_INK)

    def personal_data(self) -> None:
        data = self.data
        self.section("Angaben zur Person")
        kind = DOCUMENT_TYPES.get(data.document_type, data.document_type)
        self.pairs(
            (
                ("Familienname", data.surname),
                ("Vorname(n)", data.given_name),
                ("Geburtsdatum", german_date(data.birth_date)),
                ("Art des Ausweisdokuments", kind),
                ("Nummer des Ausweisdokuments", data.document_number),
            )
        )

    def dtz(self) -> None:
        data = self.data
        sat = bool(data.dtz_parts) or data.dtz_aborted
        if sat or not data.alt_b1:
            aside = f"Prüfung vom {german_date(data.dtz_exam_date)}" if sat else ""
            self.section("Deutsch-Test für Zuwanderer (DTZ)", aside)
        else:
            self.section("Nachweis der Deutschkenntnisse")
        if data.dtz_aborted:
            self.pairs((("Gesamtergebnis", level_text(data.dtz_overall)),))
            self.note(
                "Die Prüfung wurde abgebrochen; sie gilt als nicht bestanden, einzelne Teile"
                " werden nicht gewertet (§ 9 Abs. 2 IntTestV)."
            )
        elif data.dtz_parts:
            rows = [
                (self.text(label), german_number(points), german_number(maximum), level_text(lvl))
                for label, points, maximum, lvl in data.dtz_parts
            ]
            rows.append(("Gesamtergebnis", "", "", level_text(data.dtz_overall)))
            self.table(("Prüfungsteil", "Punkte", "Höchstpunktzahl", "Niveau"), rows, True)
            source = _SOURCES.get(data.dtz_source or "")
            self.note(
                (f"Ergebnis {source}. " if source else "")
                + "Das Gesamtergebnis B1 setzt B1 im Teil „Sprechen“ und in mindestens einem "
                "weiteren Teil voraus (§ 10 Abs. 1 IntTestV)."
            )
        elif not data.alt_b1:
            self.note("Ein Ergebnis des Deutsch-Tests für Zuwanderer liegt nicht vor.")
        if data.alt_b1:
            self.pdf.ln(1.5)
            self.pairs((("Anderer Nachweis (B1)", data.alt_b1),))
            self.note("Nachweis der Deutschkenntnisse nach § 17 Abs. 2 Satz 2 und 3 IntV.")

    def lid(self) -> None:
        data = self.data
        if data.lid_points is None:
            self.section("Test „Leben in Deutschland“ (LiD)")
            self.note("Ein Ergebnis des Tests „Leben in Deutschland“ liegt nicht vor.")
            return
        self.section(
            "Test „Leben in Deutschland“ (LiD)", f"Prüfung vom {german_date(data.lid_exam_date)}"
        )
        outcome = "bestanden" if data.lid_passed else "nicht bestanden"
        self.table(
            ("Test", "Punkte", "Höchstpunktzahl", "Ergebnis"),
            [("Leben in Deutschland", str(data.lid_points), "33", outcome)],
            True,
        )
        note = "Bestanden ab 15 von 33 Punkten (§ 10 Abs. 2 IntTestV)."
        if data.lid_naturalisation:
            note += (
                " Mit mindestens 17 von 33 Punkten erfüllt das Ergebnis zugleich die Anforderung "
                "des Einbürgerungstests (§ 10 Abs. 1 Satz 1 Nr. 7 StAG, § 17 Abs. 5 IntV)."
            )
        self.note(note)

    def signature(self) -> None:
        pdf, data = self.pdf, self.data
        gap = min(6.0, _BOTTOM - 16 - pdf.get_y())  # the block is 16 mm high and never split
        if gap < 2:
            pdf.add_page()
            gap = 6.0
        y = max(pdf.get_y() + gap, 236.0)
        place = data.office_name.removeprefix("Regionalstelle ").strip()
        dated = f"{place}, {german_date(data.issued_on)}" if place else german_date(data.issued_on)
        self.font(9.5)
        pdf.set_xy(LEFT, y + 6.5)
        pdf.cell(70, 5, self.text(dated))
        pdf.set_xy(120, y)
        pdf.cell(70, 5, "Im Auftrag")
        pdf.set_draw_color(*_RULE)
        pdf.line(LEFT, y + 12, LEFT + 70, y + 12)
        pdf.set_draw_color(*_INK)
        pdf.line(120, y + 12, 210 - RIGHT, y + 12)
        self.font(7)
        pdf.set_text_color(*_GREY)
        for x, label in ((LEFT, "Ort, Datum"), (120, "Unterschrift")):
            pdf.set_xy(x, y + 12.5)
            pdf.cell(70, 3.5, label)
        pdf.set_text_color(*_INK)
