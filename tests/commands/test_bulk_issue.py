"""`issue-document --all` against the real service: the dry run says what each entry gets or
why not; the run reports progress, can be cancelled, and issues every document exactly once,
also when it is interrupted (cancelled, or its process killed) and started again."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from commands_support import OTHER, Office, cli_command, json_lines, run_headless

from inge_tui.api.client import PostboxQuery
from inge_tui.commands.base import REGISTRY, Session
from inge_tui.commands.bulk import ISSUE_AT_ONCE, BulkError, ItemResult, plan_bulk, run_bulk
from inge_tui.headless import HeadlessUi, Printer

ABSCHLUSS = PostboxQuery(kind="abschluss")


@pytest.fixture
async def session(office: Office) -> AsyncIterator[Session]:
    client = office.client()
    ui = HeadlessUi(Printer(out=io.StringIO(), err=io.StringIO()))
    session = Session(client, ui=ui, query=ABSCHLUSS)
    ui.attach(session)
    try:
        yield session
    finally:
        await client.aclose()


def counts(office: Office, pids: list[str]) -> dict[str, int]:
    return {pid: len(office.certificates(pid)) for pid in pids}


async def test_the_dry_run_says_what_each_entry_gets_or_why_not(
    office: Office, session: Session
) -> None:
    zertifikat, bescheinigung = office.ready()[0], office.ready(b1=False)[0]
    blocked = office.ready(identity=False)[0]
    taken = office.ready()[0]
    office.actors.caseworker2.post(f"/v1/postbox/{office.entry(taken)['entry_id']}/claim")
    plan = await plan_bulk(session)
    by_pid = {item.participant_id: item for item in plan.items}
    assert by_pid[zertifikat].document == "zertifikat" and by_pid[zertifikat].skip is None
    assert by_pid[bescheinigung].document == "bescheinigung"
    assert "Ausweisnummer fehlt (Kursträger)" in (by_pid[blocked].skip or "")
    assert f"in Bearbeitung bei {OTHER}" in (by_pid[taken].skip or "")
    assert plan.summary().endswith("1 Zertifikat(e), 1 Bescheinigung(en), 2 ohne Dokument")
    assert by_pid[zertifikat].key == (
        f"issue-{zertifikat}-v{office.case(zertifikat)['version']}-zertifikat"
    )  # the single command's key: single and bulk never issue twice
    assert counts(office, list(by_pid)) == dict.fromkeys(by_pid, 0)  # a dry run issues nothing


async def test_cancelled_halfway_and_restarted_issues_each_exactly_once(
    office: Office, session: Session
) -> None:
    pids = office.ready(4) + office.ready(2, b1=False)
    cancel = asyncio.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, result: ItemResult) -> None:
        seen.append((done, total))
        if done == 3:
            cancel.set()

    first = await run_bulk(session, await plan_bulk(session), progress=progress, cancel=cancel)
    assert first.cancelled and not first.ok
    # the request already sent beside the third one is completed, nothing after it starts
    sent = 3 + (ISSUE_AT_ONCE - 3 % ISSUE_AT_ONCE) % ISSUE_AT_ONCE
    assert first.count("ausgestellt") == sent and first.count("nicht ausgeführt") == 6 - sent
    assert seen == [(n, 6) for n in range(1, sent + 1)]
    assert sum(counts(office, pids).values()) == sent

    everything = replace(session.query, status=None)  # status:alle shows the done ones too
    plan = await plan_bulk(replace(session, query=everything))
    assert sum(item.done for item in plan.items) == sent  # erledigt: skipped on the restart
    assert {i.skip for i in plan.items if i.done} == {"schon erledigt"}
    plan = await plan_bulk(session)  # the default listing: the issued ones have left it
    assert len(plan.items) == 6 - sent and not any(item.done for item in plan.items)
    second = await run_bulk(session, plan)
    assert second.ok and second.count("ausgestellt") == 6 - sent
    assert counts(office, pids) == dict.fromkeys(pids, 1)

    again = await run_bulk(session, plan)  # the same keys once more: the first answers
    assert [r.certificate_id for r in again.results] == [r.certificate_id for r in second.results]
    assert counts(office, pids) == dict.fromkeys(pids, 1)


async def test_the_marked_entries_only(office: Office, session: Session) -> None:
    pids = office.ready(3)
    for pid in pids[:2]:
        session.marked.add(office.entry(pid)["entry_id"])
    plan = await plan_bulk(session)
    assert sorted(item.participant_id for item in plan.items) == sorted(pids[:2])
    done = await REGISTRY["issue-document"].run(session, all=True, yes=True)
    assert done.ok, done.message
    assert counts(office, pids) == {pids[0]: 1, pids[1]: 1, pids[2]: 0}


async def test_never_the_whole_postkorb_by_accident(office: Office, session: Session) -> None:
    session.query = PostboxQuery()
    with pytest.raises(BulkError, match="markierte Einträge oder einen Filter"):
        await plan_bulk(session)
    assert not REGISTRY["issue-document"].available(session).ok


def test_mark_and_issue_from_a_script(office: Office) -> None:
    pids = office.ready(3)
    lines = [f"mark {pids[0]} {pids[2]}", "issue-document --all --yes"]
    argv = ["--url", office.live.base_url, "run", "--json", *lines]
    code, out, _ = run_headless(argv, {"INGE_TOKEN": office.token})
    assert code == 0, out
    records = json_lines(out)
    progress = [r for r in records if "progress" in r]
    assert [r["progress"] for r in progress] == [{"done": 1, "total": 2}, {"done": 2, "total": 2}]
    final = records[-1]
    assert final["data"]["issued"] == 2 and "progress" not in final
    assert counts(office, pids) == {pids[0]: 1, pids[1]: 0, pids[2]: 1}


@pytest.mark.slow
def test_killed_midway_and_run_again_issues_each_exactly_once(office: Office) -> None:
    pids = office.ready(10)
    env = {**os.environ, "INGE_TOKEN": office.token, "INGE_HOME": str(office.home)}
    argv = cli_command(
        "--url", office.live.base_url, "run", "--json",
        "filter kind:abschluss", "issue-document --all --yes",
    )  # fmt: skip
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    issued = 0
    for line in process.stdout:
        if '"progress"' in line:
            issued += 1
        if issued == 4:
            process.kill()  # no goodbye: as a lost SSH session or a killed terminal
            break
    process.wait(timeout=30)
    assert process.returncode != 0
    between = sum(counts(office, pids).values())
    assert 4 <= between < 10

    again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    final = json_lines(again.stdout)[-1]
    assert final["data"]["issued"] == 10 - between
    assert counts(office, pids) == dict.fromkeys(pids, 1)
