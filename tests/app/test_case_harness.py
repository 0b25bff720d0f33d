"""The case harness itself: it opens a case from the Postkorb like the real app."""

from __future__ import annotations

from case_support import CaseEnv, case_env_fixture  # noqa: F401
from support.app_env import wait_for

from inge_tui.screens.participant import ParticipantScreen


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
