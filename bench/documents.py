"""CPU per PDF: a Zertifikat with a Latin name (the reference) against the same document with
an Arabic name, which HarfBuzz shapes (fpdf2's `set_text_shaping`).

    uv run python bench/documents.py            # 50 documents each
    uv run python bench/documents.py -n 200

Interleaved rounds, so both see the same machine; prints the median CPU milliseconds per
document of each and their ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from datetime import date

from inge_tui.server.documents import DocumentData, render_pdf

LATIN = DocumentData(
    kind="zertifikat",
    number="ZIK-2026-0000001",
    issued_on=date(2026, 3, 14),
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
    dtz_exam_date=date(2026, 1, 18),
    dtz_source="webservice",
    alt_b1=None,
    lid_points=29,
    lid_exam_date=date(2026, 1, 25),
    lid_passed=True,
    lid_naturalisation=True,
)
ARABIC = dataclasses.replace(
    LATIN,
    surname="الحسن",
    given_name="مُحَمَّد علي",
    address_lines=("شارع السلام 5", "10999 Berlin"),
)


def cpu_ms(data: DocumentData, number: int) -> float:
    start = time.process_time()
    render_pdf(dataclasses.replace(data, number=f"ZIK-2026-{number:07d}"))
    return (time.process_time() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="documents of each kind")
    args = parser.parse_args()
    render_pdf(LATIN), render_pdf(ARABIC)  # fonts parsed, caches warm
    latin: list[float] = []
    arabic: list[float] = []
    for i in range(args.n):
        latin.append(cpu_ms(LATIN, 2 * i))
        arabic.append(cpu_ms(ARABIC, 2 * i + 1))
    reference, shaped = statistics.median(latin), statistics.median(arabic)
    print(f"Latin name (reference, not shaped): {reference:.1f} ms CPU per PDF")
    print(f"Arabic name (HarfBuzz shaping):     {shaped:.1f} ms CPU per PDF")
    print(f"ratio: {shaped / reference:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
