"""Tokens expire (issue 15, item 3): a default per role, `days` to choose, 401 in German once
expired, `token create` says until when on stderr (stdout stays the token alone)."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from support.live import LiveService, start_live_service, stop_live_service

from inge_tui.server.auth import TOKEN_DAYS, create_token
from inge_tui.server.store.uow import Store


def made(live: LiveService, role: str, office: str | None = None, **days: int) -> str:
    store = Store(live.engine, live.clock)
    return store.run(lambda tx: create_token(tx, role=role, office=office, **days))[0]


def test_a_caseworker_token_ends_after_180_days(own_service: LiveService) -> None:
    token = made(own_service, "caseworker", "NUE")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=own_service.base_url, headers=headers, timeout=10) as http:
        assert http.get("/v1/postbox").status_code == 200
        own_service.clock.advance(days=179, hours=23)
        assert http.get("/v1/postbox").status_code == 200
        own_service.clock.advance(hours=2)
        expired = http.get("/v1/postbox")
        assert expired.status_code == 401
        assert "abgelaufen – bitte ein neues anlegen lassen" in expired.json()["detail"]


def test_the_admin_api_gives_the_role_default_or_the_days_asked(own_service: LiveService) -> None:
    admin = made(own_service, "admin")
    with httpx.Client(
        base_url=own_service.base_url, headers={"Authorization": f"Bearer {admin}"}, timeout=10
    ) as http:
        provider = http.post("/v1/tokens", json={"role": "course_provider"}).json()
        short = http.post("/v1/tokens", json={"role": "oet", "days": 7}).json()
        refused = http.post("/v1/tokens", json={"role": "oet", "days": 0})
        listed = {t["token_id"]: t for t in http.get("/v1/tokens").json()}
    for created, days in ((provider, TOKEN_DAYS["course_provider"]), (short, 7)):
        life = datetime.fromisoformat(created["expires_at"]) - datetime.fromisoformat(
            created["created_at"]
        )
        assert life == timedelta(days=days)
        assert listed[created["token_id"]]["expires_at"] == created["expires_at"]
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "days"


def test_token_create_says_until_when(tmp_path: Path) -> None:
    from inge_tui import cli

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    argv = ["token", "create", "--role", "caseworker", "--office", "NUE", "--database-url", db]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([*argv, "--days", "30"])
    out, err = out.getvalue(), err.getvalue()
    assert code == 0, err
    assert out.strip().startswith("inge_") and len(out.strip().splitlines()) == 1
    until = (datetime.now() + timedelta(days=30)).strftime("%d.%m.%Y")
    assert f"gültig bis {until}" in err


def test_the_config_file_sets_a_roles_default(tmp_path: Path) -> None:
    from inge_tui import cli

    config = tmp_path / "config.toml"
    config.write_text("[server.token_days]\ncaseworker = 30\nadmin = 7\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    until = {}
    for role, office in (("caseworker", "NUE"), ("supervisor", "NUE"), ("admin", None)):
        argv = ["--config", str(config), "token", "create", "--role", role, "--database-url", db]
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            assert cli.main([*argv, *(["--office", office] if office else [])]) == 0
        until[role] = err.getvalue()
    for role, days in (("caseworker", 30), ("supervisor", 180), ("admin", 7)):
        day = (datetime.now() + timedelta(days=days)).strftime("%d.%m.%Y")
        assert f"gültig bis {day}" in until[role], (role, until[role])


def test_a_days_setting_out_of_range_is_refused_by_name(tmp_path: Path) -> None:
    from inge_tui.config import ConfigError, load_config

    config = tmp_path / "config.toml"
    config.write_text("[server.token_days]\noet = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"server\.token_days\.oet.*1 bis 3660"):
        load_config(config)


def test_the_admin_api_follows_the_services_token_days(tmp_path: Path) -> None:
    live, server, thread = start_live_service(
        f"sqlite:///{tmp_path / 'days.db'}", token_days={"oet": 30}
    )
    try:
        admin = made(live, "admin")
        headers = {"Authorization": f"Bearer {admin}"}
        with httpx.Client(base_url=live.base_url, headers=headers, timeout=10) as http:
            oet = http.post("/v1/tokens", json={"role": "oet"}).json()
            provider = http.post("/v1/tokens", json={"role": "course_provider"}).json()
    finally:
        stop_live_service(live, server, thread)
    for created, days in ((oet, 30), (provider, TOKEN_DAYS["course_provider"])):
        life = datetime.fromisoformat(created["expires_at"]) - datetime.fromisoformat(
            created["created_at"]
        )
        assert life == timedelta(days=days)
