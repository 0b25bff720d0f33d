"""The participant detail against the real service: both results with points, maximum and
level, source and date; the ID number masked until revealed on purpose; every section reachable
by its number key; blockers with who must supply what; the history.
"""

from __future__ import annotations

import json

from case_support import CaseEnv, case_env_fixture, open_case  # noqa: F401
from support.app_env import wait_for
from textual.widgets import Static

from inge_tui.screens.participant import SECTIONS, ParticipantScreen
from inge_tui.widgets.case_sections import CaseSection
from inge_tui.widgets.result_cards import DtzCard, LidCard


def text(screen: ParticipantScreen, selector: str) -> str:
    widget = screen.query_one(selector)
    if isinstance(widget, CaseSection):
        return "\n".join(str(s.render()) for s in widget.query(Static))
    return str(widget.render())


async def test_both_results_and_the_masked_number(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(b1=False, lid_points=18)
    async with case_env.app() as (app, pilot):
        screen = await open_case(case_env, app, pilot, pid)
        dtz = text(screen, "DtzCard")
        assert "DTZ · Web-Service · 10.01.2026 · VHS Nürnberg" in dtz
        assert "Hören/Lesen     25 / 45   A2" in dtz
        assert "Schreiben       10 / 20   A2" in dtz
        assert "Sprechen        50 / 100  A2" in dtz
        assert "Gesamt" in dtz and dtz.rstrip().endswith("A2")
        lid = text(screen, "LidCard")
        assert "Punkte          18 / 33   bestanden" in lid
        assert "Einbürgerung  ab 17 Punkten: erreicht" in lid
        assert screen.query_one(DtzCard).region.width > 0
        assert screen.query_one(LidCard).region.y > screen.query_one(DtzCard).region.y  # stacked

        person = text(screen, "#sec-person")
        assert "Reisepass" in person
        assert "•••••••47" in person
        assert "C01X00T47" not in person
        assert screen.participant is not None
        assert screen.participant.identity.document_number is None  # the case read is masked
        await pilot.press("r")
        await wait_for(pilot, lambda: "C01X00T47" in text(screen, "#sec-person"))
        assert "(Taste r: verbergen)" in text(screen, "#sec-person")
        audit = case_env.actors.caseworker.get("/v1/audit", params={"participant_id": pid})
        revealed = [e for e in audit.json()["items"] if e["action"] == "identity_revealed"]
        assert len(revealed) == 1  # the number on screen came from the audited reveal
        # the history on screen shows the reveal without reopening the case
        await wait_for(pilot, lambda: "Ausweisnummer angezeigt" in text(screen, "#sec-audit"))
        await pilot.press("r")
        await wait_for(pilot, lambda: "C01X00T47" not in text(screen, "#sec-person"))
        assert "•••••••47" in text(screen, "#sec-person")

        course = text(screen, "#sec-course")
        assert "Allgemeiner Integrationskurs" in course
        assert "600 von 600 UE genutzt" in course
        assert "2. DTZ gefördert" in course and "Geförderter LiD" in course
        assessment = text(screen, "#sec-assessment")
        assert "Bescheinigung über das erreichte Ergebnis" in assessment
        assert "(§ 17 Abs. 4 Satz 4 IntV)" in assessment
        audit = text(screen, "#sec-audit")
        assert "Fall angesehen" in audit and "DTZ-Ergebnis empfangen" in audit


async def test_side_by_side_when_wide(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case()
    async with case_env.app(size=(120, 40)) as (app, pilot):
        screen = await open_case(case_env, app, pilot, pid)
        dtz, lid = screen.query_one(DtzCard).region, screen.query_one(LidCard).region
        assert dtz.y == lid.y and lid.x > dtz.x


async def test_every_section_by_its_key(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case()
    async with case_env.app() as (app, pilot):
        screen = await open_case(case_env, app, pilot, pid)
        scroll = screen.query_one("#case")
        for number, (key, _title, _short) in enumerate(SECTIONS, start=1):
            await pilot.press(str(number))
            await pilot.pause(0.05)
            section = screen.query_one(f"#sec-{key}", CaseSection)
            assert app.focused is section
            top = section.region.y
            assert scroll.region.y <= top < scroll.region.bottom, key


async def test_blockers_name_who_must_supply_what(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(identity=False)
    async with case_env.app() as (app, pilot):
        screen = await open_case(case_env, app, pilot, pid)
        blockers = text(screen, "#sec-blockers")
        assert "Ausweisnummer fehlt (Kursträger)" in blockers
        assert "Anschrift fehlt (Kursträger)" in blockers
        assert "liefern muss: Kursträger" in blockers
        assert "[fehlt]" in text(screen, "#sec-person")
        assert screen.check_action("reveal", ()) is None  # nothing to reveal


async def test_export_writes_the_case_with_the_number_masked(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case()
    async with case_env.app() as (app, pilot):
        await open_case(case_env, app, pilot, pid)
        await pilot.press("e")
        target = case_env.documents / f"fall-{pid}-20260302.json"
        await wait_for(pilot, lambda: target.exists())
    exported = json.loads(target.read_text("utf-8"))
    assert exported["participant_id"] == pid
    assert exported["identity"]["document_number_masked"] == "•••••••47"
    assert exported["identity"]["document_number"] is None
    assert "C01X00T47" not in target.read_text("utf-8")
    assert exported["dtz"]["overall"] == "B1"
