"""The embedded demo: the InGe service as a child process on a Unix socket, started early.

`start()` spawns `python -m inge_tui.cli serve --uds … --database-url sqlite:///…/demo.db
--demo-token-file …` before the app imports Textual, so the service boots while the UI loads.
The first start seeds the demo store (a few thousand synthetic cases); later starts only serve.
The socket is `<state dir>/demo-<pid>.sock` (one per app, so two demo sessions side by side do
not take each other's socket), or a private temp folder when that path is too long for AF_UNIX.
`wait_ready()` polls `/v1/health` over the socket (in the app's worker) and reads the demo
token the service wrote. The child is stopped when the app ends, also on a crash (atexit) and,
on Linux, when this process dies without running atexit (parent-death signal).

Stdlib only at import time: this module runs before anything heavy is loaded.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from inge_tui.i18n import _

if TYPE_CHECKING:
    from inge_tui.api.client import IngeClient
    from inge_tui.config import Paths

BASE_URL = "http://inge-demo"
"""The URL the client uses over the socket (the host part is only a label)."""
DEMO_SIZE_ENV = "INGE_DEMO_PARTICIPANTS"
# `INGE_DEMO_ROLE=leitung uv run inge-tui`: the demo signed in as its supervisor (four eyes)
DEMO_ROLE_ENV = "INGE_DEMO_ROLE"
DEMO_ROLES = {"leitung": "supervisor", "supervisor": "supervisor"}
"""How many demo participants the first start seeds (tests and benchmarks make it small)."""
READY_TIMEOUT = 180.0
"""Seconds to wait for the first start, which seeds the demo store."""
_MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 107 bytes on Linux


class DemoServiceError(RuntimeError):
    """The demo service did not come up; the message is German and says what to do."""


@dataclass
class EmbeddedService:
    """One demo service child process and the files it uses."""

    socket_path: Path
    database_file: Path
    token_file: Path
    log_file: Path
    first_run: bool
    process: subprocess.Popen[bytes] | None = None
    started_at: float = field(default_factory=time.monotonic)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database_file.as_posix()}"

    def command(self) -> list[str]:
        """The command line of the child."""
        size = os.environ.get(DEMO_SIZE_ENV)
        extra = ["--demo-participants", size] if size and size.isdigit() else []
        extra += ["--demo-role", demo_role()]
        return [
            sys.executable,
            "-m",
            "inge_tui.cli",
            "serve",
            "--uds",
            str(self.socket_path),
            "--database-url",
            self.database_url,
            "--demo-token-file",
            str(self.token_file),
            *extra,
        ]

    def spawn(self) -> None:
        """Start the child; its output goes to `log_file`, never to the terminal."""
        for folder in {self.socket_path.parent, self.database_file.parent, self.log_file.parent}:
            folder.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        env = dict(os.environ)
        env.pop("INGE_DATABASE_URL", None)  # the flag decides; never touch a real store
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(  # our own interpreter and module
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # ctrl+c in the terminal is the app's business
                preexec_fn=_parent_death_signal(),
            )
        self.started_at = time.monotonic()
        atexit.register(self.stop)

    def exit_code(self) -> int | None:
        """None while the child runs, else its exit code."""
        return None if self.process is None else self.process.poll()

    def request_stop(self) -> None:
        """Ask the child to shut down (SIGTERM) without waiting; `stop()` then waits."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop the child: SIGTERM, then SIGKILL after `timeout` seconds. Safe to call twice."""
        process = self.process
        if process is not None and process.poll() is None:
            self.request_stop()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout)
        with contextlib.suppress(OSError):
            self.socket_path.unlink(missing_ok=True)

    def log_tail(self, lines: int = 6) -> str:
        """The last lines the child wrote (for a message that says why it stopped)."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def died_message(self) -> str:
        """What to tell the caseworker when the child is gone (the log has the details)."""
        return _(
            "Der Demo-Dienst ist beendet (Exit-Code {code}). Die Liste zeigt den "
            "letzten Stand. Bitte inge-tui neu starten (Details: Strg+E)."
        ).format(code=self.exit_code())

    def died_detail(self) -> str:
        """The details behind `died_message`: where the log is and how it ends."""
        return _(
            "{message}\n\nProtokoll: {log}\n"
            "Demo-Datenbank: {database} (löschen legt die Demo neu an)\n\n"
            "Letzte Zeilen des Protokolls:\n{tail}"
        ).format(
            message=self.died_message(),
            log=self.log_file,
            database=self.database_file,
            tail=self.log_tail(20) or _("(leer)"),
        )

    def client(self, token: str | None, *, retries: int = 3, timeout: float = 10.0) -> IngeClient:
        """A client that talks to the child over its socket."""
        from inge_tui.api.client import IngeClient

        return IngeClient(
            BASE_URL, token, uds=str(self.socket_path), retries=retries, timeout=timeout
        )

    def read_token(self) -> str:
        """The demo caseworker's token the child wrote (0600)."""
        try:
            token = self.token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise DemoServiceError(
                _(
                    "Das Demo-Token in {path} ist nicht lesbar ({error}). "
                    "Bitte inge-tui neu starten."
                ).format(path=self.token_file, error=error.strerror)
            ) from None
        if not token:
            said = _("Die Datei {path} ist leer. Bitte neu starten.")
            raise DemoServiceError(said.format(path=self.token_file))
        return token

    async def wait_ready(
        self,
        *,
        timeout: float = READY_TIMEOUT,
        interval: float = 0.03,
        progress: Callable[[float], None] | None = None,
    ) -> str:
        """Poll `/v1/health` until it answers; return the demo token. Raises `DemoServiceError`."""
        import asyncio

        from inge_tui.api.errors import ApiError

        probe = self.client(None, retries=0, timeout=2.0)
        try:
            while True:
                code = self.exit_code()
                if code is not None:
                    raise DemoServiceError(
                        _(
                            "Der Demo-Dienst konnte nicht starten (Exit-Code {code}). "
                            "Bitte inge-tui neu starten; hilft das nicht, die Demo-Datenbank "
                            "löschen (sie wird neu angelegt):\n  {database}\n"
                            "Protokoll:\n  {log}\n"
                            "Letzte Meldung:\n  {last}"
                        ).format(
                            code=code,
                            database=self.database_file,
                            log=self.log_file,
                            last=self.log_tail(1) or _("(keine)"),
                        )
                    )
                waited = time.monotonic() - self.started_at
                if waited > timeout:
                    raise DemoServiceError(
                        _(
                            "Der Demo-Dienst antwortet nach {seconds} s noch nicht. Bitte "
                            "inge-tui neu starten.\nProtokoll:\n  {log}"
                        ).format(seconds=f"{timeout:.0f}", log=self.log_file)
                    )
                if self.socket_path.exists():
                    with contextlib.suppress(ApiError):
                        await probe.health()
                        if self.token_file.exists():
                            return self.read_token()
                if progress is not None:
                    progress(waited)
                await asyncio.sleep(interval)
        finally:
            await probe.aclose()


def socket_path_for(state_dir: Path) -> Path:
    """`<state dir>/demo-<pid>.sock`, or a private temp folder if that path is too long."""
    name = f"demo-{os.getpid()}.sock"
    path = state_dir / name
    if len(os.fsencode(str(path))) <= _MAX_SOCKET_PATH:
        return path
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"inge-tui-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / name


def remove_stale_sockets(folder: Path) -> None:
    """Remove the sockets of demo sessions whose app is gone without cleaning up (a terminal
    that was closed, a killed process): `demo-<pid>.sock` whose pid no longer runs."""
    for path in folder.glob("demo-*.sock"):
        pid = path.stem.removeprefix("demo-")
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True


def demo_role() -> str:
    """The role the demo signs in with: `supervisor` when `INGE_DEMO_ROLE` says `leitung`."""
    return DEMO_ROLES.get(os.environ.get(DEMO_ROLE_ENV, "").strip().lower(), "caseworker")


def start(where: Paths) -> EmbeddedService:
    """Spawn the demo service for these directories and return at once."""
    database = where.data_dir / "demo.db"
    socket_path = socket_path_for(where.state_dir)
    remove_stale_sockets(socket_path.parent)
    service = EmbeddedService(
        socket_path=socket_path,
        database_file=database,
        # one token file per role: each keeps its own claims across restarts
        token_file=where.state_dir
        / ("demo-token" if demo_role() == "caseworker" else f"demo-token-{demo_role()}"),
        log_file=where.log_dir / "demo-service.log",
        first_run=not database.exists(),
    )
    service.spawn()
    return service


def _parent_death_signal() -> Callable[[], None] | None:
    """For the child before exec: SIGTERM when the app's process dies (Linux `prctl`).

    The library is loaded here, in the parent: the child only makes the call, so it takes no
    import lock another thread might hold at fork time.
    """
    if sys.platform != "linux":
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):  # no such libc: atexit still stops the child
        return None
    pr_set_pdeathsig = 1

    def set_signal() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return set_signal
