"""Start-up: the CLI path with a profile or a URL, config errors, fatal errors, light imports."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from postkorb_support import AppEnv, wait_for

from inge_tui.api.client import IngeClient
from inge_tui.config import Config
from inge_tui.embedded import DEMO_SIZE_ENV, EmbeddedService
from inge_tui.launch import make_app, run_app
from inge_tui.startup import EXIT_AFTER_FIRST_PAGE, HEADLESS


def cli(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INGE_")}
    return subprocess.run(
        [sys.executable, "-m", "inge_tui.cli", *args],
        env=clean | {"INGE_HOME": str(home)} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def args(**given: str | None) -> argparse.Namespace:
    return argparse.Namespace(**({"profile": None, "url": None, "config": None} | given))


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HEADLESS, "1")
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAGE, "1")


def last_startup_line(home: Path) -> str:
    return (home / "log" / "startup.log").read_text().strip().splitlines()[-1]


def test_profile_with_a_token_file(snapshot_env: AppEnv, inge_home: Path, headless: None) -> None:
    token_file = inge_home / "amt.token"
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text(snapshot_env.token)
    token_file.chmod(0o600)
    config = inge_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[profiles.amt]\nurl = "{snapshot_env.live.base_url}"\ntoken_file = "{token_file}"\n'
    )
    assert run_app(args()) == 0
    assert "demo=no" in last_startup_line(inge_home)


def test_url_with_the_token_in_the_environment(
    snapshot_env: AppEnv, inge_home: Path, headless: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INGE_TOKEN", snapshot_env.token)
    assert run_app(args(url=snapshot_env.live.base_url)) == 0
    assert "first_page_s=" in last_startup_line(inge_home)


def test_no_config_opens_the_embedded_demo(
    inge_home: Path, headless: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`inge-tui` with no config: the demo service starts, seeds, serves; the app shows it;
    on quit the service is stopped and its socket is gone, and so is a socket that an
    earlier session left behind when it was killed."""
    monkeypatch.setenv(DEMO_SIZE_ENV, "40")
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    left_behind = inge_home / "state" / f"demo-{finished.pid}.sock"  # a session killed earlier
    left_behind.parent.mkdir(parents=True, exist_ok=True)
    left_behind.touch()
    assert run_app(args()) == 0
    assert "demo=yes" in last_startup_line(inge_home)
    assert (inge_home / "data" / "demo.db").exists()
    assert (inge_home / "state" / "demo-token").stat().st_mode & 0o077 == 0
    assert not list((inge_home / "state").glob("demo-*.sock"))


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--config", "fehlt.toml"], "Datei nicht gefunden"),
        (["--profile", "amt"], 'Profil "amt" (aus --profile) gibt es nicht'),
        (["--url", "https://inge.example"], "--url braucht das Token"),
    ],
)
def test_config_errors_exit_2_with_one_line(tmp_path: Path, flags: list[str], says: str) -> None:
    done = cli(*flags, home=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    line = done.stderr.strip()
    assert says in line and "\n" not in line and line.startswith("inge-tui: ")


async def test_wrong_token_at_start_ends_with_a_message(
    snapshot_env: AppEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    client = IngeClient(snapshot_env.live.base_url, "falsch", retries=0)
    app = make_app(Config(), client, poll_seconds=60)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.return_code == 2, "Ende")
    await client.aclose()
    assert "inge-tui: Anmeldung abgelehnt" in capsys.readouterr().err


async def test_demo_service_that_does_not_start(
    inge_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from inge_tui import embedded
    from inge_tui.config import paths

    def broken(self: EmbeddedService) -> list[str]:
        return [sys.executable, "-c", "import sys; print('Datenbank kaputt'); sys.exit(3)"]

    monkeypatch.setattr(EmbeddedService, "command", broken)
    service = embedded.start(paths())
    app = make_app(Config(), service, poll_seconds=60)
    try:
        async with app.run_test() as pilot:
            await wait_for(pilot, lambda: app.return_code == 2, "Ende")
    finally:
        service.stop()
    message = " ".join(capsys.readouterr().err.split())
    assert "inge-tui: Der Demo-Dienst konnte nicht starten (Exit-Code 3)" in message
    assert "Datenbank kaputt" in message


SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_demo_service_stops_with_the_app(inge_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from inge_tui import embedded
    from inge_tui.config import paths

    monkeypatch.setattr(EmbeddedService, "command", lambda self: SLEEPER)
    service = embedded.start(paths())
    assert service.exit_code() is None
    service.stop(timeout=5)
    assert service.exit_code() is not None


def test_demo_service_dies_when_the_app_is_killed(inge_home: Path) -> None:
    """Even SIGKILL (no atexit) leaves no service behind: the parent-death signal (Linux)."""
    if sys.platform != "linux":
        pytest.skip("parent-death signal is Linux only")
    code = (
        "import sys, time\n"
        "from inge_tui import embedded\n"
        "from inge_tui.config import paths\n"
        f"embedded.EmbeddedService.command = lambda self: {SLEEPER!r}\n"
        "service = embedded.start(paths())\n"
        "print(service.process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(child, 9)
    raise AssertionError("the demo service outlived the app")


def loaded_by_importing(modules: str, probes: tuple[str, ...]) -> str:
    """Which of `probes` a fresh interpreter has in `sys.modules` after `import {modules}`."""
    code = (
        f"import sys, {modules}\n"
        f"probes = {probes!r}\n"
        "print(','.join(m for m in probes if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_entry_module_loads_nothing_heavy() -> None:
    heavy = ("textual", "httpx", "pydantic", "fastapi", "sqlalchemy", "uvicorn")
    assert loaded_by_importing("inge_tui.launch, inge_tui.embedded", heavy) == ""


def test_the_app_never_loads_the_service_stack() -> None:
    bad = ("inge_tui.server", "fastapi", "sqlalchemy", "uvicorn", "starlette")
    assert loaded_by_importing("inge_tui.app, inge_tui.commands.postbox", bad) == ""


async def test_a_ca_bundle_makes_a_tls_context(tmp_path: Path) -> None:
    import ssl
    import warnings

    import certifi

    from inge_tui.config import Connection
    from inge_tui.connection import open_clients

    bundle = Path(certifi.where())
    target = Connection("https://inge.example", "t", True, bundle, 5.0, False, "amt")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # httpx deprecates a path for `verify`
        client, probe = await open_clients(target)
    assert client is not probe and probe.retries == 0
    context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
    await client.aclose()
    await probe.aclose()
