"""Issuing from the participant detail, against the real service: three keys from the list to
an issued document whose PDF is saved, the next entry opening by itself, a blocked case that
says why and issues nothing, and a 409 that shows the current state and who changed what.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from case_support import CaseEnv, case_env_fixture  # noqa: F401
from support.app_env import wait_for

from inge_tui.commands.base import REGISTRY
from inge_tui.screens.issue import IssuePreviewScreen
from inge_tui.screens.participant import ParticipantScreen
from inge_tui.widgets.delivery import deliver_file
from inge_tui.widgets.text_modal import TextModal


def _loaded(app: object, pid: str) -> bool:
    screen = getattr(app, "screen", None)
    return (
        isinstance(screen, ParticipantScreen)
        and screen.participant_id == pid
        and screen.participant is not None
    )


async def test_zertifikat_in_three_keys_then_next_entry_opens(case_env: CaseEnv) -> None:
    older = case_env.actors.ready_case()
    newer = case_env.actors.ready_case()
    async with case_env.app() as (app, pilot):
        app.session.entry = await case_env.entry_for(app.session.client, newer)

        await pilot.press("enter")  # 1: open the entry (claims it)
        await wait_for(pilot, lambda: _loaded(app, newer))
        await pilot.press("i")  # 2: the preview
        await wait_for(pilot, lambda: isinstance(app.screen, IssuePreviewScreen))
        preview = app.screen
        assert isinstance(preview, IssuePreviewScreen)
        lines = dict(preview.preview.lines)
        assert lines["Dokument"] == "Zertifikat Integrationskurs"
        assert lines["Name"] == "Şahin, Ayşe"
        assert lines["Geburtsdatum"] == "17.04.1990"
        assert lines["Ausweis"] == "Reisepass •••••••47"
        assert lines["Datum"] == "02.03.2026"
        await pilot.press("y")  # 3: issue

        await wait_for(pilot, lambda: _loaded(app, older), timeout=20)

    issued = case_env.actors.case(newer)["certificates"]
    assert [c["kind"] for c in issued] == ["zertifikat"]
    number = issued[0]["certificate_id"]
    pdf = case_env.documents / f"{number}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_mode & 0o777 == 0o600
    assert any(number in m and str(pdf) in m for m in _notes(app))
    entry = next(e for e in case_env.actors.entries(newer) if e["kind"] == "abschluss")
    assert entry["status"] == "erledigt"


def _notes(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


async def test_cancelled_preview_issues_nothing(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(b1=False)
    async with case_env.app() as (app, pilot):
        app.session.entry = await case_env.entry_for(app.session.client, pid)
        await pilot.press("enter")
        await wait_for(pilot, lambda: _loaded(app, pid))
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, IssuePreviewScreen))
        assert dict(app.screen.preview.lines)["Dokument"].startswith("Bescheinigung")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantScreen))
        await pilot.pause(0.2)
        assert any("abgebrochen" in m for m in _notes(app))
    assert case_env.actors.case(pid)["certificates"] == []


async def test_blocked_case_shows_why_and_the_key_does_no_harm(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(identity=False)
    async with case_env.app() as (app, pilot):
        app.session.entry = await case_env.entry_for(app.session.client, pid)
        await pilot.press("enter")
        await wait_for(pilot, lambda: _loaded(app, pid))
        screen = app.screen
        assert isinstance(screen, ParticipantScreen)
        banner = str(screen.query_one("#issue-state").render())
        assert "Ausstellung blockiert" in banner
        assert "Ausweisnummer fehlt (Kursträger)" in banner
        assert screen.check_action("issue", ()) is None  # shown, greyed out
        assert screen.active_bindings["i"].enabled is False

        await pilot.press("i")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ParticipantScreen)  # no preview
        assert any("Ausweisnummer fehlt (Kursträger)" in m for m in _notes(app))
        why = REGISTRY["issue-document"].available(screen._session()).why
        assert why.startswith("Ausstellung blockiert: Ausweisart fehlt (Kursträger)")
    assert case_env.actors.case(pid)["certificates"] == []


async def test_conflict_shows_current_state_and_who_changed_it(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case()
    async with case_env.app() as (app, pilot):
        app.session.entry = await case_env.entry_for(app.session.client, pid)
        await pilot.press("enter")
        await wait_for(pilot, lambda: _loaded(app, pid))
        stale = app.screen.participant.version
        # meanwhile the course provider reports a new address: the view is stale
        case_env.actors.identity(
            pid, address={"street": "Hauptstraße 1", "postal_code": "90403", "city": "Nürnberg"}
        )
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, IssuePreviewScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TextModal), timeout=20)
        modal = app.screen
        assert isinstance(modal, TextModal)
        assert modal.title_text == "Jemand anderes war schneller"
        assert "inzwischen geändert" in modal.text
        assert "Ausweis und Anschrift gemeldet" in modal.text
        assert "Kursträger Süd" in modal.text
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ParticipantScreen)
                and app.screen.participant is not None
                and app.screen.participant.version > stale
            ),
        )
    assert case_env.actors.case(pid)["certificates"] == []


class BrowserApp:
    """Just what `deliver_file` asks of an app served to a browser (`textual serve`)."""

    is_web = True

    def __init__(self) -> None:
        self.delivered: list[tuple[bytes, dict[str, object]]] = []

    def deliver_binary(self, binary: Any, **options: object) -> str:
        self.delivered.append((binary.read(), options))
        return "key"


async def test_in_the_browser_the_pdf_goes_through_deliver_binary(tmp_path: Path) -> None:
    app = BrowserApp()
    where = await deliver_file(
        app,  # type: ignore[arg-type]
        b"%PDF-1.7 ...",
        "ZIK-2026-0000001.pdf",
        "application/pdf",
        directory=tmp_path,
    )
    assert where == "ZIK-2026-0000001.pdf (Download im Browser)"
    assert app.delivered == [
        (
            b"%PDF-1.7 ...",
            {
                "save_filename": "ZIK-2026-0000001.pdf",
                "mime_type": "application/pdf",
                "name": "ZIK-2026-0000001.pdf",
            },
        )
    ]
    assert list(tmp_path.iterdir()) == []  # nothing written on the server side
