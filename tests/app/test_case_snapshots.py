"""Snapshots of the case screens at 80×24 (SSH) and 120×40: the detail, the issue preview, a
repetition decision, a refund application, the paper DTZ form and the Kennzahlen. Everything
that varies is pinned: a service of their own with a fixed clock, fixed participant ids and
office, the caseworker's date, the time zone, and no blinking cursor.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from case_support import TODAY, CaseApp
from support.cases import Actors
from support.live import LiveService, start_live_service
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widgets import Input

from inge_tui import i18n
from inge_tui.api import words
from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.commands.base import Session
from inge_tui.drafts import DraftStore
from inge_tui.screens.participant import ParticipantScreen

OFFICE = "SNAP"
OFFICE_EN = "SNEN"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="module")
def snap_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    folder = tmp_path_factory.mktemp("snap")
    live, server, thread = start_live_service(f"sqlite:///{folder / 'snap.db'}")
    live.token("admin", OFFICE)  # the office, with a fixed code
    seed(Actors(live, office=OFFICE))  # all cases up front, in one order: ids never shift
    live.token("admin", OFFICE_EN)
    seed_english(Actors(live, office=OFFICE_EN))
    try:
        yield live
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        live.engine.dispose()


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("INGE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    monkeypatch.setattr(words, "today", lambda: TODAY)
    yield tmp_path
    monkeypatch.undo()
    time.tzset()


def seed(a: Actors) -> None:
    for width, _height in SIZES:
        pid = f"TN-SNAP-DETAIL-{width}"
        a.register(pid)
        a.identity(pid)
        assert a.dtz(pid, hoeren_lesen=35, schreiben=12, sprechen=74.5).status_code == 201
        assert a.lid(pid, 18).status_code == 201

        pid = f"TN-SNAP-ISSUE-{width}"
        a.register(pid)
        a.identity(pid)
        assert a.dtz(pid, hoeren_lesen=40, schreiben=16, sprechen=80).status_code == 201
        assert a.lid(pid, 20).status_code == 201

        pid = f"TN-SNAP-REP-{width}"
        a.register(pid, course_type="alphabetisierung", contingent_hours=900, hours_used=900)
        a.identity(pid)
        body = {
            "participant_id": pid,
            "received_on": "2026-02-10",
            "requested_hours": 300,
            "provider_confirmation": True,
        }
        assert a.provider.post("/v1/repetition-applications", json=body).status_code == 201

        pid = f"TN-SNAP-PAPER-{width}"
        a.register(pid, self_payer=True)
        a.identity(pid)
        assert a.lid(pid, 16).status_code == 201

        pid = f"TN-SNAP-REFUND-{width}"
        a.register(pid, course_type="alphabetisierung", entitlement_date="2024-03-01")
        a.identity(pid)
        assert a.dtz(pid, hoeren_lesen=40, schreiben=16, sprechen=80).status_code == 201
        assert a.lid(pid, 20).status_code == 201
        assert a.issue(pid, key=f"snap-{pid}").status_code == 201
        refund = {
            "participant_id": pid,
            "received_on": "2026-02-20",
            "contribution_paid_cents": 45_800,
            "contribution_full_cents": 137_400,
            "iban": "DE89370400440532013000",
            "account_holder": "Ayşe Şahin",
        }
        assert a.provider.post("/v1/refund-applications", json=refund).status_code == 201
    for width, _height in SIZES:  # after the cases above, so their ids stay as they were
        pid = f"TN-SNAP-HELD-{width}"  # a colleague holds it: read only, and why
        a.register(pid)
        a.identity(pid)
        assert a.dtz(pid, hoeren_lesen=40, schreiben=16, sprechen=80).status_code == 201
        assert a.lid(pid, 20).status_code == 201
        entry = a.entries(pid)[0]
        assert a.caseworker2.post(f"/v1/postbox/{entry['entry_id']}/claim").status_code == 200

        pid = f"TN-SNAP-ALT-{width}"  # DTZ A2: an alternative B1 proof would count instead
        a.register(pid)
        a.identity(pid)
        assert a.dtz(pid, hoeren_lesen=30, schreiben=10, sprechen=60).status_code == 201
        assert a.lid(pid, 20).status_code == 201


def seed_english(a: Actors) -> None:
    """The detail's case again, for the English picture: in an office of its own, so that the
    Kennzahlen of OFFICE stay as they were, and after every case above, so no id shifts."""
    for width, _height in SIZES:
        pid = f"TN-SNAP-EN-{width}"
        a.register(pid)
        a.identity(pid)
        assert a.dtz(pid, hoeren_lesen=35, schreiben=12, sprechen=74.5).status_code == 201
        assert a.lid(pid, 18).status_code == 201


class SnapApp(CaseApp):
    """The harness app, signing in once it runs (the snapshot runs the app in its own loop)."""

    def __init__(self, live: LiveService, token: str, participant_id: str, kind: str, home: Path):
        super().__init__(home / "dokumente", DraftStore(home / "drafts"))
        self.live = live
        self.token = token
        self.participant_id = participant_id
        self.kind = kind

    async def on_mount(self) -> None:
        client = IngeClient(self.live.base_url, self.token, retries=0)
        self.session = Session(client=client, ui=self, user="Sachbearbeiterin Weber")
        super().on_mount()

    async def on_unmount(self) -> None:
        await self.session.client.aclose()


def snap_app(
    live: LiveService, pid: str, home: Path, kind: str = "abschluss", office: str = OFFICE
) -> SnapApp:
    token = live.token("caseworker", office, "Sachbearbeiterin Weber")
    return SnapApp(live, token, pid, kind, home)


async def open_case(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, SnapApp)
    query = PostboxQuery(q=app.participant_id, kind=app.kind)
    page = await app.session.client.postbox_page(query)
    app.session.entry = page.items[0]
    await pilot.press("enter")
    await until(pilot, lambda: _loaded(app))


def _loaded(app: Any) -> bool:
    screen = app.screen
    return isinstance(screen, ParticipantScreen) and screen.participant is not None


async def until(pilot: Pilot[Any], condition: Any, timeout: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "Zeitüberschreitung"
        await pilot.pause(0.05)


async def steady(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_detail(snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any) -> None:
    pid = f"TN-SNAP-DETAIL-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_detail_in_english(
    snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any
) -> None:
    """`language = "en"`: headings, labels, section names, the state line and the cards in
    English; names, dates, DTZ levels, document names and § citations as they are."""
    i18n.set_language("en")  # the harness app reads no config; conftest sets German again
    pid = f"TN-SNAP-EN-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned, office=OFFICE_EN)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_issue_preview(
    snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any
) -> None:
    pid = f"TN-SNAP-ISSUE-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await pilot.press("i")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "IssuePreviewScreen")
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_repetition(snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any) -> None:
    pid = f"TN-SNAP-REP-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await pilot.press("w")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "RepetitionScreen")
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned, kind="wiederholung")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_refund(snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any) -> None:
    """A partly exempt refund application: each condition of R16, the amount, the key."""
    pid = f"TN-SNAP-REFUND-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await pilot.press("7")
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned, kind="erstattung")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_paper_dtz_form(
    snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any
) -> None:
    pid = f"TN-SNAP-PAPER-{size[0]}"
    typed = {
        "exam_date": "03.02.2026",
        "exam_center": "VHS Fürth",
        "hoeren_lesen": "35",
        "schreiben": "12",
        "sprechen": "74,5",
    }

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await pilot.press("d")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "PaperDtzScreen")
        form = pilot.app.screen
        for name, text in typed.items():
            field = form.query_one(f"#f-{name}", Input)
            field.focus()
            await pilot.press(*text)
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_alt_b1_form(snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any) -> None:
    """The form for an alternative B1 proof (R4) on a case whose DTZ is A2."""
    pid = f"TN-SNAP-ALT-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await pilot.press("b")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "AltB1Screen")
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_held_by_a_colleague(
    snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any
) -> None:
    """Another caseworker holds the entry: the case opens read only and says who holds it."""
    pid = f"TN-SNAP-HELD-{size[0]}"

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot)
        await steady(pilot)

    app = snap_app(snap_service, pid, pinned)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("theme", ["textual-dark", "ansi"])
def test_stats(
    snap_compare: Any, snap_service: LiveService, pinned: Path, size: Any, theme: str
) -> None:
    """The Kennzahlen of the snapshot office: words, the two plots, the rates (and in the
    `ansi` theme the terminal's own colours)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from inge_tui.commands.stats import StatsSpec
        from inge_tui.screens.stats import StatsScreen

        app = pilot.app
        assert isinstance(app, SnapApp)
        if theme == "ansi":
            app.register_theme(replace(BUILTIN_THEMES["ansi-dark"], name="ansi"))
        app.theme = theme
        screen = StatsScreen(app.session, StatsSpec())
        await app.push_screen(screen)
        await until(pilot, lambda: screen.stats is not None)
        plot = screen.query_one("#backlog-plot")
        await until(pilot, lambda: screen.plotted_width == plot.size.width > 0)
        await steady(pilot)

    app = snap_app(snap_service, "TN-SNAP-DETAIL-80", pinned)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
