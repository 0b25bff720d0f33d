"""Drafts: what the caseworker typed is saved on every change (0600, atomically), survives the
service being unreachable, is restored when the form reopens, and goes only once the service
accepted it.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from case_support import (  # noqa: F401
    CaseEnv,
    alpha_case,
    case_env_fixture,
    open_case,
    open_repetition,
    self_payer,
    shown,
    type_into,
)
from support.app_env import wait_for
from textual.widgets import Input, RadioSet

from inge_tui.api.client import IngeClient
from inge_tui.drafts import DraftStore
from inge_tui.screens.paper_dtz import PaperDtzScreen
from inge_tui.screens.participant import ParticipantScreen

TYPED = {
    "exam_date": "03.02.2026",
    "exam_center": "VHS Fürth",
    "hoeren_lesen": "35",
    "schreiben": "12",
    "sprechen": "80",
}


def notes(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def dead_url() -> str:
    """A loopback port nobody listens on (the service is down)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


async def open_form(env: CaseEnv, app: Any, pilot: Any, pid: str) -> PaperDtzScreen:
    if not isinstance(app.screen, ParticipantScreen):
        await open_case(env, app, pilot, pid)
    await pilot.press("d")
    await wait_for(pilot, lambda: isinstance(app.screen, PaperDtzScreen))
    form = app.screen
    assert isinstance(form, PaperDtzScreen)
    return form


async def test_draft_survives_the_service_being_down_and_is_restored(case_env: CaseEnv) -> None:
    pid = self_payer(case_env)
    path = case_env.drafts.path(pid, "paper-dtz")
    async with case_env.app() as (app, pilot):
        await open_case(case_env, app, pilot, pid)
        # the service goes away while the caseworker types
        down = IngeClient(dead_url(), case_env.token, retries=0, timeout=2)
        app.session.client = down
        form = await open_form(case_env, app, pilot, pid)
        for name, text in TYPED.items():
            await type_into(pilot, form, name, text)
        await wait_for(pilot, lambda: path.exists())
        await pilot.pause(0.6)  # the last change, debounced
        assert json.loads(path.read_text("utf-8"))["fields"] == TYPED
        assert path.stat().st_mode & 0o777 == 0o600

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("Entwurf gespeichert" in m for m in notes(app)))
        note = next(m for m in notes(app) if "Entwurf gespeichert" in m)
        assert "nicht erreichbar" in note
        assert "wird nicht verloren gehen" in note
        assert isinstance(app.screen, PaperDtzScreen)  # the form stays open
        assert path.exists()
        await pilot.press("escape")
        await pilot.pause(0.1)
        await down.aclose()

    assert case_env.actors.case(pid)["dtz"] is None  # nothing reached the service

    # later, with the service back: the form opens with what was typed, and sends it
    async with case_env.app() as (app, pilot):
        form = await open_form(case_env, app, pilot, pid)
        await wait_for(pilot, lambda: form.query_one("#f-sprechen", Input).value == "80")
        assert form.values() == TYPED
        assert any("Entwurf vom" in m for m in notes(app))
        await wait_for(pilot, lambda: shown(form, "#overall").endswith("→ B1"))  # the service's
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen), timeout=20)
        await wait_for(pilot, lambda: not path.exists())

    assert case_env.actors.case(pid)["dtz"]["overall"] == "B1"


async def test_leaving_a_form_keeps_the_draft(case_env: CaseEnv) -> None:
    pid = self_payer(case_env)
    async with case_env.app() as (app, pilot):
        form = await open_form(case_env, app, pilot, pid)
        await type_into(pilot, form, "exam_center", "VHS Erlangen")
        await pilot.press("escape")  # at once: no waiting for the debounce
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen))
        form = await open_form(case_env, app, pilot, pid)
        await wait_for(
            pilot, lambda: form.query_one("#f-exam_center", Input).value == "VHS Erlangen"
        )


async def test_a_draft_shows_on_the_case_and_in_the_list_after_leaving_the_form(
    case_env: CaseEnv,
) -> None:
    """Issue 14: a draft was invisible until its form was reopened. The case's heading names
    it and its age; the Postkorb row of the case carries ✎."""
    from inge_tui.widgets.postbox_columns import DRAFT
    from inge_tui.widgets.postbox_pages import Row
    from inge_tui.widgets.postbox_source import ServiceSource

    pid = self_payer(case_env)
    async with case_env.app() as (app, pilot):
        form = await open_form(case_env, app, pilot, pid)
        await type_into(pilot, form, "exam_center", "VHS Erlangen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen))
        screen = app.screen

        def heading_text() -> str:
            return str(screen.query_one("#heading").render())

        # by itself, on leaving the form (the test called render_case() here and so hid that
        # the heading stayed without the draft until the case was loaded again)
        await wait_for(pilot, lambda: "✎ Entwurf: Papier-DTZ (d)" in heading_text(), "Entwurf")
        heading = heading_text()
        assert "✎ Entwurf: Papier-DTZ (d), gespeichert " in heading
        assert "gerade eben" in heading or "vor 1 Min." in heading

    assert case_env.drafts.participants() == {pid}
    assert [d.form for d in case_env.drafts.of(pid)] == ["paper-dtz"]

    from inge_tui.api.client import PostboxQuery
    from inge_tui.widgets.postbox_source import EntryCache, ServiceLink

    client = case_env.client()
    try:
        link = ServiceLink(client)
        source = ServiceSource(
            link, PostboxQuery(q=pid), EntryCache(), case_env.drafts.participants
        )
        rows, _ = await source.fetch(None, 10)
    finally:
        await client.aclose()
    assert rows and all(isinstance(r, Row) and r.draft for r in rows)
    assert DRAFT == "✎"


async def test_repetition_draft_is_restored_and_opening_alone_writes_none(
    case_env: CaseEnv,
) -> None:
    pid = alpha_case(case_env)
    async with case_env.app() as (app, pilot):
        form = await open_repetition(case_env, app, pilot, pid)
        path = case_env.drafts.path(pid, form.form_name)
        await pilot.pause(0.6)
        assert not path.exists()  # opening the form is not an edit
        form.query_one("#f-decision", RadioSet).focus()
        await pilot.press("right", "enter")
        await type_into(pilot, form, "reason", "Antrag zurückgezogen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen))
        assert path.exists()
        form = await open_repetition(case_env, app, pilot, pid)
        await wait_for(pilot, lambda: form.values()["reason"] == "Antrag zurückgezogen")
        assert form.values()["decision"] == "reject"


def test_draft_store_is_private_and_atomic(tmp_path: Any) -> None:
    store = DraftStore(tmp_path / "drafts")
    path = store.save("TN-1", "paper-dtz", {"sprechen": "74,5"})
    assert path == tmp_path / "drafts" / "TN-1-paper-dtz.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "drafts").stat().st_mode & 0o777 == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    draft = store.load("TN-1", "paper-dtz")
    assert draft is not None and draft.fields == {"sprechen": "74,5"}
    path.write_text("{kaputt", "utf-8")
    assert store.load("TN-1", "paper-dtz") is None  # a broken draft is no draft, not a crash
    store.delete("TN-1", "paper-dtz")
    store.delete("TN-1", "paper-dtz")
    assert not path.exists()
    assert store.path("../x", "a/b").parent == tmp_path / "drafts"
