"""What the office posts besides the documents themselves (domain.md A.12).

- `withdrawal_letter`: the letter that tells the participant their Zertifikat was withdrawn
  (Rücknahme, § 48 VwVfG), with the reason, on the same letterhead as the documents.
- `copy_pdf`: a Zweitschrift: the stored PDF of the original, page for page, with a stamp
  "Zweitschrift vom …" laid over it; the data and the number are the original's, byte for byte.
- `batch_pdf`: the day's print run: a cover list (number, name, kind) and then every PDF in
  the order of the list, merged with pypdf.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from inge_tui.server.documents.data import DocumentData
from inge_tui.server.documents.layout import (
    DEMO_NOTE,
    FAMILY,
    LEFT,
    WIDTH,
    Page,
    german_date,
    keep_together,
)
from inge_tui.server.documents.render import render_with

if TYPE_CHECKING:
    from fpdf import FPDF

KIND_NAMES = {
    "zertifikat": "Zertifikat",
    "bescheinigung": "Bescheinigung",
    "zweitschrift": "Zweitschrift",
    "ruecknahme": "Rücknahmebescheid",
}


@dataclass(frozen=True)
class WithdrawalLetter:
    """The withdrawal letter: to whom (the case as it stands now), which document, why."""

    person: DocumentData  # name, address, office; `number` is the letter's own id
    certificate_id: str
    certificate_issued_on: date
    reason: str


def withdrawal_letter(letter: WithdrawalLetter) -> bytes:
    texts = (*letter.person.printed_texts(), letter.reason)
    return render_with(lambda pdf, covered: _LetterPage(pdf, letter, covered).draw(), texts)


class _LetterPage(Page):
    """A letter on the documents' letterhead and address block."""

    def __init__(self, pdf: FPDF, letter: WithdrawalLetter, covered: frozenset[int]) -> None:
        super().__init__(pdf, letter.person, covered)
        self.letter = letter

    def draw(self) -> None:
        pdf, data, letter = self.pdf, self.data, self.letter
        title = "Rücknahme des Zertifikats Integrationskurs"
        pdf.set_creation_date(datetime.combine(data.issued_on, time(12, 0), tzinfo=UTC))
        pdf.set_title(f"{title} {letter.certificate_id}")
        pdf.set_author("Bundesamt für Migration und Flüchtlinge (Demo, inge-tui)")
        pdf.set_creator("inge-tui")
        pdf.set_lang("de-DE")
        pdf.set_margins(LEFT, 20.0, 20.0)
        pdf.set_auto_page_break(True, margin=24.0)
        pdf.footer_lines = (  # type: ignore[attr-defined]
            self.text(f"Rücknahmebescheid · {data.number} · Seite {{page}}"),
            *DEMO_NOTE,
        )
        pdf.add_page()
        self.letterhead()
        self.address_and_reference()
        pdf.set_xy(LEFT, 80)
        self.font(13, bold=True)
        pdf.cell(WIDTH, 7, title, new_x="LMARGIN", new_y="NEXT")
        self.font(9)
        pdf.cell(
            WIDTH, 5, f"Ihr Zertifikat Nr. {letter.certificate_id}", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(4)
        self.font(10)
        name = self.text(f"{data.given_name} {data.surname}")
        for paragraph in (
            f"Guten Tag {name},",
            "das Bundesamt für Migration und Flüchtlinge nimmt das Ihnen am"
            f" {german_date(letter.certificate_issued_on)} ausgestellte Zertifikat"
            f" Integrationskurs Nr. {letter.certificate_id} nach § 48 des"
            " Verwaltungsverfahrensgesetzes (VwVfG) zurück.",
            "Begründung: " + self.text(letter.reason),
            "Über die Ergebnisse, die Sie in den Abschlusstests tatsächlich erreicht haben,"
            " erhalten Sie eine Bescheinigung (§ 17 Abs. 4 IntV). Bitte senden Sie das"
            " zurückgenommene Zertifikat an die oben genannte Regionalstelle zurück.",
            "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach"
            " Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift beim"
            " Bundesamt für Migration und Flüchtlinge.",
            "Mit freundlichen Grüßen",
            "Im Auftrag",
        ):
            self.paragraph(keep_together(paragraph), WIDTH, 5.2)
            pdf.ln(2.5)


def copy_pdf(original: bytes, on: date) -> bytes:
    """The original's pages with a "Zweitschrift vom …" stamp over the reference block."""
    from pypdf import PdfReader, PdfWriter

    stamp = PdfReader(io.BytesIO(render_with(lambda pdf, _: _draw_stamp(pdf, on), ())))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    for page in writer.pages:
        page.merge_page(stamp.pages[0])
    title = (writer.metadata or {}).get("/Title", "")
    writer.add_metadata({"/Title": f"Zweitschrift: {title}", "/Subject": f"Zweitschrift {on}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _draw_stamp(pdf: FPDF, on: date) -> None:
    pdf.set_creation_date(datetime.combine(on, time(12, 0), tzinfo=UTC))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(150, 20, 20)
    pdf.set_text_color(150, 20, 20)
    pdf.set_line_width(0.6)
    pdf.rect(122, 57, 68, 13)
    pdf.set_xy(122, 58)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(68, 6, "ZWEITSCHRIFT", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(68, 5, f"ausgestellt am {german_date(on)}", align="C")


@dataclass(frozen=True)
class BatchItem:
    item_id: str  # document number or letter id
    kind: str  # zertifikat | bescheinigung | zweitschrift | ruecknahme
    name: str
    issued_on: date


def batch_pdf(
    items: list[BatchItem], pdfs: dict[str, bytes], as_of: datetime, office: str
) -> bytes:
    """The cover list, then each item's PDF in the list's order."""
    from pypdf import PdfReader, PdfWriter

    names = [item.name for item in items]
    cover = render_with(lambda pdf, covered: _draw_cover(pdf, covered, items, as_of, office), names)
    writer = PdfWriter()
    for part in (cover, *(pdfs[item.item_id] for item in items)):
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": f"Tagesdruck {office} {as_of:%d.%m.%Y %H:%M}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _draw_cover(
    pdf: FPDF, covered: frozenset[int], items: list[BatchItem], as_of: datetime, office: str
) -> None:
    from inge_tui.server.documents.text import printable

    pdf.set_creation_date(as_of)
    pdf.set_margins(LEFT, 20.0, 20.0)
    pdf.set_auto_page_break(True, margin=24.0)
    pdf.footer_lines = (  # type: ignore[attr-defined]
        f"Tagesdruck {office} · Stand {as_of:%d.%m.%Y %H:%M} UTC · Seite {{page}}",
        *DEMO_NOTE,
    )
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(WIDTH, 8, f"Tagesdruck – Regionalstelle {office}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(
        WIDTH,
        5,
        f"Stand {as_of:%d.%m.%Y %H:%M} UTC · {len(items)} Schriftstücke zum Versand",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    widths = (10.0, 42.0, 81.0, 32.0)
    pdf.set_font(FAMILY, "B", 8.5)
    pdf.set_fill_color(236, 236, 236)
    for width, label in zip(widths, ("Nr.", "Nummer", "Name", "Art"), strict=True):
        pdf.cell(width, 5.5, label, border="B", fill=True)
    pdf.ln(5.5)
    pdf.set_font(FAMILY, "", 8.5)
    for index, item in enumerate(items, start=1):
        row = (str(index), item.item_id, printable(item.name, covered), KIND_NAMES[item.kind])
        for width, value in zip(widths, row, strict=True):
            size = 8.5  # a long name gets smaller, never into the next column
            while size > 5 and pdf.get_string_width(value) > width - 2:
                size -= 0.5
                pdf.set_font(FAMILY, "", size)
            pdf.cell(width, 5, value, border="B")
            pdf.set_font(FAMILY, "", 8.5)
        pdf.ln(5)
