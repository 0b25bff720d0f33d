"""`inge-tui backup` and `inge-tui restore` as an operator meets them (issue 15.5): a checked
copy, never over an existing file; a restore that checks first, keeps the store it replaces and
needs `--force` for a backup with faults; a PostgreSQL store sent to pg_dump. Under load:
tests/proof/test_backup_under_load.py."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inge_tui import cli
from inge_tui.server.demo.seed import seed_demo
from inge_tui.server.store import audit_chain
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import _audit_triggers
from inge_tui.server.store.schema import audit, certificates


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _count(url: str, table: object) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]
    finally:
        engine.dispose()


@pytest.fixture
def office_store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'buero.db'}"
    seed_demo(url, participants=40, offices=["RS-NBG"], make_tokens=False)
    return url


def test_backup_makes_a_checked_copy_and_never_overwrites(
    office_store: str, tmp_path: Path
) -> None:
    target = tmp_path / "sicherung.db"
    code, out, err = _run("backup", str(target), "--database-url", office_store)
    assert code == 0, err
    assert out.startswith(f"Gesichert nach {target}") and "Prüfspur" in out and "lückenlos" in out
    assert not (tmp_path / "sicherung.db.teil").exists()
    copy = f"sqlite:///{target}"
    assert _count(copy, certificates) == _count(office_store, certificates) > 0
    assert _count(copy, audit) == _count(office_store, audit) > 0

    before = target.read_bytes()
    code, out, err = _run("backup", str(target), "--database-url", office_store)
    assert code == 2
    assert "gibt es schon; nichts überschrieben" in err
    assert target.read_bytes() == before


def test_restore_keeps_the_store_it_replaces(office_store: str, tmp_path: Path) -> None:
    target = tmp_path / "sicherung.db"
    assert _run("backup", str(target), "--database-url", office_store)[0] == 0
    seed_demo(office_store, participants=10, offices=["RS-NBG"], seed=2, make_tokens=False)
    grown = _count(office_store, certificates)

    code, out, err = _run("restore", str(target), "--database-url", office_store)
    assert code == 0, err
    kept = [p for p in tmp_path.iterdir() if ".vor-wiederherstellung-" in p.name]
    assert len(kept) == 1 and f"liegt unverändert in {kept[0]}" in out
    assert _count(f"sqlite:///{kept[0]}", certificates) == grown
    assert _count(office_store, certificates) == _count(f"sqlite:///{target}", certificates)
    engine = make_engine(office_store)
    try:
        assert audit_chain.verify_store(engine).ok
    finally:
        engine.dispose()


def test_a_backup_with_a_broken_chain_needs_force(office_store: str, tmp_path: Path) -> None:
    target = tmp_path / "sicherung.db"
    assert _run("backup", str(target), "--database-url", office_store)[0] == 0
    engine = make_engine(f"sqlite:///{target}")
    try:
        with engine.begin() as conn:
            _audit_triggers(conn, on=False)
            first = conn.execute(select(func.min(audit.c.audit_id))).scalar_one()
            conn.execute(audit.update().where(audit.c.audit_id == first).values(action="x"))
    finally:
        engine.dispose()
    live_before = _count(office_store, certificates)
    seed_demo(office_store, participants=5, offices=["RS-NBG"], seed=3, make_tokens=False)

    code, _out, err = _run("restore", str(target), "--database-url", office_store)
    assert code == 2
    assert "nichts geändert" in err and "Prüfspur unterbrochen" in err and "--force" in err
    assert _count(office_store, certificates) > live_before

    code, _out, err = _run("restore", str(target), "--force", "--database-url", office_store)
    assert code == 0, err
    assert _count(office_store, certificates) == live_before


def test_what_is_not_a_backup_is_refused(office_store: str, tmp_path: Path) -> None:
    junk = tmp_path / "kein-backup.db"
    junk.write_bytes(b"Dies ist keine Datenbank." * 200)
    code, _out, err = _run("restore", str(junk), "--database-url", office_store)
    assert code == 2 and "keine lesbare SQLite-Datenbank" in err
    code, _out, err = _run("restore", str(tmp_path / "fehlt.db"), "--database-url", office_store)
    assert code == 2 and "keine Sicherung unter" in err


def test_postgresql_is_sent_to_pg_dump(tmp_path: Path) -> None:
    url = "postgresql://inge@127.0.0.1:9/inge"
    for argv in (("backup", str(tmp_path / "x.db")), ("restore", str(tmp_path / "x.db"))):
        code, _out, err = _run(*argv, "--database-url", url)
        assert code == 2 and "pg_dump" in err and not (tmp_path / "x.db").exists()
