"""The Zertifikat Integrationskurs and the Bescheinigung as PDF (§ 17 Abs. 4 IntV).

`render_pdf(DocumentData)` gives the PDF bytes of one document; `layout` draws the page and
`text` makes every name printable. fpdf2 loads on the first call only, so importing
this module stays cheap.

The font is the DejaVu Sans subset shipped in `fonts/` (a new machine may have no fonts at all);
each PDF embeds only the glyphs it uses. A document with a right-to-left name or a combining mark
is shaped by HarfBuzz (fpdf2's `set_text_shaping`): Arabic joins, right-to-left runs read right to
left, marks sit on their letters; the others need no shaping and skip its cost. The parsed font
and its HarfBuzz face are made once per process and each new document gets a copy of the
metrics, which leaves only the shaping and fpdf2's per-document subsetting to pay.
The same data gives the same bytes: the creation date is `issued_on` (12:00 UTC) and the file
id is a hash of the content.
"""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inge_tui.server.documents.data import DocumentData
from inge_tui.server.documents.layout import FAMILY, KIND_TITLES, Page, draw_footer
from inge_tui.server.documents.text import needs_shaping

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
_RENDER_LOCK = threading.Lock()
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def render_pdf(data: DocumentData) -> bytes:
    """The document as PDF bytes; the same data always gives the same bytes."""
    if data.kind not in KIND_TITLES:
        raise ValueError(f"unknown document kind {data.kind!r}")
    return render_with(lambda pdf, covered: Page(pdf, data, covered).draw(), data.printed_texts())


def render_with(draw: Callable[[FPDF, frozenset[int]], None], texts: Iterable[str]) -> bytes:
    """A new A4 document with our fonts and footer, drawn by `draw(pdf, covered code points)`;
    shaped when one of `texts` needs it."""
    # One document at a time: fpdf2 clears class-level glyph caches on output, and the font
    # cache and the line-break cache are shared. Rendering is CPU-bound, so nothing is lost.
    with _RENDER_LOCK:
        fonts = _fonts()
        pdf = _document_class()(orientation="portrait", unit="mm", format="A4")
        fonts.install(pdf)
        if needs_shaping(texts):
            pdf.set_text_shaping(use_shaping_engine=True)
        draw(pdf, fonts.covered)
        return bytes(pdf.output())


class _Fonts:
    """The two DejaVu faces parsed once; each document gets a cheap copy of the parsed metrics."""

    def __init__(self) -> None:
        from fpdf import FPDF

        probe = FPDF()
        for style, name in _FONT_FILES.items():
            probe.add_font(FAMILY, style, str(FONT_DIR / name))
        self.prototypes: dict[str, Any] = dict(probe.fonts)
        self.files = {key: _without_layout(Path(font.ttffile)) for key, font in probe.fonts.items()}
        cmaps = [set(font.cmap) for font in self.prototypes.values()]
        self.covered = frozenset(set.intersection(*cmaps))
        for prototype in self.prototypes.values():
            _ = prototype.hbfont  # the HarfBuzz face, built once and shared by every copy
        self.cloning = True

    def install(self, pdf: FPDF) -> None:
        """Add the faces to a new document, from the cache when this fpdf2 allows it."""
        if self.cloning:
            try:
                for key, prototype in self.prototypes.items():
                    pdf.fonts[key] = self._clone(prototype)
                return
            except (AttributeError, TypeError, ImportError):  # fpdf2 internals changed
                self.cloning = False
                pdf.fonts.clear()
        for style, name in _FONT_FILES.items():
            pdf.add_font(FAMILY, style, str(FONT_DIR / name))

    def _clone(self, prototype: Any) -> Any:
        # Metrics, cmap and widths are read-only and shared. fpdf2 subsets the fontTools object
        # in place at output, so every document needs its own, opened lazily from memory.
        from fontTools import ttLib
        from fpdf.fonts import SubsetMap

        clone = copy.copy(prototype)
        clone.ttfont = ttLib.TTFont(
            io.BytesIO(self.files[prototype.fontkey]),
            recalcTimestamp=False,
            recalcBBoxes=False,
            lazy=True,
        )
        clone.missing_glyphs = []
        clone.biggest_size_pt = 0
        clone.subset = SubsetMap(clone)
        return clone


def _without_layout(path: Path) -> bytes:
    """The font file without its OpenType layout tables, for fpdf2 to subset: HarfBuzz shapes
    from the full file, and fpdf2 drops these tables from every embedded subset anyway, but
    fontTools would still read them on every document (7 ms each, measured)."""
    from fontTools import ttLib

    font = ttLib.TTFont(path, recalcTimestamp=False, recalcBBoxes=False)
    for tag in ("GSUB", "GPOS", "GDEF"):
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    return _Fonts()


@lru_cache(maxsize=1)
def _document_class() -> type[FPDF]:
    from fpdf import FPDF

    class _Document(FPDF):
        """An FPDF whose every page gets our footer."""

        footer_lines: tuple[str, ...] = ()

        def footer(self) -> None:
            draw_footer(self, self.footer_lines)

    return _Document
