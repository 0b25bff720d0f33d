"""The audit chain (issue 15.4): every change made in the database itself, past the service, is
found by `inge-tui audit verify` at the first row it touches: a row edited, deleted from the
middle or cut off the end, a row slipped in, a row rewritten with a hash to match. Writers in
parallel (threads on one store, PostgreSQL's row locks or SQLite's write lock) keep one chain
per office, and a verify that runs while they write sees a whole chain.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from support.live import empty_store

from inge_tui.server.store import audit_chain
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import _audit_triggers, migrate
from inge_tui.server.store.schema import audit
from inge_tui.server.store.uow import Store, Tx

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ACTOR = SimpleNamespace(token_id=None, name="Sachbearbeitung Test", role="caseworker")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with empty_store(request.param, tmp_path / "chain.db") as url:
        engine = make_engine(url)
        try:
            migrate(engine)
            yield Store(engine, lambda: T0)
        finally:
            engine.dispose()


def _write(store: Store, office: str | None, action: str, count: int = 1) -> None:
    def note(tx: Tx) -> None:
        for n in range(count):
            tx.ledger.audit(
                at=tx.now + timedelta(seconds=n),
                actor=ACTOR,
                action=action,
                office=office,
                participant_id="TN-1",
                inputs={"n": n},
                outcome={"ok": True},
            )

    store.run(note)


def _fill(store: Store) -> list[dict[str, Any]]:
    """Three chains: two offices and the rows of no office; returns the rows in id order."""
    for step in range(4):
        _write(store, "RS-NBG", f"fall_angesehen_{step}", count=2)
        _write(store, "RS-BER", f"dokument_ausgestellt_{step}")
        _write(store, None, f"token_angelegt_{step}")
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(audit).order_by(audit.c.audit_id))]


@contextlib.contextmanager
def _past_the_service(engine: Engine) -> Iterator[Any]:
    """A connection with the append-only triggers off: what someone with database rights does."""
    with engine.begin() as conn:
        _audit_triggers(conn, on=False)
        yield conn
        _audit_triggers(conn, on=True)


def _verify(engine: Engine) -> audit_chain.Report:
    return audit_chain.verify_store(engine)


def test_rows_written_through_the_store_form_one_chain_per_office(store: Store) -> None:
    rows = _fill(store)
    report = _verify(store.engine)
    assert report.ok, report.broken
    assert report.rows == len(rows) == 4 * 2 + 4 + 4
    assert {c: h.seq for c, h in report.heads.items()} == {"RS-NBG": 8, "RS-BER": 4, "": 4}
    nbg = [r for r in rows if r["office"] == "RS-NBG"]
    assert [r["chain_seq"] for r in nbg] == list(range(1, 9))
    assert nbg[0]["prev_hash"] == audit_chain.GENESIS
    assert all(b["prev_hash"] == a["row_hash"] for a, b in itertools.pairwise(nbg))


def test_one_transaction_extends_several_chains_however_many_rows_it_writes(store: Store) -> None:
    """Most requests write one row of one office; a bulk writes many of several. Either way
    every office's chain goes on whole, also a chain whose first row comes in a transaction
    that extends others, or alone."""
    offices = ["RS-NBG", "RS-BER", None]

    def note(count: int, first: int) -> Callable[[Tx], None]:
        def audit_rows(tx: Tx) -> None:
            for n in range(first, first + count):
                tx.ledger.audit(
                    at=tx.now + timedelta(seconds=n),
                    actor=ACTOR,
                    action=f"schritt_{n}",
                    office=offices[n % 3] if n < 199 else "RS-HAM",
                    participant_id=f"TN-{n}",
                    inputs={"n": n},
                )

        return audit_rows

    many = 70
    store.run(note(3, 0))  # three chains begin in one statement
    store.run(note(many, 3))  # past one statement
    store.run(note(2, 198))  # an old chain and a new one (RS-HAM)
    store.run(note(1, 500))
    report = _verify(store.engine)
    assert report.ok, report.broken
    assert report.rows == 3 + many + 2 + 1
    counts = {"RS-NBG": 0, "RS-BER": 0, "": 0, "RS-HAM": 0}
    for n in [*range(3 + many), 198, 199, 500]:
        counts["RS-HAM" if n >= 199 else offices[n % 3] or ""] += 1
    assert {chain: head.seq for chain, head in report.heads.items()} == counts


def test_the_service_itself_cannot_change_a_row(store: Store) -> None:
    rows = _fill(store)
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(
            audit.update().where(audit.c.audit_id == rows[3]["audit_id"]).values(action="")
        )


def test_an_edited_row_is_found_where_it_is(store: Store) -> None:
    rows = _fill(store)
    victim = next(r for r in rows if r["office"] == "RS-NBG" and r["chain_seq"] == 5)
    with _past_the_service(store.engine) as conn:
        conn.execute(
            audit.update()
            .where(audit.c.audit_id == victim["audit_id"])
            .values(actor_name="Jemand Anderes")
        )
    report = _verify(store.engine)
    assert report.broken is not None
    assert (report.broken.audit_id, report.broken.chain, report.broken.seq) == (
        victim["audit_id"],
        "RS-NBG",
        5,
    )
    assert "Inhalt wurde nach dem Schreiben geändert" in report.broken.describe()
    assert report.rows == rows.index(victim)  # every row before it still holds


def test_a_changed_timestamp_is_found_too(store: Store) -> None:
    rows = _fill(store)
    victim = next(r for r in rows if r["office"] == "RS-BER")
    with _past_the_service(store.engine) as conn:
        conn.execute(
            audit.update()
            .where(audit.c.audit_id == victim["audit_id"])
            .values(at=victim["at"] - timedelta(days=1))
        )
    broken = _verify(store.engine).broken
    assert broken is not None and broken.audit_id == victim["audit_id"]


def test_a_row_deleted_from_the_middle_is_found_at_the_next(store: Store) -> None:
    rows = _fill(store)
    nbg = [r for r in rows if r["office"] == "RS-NBG"]
    with _past_the_service(store.engine) as conn:
        conn.execute(audit.delete().where(audit.c.audit_id == nbg[2]["audit_id"]))
    broken = _verify(store.engine).broken
    assert broken is not None
    assert (broken.audit_id, broken.seq) == (nbg[3]["audit_id"], 4)
    assert "davor fehlen 1 Zeile(n)" in broken.describe()


def test_rows_cut_off_the_end_are_found_against_the_head(store: Store) -> None:
    rows = _fill(store)
    last_two = [r["audit_id"] for r in rows if r["office"] == "RS-BER"][-2:]
    with _past_the_service(store.engine) as conn:
        conn.execute(audit.delete().where(audit.c.audit_id.in_(last_two)))
    broken = _verify(store.engine).broken
    assert broken is not None and broken.chain == "RS-BER"
    assert "die letzten 2 Zeile(n) fehlen" in broken.describe()


def test_a_row_slipped_in_is_found(store: Store) -> None:
    _fill(store)
    with store.engine.begin() as conn:  # an INSERT needs no trigger off: append-only allows it
        conn.execute(
            audit.insert().values(
                at=T0,
                office="RS-NBG",
                actor_token=None,
                actor_name="Sachbearbeitung Test",
                actor_role="caseworker",
                action="dokument_ausgestellt",
                inputs="{}",
                outcome="{}",
            )
        )
        forged = conn.execute(text("SELECT max(audit_id) FROM audit")).scalar_one()
    broken = _verify(store.engine).broken
    assert broken is not None and broken.audit_id == forged
    assert "gehört zu keiner Kette" in broken.describe()


def test_a_row_rewritten_with_a_matching_hash_breaks_the_next_link(store: Store) -> None:
    rows = _fill(store)
    nbg = [r for r in rows if r["office"] == "RS-NBG"]
    victim = dict(nbg[3], outcome='{"ok": false}')
    rehashed = audit_chain.row_hash(victim["prev_hash"], victim["chain_seq"], victim)
    with _past_the_service(store.engine) as conn:
        conn.execute(
            audit.update()
            .where(audit.c.audit_id == victim["audit_id"])
            .values(outcome=victim["outcome"], row_hash=rehashed)
        )
    broken = _verify(store.engine).broken
    assert broken is not None and broken.audit_id == nbg[4]["audit_id"]
    assert "verweist nicht auf die Zeile davor" in broken.describe()


def test_writers_in_parallel_keep_one_chain_and_verify_sees_it_whole(store: Store) -> None:
    """Eight writers, 15 transactions each, two offices; a verifier runs all the while."""
    errors: list[BaseException] = []
    seen: list[audit_chain.Report] = []
    writing = threading.Event()

    def writer(n: int) -> None:
        try:
            for step in range(15):
                office = "RS-NBG" if (n + step) % 3 else "RS-BER"
                _write(store, office, f"w{n}_{step}", count=1 + step % 2)
        except BaseException as exc:  # reported below
            errors.append(exc)

    def verifier() -> None:
        while writing.is_set():
            seen.append(_verify(store.engine))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    checker = threading.Thread(target=verifier)
    writing.set()
    checker.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    writing.clear()
    checker.join(timeout=60)
    assert not errors, errors
    final = _verify(store.engine)
    assert final.ok, final.broken
    assert final.rows == 8 * (8 * 1 + 7 * 2)  # 15 steps: 8 with one row, 7 with two
    assert sum(h.seq for h in final.heads.values()) == final.rows
    assert seen and all(r.ok for r in seen), next(r.broken for r in seen if not r.ok)


def test_audit_verify_command_says_whole_or_where_it_broke(store: Store) -> None:
    from inge_tui import cli

    rows = _fill(store)
    url = store.engine.url.render_as_string(hide_password=False)

    def run() -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = cli.main(["audit", "verify", "--database-url", url])
        return code, out.getvalue()

    code, out = run()
    assert code == 0, out
    assert f"Prüfspur lückenlos: {len(rows)} Zeilen in 3 Ketten" in out
    assert "RS-NBG" in out and "Glied        8" in out

    victim = rows[5]["audit_id"]
    with _past_the_service(store.engine) as conn:
        conn.execute(audit.update().where(audit.c.audit_id == victim).values(action="x"))
    code, out = run()
    assert code == 1
    assert f"Zeile {victim}, " in out
    assert "Die 5 Zeilen davor sind unverändert." in out
