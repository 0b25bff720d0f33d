"""The self-payer's paper DTZ and the alternative B1 proof, against the real service: the
derived levels and the validity appear as the caseworker types, and what is sent is what the
service then reports.
"""

from __future__ import annotations

from case_support import (  # noqa: F401
    CaseEnv,
    case_env_fixture,
    open_case,
    open_form,
    save,
    says,
    self_payer,
    shown,
    type_into,
)
from support.app_env import wait_for
from textual import events
from textual.widgets import Input

from inge_tui.screens.alt_b1 import AltB1Screen
from inge_tui.screens.paper_dtz import PaperDtzScreen
from inge_tui.screens.participant import ParticipantScreen


async def test_paper_dtz_levels_appear_as_points_are_typed(case_env: CaseEnv) -> None:
    pid = self_payer(case_env)
    async with case_env.app() as (app, pilot):
        case = await open_case(case_env, app, pilot, pid)
        assert "Ausstellung blockiert" in str(case.query_one("#issue-state").render())
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, PaperDtzScreen))
        form = app.screen
        assert isinstance(form, PaperDtzScreen)

        await type_into(pilot, form, "exam_date", "3.2.2026")
        await type_into(pilot, form, "exam_center", "VHS Fürth")

        # the levels are the service's (its thresholds), not computed in the form
        await type_into(pilot, form, "hoeren_lesen", "35")
        await says(pilot, form, "#d-hoeren_lesen", "→ B1", end=True)
        await type_into(pilot, form, "schreiben", "12")
        await says(pilot, form, "#d-schreiben", "→ A2", end=True)
        await type_into(pilot, form, "sprechen", "74,5")
        await says(pilot, form, "#d-sprechen", "→ A2", end=True)
        await says(pilot, form, "#overall", "→ A2", end=True)
        await type_into(pilot, form, "sprechen", "75")
        await says(pilot, form, "#d-sprechen", "→ B1", end=True)
        await says(pilot, form, "#overall", "→ B1", end=True)
        assert "DTZ (Papier) vom 03.02.2026" in shown(form, "#summary")

        await type_into(pilot, form, "sprechen", "74,3")
        await says(pilot, form, "#e-sprechen", "nur in Schritten von 0,5 Punkten")
        await type_into(pilot, form, "schreiben", "21")
        await says(pilot, form, "#e-schreiben", "außerhalb von 0 bis 20")
        await type_into(pilot, form, "exam_date", "31.02.2026")
        assert "gibt es nicht im Kalender" in shown(form, "#e-exam_date")

        await type_into(pilot, form, "exam_date", "2026-02-03")
        await type_into(pilot, form, "schreiben", "12")
        await type_into(pilot, form, "sprechen", "75")
        banner = await save(app, pilot, "dtz")
        assert "Ausstellbar: Zertifikat Integrationskurs" in banner

    dtz = case_env.actors.case(pid)["dtz"]
    assert dtz["source"] == "paper"
    assert dtz["overall"] == "B1"
    assert dtz["parts"]["sprechen"]["points"] == 75
    assert dtz["exam_center"] == "VHS Fürth"


async def test_keys_that_arrive_together_follow_the_tabs(case_env: CaseEnv) -> None:
    """Over SSH a fast typist's keys can arrive in one read: each key still lands in the
    field the tabs before it lead to, not in the field the first tab left."""
    pid = self_payer(case_env)
    async with case_env.app() as (app, pilot):
        form = await open_form(case_env, app, pilot, pid, "d", PaperDtzScreen)
        form.query_one("#f-hoeren_lesen", Input).focus()
        await pilot.pause()

        special = {"tab": "\t", "shift+tab": None}
        # a field takes the focus with its text selected, so "1", "5" replace the "21"
        for key in ("3", "4", "tab", "2", "1", "tab", "8", "0", "shift+tab", "1", "5"):
            event = events.Key(key, special.get(key, key))
            event.set_sender(app)
            app._driver.send_message(event)  # as the driver does for one read: no wait between

        def value(name: str) -> str:
            return form.query_one(f"#f-{name}", Input).value

        await pilot.pause(0.2)
        assert (value("hoeren_lesen"), value("schreiben"), value("sprechen")) == ("34", "15", "80")


async def test_paper_dtz_only_for_self_payers_or_with_a_reason(case_env: CaseEnv) -> None:
    """R8: with a transmitted DTZ the paper form does not open; without one (the web service
    did not deliver), the form asks why the result is captured from paper."""
    a = case_env.actors
    transmitted = a.ready_case()
    async with case_env.app() as (app, pilot):
        case = await open_case(case_env, app, pilot, transmitted)
        assert case.check_action("paper_dtz", ()) is False
        await pilot.press("d")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ParticipantScreen)

    missing = a.register()
    a.identity(missing)
    assert a.lid(missing, 20).status_code == 201
    async with case_env.app() as (app, pilot):
        form = await open_form(case_env, app, pilot, missing, "d", PaperDtzScreen)
        await type_into(pilot, form, "exam_date", "10.01.2026")
        await type_into(pilot, form, "exam_center", "VHS Fürth")
        await type_into(pilot, form, "hoeren_lesen", "35")
        await type_into(pilot, form, "schreiben", "12")
        await type_into(pilot, form, "sprechen", "75")
        await pilot.press("ctrl+s")  # errors show once a field was edited, or on sending
        await pilot.pause(0.2)
        assert "Grund fehlt" in shown(form, "#e-capture_reason")
        await type_into(pilot, form, "exam_date", "15.12.2026")
        assert "Zukunft" in shown(form, "#e-exam_date")
        await type_into(pilot, form, "exam_date", "10.01.2026")
        reason = "Webservice hat das Ergebnis nicht geliefert"
        await type_into(pilot, form, "capture_reason", reason)
        banner = await save(app, pilot, "dtz")
        assert "Ausstellbar: Zertifikat Integrationskurs" in banner
    dtz = a.case(missing)["dtz"]
    assert (dtz["source"], dtz["capture_reason"], dtz["counted"]) == ("paper", reason, True)


async def test_alternative_b1_valid_too_old_and_not_recognised(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(b1=False)
    async with case_env.app() as (app, pilot):
        form = await open_form(case_env, app, pilot, pid, "b", AltB1Screen)

        # the verdict is the service's (a dry run), once the proof is complete
        await type_into(pilot, form, "exam_name", "Sprachschule Müller B1")
        await type_into(pilot, form, "level", "b1")
        await type_into(pilot, form, "issued_on", "01.06.2024")
        await type_into(pilot, form, "presented_on", "10.01.2025")
        await says(pilot, form, "#summary", "nicht auf der Liste der vom BAMF anerkannten")
        assert "nicht anerkannt" in shown(form, "#summary")
        assert shown(form, "#d-exam_name") == "nicht auf der Liste"
        assert shown(form, "#d-level") == "ab B1"

        await type_into(pilot, form, "exam_name", "Goethe-Zertifikat B1")
        await says(pilot, form, "#summary", "✔ gültig")
        assert shown(form, "#d-exam_name") == "anerkannt"

        await type_into(pilot, form, "issued_on", "01.12.2023")
        await says(pilot, form, "#summary", "älter als ein Jahr")

        await type_into(pilot, form, "issued_on", "01.06.2024")
        banner = await save(app, pilot, "alternative_b1")
        assert "Zertifikat Integrationskurs" in banner

    case = case_env.actors.case(pid)
    assert case["alternative_b1"]["valid"] is True
    assert case["assessment"]["document"] == "zertifikat"
