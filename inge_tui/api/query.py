"""The Postkorb filter line: `status:offen kind:abschluss blockiert:nein alter>30 sort:alt Müller`.

`parse_query` turns what a caseworker types into a `PostboxQuery`; `format_query` writes a query
back in the same syntax (for the filter line and saved views). Words of the form `key:value` or
`key>number` are filters; every other word is free text, searched as a prefix of the name or the
participant id (`q`). Mistakes raise `QueryError` with a German message that names the nearest
key or value. Without a `status:` word the line asks for the work still to do (`aktiv`:
`offen` and `in_bearbeitung`), so a decided entry leaves the list; `status:alle` shows every
entry. Pure: no I/O, no Textual.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from typing import Any

from inge_tui.api.client import ACTIVE, PostboxQuery

__all__ = ["KEYS", "QueryError", "QueryKey", "format_query", "parse_query", "parse_sort"]


class QueryError(ValueError):
    """A filter that cannot be read; `str(error)` is the German sentence to show."""

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
    hint = f" – meinten Sie „{nearest}“?" if nearest else ""
    known = ", ".join(_BY_NAME)
    raise QueryError(f"Unbekannter Filter „{name}“{hint} (möglich: {known})", word)


def _value(key: QueryKey, op: str, raw: str, word: str) -> object:
    if key.numeric:
        if op not in (">", ">="):
            raise QueryError(
                f"„{word}“: {key.name} nur mit > angeben, z. B. {key.name}>30 (älter als 30 Tage)",
                word,
            )
        try:
            days = int(raw)
        except ValueError:
            raise QueryError(
                f"„{word}“: nach {key.name}> eine ganze Zahl (Tage) angeben", word
            ) from None
        if days < 0:
            raise QueryError(f"„{word}“: die Zahl der Tage darf nicht negativ sein", word)
        return days - 1 if op == ">=" and days > 0 else days
    if op != ":":
        raise QueryError(f"„{word}“: {key.name} mit Doppelpunkt angeben, z. B. {key.name}:…", word)
    lowered = raw.lower()
    if lowered in key.values:
        return key.values[lowered]
    allowed = ", ".join(dict.fromkeys(_display_values(key)))
    nearest = _nearest(lowered, list(key.values)) if lowered else None
    hint = f" – meinten Sie „{key.name}:{nearest}“?" if nearest else ""
    shown = f"„{raw}“ ist" if raw else "kein Wert ist"
    raise QueryError(f"{key.name}: {shown} nicht zulässig{hint} (erlaubt: {allowed})", word)


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
            raise QueryError(f"„{word}“: {key.name} ist schon anders angegeben", word)
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
        raise QueryError(f"Sortierung „{text}“ unbekannt (erlaubt: neu, alt)", text)
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
