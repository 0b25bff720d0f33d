"""A German sentence that remembers how it was made, so that it can be said in English too.

The rules word their reasons and blockers in German: that is what documents print, the audit
keeps and the contract answers by default. `said("DTZ vom {day} unvollständig", day=…)` *is*
that German string (a `str`, equal to it, stored and printed as it is) and also carries its
template, the catalog's message id, and the values put in. The service says it in the caller's
language (`Accept-Language: en`, `inge_tui/server/speech.py`) by translating the template and
each value that is itself `Said`. `pybabel extract -k said` finds the templates
(docs/translation.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

_FIXED: dict[str, Said] = {}  # the templates are the code's literals: a bounded set


class Said(str):
    """The German text of `template` filled with `values`; see the module."""

    template: str
    values: Mapping[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Said:
        if not values:  # a fixed sentence or word: made once, then handed out again
            made = _FIXED.get(template)
            if made is not None:
                return made
        self = super().__new__(cls, template.format_map(values) if values else template)
        self.__dict__.update(template=template, values=values)  # one step: made by the thousand
        if not values:
            _FIXED[template] = self
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the template
        return (_remake, (self.template, dict(self.values)))


def _remake(template: str, values: dict[str, Any]) -> Said:
    return Said(template, **values)


said = Said
"""`said(template, **values)`: `template` (German, a catalog message id) filled with `values`
(the class itself, called directly: the rules make thousands of these per second)."""


def joined(separator: str, parts: Iterable[str]) -> Joined:
    """`separator.join(parts)` that another language joins with its own word ("Hören/Lesen und
    Schreiben" → "Listening/Reading and Writing"): the separator is a message id too."""
    return Joined(separator, tuple(parts))


class Joined(str):
    """Parts joined in German, kept apart for another language; see `joined`."""

    separator: str
    parts: tuple[str, ...]

    def __new__(cls, separator: str, parts: tuple[str, ...]) -> Joined:
        self = super().__new__(cls, separator.join(parts))
        self.separator = separator
        self.parts = parts
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.separator, self.parts))


def in_words(text: Any, gettext: Callable[[str], str]) -> Any:
    """`text` said through `gettext` (a catalog's): a `Said` by its template, each value that
    is `Said` or `Joined` likewise; anything else as it is."""
    if isinstance(text, Joined):
        return gettext(text.separator).join(in_words(p, gettext) for p in text.parts)
    if isinstance(text, Said):
        values = {k: in_words(v, gettext) for k, v in text.values.items()}
        return gettext(text.template).format_map(values)
    return text
