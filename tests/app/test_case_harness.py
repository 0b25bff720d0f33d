"""A small app that hosts the case screens the way the real app does, against the real service.

`CaseApp` implements the commands' `Ui`: `show_participant` pushes a `ParticipantScreen`
(replacing one that is already open), Enter on its base screen runs the Postkorb's `open`
command for the current entry. `case_env` builds the service side (an office with its
clients, see `tests/support/cases.py`) and the caseworker's `IngeClient`. This module holds
no tests of its own beyond checking the harness itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
from support.cases import Actors
from support.live import LiveService
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from inge_tui.api import words
from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.models import PostboxEntry
from inge_tui.commands.base import REGISTRY, Session
from inge_tui.drafts import DraftStore
from inge_tui.screens.participant import ParticipantScreen

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


async def wait_for(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (workers talk to a real service)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("Zeitüberschreitung beim Warten auf die App")
        await pilot.pause(0.05)


async def test_harness_opens_a_case(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case()
    async with case_env.app() as (app, pilot):
        app.session.entry = await case_env.entry_for(app.session.client, pid)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen))
        screen = app.screen
        assert isinstance(screen, ParticipantScreen)
        await wait_for(pilot, lambda: screen.participant is not None)
        assert app.shown == [(pid, app.session.entry.entry_id)]
