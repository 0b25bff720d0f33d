"""The registry palette in the real app (Pilot) against the real service: only what can run now,
each with its effective key; completions of arguments; a typed line runs, a line for a command
that cannot run says why."""

from __future__ import annotations

import base64

from commands_support import Office, messages, palette_line, palette_run, wait_for

from inge_tui.api.client import PostboxQuery
from inge_tui.config import Config, View
from inge_tui.screens.palette import CommandLineProvider, filter_words
from inge_tui.screens.participant import ParticipantScreen


async def provider_hits(app: object, query: str) -> list[str]:
    provider = CommandLineProvider(app.screen)  # type: ignore[attr-defined]
    await provider.startup()
    found = provider.search(query) if query else provider.discover()
    return [str(hit.text) async for hit in found]


async def test_lists_only_what_can_run_now_with_its_key(office: Office) -> None:
    office.ready(2)
    config = Config(keymap={"postbox.sort": "z"})
    async with office.app(config) as (app, pilot):
        await wait_for(pilot, lambda: app.session and app.session.entry, "Eintrag gewählt")
        listed = await provider_hits(app, "")
        assert "Sortierung (z)" in listed  # the key after the keymap
        assert "Übernehmen (C)" in listed  # a free entry is highlighted
        assert "Filtern (/)" in listed
        assert not any(text.startswith("Freigeben") for text in listed)  # not mine
        assert not any(text.startswith("Dokument ausstellen") for text in listed)  # no case
        why = await provider_hits(app, "release")
        assert why == ["✖ release: nicht möglich – Sie bearbeiten diesen Eintrag nicht"]


async def test_completes_ids_views_and_filter_words(office: Office) -> None:
    pids = office.ready(2)
    config = Config(views={"offen": View(filter="status:offen"), "alt": View(filter="alter>30")})
    async with office.app(config) as (app, _pilot):
        opened = await provider_hits(app, "open")
        assert {f"open {pid}" for pid in pids} <= set(opened)
        assert {"view-load alt", "view-load offen"} <= set(await provider_hits(app, "view-load"))
        status = await provider_hits(app, "filter sta")
        assert {f"filter status:{v}" for v in ("aktiv", "alle", "offen", "erledigt")} <= set(status)
        assert "filter status:bearbeitung" not in status  # one word per value
        more = await provider_hits(app, "filter status:offen")
        assert more[0] == "filter status:offen"  # the line itself runs
        assert "filter status:offen kind:abschluss" in more
        assert not any(line.startswith("filter status:offen status:") for line in more)
        assert {"filter alter>30", "filter dokument:keins", "filter sort:alt"} <= {
            f"filter {w}" for w in filter_words()
        }
        flags = await provider_hits(app, "mark --")
        assert "mark --clear" in flags


async def test_a_typed_line_runs_like_the_key(office: Office) -> None:
    office.ready(2)
    office.ready(identity=False)
    async with office.app() as (app, pilot):
        await palette_run(pilot, "filter status:offen blockiert:nein")
        assert app.session is not None
        await wait_for(pilot, lambda: app.session.query.blocked is False, "Filter gesetzt")
        assert app.session.query == PostboxQuery(status="offen", blocked=False)
        await wait_for(pilot, lambda: any("2 Treffer" in m for m in messages(app)), "Meldung")


async def test_a_bad_line_says_why(office: Office) -> None:
    office.ready()
    async with office.app() as (app, pilot):
        shown = await palette_line(pilot, "filter stauts:offen")
        assert shown[0].startswith("▶ filter stauts:offen")  # it parses; the filter says why
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("meinten Sie" in m for m in messages(app)), "Grund")
        shown = await palette_line(pilot, "isue-document --all")
        assert any("unbekannter Befehl „isue-document“" in s for s in shown)
        await pilot.press("escape")


async def test_a_case_command_runs_on_the_case_screen(office: Office) -> None:
    pid = office.ready()[0]
    async with office.app() as (app, pilot):
        await palette_run(pilot, f"open {pid}")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen), "Fallansicht")
        screen = app.screen
        await wait_for(pilot, lambda: screen.participant is not None, "Fall geladen")
        listed = await provider_hits(app, "")
        assert "Dokument ausstellen (i)" in listed
        await palette_run(pilot, "issue-document")  # as the key: the preview asks first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "IssuePreviewScreen", "Vorschau")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(office.certificates(pid)) == 1, "ausgestellt")


async def test_copy_id_reaches_the_caseworkers_clipboard(office: Office) -> None:
    pid = office.ready()[0]
    async with office.app() as (app, pilot):
        sent: list[str] = []
        app._driver.write = sent.append  # type: ignore[method-assign,union-attr]
        await palette_run(pilot, f"filter {pid}")
        await wait_for(pilot, lambda: app.session and app.session.entry, "Eintrag gewählt")
        await palette_run(pilot, "copy-id")
        await wait_for(pilot, lambda: app.clipboard == pid, "kopiert")
        encoded = base64.b64encode(pid.encode()).decode()
        assert f"\x1b]52;c;{encoded}\a" in sent  # OSC 52: the terminal's own clipboard
        assert f"{pid} in die Zwischenablage kopiert." in messages(app)
