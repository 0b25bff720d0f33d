"""The Postkorb filter line: `status:offen kind:abschluss blockiert:nein alter>30 sort:alt Müller`.

`parse_query` turns what a caseworker types into a `PostboxQuery`; `format_query` writes a query
back in the same syntax (for the filter line and saved views). Words of the form `key:value` or
`key>number` are filters; every other word is free text, searched as a prefix of the name or the
participant id (`q`). Mistakes raise `QueryError` with a message in the interface's language
that names the nearest key or value (the filter words stay German). Without a `status:` word
the line asks for the work still to do (`aktiv`: `offen` and `in_bearbeitung`), so a decided
entry leaves the list; `status:alle` shows every entry. Pure: no I/O, no Textual.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from typing import Any

from inge_tui.api.client import ACTIVE, PostboxQuery
from inge_tui.i18n import _

__all__ = ["KEYS", "QueryError", "QueryKey", "format_query", "parse_query", "parse_sort"]


class QueryError(ValueError):
    """A filter that cannot be read; `str(error)` is the sentence to show (the filter words
    themselves stay German in every language)."""

    def __init__(self, message: str, word: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.word = word


@dataclass(frozen=True)
class QueryKey:
    """One filter key: the field of `PostboxQuery` it sets and the values it accepts."""

    name: str
    field: str
    help: str
    values: dict[str, object]  # what may be typed -> the value sent to the service
    numeric: bool = False


_YES_NO: dict[str, object] = {"ja": True, "nein": False}
_YES_NO_ENGLISH = {"yes": "ja", "no": "nein"}  # what an English screen suggests (mine:yes)
_SORTS: dict[str, object] = {
    "neu": "newest",
    "neueste": "newest",
    "newest": "newest",
    "alt": "oldest",
    "älteste": "oldest",
    "aelteste": "oldest",
    "oldest": "oldest",
}

KEYS: tuple[QueryKey, ...] = (
    QueryKey(
        "status",
        "status",
        "Bearbeitungsstand",
        {
            "aktiv": ACTIVE,
            "alle": None,
            "offen": "offen",
            "in_bearbeitung": "in_bearbeitung",
            "bearbeitung": "in_bearbeitung",
            "erledigt": "erledigt",
        },
    ),
    QueryKey(
        "kind",
        "kind",
        "Art des Eintrags",
        {
            "abschluss": "abschluss",
            "wiederholung": "wiederholung",
            "wdh": "wiederholung",
            "erstattung": "erstattung",
            "erst": "erstattung",
        },
    ),
    QueryKey("blockiert", "blocked", "Hindernisse vorhanden", _YES_NO),
    QueryKey("alter", "older_than_days", "älter als so viele Tage (alter>30)", {}, numeric=True),
    QueryKey(
        "dokument",
        "document",
        "zu erwartendes Dokument",
        {"zertifikat": "zertifikat", "bescheinigung": "bescheinigung", "keins": "keins"},
    ),
    QueryKey(
        "wartet",
        "awaiting",
        "wartet auf die Freigabe der Leitung (Vier Augen)",
        {"freigabe": "freigabe"},
    ),
    QueryKey("angefordert", "requested", "Daten beim Kursträger angefordert", _YES_NO),
    QueryKey("ueberfaellig", "overdue", "Frist einer Datenanforderung überschritten", _YES_NO),
    QueryKey("meine", "mine", "von mir übernommen (ja) oder nicht (nein)", _YES_NO),
    QueryKey("sort", "sort", "Reihenfolge nach Eingang", _SORTS),
)
_BY_NAME = {key.name: key for key in KEYS}
_ALIASES = {"art": "kind", "typ": "kind", "blocked": "blockiert", "document": "dokument",
            "age": "alter", "sortierung": "sort", "awaiting": "wartet",
            "überfällig": "ueberfaellig", "requested": "angefordert",
            "overdue": "ueberfaellig", "mine": "meine", "meins": "meine"}  # fmt: skip
_CANONICAL: dict[str, dict[Any, str]] = {  # what format_query writes for each service value
    "status": {
        ACTIVE: ACTIVE,
        None: "alle",
        "offen": "offen",
        "in_bearbeitung": "in_bearbeitung",
        "erledigt": "erledigt",
    },
    "sort": {"newest": "neu", "oldest": "alt"},
    "blockiert": {True: "ja", False: "nein"},
    "angefordert": {True: "ja", False: "nein"},
    "ueberfaellig": {True: "ja", False: "nein"},
}
_FILTER_WORD = re.compile(r"^(?P<key>[^\W\d][\w-]*)(?P<op>:|>=|<=|>|<|=)(?P<value>.*)$")


def _nearest(word: str, candidates: list[str]) -> str | None:
    matches = difflib.get_close_matches(word.lower(), candidates, n=1, cutoff=0.5)
    return matches[0] if matches else None


def _key(name: str, word: str) -> QueryKey:
    lowered = name.lower()
    found = _BY_NAME.get(_ALIASES.get(lowered, lowered))
    if found is not None:
        return found
    nearest = _nearest(lowered, [*_BY_NAME, *_ALIASES])
    nearest = _ALIASES.get(nearest, nearest) if nearest else None
    known = ", ".join(_BY_NAME)
    if nearest:
        said = _("Unbekannter Filter „{name}“ – meinten Sie „{nearest}“? (möglich: {known})")
    else:
        said = _("Unbekannter Filter „{name}“ (möglich: {known})")
    raise QueryError(said.format(name=name, nearest=nearest, known=known), word)


def _value(key: QueryKey, op: str, raw: str, word: str) -> object:
    if key.numeric:
        if op not in (">", ">="):
            said = _("„{word}“: {key} nur mit > angeben, z. B. {key}>30 (älter als 30 Tage)")
            raise QueryError(said.format(word=word, key=key.name), word)
        try:
            days = int(raw)
        except ValueError:
            said = _("„{word}“: nach {key}> eine ganze Zahl (Tage) angeben")
            raise QueryError(said.format(word=word, key=key.name), word) from None
        if days < 0:
            said = _("„{word}“: die Zahl der Tage darf nicht negativ sein")
            raise QueryError(said.format(word=word), word)
        return days - 1 if op == ">=" and days > 0 else days
    if op != ":":
        said = _("„{word}“: {key} mit Doppelpunkt angeben, z. B. {key}:…")
        raise QueryError(said.format(word=word, key=key.name), word)
    lowered = raw.lower()
    if key.values is _YES_NO:
        lowered = _YES_NO_ENGLISH.get(lowered, lowered)
    if lowered in key.values:
        return key.values[lowered]
    allowed = ", ".join(dict.fromkeys(_display_values(key)))
    nearest = _nearest(lowered, list(key.values)) if lowered else None
    if not raw:
        said = _("{key}: ein Wert fehlt (erlaubt: {allowed})")
    elif nearest:
        said = _(
            "{key}: „{raw}“ ist nicht zulässig – meinten Sie „{key}:{nearest}“? "
            "(erlaubt: {allowed})"
        )
    else:
        said = _("{key}: „{raw}“ ist nicht zulässig (erlaubt: {allowed})")
    message = said.format(key=key.name, raw=raw, nearest=nearest, allowed=allowed)
    raise QueryError(message, word)


def _display_values(key: QueryKey) -> list[str]:
    canonical = _CANONICAL.get(key.name)
    if canonical is not None:
        return [str(v) for v in canonical.values()]
    return list(key.values)


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an open quote: take the words as they are
        return text.replace('"', " ").replace("'", " ").split()


def parse_query(text: str, base: PostboxQuery | None = None) -> PostboxQuery:
    """The query a filter line asks for; `base` supplies the sort when the line names none.

    Raises `QueryError` for an unknown key, a value that is not allowed, or a key given twice
    with different values.
    """
    values: dict[str, object] = {}
    free: list[str] = []
    for word in _words(text):
        match = _FILTER_WORD.match(word)
        if match is None:
            free.append(word)
            continue
        key = _key(match["key"], word)
        value = _value(key, match["op"], match["value"], word)
        if key.field in values and values[key.field] != value:
            said = _("„{word}“: {key} ist schon anders angegeben")
            raise QueryError(said.format(word=word, key=key.name), word)
        values[key.field] = value
    if free:
        values["q"] = " ".join(free)
    if "sort" not in values and base is not None and base.sort:
        values["sort"] = base.sort
    return PostboxQuery(**values)  # type: ignore[arg-type]


def parse_sort(text: str | None) -> str | None:
    """`neu`/`alt` (or `newest`/`oldest`, `-eingang`/`eingang`) as the service's sort value."""
    if not text:
        return None
    lowered = text.strip().lower()
    legacy = {"-eingang": "newest", "eingang": "oldest", "+eingang": "oldest"}
    if lowered in legacy:
        return legacy[lowered]
    value = _SORTS.get(lowered)
    if value is None:
        said = _("Sortierung „{text}“ unbekannt (erlaubt: neu, alt)")
        raise QueryError(said.format(text=text), text)
    return str(value)


def format_query(query: PostboxQuery, *, with_sort: bool = True) -> str:
    """The filter line that `parse_query` reads back as `query`."""
    words: list[str] = []
    if query.status != ACTIVE:  # the default goes unsaid
        words.append(f"status:{query.status or 'alle'}")
    if query.kind:
        words.append(f"kind:{query.kind}")
    if query.blocked is not None:
        words.append(f"blockiert:{'ja' if query.blocked else 'nein'}")
    if query.older_than_days is not None:
        words.append(f"alter>{query.older_than_days}")
    if query.document:
        words.append(f"dokument:{query.document}")
    if query.awaiting:
        words.append(f"wartet:{query.awaiting}")
    if query.requested is not None:
        words.append(f"angefordert:{'ja' if query.requested else 'nein'}")
    if query.overdue is not None:
        words.append(f"ueberfaellig:{'ja' if query.overdue else 'nein'}")
    if query.mine is not None:
        words.append(f"meine:{'ja' if query.mine else 'nein'}")
    if with_sort and query.sort:
        words.append(f"sort:{_CANONICAL['sort'].get(query.sort, query.sort)}")
    if query.q:
        words.append(query.q)
    return " ".join(words)
