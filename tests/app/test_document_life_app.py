"""A document's life in the real app (domain.md A.12, A.13): issued with `i` `y`, its decision
record shown on the case, reversed with `S` and a reason typed on the `:` line, issued again,
printed with `D` and marked posted with `M`, then a Zweitschrift with `K`. A reason that is too
short, a copy before dispatch and a Storno after it are one German line each and change
nothing; what is typed after a refused key lands in the `:` line, never acts as keys.

The app is the one the CLI starts (`make_app`), on a service of its own over SQLite; what
happened is read back from the service, not from the app.
"""

from __future__ import annotations

from typing import Any

from postkorb_support import CASEWORKER, AppEnv, wait_for
from textual.widgets import Static

from inge_tui.app import IngeApp
from inge_tui.config import paths
from inge_tui.screens.command_line import CommandPrompt
from inge_tui.screens.issue import IssuePreviewScreen
from inge_tui.screens.participant import ParticipantScreen

REASON = "irrtümlich ausgestellt, LiD-Ergebnis verwechselt"


def messages(app: IngeApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown(app: IngeApp, pid: str) -> ParticipantScreen | None:
    screen = app.screen
    if isinstance(screen, ParticipantScreen) and screen.participant_id == pid:
        return screen if screen.participant is not None else None
    return None


def case_text(app: IngeApp) -> str:
    screen = app.screen
    assert isinstance(screen, ParticipantScreen)
    return "\n".join(str(w.render()) for w in screen.query(Static))


def moved_on(app: IngeApp, pid: str) -> bool:
    """The next entry opened by itself (the office always has another open entry)."""
    screen = app.screen
    return (
        isinstance(screen, ParticipantScreen)
        and screen.participant_id != pid
        and screen.participant is not None
    )


async def open_case(pilot: Any, app: IngeApp, pid: str) -> ParticipantScreen:
    if isinstance(app.screen, ParticipantScreen):
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.postbox_screen, "Postkorb")
    await pilot.press("colon", *f"open {pid}", "enter")
    await wait_for(pilot, lambda: shown(app, pid) is not None, f"Fall {pid}")
    screen = shown(app, pid)
    assert screen is not None
    return screen


async def issue(pilot: Any, app: IngeApp, pid: str) -> None:
    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(app.screen, IssuePreviewScreen), "Vorschau")
    before = len(messages(app))
    await pilot.press("y")
    await wait_for(
        pilot,
        lambda: any("ausgestellt" in m for m in messages(app)[before:]),
        "ausgestellt",
        timeout=20,
    )
    await wait_for(pilot, lambda: moved_on(app, pid), "nächster Fall")


def audit_actions(office: AppEnv, pid: str) -> list[str]:
    rows = office.actors.supervisor.get("/v1/audit", params={"participant_id": pid}).json()
    return [r["action"] for r in rows["items"] if r["action"] != "fall_angesehen"]


def documents(office: AppEnv, pid: str) -> list[dict[str, Any]]:
    return list(office.actors.case(pid)["certificates"])


async def test_issue_reverse_reissue_and_copy_by_keys(office: AppEnv) -> None:
    pid = office.actors.ready_case()
    async with office.run(size=(100, 40)) as (app, pilot):
        await open_case(pilot, app, pid)
        await issue(pilot, app, pid)
        [first] = documents(office, pid)
        assert first["kind"] == "zertifikat" and first["issued_by"] == CASEWORKER

        await open_case(pilot, app, pid)
        text = case_text(app)
        assert "Aktenvermerk (nicht auf dem Dokument)" in text
        assert "§ 17" in text  # the rules' reasoning, with its citations

        # too short a reason: one German line, nothing changed
        await pilot.press("S", *"Irrtum", "enter")
        await wait_for(pilot, lambda: any("20 Zeichen" in m for m in messages(app)), "Fehler")
        assert documents(office, pid)[0]["status"] == "gueltig"

        await pilot.press("S", *REASON, "enter")
        number = first["certificate_id"]
        await wait_for(
            pilot, lambda: any(f"{number} storniert" in m for m in messages(app)), "Storno"
        )
        [reversed_] = documents(office, pid)
        assert reversed_["status"] == "storniert"
        entry = next(e for e in office.actors.entries(pid) if e["kind"] == "abschluss")
        assert entry["status"] != "erledigt"  # the entry is open again

        await open_case(pilot, app, pid)
        await issue(pilot, app, pid)
        again = next(d for d in documents(office, pid) if d["status"] == "gueltig")
        assert again["certificate_id"] != number

        await open_case(pilot, app, pid)
        audit_before = audit_actions(office, pid)
        # a copy only of a posted document: K says why, and the line takes what is typed
        await pilot.press("K", *"verloren beim Umzug")
        assert isinstance(app.screen, CommandPrompt)
        assert any("Noch nicht versandt" in m for m in messages(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: shown(app, pid) is not None, "zurück zum Fall")
        assert audit_actions(office, pid) == audit_before  # no stray letter acted as a key

        # the print run and its dispatch by their keys on the Postkorb
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.postbox_screen, "Postkorb")
        await pilot.press("D")
        await wait_for(pilot, lambda: any("Tagesdruck mit" in m for m in messages(app)), "Druck")
        await pilot.press("M", "enter")
        await wait_for(pilot, lambda: any("versandt" in m for m in messages(app)[-2:]), "Versand")
        assert documents(office, pid)[-1]["dispatched_at"] is not None

        await open_case(pilot, app, pid)
        await pilot.press("K", *"verloren beim Umzug", "enter")
        await wait_for(
            pilot, lambda: any("Zweitschrift" in m and "PDF" in m for m in messages(app)), "Kopie"
        )
        # after dispatch no Storno: one line, and the reason typed lands in the line
        await pilot.press("S", *REASON, "enter")
        await wait_for(
            pilot, lambda: sum("Schon versandt" in m for m in messages(app)) >= 2, "kein Storno"
        )
    in_force = next(d for d in documents(office, pid) if d["status"] == "gueltig")
    [copy] = in_force["letters"]
    assert copy["kind"] == "zweitschrift" and copy["reason"] == "verloren beim Umzug"
    assert copy["letter_id"] == f"{again['certificate_id']}-Z1"
    assert (paths().data_dir / "dokumente" / f"{copy['letter_id']}.pdf").exists()
