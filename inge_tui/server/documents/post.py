"""What the office posts besides the documents themselves (domain.md A.12).

- `withdrawal_letter`: the letter that tells the participant their Zertifikat was withdrawn
  (Rücknahme, § 48 VwVfG), with the reason, on the same letterhead as the documents.
- `refund_letter_pdf`: the Bescheid on a refund application (§ 9 Abs. 6 IntV): the amount
  and the (masked) account, or the reason for the refusal, and the conditions checked.
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
from zoneinfo import ZoneInfo

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

OFFICE_TIME = ZoneInfo("Europe/Berlin")  # every Regionalstelle keeps German time

KIND_NAMES = {
    "zertifikat": "Zertifikat",
    "bescheinigung": "Bescheinigung",
    "zweitschrift": "Zweitschrift",
    "ruecknahme": "Rücknahmebescheid",
    "erstattung": "Erstattungsbescheid",
}


@dataclass(frozen=True)
class WithdrawalLetter:
    """The withdrawal letter: to whom (the case as it stands now), which document, why."""

    person: DocumentData  # name, address, office; `number` is the letter's own id
    certificate_id: str
    certificate_issued_on: date
    reason: str


def withdrawal_letter(letter: WithdrawalLetter) -> bytes:
    issued = german_date(letter.certificate_issued_on)
    body = (
        "das Bundesamt für Migration und Flüchtlinge nimmt das Ihnen am"
        f" {issued} ausgestellte Zertifikat"
        f" Integrationskurs Nr. {letter.certificate_id} nach § 48 des"
        " Verwaltungsverfahrensgesetzes (VwVfG) zurück.",
        "Begründung: " + letter.reason,
        "Über die Ergebnisse, die Sie in den Abschlusstests tatsächlich erreicht haben,"
        " erhalten Sie eine Bescheinigung (§ 17 Abs. 4 IntV). Bitte senden Sie das"
        " zurückgenommene Zertifikat an die oben genannte Regionalstelle zurück.",
    )
    return _letter(
        _Letter(
            person=letter.person,
            kind="Rücknahmebescheid",
            title="Rücknahme des Zertifikats Integrationskurs",
            subject=f"Ihr Zertifikat Nr. {letter.certificate_id}",
            paragraphs=body,
        )
    )


@dataclass(frozen=True)
class RefundLetter:
    """The Bescheid on a refund application (§ 9 Abs. 6 IntV): granted or refused, why."""

    person: DocumentData  # `number` is the Bescheid's own number (ERB-…)
    received_on: date
    granted: bool
    paid: str  # "1.374,00 €"
    amount: str
    iban_masked: str
    account_holder: str
    conditions: tuple[tuple[str, str, bool | None], ...]  # text, citation, met (None: a note)
    reason: str | None


def refund_letter_pdf(letter: RefundLetter) -> bytes:
    received = german_date(letter.received_on)
    if letter.granted:
        decision = (
            f"auf Ihren Antrag vom {received} erstattet Ihnen das Bundesamt für Migration und"
            f" Flüchtlinge 50 % des von Ihnen gezahlten Kostenbeitrags von {letter.paid}, also"
            f" {letter.amount} (§ 9 Abs. 6 der Integrationskursverordnung, IntV).",
            f"Der Betrag wird auf das Konto von {letter.account_holder} überwiesen, IBAN"
            f" {letter.iban_masked.replace(' ', chr(0xA0))}.",
        )
    else:
        decision = (
            f"Ihren Antrag vom {received} auf Erstattung von 50 % des Kostenbeitrags (§ 9"
            " Abs. 6 der Integrationskursverordnung, IntV) lehnt das Bundesamt für Migration"
            " und Flüchtlinge ab.",
            "Begründung: " + (letter.reason or ""),
        )
    verdicts = {True: "erfüllt: ", False: "nicht erfüllt: ", None: ""}
    checked = tuple(
        f"{verdicts[met]}{text} ({citation})" for text, citation, met in letter.conditions
    )
    remark = ("Anmerkung: " + letter.reason,) if letter.granted and letter.reason else ()
    return _letter(
        _Letter(
            person=letter.person,
            kind="Erstattungsbescheid",
            title="Erstattung des Kostenbeitrags zum Integrationskurs",
            subject=f"Ihr Antrag vom {received} · Bescheid Nr. {letter.person.number}",
            paragraphs=(*decision, *remark, "Geprüft wurde:"),
            listed=checked,
        )
    )


@dataclass(frozen=True)
class _Letter:
    """A letter on the documents' letterhead: title, subject line, paragraphs, a list."""

    person: DocumentData
    kind: str  # the footer's name of the letter: Rücknahmebescheid, Erstattungsbescheid
    title: str
    subject: str
    paragraphs: tuple[str, ...]
    listed: tuple[str, ...] = ()


def _letter(letter: _Letter) -> bytes:
    texts = (*letter.person.printed_texts(), *letter.paragraphs, *letter.listed)
    return render_with(lambda pdf, covered: _LetterPage(pdf, letter, covered).draw(), texts)


class _LetterPage(Page):
    """A letter on the documents' letterhead and address block."""

    def __init__(self, pdf: FPDF, letter: _Letter, covered: frozenset[int]) -> None:
        super().__init__(pdf, letter.person, covered)
        self.letter = letter

    def draw(self) -> None:
        pdf, data, letter = self.pdf, self.data, self.letter
        pdf.set_creation_date(datetime.combine(data.issued_on, time(12, 0), tzinfo=UTC))
        pdf.set_title(f"{letter.kind} {data.number}")
        pdf.set_author("Bundesamt für Migration und Flüchtlinge (Demo, inge-tui)")
        pdf.set_creator("inge-tui")
        pdf.set_lang("de-DE")
        pdf.set_margins(LEFT, 20.0, 20.0)
        pdf.set_auto_page_break(True, margin=24.0)
        pdf.footer_lines = (  # type: ignore[attr-defined]
            self.text(f"{letter.kind} · {data.number} · Seite {{page}}"),
            *DEMO_NOTE,
        )
        pdf.add_page()
        self.letterhead()
        self.address_and_reference()
        pdf.set_xy(LEFT, 80)
        self.font(13, bold=True)
        pdf.cell(WIDTH, 7, letter.title, new_x="LMARGIN", new_y="NEXT")
        self.font(9)
        pdf.cell(WIDTH, 5, self.text(letter.subject), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        self.font(10)
        name = self.text(f"{data.given_name} {data.surname}")
        for paragraph in (f"Guten Tag {name},", *letter.paragraphs):
            self.paragraph(keep_together(self.text(paragraph)), WIDTH, 5.2)
            pdf.ln(2.5)
        if letter.listed:
            self.font(9)
            for item in letter.listed:
                self.paragraph(keep_together("– " + self.text(item)), WIDTH - 4, 4.6, x=LEFT + 4)
                pdf.ln(1)
            pdf.ln(2.5)
            self.font(10)
        for paragraph in (
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
    kind: str  # zertifikat | bescheinigung | zweitschrift | ruecknahme | erstattung
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
    local = as_of.astimezone(OFFICE_TIME)  # the office's clock, not UTC (issue 14)
    pdf.set_margins(LEFT, 20.0, 20.0)
    pdf.set_auto_page_break(True, margin=24.0)
    pdf.footer_lines = (  # type: ignore[attr-defined]
        f"Tagesdruck {office} · Stand {local:%d.%m.%Y %H:%M} Uhr · Seite {{page}}",
        *DEMO_NOTE,
    )
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(WIDTH, 8, f"Tagesdruck – Regionalstelle {office}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(
        WIDTH,
        5,
        f"Stand {local:%d.%m.%Y %H:%M} Uhr · {len(items)} Schriftstücke zum Versand",
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
