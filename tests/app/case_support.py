"""A small app that hosts the case screens the way the real app does, against the real service.

`CaseApp` implements the commands' `Ui`: `show_participant` pushes a `ParticipantScreen`
(replacing one that is already open), Enter on its base screen runs the Postkorb's `open`
command for the current entry. `case_env` builds the service side (an office with its
clients, see `tests/support/cases.py`) and the caseworker's `IngeClient`. The helpers below open a
case or a form and type into it as a caseworker would (`tests/app/test_case_*.py` use them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from support.app_env import wait_for
from support.cases import Actors
from support.live import LiveService
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from inge_tui.api import words
from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.models import PostboxEntry
from inge_tui.commands.base import REGISTRY, Session
from inge_tui.drafts import DraftStore
from inge_tui.screens.forms import CaseForm, ConfirmScreen
from inge_tui.screens.participant import ParticipantScreen
from inge_tui.screens.repetition import RepetitionScreen

TODAY = date(2026, 3, 2)


class ListScreen(Screen[None]):
    """Stands in for the Postkorb: Enter opens the current entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Öffnen", id="harness.open_entry")
    ]

    def compose(self) -> ComposeResult:
        yield Static("Postkorb (Testrahmen)")
        yield Footer()

    async def action_open(self) -> None:
        app = self.app
        assert isinstance(app, CaseApp)
        app.run_worker(REGISTRY["open"].run(app.session), group="open")


class CaseApp(App[None]):
    """The host: implements `Ui` for the commands, records what they asked for."""

    def __init__(self, documents_dir: Path, drafts: DraftStore) -> None:
        super().__init__()
        self.session: Session
        self.documents_dir = documents_dir
        self.drafts = drafts
        self.shown: list[tuple[str, int | None]] = []
        self.messages: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(ListScreen())

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        self.shown.append((participant_id, entry_id))
        screen = ParticipantScreen(
            self.session,
            participant_id,
            entry_id,
            documents_dir=self.documents_dir,
            drafts=self.drafts,
        )
        if isinstance(self.screen, ParticipantScreen):
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    async def show_postbox(self) -> None:
        while isinstance(self.screen, ParticipantScreen):
            await self.pop_screen()

    async def refresh_postbox(self) -> None:
        return None

    def notify(  # type: ignore[override]
        self, message: str, *, error: bool = False, **kwargs: Any
    ) -> None:
        self.messages.append(message)
        if error:
            kwargs.setdefault("severity", "error")
        super().notify(message, **kwargs)


@dataclass
class CaseEnv:
    live: LiveService
    actors: Actors
    token: str
    documents: Path
    drafts: DraftStore

    def client(self, base_url: str | None = None) -> IngeClient:
        return IngeClient(base_url or self.live.base_url, self.token, retries=0)

    async def entry_for(self, client: IngeClient, participant_id: str) -> PostboxEntry:
        page = await client.postbox_page(PostboxQuery(q=participant_id), limit=10)
        return next(e for e in page.items if e.participant_id == participant_id)

    @asynccontextmanager
    async def app(
        self, *, base_url: str | None = None, size: tuple[int, int] = (80, 24)
    ) -> AsyncIterator[tuple[CaseApp, Any]]:
        client = self.client(base_url)
        app = CaseApp(self.documents, self.drafts)
        app.session = Session(client=client, ui=app, user="Sachbearbeiterin Weber")
        try:
            async with app.run_test(size=size) as pilot:
                yield app, pilot
        finally:
            await client.aclose()


@pytest.fixture(name="case_env")
def case_env_fixture(
    sqlite_service: LiveService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> CaseEnv:
    monkeypatch.setenv("INGE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setattr(words, "today", lambda: TODAY)
    actors = Actors(sqlite_service)
    token = sqlite_service.token("caseworker", actors.office, "Sachbearbeiterin Weber")
    return CaseEnv(
        sqlite_service,
        actors,
        token,
        tmp_path / "dokumente",
        DraftStore(tmp_path / "home" / "state" / "drafts"),
    )


# ---- opening a case and its forms, typing as a caseworker


F = TypeVar("F", bound=CaseForm)


def self_payer(env: CaseEnv) -> str:
    a = env.actors
    pid = a.register(self_payer=True)
    a.identity(pid)
    assert a.lid(pid, 20).status_code == 201
    return pid


async def open_case(env: CaseEnv, app: Any, pilot: Any, pid: str) -> ParticipantScreen:
    """The case from its Postkorb entry, or by its number when it has none yet (`:open`)."""
    page = await app.session.client.postbox_page(PostboxQuery(q=pid), limit=10)
    app.session.entry = next((e for e in page.items if e.participant_id == pid), None)
    if app.session.entry is None:  # no exam pair yet, so no entry: opened by its number
        await app.push_screen(ParticipantScreen(app.session, pid))
    else:
        await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ParticipantScreen)
            and app.screen.participant_id == pid
            and app.screen.participant is not None
        ),
    )
    assert isinstance(app.screen, ParticipantScreen)
    return app.screen


async def open_form(env: CaseEnv, app: Any, pilot: Any, pid: str, key: str, kind: type[F]) -> F:
    """Open the case, press `key`, and answer the form screen it opens."""
    await open_case(env, app, pilot, pid)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, kind))
    form = app.screen
    assert isinstance(form, kind)
    return form


async def type_into(pilot: Any, form: CaseForm, name: str, text: str) -> None:
    field = form.query_one(f"#f-{name}", Input)
    field.value = ""
    field.focus()
    await pilot.press(*text)
    await pilot.pause(0.05)


async def save(app: Any, pilot: Any, recorded: str) -> str:
    """Save the form with Ctrl+S, wait until the case screen shows the participant's `recorded`
    part (`dtz`, `alternative_b1`), and return the issue banner it then shows."""
    await pilot.press("ctrl+s")
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ParticipantScreen)
            and app.screen.participant is not None
            and getattr(app.screen.participant, recorded) is not None
        ),
        timeout=20,
    )
    return str(app.screen.query_one("#issue-state").render())


def shown(form: CaseForm, selector: str) -> str:
    return str(form.query_one(selector, Static).render())


async def says(pilot: Any, form: CaseForm, selector: str, text: str, *, end: bool = False) -> None:
    """Wait until `selector` shows `text` (anywhere, or at its `end`): what the service makes of
    the input shows a moment after the last key."""

    def got() -> bool:
        seen = shown(form, selector)
        return seen.endswith(text) if end else text in seen

    await wait_for(pilot, got, selector)


def alpha_case(env: CaseEnv, *, dtz: bool = True) -> str:
    a = env.actors
    pid = a.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    a.identity(pid)
    if dtz:
        assert a.dtz(pid, hoeren_lesen=25, schreiben=10, sprechen=50).status_code == 201
    body = {
        "participant_id": pid,
        "received_on": "2026-02-10",
        "requested_hours": 300,
        "provider_confirmation": True,
    }
    response = a.provider.post("/v1/repetition-applications", json=body)
    assert response.status_code == 201, response.text
    return pid


async def open_repetition(env: CaseEnv, app: Any, pilot: Any, pid: str) -> RepetitionScreen:
    page = await app.session.client.postbox_page(PostboxQuery(q=pid, kind="wiederholung"))
    app.session.entry = page.items[0]
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, ParticipantScreen) and app.screen.participant is not None,
    )
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, RepetitionScreen))
    await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, RepetitionScreen)
    return screen


def text_of(screen: RepetitionScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def save_and_confirm(app: Any, pilot: Any, key: str) -> str:
    """Save with Ctrl+S, answer the confirmation with `key`, wait for the case screen again, and
    return what the confirmation said."""
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    confirm = str(app.screen.query_one("#confirm-text", Static).render())
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen), timeout=20)
    return confirm


def application(env: CaseEnv, pid: str) -> dict[str, Any]:
    return env.actors.case(pid)["applications"][0]
