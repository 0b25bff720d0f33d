"""Deciding a repetition application against the real service: the conditions of the rules in
force on the day of receipt, field checks as the caseworker types, a confirmation that says
exactly what will happen, and the decision as the service recorded it.
"""

from __future__ import annotations

from case_support import (  # noqa: F401
    CaseEnv,
    alpha_case,
    application,
    case_env_fixture,
    open_repetition,
    save_and_confirm,
    says,
    text_of,
    type_into,
)
from support.app_env import wait_for
from textual.widgets import RadioSet

from inge_tui.screens.repetition import RepetitionScreen


async def test_conditions_and_approval_with_hours_checked_as_typed(case_env: CaseEnv) -> None:
    pid = alpha_case(case_env)
    async with case_env.app() as (app, pilot):
        screen = await open_repetition(case_env, app, pilot, pid)
        conditions = text_of(screen, "#conditions")
        # why these rules, in words (issue 14): the date of receipt against the reform
        assert (
            "Regeln: Antrag eingegangen am 10.02.2026, ab dem 07.12.2024: Wiederholung nach"
            " § 13 Abs. 1 Satz 4 IntV" in conditions
        )
        assert "(wiederholung-2024-12-07)" in conditions
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
        screen = await open_repetition(case_env, app, pilot, pid)
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
        screen = await open_repetition(case_env, app, pilot, pid)
        assert "nur mit Verzicht" in text_of(screen, "#conditions")
        assert "(verzichtbar)" in text_of(screen, "#conditions")
        # the rules' objection is the service's (a dry run), a moment after the form opens
        await says(pilot, screen, "#problems", "Genehmigung nur mit Verzicht auf die DTZ")

        screen.query_one("#f-waive").focus()
        await pilot.press("space")
        await pilot.pause(0.05)
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert text_of(screen, "#e-reason") == "Begründung für den Verzicht fehlt"

        await type_into(pilot, screen, "reason", "Alphabetisierung, Einzelfall")
        await wait_for(pilot, lambda: text_of(screen, "#problems") == "", "keine Einwände")
        summary = text_of(screen, "#summary")
        assert "mit Verzicht auf die DTZ-Voraussetzung wird vorgeschlagen" in summary
        assert "Freigabe durch die Leitung" in summary
        await save_and_confirm(app, pilot, "y")

    proposed = application(case_env, pid)
    assert proposed["status"] == "offen"  # four eyes: a supervisor confirms (R13.3, A.12)
    assert proposed["waiver_proposal"]["hours"] == 300
    assert proposed["waiver_proposal"]["reason"] == "Alphabetisierung, Einzelfall"
