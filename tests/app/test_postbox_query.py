"""The filter line's syntax (`inge_tui.api.query`): what it reads, what it refuses, in German."""

from __future__ import annotations

import pytest

from inge_tui.api.client import PostboxQuery
from inge_tui.api.query import QueryError, format_query, parse_query, parse_sort


def test_every_key_and_free_text() -> None:
    query = parse_query(
        "status:offen kind:abschluss blockiert:nein alter>30 dokument:zertifikat sort:alt Müller"
    )
    assert query == PostboxQuery(
        status="offen",
        kind="abschluss",
        q="Müller",
        sort="oldest",
        blocked=False,
        older_than_days=30,
        document="zertifikat",
    )
    assert query.params() == {
        "status": "offen",
        "kind": "abschluss",
        "q": "Müller",
        "sort": "oldest",
        "blocked": "false",
        "older_than_days": "30",
        "document": "zertifikat",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", PostboxQuery()),
        ("Şahin Ayşe", PostboxQuery(q="Şahin Ayşe")),
        ("TN-12", PostboxQuery(q="TN-12")),
        ("STATUS:Erledigt", PostboxQuery(status="erledigt")),
        ("status:bearbeitung", PostboxQuery(status="in_bearbeitung")),
        ("art:wiederholung", PostboxQuery(kind="wiederholung")),
        ("blockiert:ja", PostboxQuery(blocked=True)),
        ("alter>=30", PostboxQuery(older_than_days=29)),
        ("dokument:keins", PostboxQuery(document="keins")),
        ("wartet:freigabe", PostboxQuery(awaiting="freigabe")),
        ("angefordert:ja", PostboxQuery(requested=True)),
        ("überfällig:ja", PostboxQuery(overdue=True)),
        ("ueberfaellig:nein", PostboxQuery(overdue=False)),
        ("sort:neu", PostboxQuery(sort="newest")),
        ('"Ortega García"', PostboxQuery(q="Ortega García")),
    ],
)
def test_reads(text: str, expected: PostboxQuery) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("stauts:offen", "Unbekannter Filter „stauts“ – meinten Sie „status“?"),
        ("dokumnet:keins", "meinten Sie „dokument“?"),
        (
            "farbe:rot",
            "möglich: status, kind, blockiert, alter, dokument, wartet, angefordert, "
            "ueberfaellig, meine, sort",
        ),
        ("status:offn", "meinten Sie „status:offen“?"),
        ("blockiert:vielleicht", "erlaubt: ja, nein"),
        ("alter<30", "alter nur mit > angeben"),
        ("alter>viele", "eine ganze Zahl (Tage)"),
        ("status:offen status:erledigt", "status ist schon anders angegeben"),
        ("sort:zufall", "erlaubt: neu, alt"),
        ("wartet:leitung", "erlaubt: freigabe"),
    ],
)
def test_refuses_in_german(text: str, says: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert says in raised.value.message


def test_sort_survives_a_new_filter() -> None:
    base = PostboxQuery(sort="oldest")
    assert parse_query("status:offen", base=base).sort == "oldest"
    assert parse_query("status:offen sort:neu", base=base).sort == "newest"


@pytest.mark.parametrize(
    "text",
    [
        "status:offen kind:wiederholung blockiert:ja alter>7 dokument:bescheinigung Kaya",
        "wartet:freigabe",
        "angefordert:ja ueberfaellig:ja",
        "",
    ],
)
def test_format_reads_back(text: str) -> None:
    query = parse_query(text)
    assert parse_query(format_query(query)) == query


def test_sort_words() -> None:
    assert parse_sort("alt") == "oldest"
    assert parse_sort("newest") == "newest"
    assert parse_sort("-eingang") == "newest"  # the spelling of config.example.toml
    assert parse_sort("") is None


def test_without_a_status_the_line_asks_for_the_work_still_to_do() -> None:
    query = parse_query("kind:abschluss")
    assert query.status == "aktiv"
    assert query.params()["status"] == ["offen", "in_bearbeitung"]


def test_status_alle_asks_for_every_entry_and_reads_back() -> None:
    query = parse_query("status:alle Müller")
    assert query.status is None
    assert "status" not in query.params()
    assert parse_query(format_query(query)) == query


def test_the_default_status_goes_unsaid_in_the_filter_line() -> None:
    assert "status" not in format_query(parse_query("kind:abschluss"))


def test_meine_is_a_filter_word() -> None:
    query = parse_query("meine:ja")
    assert query.mine is True
    assert format_query(query) == "meine:ja"
    assert parse_query("meins:nein").mine is False


def test_the_english_hint_parses_as_it_reads() -> None:
    """An English screen suggests `mine:yes blocked:no age>30`: the same filter as the German
    words, written back in the canonical German form."""
    english = parse_query("mine:yes blocked:no age>30")
    assert english == parse_query("meine:ja blockiert:nein alter>30")
    assert format_query(english) == format_query(parse_query("meine:ja blockiert:nein alter>30"))
