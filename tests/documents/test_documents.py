"""The Zertifikat and the Bescheinigung as PDF: what § 17 Abs. 4 IntV requires is on the page,
names of every origin survive, the page is A4, and the same data gives the same bytes."""

from __future__ import annotations

import dataclasses
import io
import logging
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from inge_tui.server.documents import DocumentData, render_pdf
from inge_tui.server.documents import render as documents
from inge_tui.server.documents.layout import DOCUMENT_TYPES
from inge_tui.server.documents.text import needs_shaping, printable

ZERTIFIKAT = DocumentData(
    kind="zertifikat",
    number="ZIK-2025-BER-000042",
    issued_on=date(2025, 3, 14),
    surname="Yılmaz",
    given_name="Şükrü İlhan",
    birth_date=date(1988, 7, 3),
    document_type="reisepass",
    document_number="U12345678",
    address_lines=("Oranienstraße 17", "10999 Berlin"),
    participant_id="TN-100000042",
    office_code="RS-BER",
    office_name="Regionalstelle Berlin",
    dtz_parts=(
        ("Hören/Lesen", 38, 45, "B1"),
        ("Schreiben", 15, 20, "B1"),
        ("Sprechen", 80.5, 100, "B1"),
    ),
    dtz_overall="B1",
    dtz_exam_date=date(2025, 1, 18),
    dtz_source="webservice",
    alt_b1=None,
    lid_points=29,
    lid_exam_date=date(2025, 1, 25),
    lid_passed=True,
    lid_naturalisation=True,
)
BESCHEINIGUNG = dataclasses.replace(
    ZERTIFIKAT,
    kind="bescheinigung",
    number="BES-2025-NBG-000007",
    surname="Nguyễn",
    given_name="Thị Thu Hương",
    birth_date=date(1979, 11, 30),
    document_type="passersatz",
    document_number="P0098812",
    address_lines=("Fürther Straße 212", "90429 Nürnberg"),
    participant_id="TN-100000007",
    office_code="RS-NBG",
    office_name="Regionalstelle Nürnberg",
    dtz_parts=(
        ("Hören/Lesen", 19, 45, "unter_A2"),
        ("Schreiben", 14, 20, "A2"),
        ("Sprechen", 74.5, 100, "A2"),
    ),
    dtz_overall="A2",
    dtz_source="paper",
    lid_points=14,
    lid_passed=False,
    lid_naturalisation=False,
)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text.replace("\u00a0", " "))


@pytest.mark.parametrize("data", [ZERTIFIKAT, BESCHEINIGUNG], ids=["zertifikat", "bescheinigung"])
def test_the_page_carries_what_section_17_requires(data: DocumentData) -> None:
    text = pdf_text(render_pdf(data))
    for expected in (
        data.surname,
        data.given_name,
        data.birth_date.strftime("%d.%m.%Y"),
        data.document_number,
        data.number,
        data.participant_id,
        data.office_name,
        data.office_code,
        data.issued_on.strftime("%d.%m.%Y"),
        *data.address_lines,
        "Demo-Dokument von inge-tui mit synthetischen Daten",
    ):
        assert expected in text
    assert DOCUMENT_TYPES[data.document_type] in text


def test_zertifikat_shows_the_results() -> None:
    text = pdf_text(render_pdf(ZERTIFIKAT))
    assert "Zertifikat Integrationskurs" in text
    for label, points, maximum in (("Hören/Lesen", "38", "45"), ("Schreiben", "15", "20")):
        assert f"{label} {points} {maximum} B1" in text
    assert "Sprechen 80,5 100 B1" in text
    assert "Gesamtergebnis B1" in text
    assert "Leben in Deutschland 29 33 bestanden" in text
    assert "Einbürgerungstests" in text
    assert "18.01.2025" in text and "25.01.2025" in text


def test_bescheinigung_shows_the_results_actually_reached() -> None:
    text = pdf_text(render_pdf(BESCHEINIGUNG))
    assert "Bescheinigung" in text
    assert "tatsächlich erreichte Ergebnis" in text
    assert "Hören/Lesen 19 45 unter A2" in text
    assert "Sprechen 74,5 100 A2" in text
    assert "Leben in Deutschland 14 33 nicht bestanden" in text
    assert "Einbürgerungstests" not in text
    assert "Papiernachweis" in text


def test_alternative_b1_proof_instead_of_dtz() -> None:
    data = dataclasses.replace(
        ZERTIFIKAT,
        dtz_parts=(),
        dtz_overall=None,
        dtz_exam_date=None,
        dtz_source=None,
        alt_b1="telc Deutsch B1, ausgestellt am 02.05.2024, vorgelegt am 15.06.2024",
    )
    text = pdf_text(render_pdf(data))
    assert "Nachweis der Deutschkenntnisse" in text
    assert "telc Deutsch B1" in text
    assert "Prüfungsteil" not in text


def test_missing_results_are_said_not_left_blank() -> None:
    data = dataclasses.replace(
        BESCHEINIGUNG, dtz_parts=(), dtz_overall=None, lid_points=None, lid_exam_date=None
    )
    text = pdf_text(render_pdf(data))
    assert "Ein Ergebnis des Deutsch-Tests für Zuwanderer liegt nicht vor." in text
    assert "Ein Ergebnis des Tests „Leben in Deutschland“ liegt nicht vor." in text


@pytest.mark.parametrize("data", [ZERTIFIKAT, BESCHEINIGUNG], ids=["zertifikat", "bescheinigung"])
def test_one_a4_page(data: DocumentData) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


LONGEST_NAMES = (
    ("Abdelrahman-Al-Mansouri-Van-der-Berghe", "Maria-Anastasia Fatima-Zahra Nguyễn Thị"),
    ("عبد الرحمن المنصوري الحسيني", "فاطمة الزهراء مُحَمَّد"),
    ("Παπαδοπούλου-Κωνσταντινίδου", "Αικατερίνη-Ελευθερία"),
    ("Константинопольская-Рождественская", "Александра-Екатерина"),
    ("Nguyễn-Trần-Hoàng-Phạm", "Thị Thu Hương Ngọc Diễm"),
)


@pytest.mark.parametrize(("surname", "given_name"), LONGEST_NAMES)
@pytest.mark.parametrize("data", [ZERTIFIKAT, BESCHEINIGUNG], ids=["zertifikat", "bescheinigung"])
def test_the_fullest_document_is_one_page(
    data: DocumentData, surname: str, given_name: str
) -> None:
    """Long names in every script the demo uses, the longest address, the DTZ and an
    alternative proof, the naturalisation note: still one page with its signature block."""
    fullest = dataclasses.replace(
        data,
        surname=surname,
        given_name=given_name,
        address_lines=(
            "c/o Gemeinschaftsunterkunft Am Sportplatz, Haus B, 3. Obergeschoss links",
            "Hauptstraße der Bundesrepublik Deutschland 123a, Hinterhaus",
            "60528 Frankfurt am Main-Niederrad-Goldsteinsiedlung",
        ),
        alt_b1="Goethe-Zertifikat B1 (Zertifikat Deutsch, B1, 01.11.2024)",
        lid_naturalisation=True,
    )
    reader = PdfReader(io.BytesIO(render_pdf(fullest)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\u00a0", " ")
    assert "Im Auftrag" in text and "Seite 1 von 1" in text


def test_same_data_same_bytes_other_data_other_bytes() -> None:
    first = render_pdf(ZERTIFIKAT)
    assert render_pdf(ZERTIFIKAT) == first
    assert render_pdf(dataclasses.replace(ZERTIFIKAT, number="ZIK-2025-BER-000043")) != first
    assert b"D:20250314120000Z" in first  # the creation date is the issue date


def test_cached_font_draws_the_same_page_as_a_fresh_font(monkeypatch: pytest.MonkeyPatch) -> None:
    # The embedded font files differ only in their bounding boxes (not recomputed when cloned).
    cached = PdfReader(io.BytesIO(render_pdf(BESCHEINIGUNG))).pages[0]
    fresh_fonts = documents._Fonts()
    fresh_fonts.cloning = False
    monkeypatch.setattr(documents, "_fonts", lambda: fresh_fonts)
    fresh = PdfReader(io.BytesIO(render_pdf(BESCHEINIGUNG))).pages[0]
    assert cached.get_contents().get_data() == fresh.get_contents().get_data()
    assert cached.extract_text() == fresh.extract_text()


def test_parallel_rendering_is_safe() -> None:
    variants = [dataclasses.replace(ZERTIFIKAT, surname=f"Kowalczyk-{i}ść") for i in range(8)]
    serial = [render_pdf(v) for v in variants]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(render_pdf, variants)) == serial


NAMES = [
    ("Şahin", "Ağça İğdır"),  # Turkish
    ("Wiśniewska-Łęcka", "Małgorzata"),  # Polish
    ("Ștefănescu", " Țîrlea Ăurel"),  # Romanian with comma below
    ("Øvergård", "Søren Åse"),  # Norwegian
    ("Muñoz Peña", "Begoña"),  # Spanish
    ("Dvořák", "Jiří"),  # Czech
    ("Kővári", "Győző"),  # Hungarian
    ("Þórsdóttir", "Guðrún"),  # Icelandic
    ("Trần", "Thị Ngọc Ánh"),  # Vietnamese
    ("Шевченко", "Олександра"),  # Ukrainian
    ("Παπαδόπουλος", "Ἀλέξανδρος"),  # Greek, with a Greek Extended letter
    ("Nguye\u0302\u0303n", "Đa\u0323t"),  # decomposed input: combining marks
]


@pytest.mark.parametrize(("surname", "given_name"), NAMES)
def test_names_of_every_origin_round_trip(surname: str, given_name: str) -> None:
    text = pdf_text(
        render_pdf(dataclasses.replace(ZERTIFIKAT, surname=surname, given_name=given_name))
    )
    assert unicodedata.normalize("NFC", surname) in text
    assert unicodedata.normalize("NFC", given_name) in text
    assert "\ufffd" not in text


def _outline(glyph_set: Any, glyf: Any, name: str) -> tuple[Any, ...]:
    coordinates, ends, _ = glyf[name].getCoordinates(glyf)
    return (tuple(coordinates), tuple(ends), glyph_set[name].width)


def embedded_glyphs(pdf: bytes, face: str) -> set[str]:
    """The names (in the shipped font) of the glyphs the PDF embeds of `face`, matched by
    outline: the embedded subset renames its glyphs."""
    source = TTFont(documents.FONT_DIR / f"{face}.ttf")
    by_outline: dict[tuple[Any, ...], set[str]] = {}
    for name in source.getGlyphOrder():
        key = _outline(source.getGlyphSet(), source["glyf"], name)
        by_outline.setdefault(key, set()).add(name)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    names: set[str] = set()
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        if ("Bold" in str(font["/BaseFont"])) != face.endswith("-Bold"):
            continue
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_data()))
        for name in embedded.getGlyphOrder():
            key = _outline(embedded.getGlyphSet(), embedded["glyf"], name)
            names |= by_outline.get(key, set())
    return names


def test_arabic_names_are_joined_and_copy_as_written() -> None:
    data = dataclasses.replace(ZERTIFIKAT, surname="الحسن", given_name="محمد علي")
    pdf = render_pdf(data)
    text = pdf_text(pdf)
    assert "الحسن" in text and "محمد علي" in text  # search and copy find the name as written
    bold = embedded_glyphs(pdf, "DejaVuSans-Bold")  # the table prints the names in bold
    # HarfBuzz picked the joined forms: meem initial and medial, hah medial, dal final ...
    assert {"uniFEE3", "uniFEE4", "uniFEA4", "uniFEAA"} <= bold
    # ... and no letter of "محمد" stands in its unjoined form
    assert not {"uni0645", "uni062D", "uni062F"} & bold


def test_only_right_to_left_text_and_combining_marks_need_shaping() -> None:
    assert not needs_shaping(ZERTIFIKAT.printed_texts())
    assert not needs_shaping(["Nguye\u0302\u0303n"])  # NFC makes it one precomposed letter
    assert needs_shaping(["Ali محمد"])
    assert needs_shaping(["q\u0323"])  # a mark with no precomposed letter for it


def test_unprintable_characters_are_replaced_and_logged_without_the_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = dataclasses.replace(BESCHEINIGUNG, surname="王", given_name="ሰላም")
    with caplog.at_level(logging.WARNING):
        text = pdf_text(render_pdf(data))
    assert "\ufffd" in text
    assert "U+738B" in caplog.text
    assert "王" not in caplog.text and "ሰላም" not in caplog.text


def test_printable_decomposes_a_missing_precomposed_letter() -> None:
    covered = frozenset(map(ord, "A Α\u0313"))
    assert printable("\u1f08", covered) == "Α\u0313"
    assert printable("A\tA", covered) == "A A"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        render_pdf(dataclasses.replace(ZERTIFIKAT, kind="urkunde"))


def test_importing_the_module_does_not_load_fpdf() -> None:
    code = "import sys, inge_tui.server.documents; print('fpdf' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
