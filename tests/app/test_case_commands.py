"""The case commands without a screen (palette, scripts, `inge-tui run`), against the real
service: a script sees the preview and issues only with `--yes`; a retry with the same
idempotency key answers the same document; command lines parse as documented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from case_support import CaseEnv, alpha_case, case_env_fixture  # noqa: F401

from inge_tui.api.client import IngeClient
from inge_tui.commands.base import REGISTRY, Session, parse_line
from inge_tui.commands.case import IssueDocument
from inge_tui.commands.issue_preview import issue_preview
from inge_tui.widgets.case_sections import applications_content


class Headless:
    """A front end without preview or delivery: what the headless runner is."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        return None

    async def show_postbox(self) -> None:
        return None

    async def refresh_postbox(self) -> None:
        return None

    def notify(self, message: str, *, error: bool = False) -> None:
        self.messages.append(message)


async def session_for(env: CaseEnv, pid: str) -> tuple[Session, IngeClient]:
    client = env.client()
    session = Session(client=client, ui=Headless())
    session.participant = await client.participant(pid)
    return session, client


async def run(session: Session, line: str) -> Any:
    command, kwargs = parse_line(line)
    return await command.run(session, **kwargs)


async def test_a_script_sees_the_preview_and_issues_only_with_yes(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case()
    session, client = await session_for(case_env, pid)
    try:
        preview = await run(session, "issue-document")
        assert not preview.ok
        assert "Vorschau: Zertifikat Integrationskurs" in preview.message
        assert "issue-document --yes" in preview.message
        assert case_env.actors.case(pid)["certificates"] == []

        # --all with neither marks nor a filter: never the whole Postkorb by accident
        unselected = await run(session, "issue-document --all --yes")
        assert not unselected.ok and "markierte Einträge oder einen Filter" in unselected.message
        assert case_env.actors.case(pid)["certificates"] == []

        issued = await run(session, "issue-document --yes")
        assert issued.ok, issued.message
        number = issued.data["certificate_id"]
        assert number.startswith("ZIK-")
        pdf = Path(issued.data["pdf"])
        assert pdf.parent == Path(case_env.documents.parent / "home" / "data" / "dokumente")
        assert pdf.read_bytes().startswith(b"%PDF")
    finally:
        await client.aclose()


async def test_a_retry_with_the_same_key_never_issues_twice(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(b1=False)
    session, client = await session_for(case_env, pid)
    try:
        assert session.participant is not None
        preview = issue_preview(session.participant)
        assert preview.key == f"issue-{pid}-v{session.participant.version}-bescheinigung"
        assert dict(preview.lines)["Ausweis"] == "Reisepass •••••••47"
        shown = issue_preview(session.participant, revealed="C01X00T47")
        assert dict(shown.lines)["Ausweis"] == "Reisepass C01X00T47"
        command = REGISTRY["issue-document"]
        assert isinstance(command, IssueDocument)
        first = await command.issue(session, preview)
        again = await command.issue(session, preview)  # as after a dropped connection
        assert first.ok and again.ok
        assert again.data["certificate_id"] == first.data["certificate_id"]
        assert len(case_env.actors.case(pid)["certificates"]) == 1
    finally:
        await client.aclose()


async def test_availability_says_why(case_env: CaseEnv) -> None:
    pid = case_env.actors.ready_case(identity=False)
    session, client = await session_for(case_env, pid)
    try:
        blocked = REGISTRY["issue-document"].available(session)
        assert not blocked.ok
        assert "Ausweisnummer fehlt (Kursträger)" in blocked.why
        assert REGISTRY["reveal-identity"].available(session).why == "Keine Ausweisnummer erfasst"
        # paper is for self-payers, or when the web service did not deliver the DTZ (R8)
        assert not REGISTRY["capture-paper-dtz"].available(session).ok
        assert "Kein offener" in REGISTRY["decide-repetition"].available(session).why
        session.participant = None
        assert REGISTRY["export"].available(session).why == "Kein Fall geöffnet"
        for command_id in (
            "issue-document", "decide-repetition", "capture-paper-dtz",
            "record-alternative-b1", "reveal-identity", "export",
        ):  # fmt: skip
            command = REGISTRY[command_id]
            assert command.binding and command.binding.startswith("case.")
            assert command.key and command.title and command.help
    finally:
        await client.aclose()


async def test_command_lines(case_env: CaseEnv) -> None:
    a = case_env.actors
    pid = a.register(course_type="alphabetisierung", contingent_hours=900, hours_used=900)
    a.identity(pid)
    assert a.dtz(pid, hoeren_lesen=25, schreiben=10, sprechen=50).status_code == 201
    body = {
        "participant_id": pid,
        "received_on": "2026-02-10",
        "requested_hours": 300,
        "provider_confirmation": True,
    }
    application_id = a.provider.post("/v1/repetition-applications", json=body).json()[
        "application_id"
    ]
    session, client = await session_for(case_env, pid)
    try:
        too_many = await run(session, f"decide-repetition {application_id} approve 400")
        assert not too_many.ok and "1 bis 300 UE" in too_many.message
        rejected = await run(
            session,
            f"decide-repetition {application_id} reject Antrag kam nach Beginn der Wiederholung",
        )
        assert rejected.ok, rejected.message
        assert "abgelehnt" in rejected.message
        assert (
            a.case(pid)["applications"][0]["decision_reason"]
            == "Antrag kam nach Beginn der Wiederholung"
        )

        revealed = await run(session, "reveal-identity")
        assert revealed.data["document_number"] == "C01X00T47"
        audit = a.caseworker.get("/v1/audit", params={"participant_id": pid}).json()["items"]
        reveals = [e for e in audit if e["action"] == "identity_revealed"]
        assert len(reveals) == 1  # every reveal is audited, and without the number itself
        assert "C01X00T47" not in str(reveals[0])

        b1 = await run(
            session, "record-alternative-b1 B1 01.06.2024 10.01.2025 Goethe-Zertifikat B1"
        )
        assert b1.ok, b1.message
        assert b1.message == "B1-Nachweis erfasst."  # no document yet: the LiD is missing
        assert a.case(pid)["alternative_b1"]["valid"] is True

        not_self_payer = await run(session, "capture-paper-dtz 35 12 74,5 03.02.2026 VHS Fürth")
        assert not not_self_payer.ok
        assert not_self_payer.message.startswith("Nur bei Selbstzahlern")

    finally:
        await client.aclose()


async def test_paper_dtz_line_names_each_bad_field(case_env: CaseEnv) -> None:
    a = case_env.actors
    pid = a.register(self_payer=True)
    session, client = await session_for(case_env, pid)
    try:
        bad = await run(session, "capture-paper-dtz 46 12 74,3 31.02.2026 VHS")
        assert not bad.ok
        fields = {f["field"] for f in bad.data["fields"]}
        assert fields == {"hoeren_lesen", "sprechen", "exam_date"}
    finally:
        await client.aclose()


async def test_a_zertifikat_is_withdrawn_through_the_command_set(case_env: CaseEnv) -> None:
    """The four eyes over the command set: a caseworker proposes, the same person cannot
    confirm, a supervisor does; then the Bescheinigung now due is issued (domain.md A.12)."""
    a = case_env.actors
    pid = a.ready_case()
    number = a.issue(pid).json()["certificate_id"]
    assert a.lid(pid, 12).status_code == 201  # the LiD corrected: not passed any more
    session, client = await session_for(case_env, pid)
    supervisor = IngeClient(
        case_env.live.base_url, a.live.token("supervisor", a.office, "Leitung Nowak"), retries=0
    )
    try:
        preview = await run(session, "issue-document")
        assert not preview.ok and f"Zertifikat {number}" in preview.message
        short = await run(session, "propose-withdrawal zu kurz")
        assert not short.ok and "20 Zeichen" in short.message
        proposed = await run(
            session, "propose-withdrawal LiD vom OET auf 12 Punkte berichtigt, nicht bestanden"
        )
        assert proposed.ok, proposed.message
        own = await run(session, "confirm-withdrawal")
        assert not own.ok and own.data["status"] == 403
        lead = Session(client=supervisor, ui=Headless())
        lead.participant = await supervisor.participant(pid)
        confirmed = await run(lead, "confirm-withdrawal")
        assert confirmed.ok, confirmed.message
        session.participant = await client.participant(pid)
        issued = await run(session, "issue-document --yes")
        assert issued.ok, issued.message
        statuses = {c["certificate_id"]: c["status"] for c in a.case(pid)["certificates"]}
        assert statuses[number] == "zurueckgenommen"
        assert sorted(statuses.values()) == ["gueltig", "zurueckgenommen"]
    finally:
        await client.aclose()
        await supervisor.aclose()


async def test_a_waiver_is_proposed_and_confirmed_through_the_command_set(
    case_env: CaseEnv,
) -> None:
    """R13.3 with four eyes: the caseworker's approval with the waiver is a proposal that the
    case shows as waiting; the proposer cannot confirm it, a supervisor does."""
    a = case_env.actors
    pid = alpha_case(case_env, dtz=False)
    application_id = a.case(pid)["applications"][0]["application_id"]
    session, client = await session_for(case_env, pid)
    supervisor = IngeClient(
        case_env.live.base_url, a.live.token("supervisor", a.office, "Leitung Nowak"), retries=0
    )
    try:
        unavailable = await run(session, "confirm-waiver")
        assert not unavailable.ok and "Kein Verzicht wartet" in unavailable.message
        proposed = await run(
            session,
            f"decide-repetition {application_id} approve 300 --waive Alphabetisierung, Einzelfall",
        )
        assert proposed.ok, proposed.message
        assert "wartet auf die Freigabe durch die Leitung" in proposed.message
        assert session.participant is not None
        shown = applications_content(session.participant).plain
        assert "Verzicht vorgeschlagen von Sachbearbeiterin Weber" in shown
        own = await run(session, "confirm-waiver")
        assert not own.ok and own.data["status"] == 403
        lead = Session(client=supervisor, ui=Headless())
        lead.participant = await supervisor.participant(pid)
        confirmed = await run(lead, "confirm-waiver Einzelfall geprüft")
        assert confirmed.ok, confirmed.message
        decided = a.case(pid)["applications"][0]
        assert decided["status"] == "genehmigt"
        assert decided["waiver_confirmed_by"] == "Leitung Nowak"
        assert lead.participant is not None
        assert "freigegeben von Leitung Nowak" in applications_content(lead.participant).plain
    finally:
        await client.aclose()
        await supervisor.aclose()
