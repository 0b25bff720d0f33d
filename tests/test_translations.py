"""The English catalog: every message the code marks is in it and translated, the translations keep
their placeholders, and the compiled `.mo` the app loads says what the `.po` says.

A failure here names the messages; docs/translation.md says how to extract, translate and compile.
"""

from __future__ import annotations

import gettext
import io
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from inge_tui import i18n

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "inge_tui"
PO = i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
MO = PO.with_suffix(".mo")
HOW = "docs/translation.md: extract, update, translate, compile"

MessageId = str | tuple[str, ...]


def extracted() -> set[MessageId]:
    """What `pybabel extract -F babel.cfg -k said -k joined` finds in the code now: the app's
    `_`/`ngettext`/`N_` and the rules' `said`/`joined` (inge_tui/domain/said.py)."""
    with (REPO / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    keywords = {**DEFAULT_KEYWORDS, "said": None, "joined": None}
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map, options_map, keywords=keywords
        )
    }


def catalog() -> Catalog:
    with PO.open("rb") as po:
        return read_po(po, locale="en")


def messages() -> list[Message]:
    return [message for message in catalog() if message.id]


def forms(text: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if text is None:
        return ("",)
    return (text,) if isinstance(text, str) else tuple(text)


def fields(text: str) -> set[str]:
    """The `{name}` fields of a message that is filled with `str.format`."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_catalog_holds_exactly_what_the_code_marks() -> None:
    in_code = extracted()
    in_catalog = {message.id for message in messages()}
    missing = sorted(map(str, in_code - in_catalog))
    stale = sorted(map(str, in_catalog - in_code))
    assert not missing, f"marked in the code, not in the catalog ({HOW}): {missing}"
    assert not stale, f"in the catalog, no longer in the code ({HOW}): {stale}"


def test_every_message_has_an_english_translation() -> None:
    untranslated = [
        message.id
        for message in messages()
        if message.fuzzy or not all(form.strip() for form in forms(message.string))
    ]
    assert not untranslated, f"no English (or fuzzy) for ({HOW}): {untranslated}"


def test_translations_keep_the_placeholders() -> None:
    wrong = []
    for message in messages():
        wanted = set().union(*(fields(form) for form in forms(message.id)))
        for form in forms(message.string):
            if fields(form) != wanted:
                wrong.append((message.id, form))
    assert not wrong, f"placeholders differ from the German: {wrong}"


def test_the_compiled_catalog_says_what_the_po_says() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog())
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with MO.open("rb") as mo:
        shipped = gettext.GNUTranslations(mo)
    assert shipped._catalog == expected._catalog, (  # type: ignore[attr-defined]
        f"{MO.name} is older than {PO.name}: uv run pybabel compile -d inge_tui/locale -D inge_tui"
    )


def test_german_is_the_code_and_english_the_catalog() -> None:
    some = next(m for m in messages() if isinstance(m.id, str) and m.string != m.id)
    try:
        assert i18n.language() == "de"
        assert i18n._(some.id) == some.id
        i18n.set_language("en")
        assert i18n._(some.id) == some.string != some.id
    finally:
        i18n.set_language("de")
    assert i18n._(some.id) == some.id


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        i18n.set_language("fr")
