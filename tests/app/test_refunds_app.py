"""Deciding refund applications in the real app (§ 9 Abs. 6 IntV, R16): the Postkorb lists the
`erstattung` entries, the case shows each condition and the amount, `R` opens the `:` line
with `decide-refund` typed in; a grant the rules forbid is one German line and changes
nothing, a refusal with a reason and a grant each produce their Bescheid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from postkorb_support import AppEnv, wait_for
from textual.widgets import Input, Static

from inge_tui.app import IngeApp
from inge_tui.screens.participant import ParticipantScreen


def messages(app: IngeApp) -> list[str]:
    return [n.message for n in app._notifications]


def case_text(app: IngeApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def file_refund(office: AppEnv, **overrides: Any) -> tuple[str, int]:
    """A certified case and its refund application; `overrides` go to the registration."""
    pid = office.actors.ready_case(**overrides)
    assert office.actors.issue(pid).status_code == 201
    body = {
        "participant_id": pid,
        "received_on": office.actors.live.clock().date().isoformat(),
        "contribution_paid_cents": 137_400,
        "iban": "DE89370400440532013000",
        "account_holder": "Ayşe Şahin",
    }
    answer = office.actors.provider.post("/v1/refund-applications", json=body)
    assert answer.status_code == 201, answer.text
    return pid, int(answer.json()["refund_id"])


def refund_of(office: AppEnv, pid: str) -> dict[str, Any]:
    [refund] = office.actors.case(pid)["refunds"]
    return dict(refund)


async def open_refund_entry(app: IngeApp, pilot: Any, pid: str) -> None:
    """Filter the Postkorb to the case's `erstattung` entry and open it with Enter."""
    await pilot.press("slash")
    app.screen.query_one("#filter", Input).value = f"art:erstattung {pid}"
    await pilot.press("enter")

    def highlighted() -> bool:
        entry = app.session.entry
        return entry is not None and entry.participant_id == pid and entry.kind == "erstattung"

    await wait_for(pilot, highlighted, "Eintrag im Postkorb")
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ParticipantScreen)
            and app.screen.participant is not None
            and app.screen.participant_id == pid
        ),
        "Fall",
    )


async def test_grant_and_refuse_by_keys(office: AppEnv) -> None:
    eligible, _ = file_refund(office)
    late, _ = file_refund(office, entitlement_date="2023-06-01")
    async with office.run(size=(100, 40)) as (app, pilot):
        await open_refund_entry(app, pilot, late)
        await wait_for(pilot, lambda: "nicht erstattungsfähig" in case_text(app), "Banner")
        assert "✖ Erfolg am 20.01.2026, nach Ende der Frist" in case_text(app)
        # the rules forbid it: one German line, nothing decided
        await pilot.press("R", *"bewilligen", "enter")
        await wait_for(pilot, lambda: any("nicht möglich" in m for m in messages(app)))
        assert refund_of(office, late)["status"] == "offen"
        # refused with a reason: the Bescheid is handed over
        await pilot.press("R", *"ablehnen Erfolg nach Ablauf der Zweijahresfrist", "enter")
        await wait_for(pilot, lambda: any("Erstattung abgelehnt" in m for m in messages(app)))
        refused = refund_of(office, late)
        assert refused["status"] == "abgelehnt"
        assert refused["decision_reason"] == "Erfolg nach Ablauf der Zweijahresfrist"
        await wait_for(
            pilot, lambda: "✔ entschieden: abgelehnt" in case_text(app), "Banner nach Entscheidung"
        )
        await pilot.press("escape")
        await pilot.pause(0.3)

        await open_refund_entry(app, pilot, eligible)
        await wait_for(pilot, lambda: "erstattungsfähig: 687,00 €" in case_text(app), "Betrag")
        await pilot.press("R", *"bewilligen", "enter")
        await wait_for(pilot, lambda: any("Erstattung bewilligt" in m for m in messages(app)))
        granted = refund_of(office, eligible)
        assert (granted["status"], granted["amount_cents"]) == ("bewilligt", 68_700)
        said = next(m for m in messages(app) if "Erstattung bewilligt" in m)
        assert said.startswith("Erstattung bewilligt: 687,00 €") and granted["letter_id"] in said
        path = Path(said.rsplit(": ", 1)[1])
        assert path.read_bytes()[:5] == b"%PDF-"
