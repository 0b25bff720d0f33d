"""The interface's language: German, the strings in the code, or English from a gettext catalog.

The code's German strings are the message ids, so German needs no catalog and reads exactly as
written. English is `locale/en/LC_MESSAGES/inge_tui.mo`, compiled from the `.po` beside it
(docs/translation.md says how to extract, translate and compile). Documents are German official
documents and are never translated. The service words its reasons and refusals in the
language the app asks for (`Accept-Language`, `inge_tui/server/speech.py`).

One language per process, like the locale: the app sets it at start from `[app] language` or
the profile's, before its first screen draws. A string that exists before that (a binding's
label, a command's title, a table of words) is marked with `N_` where it is written and passed
through `_` where it is shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from inge_tui.domain.said import in_words

LANGUAGES = ("de", "en")
DEFAULT = "de"
DOMAIN = "inge_tui"
LOCALE_DIR = Path(__file__).parent / "locale"

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def catalog(language: str) -> gettext.NullTranslations:
    """The messages of `language`: none for German (the code's strings), the catalog else;
    the app's language and each answer of the service (`server/speech.py`) read it."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])  # cached by gettext


def set_language(language: str) -> None:
    """Show the interface in `language` ("de" or "en") from now on."""
    global _active, _language
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _active = catalog(language)
    _language = language


def language() -> str:
    """The language the interface speaks now."""
    return _language


def _(message: str) -> str:
    """`message` (German) in the interface's language."""
    return _active.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a German message, in the interface's language."""
    return _active.ngettext(singular, plural, n)


def number(value: int) -> str:
    """`1204` as the interface writes it: "1.204" in German, "1,204" in English."""
    written = f"{value:,}"
    return written.replace(",", ".") if _language == "de" else written


def pgettext(context: str, message: str) -> str:
    """`message` in the interface's language as said in `context`: for a German word that needs
    another English one in one place (a short name on a narrow line, say)."""
    return _active.pgettext(context, message)


def spoken(text: str) -> str:
    """A text the rules made with `said` (inge_tui/domain/said.py) in the interface's language;
    any other text as it is."""
    if _language == DEFAULT:  # the text is the German already: nothing to make again
        return str(text)
    return str(in_words(text, _active.gettext))


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it: it is shown later, through `_`."""
    return message
