"""Start-up: process start to a usable Postkorb (first page drawn) on the embedded demo.

Each run spawns the app in a pseudo-terminal of 80×24 (the real terminal driver, as over SSH)
with `INGE_EXIT_AFTER_FIRST_PAGE=1`, so the app quits as soon as the first page of the Postkorb
is on screen. The figures per run:

- `inside`: `python -m inge_tui.cli`; what the app logs to `<log dir>/startup.log` (process
  start, read from /proc, to the first page drawn);
- `uv run`: `uv run inge-tui` as the README says, from spawn here to the first page drawn
  (the log line's `drawn_at`); includes uv's own check of the environment;
- `outside`: `python -m inge_tui.cli`, wall time from spawn to exit (includes shutting down).

The references, in the same run: a bare Textual app spawned the same way that exits when ready;
the demo service alone from spawn until its health check answers (the app cannot show entries
before that); and the demo service alone with every `.pyc` ignored (`PYTHONPYCACHEPREFIX` at an
empty folder, `PYTHONDONTWRITEBYTECODE=1`), the worst case: even the standard library is
compiled from source, on every start. The first run (which seeds the demo store) is reported on
its own and left out.

    uv run python bench/startup.py [--runs 5] [--home DIR] [--participants N]

`--participants` sets the demo's size (`INGE_DEMO_PARTICIPANTS`, default: the service's).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("bare")
        yield Footer()

    def on_ready(self):
        self.exit()

Bare().run()
"""


def spawn_in_pty(command: list[str], env: dict[str, str], timeout: float = 300.0) -> float:
    """Run `command` in an 80×24 pseudo-terminal until it exits; the wall time in seconds."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        while process.poll() is None:
            if time.perf_counter() - started > timeout:
                process.kill()
                raise RuntimeError(f"{command[:3]} did not finish in {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], 0.02)
            if ready:
                try:
                    os.read(master, 65536)  # keep the terminal drained
                except OSError:
                    break
        process.wait()
        elapsed = time.perf_counter() - started
    finally:
        os.close(master)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} exited with {process.returncode}")
    return elapsed


def service_ready(home: Path, *, bytecode: bool = True, timeout: float = 300.0) -> float:
    """Spawn the demo service alone (as the app does) and time it until health answers.

    `bytecode=False`: every module is compiled from source, as without any `.pyc` files.
    """
    with tempfile.TemporaryDirectory(prefix="inge-sock-") as name:
        env = dict(os.environ)
        if not bytecode:
            empty = Path(name) / "no-pycache"
            empty.mkdir()
            env |= {"PYTHONPYCACHEPREFIX": str(empty), "PYTHONDONTWRITEBYTECODE": "1"}
        return _time_until_healthy(home, Path(name), env, timeout)


def _time_until_healthy(home: Path, folder: Path, env: dict[str, str], timeout: float) -> float:
    import socket

    sock = folder / "demo.sock"
    command = [
        sys.executable, "-m", "inge_tui.cli", "serve", "--uds", str(sock),
        "--database-url", f"sqlite:///{home / 'data' / 'demo.db'}",
        "--demo-token-file", str(folder / "token"),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        while time.perf_counter() - started < timeout:
            try:
                with socket.socket(socket.AF_UNIX) as client:
                    client.connect(str(sock))
                    client.sendall(b"GET /v1/health HTTP/1.1\r\nHost: demo\r\n\r\n")
                    if b" 200 " in client.recv(64):
                        return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError("the demo service did not answer")
    finally:
        process.terminate()
        process.wait()


def last_figure(home: Path, key: str = "first_page_s") -> float:
    """A figure of the last line the app wrote to `startup.log`."""
    line = (home / "log" / "startup.log").read_text().strip().splitlines()[-1]
    value = next(p for p in line.split() if p.startswith(f"{key}="))
    return float(value.split("=", 1)[1])


def via_uv_run(uv: str, env: dict[str, str], home: Path) -> float:
    """`uv run inge-tui` in the project: seconds from spawn to the first page drawn."""
    spawned = time.time()
    spawn_in_pty([uv, "run", "--project", str(PROJECT), "inge-tui"], env)
    return last_figure(home, "drawn_at") - spawned


def bytecode_state() -> str:
    """Whether the dependencies come with compiled bytecode (uv's `compile-bytecode`)."""
    import sqlalchemy

    cached = Path(sqlalchemy.__file__).parent / "__pycache__"
    compiled = cached.is_dir() and any(cached.glob("*.pyc"))
    writes = "no" if sys.dont_write_bytecode else "yes"
    return f"dependencies precompiled: {'yes' if compiled else 'no'}, python writes .pyc: {writes}"


def describe(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.3f} s  min {min(values):.3f} s  "
        f"max {max(values):.3f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path, help="INGE_HOME to use (default: a temp folder)")
    parser.add_argument("--participants", type=int, help="demo size for the first run")
    args = parser.parse_args()

    home = args.home or Path(tempfile.mkdtemp(prefix="inge-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGE_")}
    env |= {"INGE_HOME": str(home), "INGE_EXIT_AFTER_FIRST_PAGE": "1", "TERM": "xterm-256color"}
    if args.participants:
        env["INGE_DEMO_PARTICIPANTS"] = str(args.participants)
    app = [sys.executable, "-m", "inge_tui.cli"]
    bare = [sys.executable, "-c", BARE_APP]

    seeded = not (home / "data" / "demo.db").exists()
    first = spawn_in_pty(app, env)
    print(f"INGE_HOME={home}")
    print(bytecode_state())
    label = "first start (seeds the demo)" if seeded else "first start (store existed)"
    print(f"{label}: outside {first:.3f} s, inside {last_figure(home):.3f} s")

    uv = shutil.which("uv")
    inside, by_uv, outside, reference, service, source_only = [], [], [], [], [], []
    for _ in range(args.runs):
        outside.append(spawn_in_pty(app, env))
        inside.append(last_figure(home))
        if uv is not None:
            by_uv.append(via_uv_run(uv, env, home))
        reference.append(spawn_in_pty(bare, env))
        service.append(service_ready(home))
        source_only.append(service_ready(home, bytecode=False))
    print(f"runs: {args.runs}, 80×24 pseudo-terminal, python {sys.version.split()[0]}")
    print(f"inge-tui to first Postkorb page, inside:    {describe(inside)}")
    if by_uv:
        print(f"`uv run inge-tui`, spawn to first page:     {describe(by_uv)}")
    print(f"inge-tui spawn to exit, outside:            {describe(outside)}")
    print(f"bare Textual app spawn to exit (reference): {describe(reference)}")
    print(f"demo service alone, spawn to healthy:       {describe(service)}")
    print(f"  the same, no .pyc at all (stdlib too):    {describe(source_only)}")
    ratio = statistics.median(outside) / statistics.median(reference)
    print(f"inge-tui / bare Textual (outside, median):  {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
