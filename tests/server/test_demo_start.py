"""The embedded demo's start: seed once, and keep the same caseworker across restarts."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from support.live import start_live_service, stop_live_service

from inge_tui.server.commands import prepare_demo
from inge_tui.server.settings import Settings


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}")


def test_a_restart_keeps_the_demo_token_so_claims_stay_the_caseworkers_own(
    settings: Settings, tmp_path: Path
) -> None:
    token_file = tmp_path / "state" / "demo-token"
    prepare_demo(settings, token_file, participants=40)
    first = token_file.read_text().strip()
    prepare_demo(settings, token_file, participants=40)
    assert token_file.read_text().strip() == first
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_an_unknown_token_in_the_file_is_replaced_by_a_working_one(
    settings: Settings, tmp_path: Path
) -> None:
    token_file = tmp_path / "demo-token"
    token_file.write_text("not-a-token-of-this-store\n")
    prepare_demo(settings, token_file, participants=40)
    token = token_file.read_text().strip()
    assert token != "not-a-token-of-this-store"

    live, server, thread = start_live_service(settings.database_url)
    try:
        answer = httpx.get(
            f"{live.base_url}/v1/postbox", headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        stop_live_service(live, server, thread)
    assert answer.status_code == 200
    assert answer.json()["items"]


def test_the_demo_holds_a_document_of_every_life(settings: Settings, tmp_path: Path) -> None:
    """Posted, withdrawn after posting (letter and Bescheinigung waiting), lost and copied,
    reversed before dispatch, waiting for the print run; the print run holds only what the
    participants are to receive (domain.md A.12)."""
    token_file = tmp_path / "demo-token"
    prepare_demo(settings, token_file, participants=400)
    live, server, thread = start_live_service(settings.database_url)
    now = datetime.now(UTC)  # the demo was seeded by the real clock: the service reads it too
    live.clock.advance(seconds=(now - live.clock()).total_seconds() + 60)
    headers = {"Authorization": f"Bearer {token_file.read_text().strip()}"}
    try:
        with httpx.Client(base_url=live.base_url, headers=headers, timeout=30) as client:
            year = now.year
            report = client.get(f"/v1/number-series/{year}").json()
            counts = {s["series"]: s["counts"] for s in report["series"]}
            batch = client.get("/v1/dispatch").json()["items"]
            documents, refunds = {}, {}
            for item in batch:
                case = client.get(f"/v1/participants/{item['participant_id']}").json()
                documents.update({c["certificate_id"]: c for c in case["certificates"]})
            params = {"kind": "erstattung", "status": ["offen", "erledigt"], "limit": 50}
            for entry in client.get("/v1/postbox", params=params).json()["items"]:
                case = client.get(f"/v1/participants/{entry['participant_id']}").json()
                refunds.update(
                    {r["letter_id"] or r["refund_id"]: (r, entry) for r in case["refunds"]}
                )
    finally:
        stop_live_service(live, server, thread)
    zik, bsc = counts[f"ZIK-{year}"], counts[f"BSC-{year}"]
    # besides the closed history's documents (all in force): the lives' ends
    assert (zik["zurueckgenommen"], zik["storniert"]) == (1, 1)
    assert set(zik) == {"gueltig", "zurueckgenommen", "storniert"} and set(bsc) == {"gueltig"}
    kinds = sorted(item["kind"] for item in batch)
    assert kinds == [
        "bescheinigung",
        "erstattung",
        "ruecknahme",
        "zertifikat",
        "zertifikat",
        "zweitschrift",
    ]
    # refunds: one granted (its Bescheid in the print run), eligible, late, unpaid, part-exempt
    lives = sorted(
        (r["status"], r["contribution_paid_cents"], tuple(entry["blockers"]))
        for r, entry in refunds.values()
    )
    assert lives == [
        ("bewilligt", 137_400, ()),
        ("offen", 0, ("erstattung_beitrag_gezahlt",)),
        ("offen", 45_800, ()),
        ("offen", 137_400, ()),
        ("offen", 137_400, ("erstattung_frist",)),
    ]
    for item in batch:
        if item["kind"] == "erstattung":
            assert refunds[item["item_id"]][0]["status"] == "bewilligt"
        elif item["kind"] in ("zweitschrift", "ruecknahme"):
            original = documents[item["item_id"].rsplit("-", 1)[0]]
            assert original["dispatched_at"] is not None
        else:
            assert documents[item["item_id"]]["status"] == "gueltig"


def test_every_closed_entry_has_the_document_that_closed_it(
    settings: Settings, tmp_path: Path
) -> None:
    """The seeded history is what the service would have left: a closed `abschluss` entry has
    its document, issued the day it closed, in force, posted, numbered without a gap, its PDF
    rendered from the text fixed at issue; the case needs nothing more."""
    from pypdf import PdfReader
    from sqlalchemy import select

    from inge_tui.server.store.db import make_engine
    from inge_tui.server.store.schema import certificates, postbox_entries

    token_file = tmp_path / "demo-token"
    prepare_demo(settings, token_file, participants=400)
    engine = make_engine(settings.database_url)
    pb, c = postbox_entries.c, certificates.c
    with engine.connect() as conn:
        closed = conn.execute(
            select(
                pb.participant_id, pb.closed_at, pb.created_at, pb.expected_document, pb.office
            ).where(pb.kind == "abschluss", pb.status == "erledigt")
        ).all()
        documents = {
            pid: (number, kind, issued_at, status, dispatched)
            for pid, number, kind, issued_at, status, dispatched in conn.execute(
                select(
                    c.participant_id,
                    c.certificate_id,
                    c.kind,
                    c.issued_at,
                    c.status,
                    c.dispatched_at,
                )
            ).all()
        }
    engine.dispose()
    # the demo's lives (issued today, some left for the print run) are the other test's
    history = [row for row in closed if row[1] < datetime.now(UTC) - timedelta(hours=12)]
    assert len(history) > 50 and len(closed) - len(history) < 20
    for pid, closed_at, created_at, expected, _office in history:
        number, kind, issued_at, status, dispatched = documents[pid]
        if number.startswith("DEMO-"):
            raise AssertionError(f"{pid}: not numbered")
        assert issued_at == closed_at and closed_at > created_at
        assert kind == expected and dispatched is not None
        assert status in ("gueltig", "zurueckgenommen", "storniert")

    live, server, thread = start_live_service(settings.database_url)
    now = datetime.now(UTC)
    live.clock.advance(seconds=(now - live.clock()).total_seconds() + 60)
    headers = {"Authorization": f"Bearer {token_file.read_text().strip()}"}
    try:
        with httpx.Client(base_url=live.base_url, headers=headers, timeout=30) as client:
            report = client.get(f"/v1/number-series/{now.year}").json()
            assert all(s["unexplained"] == [] for s in report["series"]), report
            own = [row[0] for row in history if row[4] == "RS-NBG"]  # the demo token's office
            for pid in own[:5]:
                case = client.get(f"/v1/participants/{pid}").json()
                assert case["assessment"]["next_step"] == "keiner", case["assessment"]
            number = documents[own[0]][0]
            pdf = client.get(f"/v1/certificates/{number}/pdf")
            assert pdf.status_code == 200, pdf.text
            text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
            assert number in text
    finally:
        stop_live_service(live, server, thread)
