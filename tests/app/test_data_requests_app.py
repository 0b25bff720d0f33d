"""Chasing missing data in the real app (domain.md A.16): `F` on a blocked case asks the course
provider with a deadline and a note typed on the `:` line, the case and the Postkorb say it is
requested, asking twice is one German line, `E` is refused before the deadline, and the
provider's report closes the request by itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from postkorb_support import AppEnv, wait_for
from textual.widgets import Static

from inge_tui.api.client import PostboxQuery
from inge_tui.app import IngeApp
from inge_tui.screens.participant import ParticipantScreen


def messages(app: IngeApp) -> list[str]:
    return [n.message for n in app._notifications]


def case_text(app: IngeApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def requests_of(office: AppEnv, pid: str, status: str = "offen") -> list[dict[str, Any]]:
    answer = office.actors.caseworker.get(
        "/v1/data-requests", params={"participant_id": pid, "status": status}
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


async def test_request_remind_and_answer_by_keys(office: AppEnv) -> None:
    pid = office.actors.ready_case(identity=False)
    async with office.run(size=(100, 40)) as (app, pilot):
        await pilot.press("colon", *f"open {pid}", "enter")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ParticipantScreen)
                and app.screen.participant is not None
                and app.screen.participant_id == pid
            ),
            "Fall",
        )
        await pilot.press("F", *"anschrift 21 Bitte mit Hausnummer", "enter")
        await wait_for(pilot, lambda: any("Angefordert bei" in m for m in messages(app)), "ok")
        due = date.today() + timedelta(days=21)
        said = next(m for m in messages(app) if "Angefordert bei" in m)
        assert said == f"Angefordert bei Kursträger Süd: Postanschrift, Frist {due:%d.%m.%Y}."
        [request] = requests_of(office, pid)
        assert request["item"] == "anschrift_fehlt"
        assert request["note"] == "Bitte mit Hausnummer" and request["due_on"] == due.isoformat()
        await wait_for(pilot, lambda: "angefordert am" in case_text(app), "Vermerk am Blocker")
        assert "Frist " + f"{due:%d.%m.%Y}" in case_text(app)

        # asked again: one German line, nothing stored
        await pilot.press("F", *"anschrift", "enter")
        await wait_for(pilot, lambda: any("schon seit" in m for m in messages(app)), "doppelt")
        assert len(requests_of(office, pid)) == 1
        # a reminder only after the deadline
        await pilot.press("E")
        await wait_for(pilot, lambda: any("Noch nicht überfällig" in m for m in messages(app)))
        await pilot.press("escape")  # the line the key opened

        query = PostboxQuery(requested=True)
        found = await app.session.client.postbox_page(query, limit=100)
        assert pid in {e.participant_id for e in found.items}

    # the provider reports the address: the request ends by itself
    office.actors.identity(pid)
    assert requests_of(office, pid) == []
    [done] = requests_of(office, pid, status="erledigt")
    assert done["request_id"] == request["request_id"]
