"""Deciding a repetition application against the real service: the conditions of the rules in
force on the day of receipt, field checks as the caseworker types, a confirmation that says
exactly what will happen, and the decision as the service recorded it.
"""

from __future__ import annotations

from typing import Any

from test_case_harness import CaseEnv, case_env_fixture, wait_for  # noqa: F401
from textual.widgets import Input, RadioSet, Static

from inge_tui.api.client import PostboxQuery
from inge_tui.screens.forms import ConfirmScreen
from inge_tui.screens.participant import ParticipantScreen
from inge_tui.screens.repetition import RepetitionScreen


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


async def open_form(env: CaseEnv, app: Any, pilot: Any, pid: str) -> RepetitionScreen:
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


async def type_into(pilot: Any, screen: RepetitionScreen, name: str, text: str) -> None:
    field = screen.query_one(f"#f-{name}", Input)
    field.value = ""
    field.focus()
    await pilot.press(*text)
    await pilot.pause(0.05)


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


async def test_conditions_and_approval_with_hours_checked_as_typed(case_env: CaseEnv) -> None:
    pid = alpha_case(case_env)
    async with case_env.app() as (app, pilot):
        screen = await open_form(case_env, app, pilot, pid)
        conditions = text_of(screen, "#conditions")
        assert "Regeln wiederholung-2024-12-07" in conditions
        assert "bewilligungsfähig" in conditions
        assert "R13 Alphabetisierungskurs: Wiederholung möglich" in conditions
        assert "(§ 13 Abs. 1 Satz 4 IntV)" in conditions

        await type_into(pilot, screen, "hours", "350")
        assert text_of(screen, "#e-hours") == "1 bis 300 UE zulässig"
        assert "nichts wird entschieden" in text_of(screen, "#summary")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert isinstance(app.screen, RepetitionScreen)  # refused before asking

        await type_into(pilot, screen, "hours", "280")
        assert text_of(screen, "#e-hours") == ""
        summary = text_of(screen, "#summary")
        assert "Wiederholung von 280 UE wird bewilligt (Antrag" in summary
        confirm = await save_and_confirm(app, pilot, "y")
        assert "Wiederholung von 280 UE wird bewilligt" in confirm

    decided = application(case_env, pid)
    assert decided["status"] == "genehmigt"
    assert decided["decided_hours"] == 280
    assert decided["rules_version"] == "wiederholung-2024-12-07"
    assert not case_env.drafts.path(pid, f"repetition-{decided['application_id']}").exists()


async def test_rejection_needs_a_reason(case_env: CaseEnv) -> None:
    pid = alpha_case(case_env)
    async with case_env.app() as (app, pilot):
        screen = await open_form(case_env, app, pilot, pid)
        screen.query_one("#f-decision", RadioSet).focus()
        await pilot.press("right", "enter")
        await pilot.pause(0.05)
        assert screen.values()["decision"] == "reject"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert isinstance(app.screen, RepetitionScreen)
        assert text_of(screen, "#e-reason") == "Begründung für die Ablehnung fehlt"

        await type_into(pilot, screen, "reason", "Kurs bereits abgeschlossen")
        assert text_of(screen, "#e-reason") == ""
        assert "Antrag auf Wiederholung wird abgelehnt" in text_of(screen, "#summary")
        await save_and_confirm(app, pilot, "enter")

    decided = application(case_env, pid)
    assert decided["status"] == "abgelehnt"
    assert decided["decision_reason"] == "Kurs bereits abgeschlossen"


async def test_waiver_only_with_a_written_reason(case_env: CaseEnv) -> None:
    pid = alpha_case(case_env, dtz=False)
    async with case_env.app() as (app, pilot):
        screen = await open_form(case_env, app, pilot, pid)
        assert "nur mit Verzicht" in text_of(screen, "#conditions")
        assert "(verzichtbar)" in text_of(screen, "#conditions")
        problems = text_of(screen, "#problems")
        assert "Genehmigung nur mit Verzicht auf die DTZ-Voraussetzung" in problems

        screen.query_one("#f-waive").focus()
        await pilot.press("space")
        await pilot.pause(0.05)
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert text_of(screen, "#e-reason") == "Begründung für den Verzicht fehlt"

        await type_into(pilot, screen, "reason", "Alphabetisierung, Einzelfall")
        assert text_of(screen, "#problems") == ""
        assert "Auf die DTZ-Voraussetzung wird verzichtet" in text_of(screen, "#summary")
        await save_and_confirm(app, pilot, "y")

    decided = application(case_env, pid)
    assert decided["status"] == "genehmigt"
    assert decided["waive_dtz_condition"] is True
    assert decided["decided_hours"] == 300
