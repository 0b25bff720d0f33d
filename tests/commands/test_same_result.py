"""One command set: the same command by key, by palette (Pilot) and headless (`inge-tui run`)
does the same thing on the real service. Each path works on a case of its own, set up alike;
what the service then holds for the three cases must not differ."""

from __future__ import annotations

import asyncio
from typing import Any

from commands_support import (
    CASEWORKER,
    Office,
    json_lines,
    messages,
    palette_run,
    run_headless,
    wait_for,
)
from textual.widgets import Input

from inge_tui.screens.participant import ParticipantScreen


async def headless(office: Office, *lines: str) -> list[dict[str, Any]]:
    """`inge-tui run --json LINES` (in a thread: it runs its own event loop)."""
    argv = ["--url", office.live.base_url, "run", "--json", *lines]
    code, out, err = await asyncio.to_thread(run_headless, argv, {"INGE_TOKEN": office.token})
    assert code == 0, out + err
    return json_lines(out)


def effect(office: Office, pid: str) -> tuple[Any, ...]:
    """What a command left on the service for one case, without ids and times."""
    case = office.case(pid)
    entries = sorted((e["kind"], e["status"], e["claimed_by"]) for e in case["postbox"])
    documents = sorted(c["kind"] for c in case["certificates"])
    decided = sorted(
        (a["status"], a["decided_hours"], a["decided_by"]) for a in case["applications"]
    )
    actions = sorted(a["action"] for a in case["audit"] if a["action"] != "fall_angesehen")
    return entries, documents, decided, actions


async def key_filter(pilot: Any, text: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one("#filter", Input).value = text
    await pilot.press("enter")


async def on_case(pilot: Any, pid: str) -> ParticipantScreen:
    app = pilot.app
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, ParticipantScreen) and app.screen.participant_id == pid,
        f"Fall {pid}",
    )
    screen = app.screen
    await wait_for(pilot, lambda: screen.participant is not None, "Fall geladen")
    return screen


async def test_filter(office: Office) -> None:
    office.ready(3)
    office.ready(identity=False)
    line = "status:offen blockiert:nein"
    async with office.app() as (app, pilot):
        session = app.session
        assert session is not None
        await key_filter(pilot, line)
        await wait_for(pilot, lambda: session.query.blocked is False, "Filter per Taste")
        by_key, shown = session.query, list(messages(app))
        await key_filter(pilot, "")
        await wait_for(pilot, lambda: session.query.blocked is None, "Filter leer")
        await palette_run(pilot, f"filter {line}")
        await wait_for(pilot, lambda: session.query.blocked is False, "Filter per Palette")
        assert session.query == by_key
        await wait_for(pilot, lambda: len(messages(app)) > len(shown) + 1, "Meldung")
    record = (await headless(office, f"filter {line}"))[0]
    assert record["message"] == "Filter: status:offen blockiert:nein – 3 Treffer"
    assert record["message"] in shown and messages(app)[-1] == record["message"]


async def test_open_and_claim(office: Office) -> None:
    opened = office.ready(3)
    claimed = office.ready(3)
    async with office.app() as (app, pilot):
        await pilot.press("o")  # the key asks for the number in the command line
        await wait_for(pilot, lambda: app.screen.query("#command-input"), "Befehlszeile")
        app.screen.query_one("#command-input", Input).value = f"open {opened[0]}"
        await pilot.press("enter")
        await on_case(pilot, opened[0])
        await pilot.press("escape")
        await palette_run(pilot, f"open {opened[1]}")
        await on_case(pilot, opened[1])
        await pilot.press("escape")

        session = app.session
        assert session is not None
        for pid, by_palette in ((claimed[0], False), (claimed[1], True)):
            await key_filter(pilot, pid)
            await wait_for(
                pilot,
                lambda pid=pid: session.entry is not None and session.entry.participant_id == pid,
                "Eintrag gewählt",
            )
            if by_palette:
                await palette_run(pilot, "claim")
            else:
                await pilot.press("C")
            await wait_for(
                pilot, lambda pid=pid: office.entry(pid)["claimed_by"] == CASEWORKER, "übernommen"
            )
    await headless(office, f"open {opened[2]}")
    await headless(office, f"filter {claimed[2]}", "claim")
    assert effect(office, opened[0]) == effect(office, opened[1]) == effect(office, opened[2])
    assert effect(office, claimed[0]) == effect(office, claimed[1]) == effect(office, claimed[2])
    assert office.entry(opened[2])["claimed_by"] == CASEWORKER


async def test_issue_document(office: Office) -> None:
    pids = office.ready(3)
    async with office.app() as (app, pilot):
        for pid, by_palette in ((pids[0], False), (pids[1], True)):
            await key_filter(pilot, pid)  # so that `next` afterwards finds nothing else
            await pilot.pause(0.2)
            await palette_run(pilot, f"open {pid}") if by_palette else await pilot.press("o")
            if not by_palette:
                app.screen.query_one("#command-input", Input).value = f"open {pid}"
                await pilot.press("enter")
            await on_case(pilot, pid)
            await palette_run(pilot, "issue-document") if by_palette else await pilot.press("i")
            await wait_for(
                pilot, lambda: type(app.screen).__name__ == "IssuePreviewScreen", "Vorschau"
            )
            await pilot.press("y")
            await wait_for(pilot, lambda pid=pid: office.certificates(pid), "ausgestellt")
            await wait_for(pilot, lambda: not isinstance(app.screen, ParticipantScreen), "zu")
    await headless(office, f"open {pids[2]}", "issue-document --yes")
    assert effect(office, pids[0]) == effect(office, pids[1]) == effect(office, pids[2])
    assert effect(office, pids[0])[1] == ["zertifikat"]


async def test_decide_repetition(office: Office) -> None:
    cases = [office.repetition_case(300) for _ in range(3)]
    async with office.app() as (app, pilot):
        (by_key, _), (by_palette, application) = cases[0], cases[1]
        await palette_run(pilot, f"open {by_key}")
        await on_case(pilot, by_key)
        await pilot.press("w")  # the form, filled in from the application
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RepetitionScreen", "Formular")
        await pilot.pause(0.3)
        await pilot.press("f2")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", "Rückfrage")
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: office.case(by_key)["applications"][0]["status"] == "genehmigt",
            "per Taste entschieden",
        )
        await pilot.pause(0.3)
        while len(app.screen_stack) > 1:
            await pilot.press("escape")
            await pilot.pause(0.1)
        await palette_run(pilot, f"open {by_palette}")
        await on_case(pilot, by_palette)
        await palette_run(pilot, f"decide-repetition {application} approve 300")
        await wait_for(
            pilot,
            lambda: office.case(by_palette)["applications"][0]["status"] == "genehmigt",
            "per Palette entschieden",
        )
    pid, application = cases[2]
    await headless(office, f"open {pid}", f"decide-repetition {application} approve 300")
    assert effect(office, cases[0][0]) == effect(office, cases[1][0]) == effect(office, pid)
    assert effect(office, pid)[2] == [("genehmigt", 300, CASEWORKER)]
