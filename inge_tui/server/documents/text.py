"""Make any name printable with the embedded font: normalise, and flag missing glyphs.

Shaping and direction are fpdf2's (`set_text_shaping`, HarfBuzz through uharfbuzz): Arabic gets
its joined letter forms and ligatures from the font's own GSUB table, right-to-left runs are
ordered by fpdf2's Unicode bidi algorithm, and combining marks are placed by GPOS. What is left
here is what no shaper does: NFC (Vietnamese and other decomposed input become the precomposed
letters the font has), control characters as spaces, and a precomposed letter the font lacks
drawn as its base letter and combining marks when the font has those.

Any other character the font does not have is replaced by U+FFFD and logged by code point
(never the name: names are personal data), so nothing disappears silently.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

LOGGER = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"
_RTL_CLASSES = frozenset({"R", "AL", "AN"})
_MARKS = frozenset({"Mn", "Mc", "Me"})


def needs_shaping(texts: Iterable[str]) -> bool:
    """True when a text holds a right-to-left letter or a combining mark (after NFC): then the
    document is shaped; Latin, Greek and Cyrillic in precomposed letters draw right without it,
    at half the cost (29 instead of 60 ms of CPU per document, `bench/documents.py`)."""
    return any(
        unicodedata.bidirectional(char) in _RTL_CLASSES or unicodedata.category(char) in _MARKS
        for text in texts
        for char in unicodedata.normalize("NFC", text)
    )


def printable(text: str, covered: frozenset[int]) -> str:
    """NFC, controls as spaces, missing glyphs as U+FFFD (logged); fpdf2 shapes the rest."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    # Invisible format characters (LRM, ZWNJ …) the font lacks draw nothing anyway.
    text = "".join(c for c in text if ord(c) in covered or unicodedata.category(c) != "Cf")
    text = "".join(_decomposed_if_missing(char, covered) for char in text)
    missing = sorted({ord(char) for char in text if ord(char) not in covered})
    if missing:
        LOGGER.warning(
            "PDF font lacks %d character(s), printed as U+FFFD: %s",
            len(missing),
            _code_points(missing),
        )
        text = "".join(char if ord(char) in covered else REPLACEMENT for char in text)
    return text


def _decomposed_if_missing(char: str, covered: frozenset[int]) -> str:
    """A precomposed letter the font lacks, as base letter + combining marks if it has those."""
    if ord(char) in covered:
        return char
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed if all(ord(part) in covered for part in decomposed) else char


def _code_points(code_points: Iterable[int]) -> str:
    return ", ".join(f"U+{cp:04X}" for cp in code_points)
