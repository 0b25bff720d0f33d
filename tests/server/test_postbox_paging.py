"""Postkorb pages by keyset cursor, the filters, and the count."""

from __future__ import annotations

from typing import Any

from support.cases import Actors


def _all_pages(actors: Actors, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = actors.caseworker.get("/v1/postbox", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("too many pages")


def test_keyset_pages_cover_every_entry_once_in_both_orders(actors: Actors) -> None:
    pids = [actors.ready_case(b1=i % 3 != 0, identity=i % 4 != 0) for i in range(13)]
    newest = _all_pages(actors, limit=4)
    assert [e["participant_id"] for e in newest] == list(reversed(pids))
    oldest = _all_pages(actors, limit=5, sort="oldest")
    assert [e["participant_id"] for e in oldest] == pids
    count = actors.caseworker.get("/v1/postbox/count").json()["count"]
    assert count == 13


def test_filters_and_count_agree(actors: Actors) -> None:
    b1 = [actors.ready_case() for _ in range(3)]
    below = [actors.ready_case(b1=False) for _ in range(2)]
    blocked = actors.ready_case(identity=False)
    special = actors.ready_case(surname="Øberg", given_name="Iñigo")
    checks: dict[str, tuple[dict[str, Any], set[str]]] = {
        "zertifikat": ({"document": "zertifikat", "blocked": "false"}, {*b1, special}),
        "bescheinigung": ({"document": "bescheinigung"}, set(below)),
        "blocked": ({"blocked": "true"}, {blocked}),
        "name prefix folds accents": ({"q": "oberg"}, {special}),
        "name prefix with accents": ({"q": "Øber"}, {special}),
        "participant id prefix": (
            {"q": b1[0][:8]},
            {p for p in [*b1, *below, blocked, special] if p.startswith(b1[0][:8])},
        ),
        "status": ({"status": "offen", "kind": "abschluss"}, {*b1, *below, blocked, special}),
        "nothing closed": ({"status": "erledigt"}, set()),
    }
    for label, (params, expected) in checks.items():
        listed = {e["participant_id"] for e in _all_pages(actors, limit=2, **params)}
        assert listed == expected, label
        count = actors.caseworker.get("/v1/postbox/count", params=params).json()["count"]
        assert count == len(expected), label


def test_older_than_days(actors: Actors) -> None:
    old = actors.ready_case()
    actors.live.clock.advance(days=10)
    new = actors.ready_case()
    assert {e["participant_id"] for e in _all_pages(actors, older_than_days=5)} == {old}
    assert {e["participant_id"] for e in _all_pages(actors, older_than_days=0)} == {old, new}


def test_a_page_of_another_office_is_not_visible(actors: Actors) -> None:
    actors.ready_case()
    stranger = actors.live.client("caseworker", actors.live.new_office())
    try:
        assert stranger.get("/v1/postbox").json()["items"] == []
        assert stranger.get("/v1/postbox/count").json()["count"] == 0
    finally:
        stranger.close()


def test_bad_paging_input_names_the_field(actors: Actors) -> None:
    cases = {
        "limit": {"limit": 501},
        "cursor": {"cursor": "not-a-cursor"},
        "status.0": {"status": "unbekannt"},
        "sort": {"sort": "random"},
    }
    for field, params in cases.items():
        response = actors.caseworker.get("/v1/postbox", params=params)
        assert response.status_code == 422, field
        assert response.json()["detail"][0]["field"] == field


def test_cursor_belongs_to_its_sort(actors: Actors) -> None:
    for _ in range(3):
        actors.ready_case()
    cursor = actors.caseworker.get("/v1/postbox", params={"limit": 1}).json()["next_cursor"]
    response = actors.caseworker.get("/v1/postbox", params={"cursor": cursor, "sort": "oldest"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "cursor"
