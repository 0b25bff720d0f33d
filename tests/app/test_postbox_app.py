"""The Postkorb screen against the real service: filter, count, sort, views, open, refresh."""

from __future__ import annotations

import tomllib
from pathlib import Path

from postkorb_support import CASEWORKER, OTHER, AppEnv, wait_for
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from inge_tui.api.client import PostboxQuery
from inge_tui.app import IngeApp
from inge_tui.config import Config, UiSettings, load_config
from inge_tui.screens.postbox import PostboxScreen
from inge_tui.widgets.postbox_list import PostboxList
from inge_tui.widgets.status import StatusLine


def messages(app: IngeApp) -> list[str]:
    return [n.message for n in app._notifications]


def count_text(app: IngeApp) -> str:
    return str(app.postbox_screen.query_one("#filter-count", Static).render())


async def type_filter(pilot: object, text: str) -> None:
    await pilot.press("slash")  # type: ignore[attr-defined]
    field = pilot.app.screen.query_one("#filter", Input)  # type: ignore[attr-defined]
    field.value = text
    await pilot.press("enter")  # type: ignore[attr-defined]


async def test_starts_on_the_postkorb(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run() as (app, _pilot):
        assert isinstance(app.screen, PostboxScreen)
        postbox = app.screen.query_one(PostboxList)
        assert postbox.count == 15
        assert postbox.highlighted_row is not None
        assert postbox.has_focus
        assert app.first_page_seconds is not None and app.first_page_seconds < 10
        assert "Zeile 1 von 15 · neueste zuerst" in count_text(app)
        log = (snapshot_env.home / "log" / "startup.log").read_text()
        assert "first_page_s=" in log


async def test_filter_line_and_count(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run() as (app, pilot):
        client = app.session.client
        blocked = await client.postbox_count(PostboxQuery(blocked=True))
        await type_filter(pilot, "blockiert:ja")
        postbox = app.postbox_screen.query_one(PostboxList)
        await wait_for(pilot, lambda: postbox.count == blocked, "gefilterte Liste")
        assert app.session.query == PostboxQuery(blocked=True)
        assert f"Zeile 1 von {blocked} · " in count_text(app)
        assert f"Filter: blockiert:ja – {blocked} Treffer" in messages(app)
        assert postbox.has_focus


async def test_invalid_filter_says_why_in_german(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run() as (app, pilot):
        await type_filter(pilot, "stauts:offen")
        field = app.screen.query_one("#filter", Input)
        assert field.has_focus and field.has_class("-invalid")
        assert any(
            "Unbekannter Filter „stauts“ – meinten Sie „status“?" in m for m in messages(app)
        )
        assert app.session.query == PostboxQuery()  # nothing changed


async def test_sort_key_cycles(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run() as (app, pilot):
        postbox = app.postbox_screen.query_one(PostboxList)
        newest = postbox.highlighted_row
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: "Zeile 3 von 15" in count_text(app), "Zeile 3")
        await pilot.press("S")
        await wait_for(pilot, lambda: app.session.query.sort == "oldest", "Sortierung")
        await wait_for(
            pilot, lambda: postbox.highlighted_row not in (None, newest), "neue Reihenfolge"
        )
        assert postbox.highlighted_row.created_at < newest.created_at
        assert "älteste zuerst" in count_text(app)
        await pilot.press("S")
        await wait_for(pilot, lambda: app.session.query.sort == "newest", "zurück")


async def test_saved_view_round_trip(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run() as (app, pilot):
        await type_filter(pilot, "status:offen sort:alt")
        await wait_for(pilot, lambda: app.session.query.status == "offen", "Filter")
        await pilot.press("V")  # the prompt opens with "view-save "
        await pilot.press(*"offene", "enter")
        config_file = snapshot_env.home / "config" / "config.toml"
        await wait_for(pilot, config_file.exists, "Konfigurationsdatei")
        saved = tomllib.loads(config_file.read_text())
        assert saved["views"]["offene"] == {"filter": "status:offen", "sort": "alt"}
        await type_filter(pilot, "kind:wiederholung")
        await wait_for(pilot, lambda: app.session.query.kind == "wiederholung", "anderer Filter")

    config = load_config()
    assert config.views["offene"].filter == "status:offen"
    async with snapshot_env.run(config) as (app, pilot):
        await pilot.press("colon", *"view-load offene", "enter")
        expected = PostboxQuery(status="offen", sort="oldest")
        await wait_for(pilot, lambda: app.session.query == expected, "geladene Ansicht")
        assert app.postbox_screen.query_one("#filter", Input).value == "status:offen"


async def test_enter_opens_and_claims(office: AppEnv) -> None:
    from inge_tui.screens.participant import ParticipantScreen

    async with office.run() as (app, pilot):
        entry = app.session.entry
        assert entry is not None and entry.claimed_by is None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen), "Teilnehmer")
        assert app.session.entry.entry_id == entry.entry_id
        assert app.session.entry.claimed_by_me
        seen = office.actors.caseworker2.get(f"/v1/postbox/{entry.entry_id}").json()
        assert seen["claimed_by"] == CASEWORKER
        assert any(m.startswith("Übernommen:") for m in messages(app))


async def test_claimed_by_someone_else_opens_read_only(office: AppEnv) -> None:
    from inge_tui.screens.participant import ParticipantScreen

    async with office.run() as (app, pilot):
        entry = app.session.entry
        taken = office.actors.caseworker2.post(f"/v1/postbox/{entry.entry_id}/claim")
        assert taken.status_code == 200
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen), "Teilnehmer")
        assert not app.session.entry.claimed_by_me
        assert app.session.entry.claimed_by == OTHER
        assert any(m.startswith("Nur Lesen:") and OTHER in m for m in messages(app))
        case = app.screen
        assert OTHER in str(case.query_one("#issue-state").render())  # the reason, not "i"
        for key in ("i", "w"):  # greyed (issue) and hidden (repetition): both say why
            before = len(messages(app))
            await pilot.press(key)
            await wait_for(pilot, lambda n=before: len(messages(app)) > n, f"Hinweis auf {key}")
            assert OTHER in messages(app)[-1]
        still = office.actors.caseworker2.get(f"/v1/postbox/{entry.entry_id}").json()
        assert still["claimed_by"] == OTHER


async def test_live_refresh_keeps_the_cursor_on_the_entry(office: AppEnv) -> None:
    async with office.run(poll_seconds=0.2) as (app, pilot):
        postbox = app.postbox_screen.query_one(PostboxList)
        await pilot.press("down", "down")
        chosen = postbox.highlighted_id
        assert postbox.cursor_index == 2
        office.actors.ready_case(surname="Neu", given_name="Eingang")  # arrives at the top
        await wait_for(pilot, lambda: postbox.count == 7, "neuer Eintrag")
        await wait_for(pilot, lambda: postbox.highlighted_id == chosen, "Cursor")
        assert postbox.cursor_index == 3


async def test_next_opens_the_next_free_entry(office: AppEnv) -> None:
    from inge_tui.screens.participant import ParticipantScreen

    async with office.run() as (app, pilot):
        await type_filter(pilot, "blockiert:nein")
        await wait_for(pilot, lambda: app.session.query.blocked is False, "Filter")
        postbox = app.postbox_screen.query_one(PostboxList)
        await wait_for(pilot, lambda: postbox.highlighted_row is not None, "Liste")
        first = app.session.entry
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen), "Teilnehmer")
        opened = app.session.entry
        assert opened.entry_id != first.entry_id
        assert not opened.blocked and opened.claimed_by_me
        assert (opened.created_at, opened.entry_id) < (first.created_at, first.entry_id)


async def test_help_lists_a_remapped_key(snapshot_env: AppEnv, inge_home: Path) -> None:
    from inge_tui.screens.help import HelpScreen

    config_file = inge_home / "config" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text('[keymap]\n"postbox.next" = "ctrl+n"\n')
    async with snapshot_env.run(load_config()) as (app, pilot):
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "Hilfe")
        rows = {row.binding_id: row.key for row in app.screen.keys}
        assert rows["postbox.next"] == "^n"
        assert rows["postbox.filter"] == "/"
        await pilot.press("escape")
        await pilot.press("N")  # the old key does nothing now
        await pilot.pause(0.2)
        assert isinstance(app.screen, PostboxScreen)


async def test_focus_from_the_browser_focuses_the_list(snapshot_env: AppEnv) -> None:
    """textual-serve starts the app as not focused; when the browser's focus comes, the list
    has the focus (its keys work and show in the footer without a click first)."""
    from textual import events

    async with snapshot_env.run() as (app, pilot):
        postbox = app.postbox_screen.query_one(PostboxList)
        app.screen.set_focus(None)  # the blur came before the list had its focus
        app.post_message(events.AppBlur())
        await pilot.pause(0.1)
        assert not postbox.has_focus
        app.post_message(events.AppFocus())
        await wait_for(pilot, lambda: postbox.has_focus, "Liste fokussiert")
        await pilot.press("down")
        assert postbox.cursor_index == 1


async def test_the_interface_speaks_english_when_the_config_says_so(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run(Config(ui=UiSettings(language="en"))) as (app, pilot):
        assert app.postbox_screen.query_one(StatusLine).source == "DEMO DATA · synthetic"

        def labels() -> list[str]:
            return [key.description for key in app.screen.query(FooterKey)]

        await wait_for(pilot, lambda: "Quit" in labels(), "Quit in the footer")
        assert not messages(app)  # nothing to warn about any more
    async with snapshot_env.run() as (app, _pilot):  # the next app speaks German again
        assert app.postbox_screen.query_one(StatusLine).source == "DEMO-DATEN · synthetisch"


async def test_stray_letters_do_nothing_but_say_so(office: AppEnv) -> None:
    """Text typed without a prompt open (a slip before `/`) neither claims, opens, reorders nor
    marks: letters that are not keys here only say so on the outcome line."""
    async with office.run() as (app, pilot):
        postbox = app.postbox_screen.query_one(PostboxList)
        before = (app.session.query, postbox.highlighted_id)
        await pilot.press(*"status", *"nachste", *"claim", *"use")
        await pilot.pause(0.3)
        assert isinstance(app.screen, PostboxScreen)
        assert (app.session.query, postbox.highlighted_id) == before
        assert not postbox.marked_ids
        seen = office.actors.caseworker2.get("/v1/postbox", params={"limit": 500}).json()
        assert all(item["claimed_by"] is None for item in seen["items"])
        assert messages(app)[-1].startswith("Taste „e“ hat hier keine Funktion – / filtert")
        await pilot.press("S")  # a key of the Postkorb acts and gets no hint
        await wait_for(pilot, lambda: app.session.query.sort == "oldest", "Sortierung")
        assert not any(m.startswith("Taste „S“") for m in messages(app))


async def test_slash_puts_the_cursor_at_the_end_of_the_filter(snapshot_env: AppEnv) -> None:
    """Found in tmux: after a filter was applied the line is rewritten ("kind:abschluss …")
    but the cursor stayed where the typing had ended, so ctrl+u left a tail ("in") that spoilt
    the next filter."""
    async with snapshot_env.run() as (app, pilot):
        await pilot.press("slash", *"blockiert:nein art:abschluss", "enter")
        await wait_for(pilot, lambda: app.session.query.blocked is False, "Filter")
        field = app.postbox_screen.query_one("#filter", Input)
        assert field.value != "blockiert:nein art:abschluss"  # written the canonical way
        await pilot.press("slash", "ctrl+u", *"blockiert:ja", "enter")
        await wait_for(pilot, lambda: app.session.query.blocked is True, "neuer Filter")
        assert app.session.query.kind is None
