"""Make any name printable with the embedded font: normalise, flag missing glyphs, order RTL.

fpdf2 draws glyphs in the order it is given them and, without the optional HarfBuzz binding,
does no shaping. Latin, Greek and Cyrillic need nothing more than NFC (Vietnamese and other
decomposed input become the precomposed letters the font has). Arabic needs contextual letter
forms and right-to-left order: we pick the Unicode presentation forms (which the embedded DejaVu
subset carries) from the letters' joining behaviour, join lam + alef into their ligature, and
reverse right-to-left runs into visual order. That is how many non-shaping systems print Arabic
names; it reads correctly for names, though it is no full OpenType shaper.

A precomposed letter the font lacks is drawn as its base letter and combining marks when the font
has those. Any other character the font does not have is replaced by U+FFFD and logged by code
point (never the name: names are personal data), so nothing disappears silently.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

LOGGER = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"
_RTL_CLASSES = frozenset({"R", "AL"})
_LAM = 0x644
_ALEFS = frozenset({0x622, 0x623, 0x625, 0x627})
_FORMS = ("isolated", "final", "initial", "medial")


@lru_cache(maxsize=1)
def _presentation_forms() -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    """Letter -> {form: presentation character}, and alef -> {form: lam-alef ligature}."""
    letters: dict[int, dict[str, str]] = {}
    lam_alef: dict[int, dict[str, str]] = {}
    for cp in chain(range(0xFB50, 0xFE00), range(0xFE70, 0xFF00)):
        tag, _, codes = unicodedata.decomposition(chr(cp)).partition(" ")
        form = tag.strip("<>")
        if form not in _FORMS:
            continue
        bases = [int(code, 16) for code in codes.split()]
        if len(bases) == 1:
            letters.setdefault(bases[0], {}).setdefault(form, chr(cp))
        elif len(bases) == 2 and bases[0] == _LAM and bases[1] in _ALEFS:
            lam_alef.setdefault(bases[1], {}).setdefault(form, chr(cp))
    return letters, lam_alef


def _joining_type(char: str, letters: dict[int, dict[str, str]]) -> str:
    """D (joins both sides), R (joins the previous letter only), C (tatweel, ZWJ), T, or U."""
    if unicodedata.category(char) in ("Mn", "Me"):
        return "T"
    if char in ("\u0640", "\u200d"):
        return "C"
    forms = letters.get(ord(char))
    if not forms:
        return "U"
    if "initial" in forms or "medial" in forms:
        return "D"
    return "R" if "final" in forms else "U"


def shape_arabic(text: str, covered: frozenset[int] | None = None) -> str:
    """Replace Arabic letters by their contextual presentation forms (logical order kept)."""
    letters, lam_alef = _presentation_forms()
    types = [_joining_type(char, letters) for char in text]
    size = len(text)

    def neighbour(index: int, step: int) -> str:
        index += step
        while 0 <= index < size and types[index] == "T":
            index += step
        return types[index] if 0 <= index < size else "U"

    def pick(forms: dict[str, str], form: str, fallback: str) -> str:
        for candidate in (form, "isolated"):
            char = forms.get(candidate)
            if char and (covered is None or ord(char) in covered):
                return char
        return fallback

    out: list[str] = []
    index = 0
    while index < size:
        char, kind = text[index], types[index]
        if kind not in ("D", "R"):
            out.append(char)
            index += 1
            continue
        joins_prev = neighbour(index, -1) in ("D", "C")
        following = text[index + 1] if index + 1 < size else ""
        if ord(char) == _LAM and following and ord(following) in lam_alef:
            form = "final" if joins_prev else "isolated"
            ligature = pick(lam_alef[ord(following)], form, "")
            if ligature:
                out.append(ligature)
                index += 2
                continue
        joins_next = kind == "D" and neighbour(index, 1) in ("D", "R", "C")
        if joins_prev and joins_next:
            form = "medial"
        elif joins_prev:
            form = "final"
        else:
            form = "initial" if joins_next else "isolated"
        out.append(pick(letters[ord(char)], form, char))
        index += 1
    return "".join(out)


def _clusters(text: str) -> list[str]:
    """Base characters with the combining marks that follow them."""
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.category(char) in ("Mn", "Me"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _direction(cluster: str) -> str:
    kind = unicodedata.bidirectional(cluster[0])
    if kind in _RTL_CLASSES:
        return "R"
    return "L" if kind in ("L", "EN", "AN") else "N"


def visual_order(text: str) -> str:
    """Right-to-left runs reversed for left-to-right drawing (a small subset of UAX #9).

    The paragraph direction is that of the first strong character; a neutral character (space,
    punctuation) takes the direction of its neighbours when they agree, else the paragraph's.
    """
    clusters = _clusters(text)
    directions = [_direction(cluster) for cluster in clusters]
    strong = [d for d in directions if d != "N"]
    if "R" not in strong:
        return text
    paragraph = strong[0]
    resolved: list[str] = []
    for index, direction in enumerate(directions):
        if direction == "N":
            before = next((d for d in reversed(directions[:index]) if d != "N"), paragraph)
            after = next((d for d in directions[index + 1 :] if d != "N"), paragraph)
            direction = before if before == after else paragraph
        resolved.append(direction)
    runs: list[tuple[str, list[str]]] = []
    for cluster, direction in zip(clusters, resolved, strict=True):
        if runs and runs[-1][0] == direction:
            runs[-1][1].append(cluster)
        else:
            runs.append((direction, [cluster]))
    pieces = ["".join(reversed(c)) if d == "R" else "".join(c) for d, c in runs]
    return "".join(reversed(pieces) if paragraph == "R" else pieces)


def needs_bidi(text: str) -> bool:
    """True when the text holds a right-to-left letter."""
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


def printable(text: str, covered: frozenset[int]) -> str:
    """NFC, controls as spaces, missing glyphs as U+FFFD (logged), right-to-left shaped."""
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
    if needs_bidi(text):
        text = visual_order(shape_arabic(text, covered))
    return text


def _decomposed_if_missing(char: str, covered: frozenset[int]) -> str:
    """A precomposed letter the font lacks, as base letter + combining marks if it has those."""
    if ord(char) in covered:
        return char
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed if all(ord(part) in covered for part in decomposed) else char


def _code_points(code_points: Iterable[int]) -> str:
    return ", ".join(f"U+{cp:04X}" for cp in code_points)
