"""The command line: `token create` prints the token and nothing else; `demo seed` fills a store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from inge_tui.server.auth import hash_token
from inge_tui.server.store.db import make_engine


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INGE_HOME": str(tmp_path / "home")}
    env.pop("INGE_DATABASE_URL", None)
    env.pop("INGE_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "inge_tui.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_token_create_prints_only_the_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    done = _run(
        tmp_path,
        "token",
        "create",
        "--role",
        "caseworker",
        "--office",
        "NUE",
        "--name",
        "Frau Weber",
        "--database-url",
        url,
    )
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"inge_[A-Za-z0-9_-]{43}\n", done.stdout)
    # stderr names the last day (tokens expire, issue 15), never the token
    assert done.stderr.startswith("inge-tui: gültig bis ") and "inge_" not in done.stderr
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT role, office, name FROM tokens WHERE token_hash = :h"),
                {"h": hash_token(done.stdout.strip())},
            ).one()
            assert tuple(row) == ("caseworker", "NUE", "Frau Weber")
            raw = conn.execute(
                text("SELECT count(*) FROM tokens WHERE token_hash = :t"),
                {"t": done.stdout.strip()},
            ).scalar()
            assert raw == 0  # only the hash is stored
    finally:
        engine.dispose()


def test_token_create_refuses_bad_roles_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    unknown = _run(tmp_path, "token", "create", "--role", "chef", "--database-url", url)
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert "unbekannte Rolle" in unknown.stderr
    no_office = _run(tmp_path, "token", "create", "--role", "supervisor", "--database-url", url)
    assert no_office.returncode == 2
    assert no_office.stdout == ""
    assert "Regionalstelle" in no_office.stderr


def test_the_environment_names_the_store_when_no_flag_does(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    env_run = subprocess.run(
        [sys.executable, "-m", "inge_tui.cli", "token", "create", "--role", "admin"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "INGE_HOME": str(tmp_path / "home"), "INGE_DATABASE_URL": url},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert (tmp_path / "from-env.db").exists()


def test_demo_seed_fills_a_store_and_prints_tokens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    seed = ["demo", "seed", "--participants", "400", "--office", "RS-NBG", "--office", "RS-BER"]
    seed += ["--database-url", url]
    done = _run(tmp_path, *seed)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    roles = {(line.split()[0], line.split()[1]) for line in lines}
    assert ("caseworker", "RS-NBG") in roles and ("supervisor", "RS-BER") in roles
    assert ("test_institute", "-") in roles
    assert all(re.fullmatch(r"\S+ \S+ inge_[A-Za-z0-9_-]{43}", line) for line in lines)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM participants")).scalar() == 400
            entries = conn.execute(text("SELECT count(*) FROM postbox_entries")).scalar()
            assert 300 < entries < 600
    finally:
        engine.dispose()
    again = _run(tmp_path, *seed)  # the same command a second time
    assert again.returncode == 0
    assert "schon angelegt" in again.stderr
