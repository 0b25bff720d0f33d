"""The Postkorb commands without the terminal: what a script (`inge-tui run`) gets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from postkorb_support import CASEWORKER, OTHER, AppEnv, wait_for

import inge_tui.commands.postbox  # noqa: F401  (registers the commands)
from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.errors import Forbidden
from inge_tui.commands.base import REGISTRY, Outcome, Session, parse_line
from inge_tui.config import load_config


@dataclass
class RecordingUi:
    """A front end that only remembers what the commands asked of it."""

    shown: list[tuple[str, int | None]] = field(default_factory=list)
    refreshed: int = 0
    messages: list[str] = field(default_factory=list)

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        self.shown.append((participant_id, entry_id))

    async def show_postbox(self) -> None:
        pass

    async def refresh_postbox(self) -> None:
        self.refreshed += 1

    def notify(self, message: str, *, error: bool = False) -> None:
        self.messages.append(message)


async def run(session: Session, line: str) -> Outcome:
    command, kwargs = parse_line(line)
    ready = command.available(session)
    if not ready.ok:
        return Outcome(False, ready.why)
    return await command.run(session, **kwargs)


@pytest.fixture
async def session(office: AppEnv) -> AsyncIterator[Session]:
    client = office.client()
    try:
        yield Session(client, ui=RecordingUi())
    finally:
        await client.aclose()


async def test_filter_sort_and_count(session: Session) -> None:
    done = await run(session, "filter status:offen blockiert:nein")
    assert done.ok and done.data["count"] == await session.client.postbox_count(session.query)
    assert session.query == PostboxQuery(status="offen", blocked=False)
    assert (await run(session, "sort oldest")).message.startswith("Sortierung: älteste zuerst")
    assert session.query.sort == "oldest" and session.query.status == "offen"
    bad = await run(session, "filter stauts:offen")
    assert not bad.ok and "meinten Sie „status“?" in bad.message
    assert session.query.status == "offen"  # a bad filter changes nothing


async def test_open_by_participant_claims_it(session: Session, office: AppEnv) -> None:
    pid = office.actors.ready_case()
    done = await run(session, f"open {pid}")
    assert done.ok and done.message.startswith("Übernommen:")
    assert session.entry is not None and session.entry.claimed_by == CASEWORKER
    assert session.ui.shown == [(pid, session.entry.entry_id)]  # type: ignore[attr-defined]
    assert (await run(session, "claim")).message == "Sie bearbeiten diesen Eintrag bereits"
    released = await run(session, "release")
    assert released.ok and session.entry.claimed_by is None


async def test_without_an_entry_the_commands_say_why(session: Session) -> None:
    for line in ("claim", "release", "take-over weil"):
        assert (await run(session, line)).message == "Kein Eintrag gewählt"


async def test_take_over_is_for_the_head_of_office(session: Session, office: AppEnv) -> None:
    pid = office.actors.ready_case()
    entry = office.actors.entries(pid)[0]
    assert office.actors.caseworker2.post(f"/v1/postbox/{entry['entry_id']}/claim").is_success
    read_only = await run(session, f"open {pid}")
    assert read_only.data == {"read_only": True} and OTHER in read_only.message
    with pytest.raises(Forbidden):
        await run(session, "take-over Urlaubsvertretung")
    boss = Session(
        IngeClient(office.live.base_url, office.live.token("supervisor", office.actors.office)),
        ui=RecordingUi(),
        entry=session.entry,
    )
    done = await run(boss, "take-over Urlaubsvertretung")
    await boss.client.aclose()
    assert done.ok and done.message.startswith(f"Von {OTHER} übernommen")


async def test_next_skips_blocked_and_taken_entries(session: Session, office: AppEnv) -> None:
    await run(session, "filter status:offen")
    page = await session.client.postbox_page(session.query, limit=50)
    first, *rest = page.items
    session.entry = first
    free = [e for e in rest if not e.blocked and not e.claimed_by]
    assert free, "the seeded office has free entries"
    done = await run(session, "next")
    assert done.ok and session.entry.entry_id == free[0].entry_id
    assert session.entry.claimed_by_me


async def test_views_are_saved_and_loaded(session: Session, inge_home: Path) -> None:
    from inge_tui.config import config_path, save_preference

    def save(name: str, text: str, sort: str | None) -> None:
        save_preference(config_path(), ("views", name), {"filter": text, "sort": sort or ""})

    session.save_view = save
    assert (await run(session, "view-load x")).message.startswith("Keine gespeicherten")
    await run(session, "filter kind:abschluss sort:alt")
    assert (await run(session, "view-save abschluss")).ok
    assert load_config().views["abschluss"].filter == "kind:abschluss"
    await run(session, "filter")
    assert session.query == PostboxQuery(sort="oldest")
    wrong = await run(session, "view-load abschlus")
    assert "meinten Sie „abschluss“?" in wrong.message
    assert (await run(session, "view-load abschluss")).ok
    assert session.query == PostboxQuery(kind="abschluss", sort="oldest")
    assert not (await run(session, "view-save a.b")).ok


async def test_help_and_theme_without_a_terminal(session: Session) -> None:
    done = await run(session, "help")
    assert "filter [query…] – Filtern" in done.message
    assert set(done.data["commands"]) >= {"open", "next", "filter", "view-save", "take-over"}
    assert (await run(session, "theme ansi")).message == "Nur in der Oberfläche"


def test_every_command_has_german_words_a_binding_and_a_key() -> None:
    ids = {"open", "next", "filter", "sort", "view-save", "view-load", "claim", "release",
           "take-over", "refresh", "theme", "help"}  # fmt: skip
    for command_id in ids:
        command = REGISTRY[command_id]
        assert command.title and command.help and command.binding and command.key
        assert command.binding.startswith(("postbox.", "app."))


async def test_theme_key_and_command_in_the_app(snapshot_env: AppEnv) -> None:
    async with snapshot_env.run() as (app, pilot):
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: app.theme == "ansi", "ansi")
        await pilot.press("colon", *"theme nordd", "enter")
        await wait_for(
            pilot, lambda: any("meinten Sie „nord“?" in n.message for n in app._notifications)
        )
        await pilot.press("colon", *"theme nord", "enter")
        await wait_for(pilot, lambda: app.theme == "nord", "nord")


async def test_unknown_keymap_id_is_named(snapshot_env: AppEnv, inge_home: Path) -> None:
    config_file = inge_home / "config" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text('[keymap]\n"postbox.nxt" = "ctrl+n"\n')
    async with snapshot_env.run(load_config()) as (app, pilot):
        said = (
            "[keymap] „postbox.nxt“: unbekannte ID – meinten Sie „postbox.next“? "
            "(Liste: inge-tui keys)"
        )
        await wait_for(pilot, lambda: any(n.message == said for n in app._notifications))
