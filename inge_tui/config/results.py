"""What a checked config file is: the frozen results (`Config` and its tables) and `ConfigError`,
the one German line that says what is wrong. Defaults live on these dataclasses, nowhere else.

Stdlib only: `inge_tui.config` imports this on every start of the app; the checking
(`inge_tui.config.schema`, pydantic) is imported only once there is a file to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEMO_PROFILE_NAME = "demo"
DTZ_PARTS = ("hoeren_lesen", "schreiben", "sprechen")


class ConfigError(Exception):
    """A config problem as the one German line the user sees: `str(error)` is that line.

    `path`, `key` (dotted) and `line` repeat what the line names, for a caller that wants to
    point at it (open the editor at the line, say).
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = path
        self.key = key
        self.line = line
        text = " ".join(message.split())  # one line, whatever went into it
        super().__init__(f"Konfiguration {path}: {text}" if path is not None else text)


@dataclass(frozen=True)
class Profile:
    """One `[profiles.NAME]` table: which service to talk to and how.

    The embedded demo is the profile without a `url` (`DEMO_PROFILE`); every profile from a file
    has one. `token_file` and `ca_bundle` are absolute (`~` expanded, relative to the config file).
    """

    name: str
    url: str | None = None
    token_env: str | None = None
    token_file: Path | None = None
    office: str | None = None
    theme: str | None = None
    language: str | None = None
    verify_tls: bool = True
    ca_bundle: Path | None = None
    timeout: float = 10.0

    @property
    def demo(self) -> bool:
        """True for the embedded demo, which runs without a service."""
        return self.url is None


DEMO_PROFILE = Profile(name=DEMO_PROFILE_NAME)


@dataclass(frozen=True)
class View:
    """One saved Postkorb view, `[views.NAME]`: a filter query and a sort; empty means none."""

    filter: str = ""
    sort: str = ""


@dataclass(frozen=True)
class ServerSettings:
    """`[server]`. `database_url` None means the SQLite file in the data directory.

    `dtz_thresholds` is kept as written (part → field → number);
    `inge_tui.domain.levels.thresholds_from_mapping` checks what the numbers mean.
    """

    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8470
    claim_minutes: int = 30
    data_request_days: int = 14  # a data request's deadline when none is given (A.16)
    request_threads: int = 8  # requests one service process works on at once
    dtz_thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    token_days: Mapping[str, int] = field(default_factory=dict)  # role -> days, as written


@dataclass(frozen=True)
class UiSettings:
    """`[app]`: what the terminal app looks like unless the profile says otherwise."""

    theme: str = "textual-dark"
    language: str = "de"
    documents_dir: Path | None = None  # None: `Paths.documents_dir`


@dataclass(frozen=True)
class Config:
    """A checked config file; `Config()` is what no file at all means.

    `path` is the file it was read from (None without one). `keymap` maps binding ids to key
    strings as written; the app checks the ids when it applies them.
    """

    path: Path | None = None
    default_profile: str | None = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    keymap: Mapping[str, str] = field(default_factory=dict)
    views: Mapping[str, View] = field(default_factory=dict)
    server: ServerSettings = field(default_factory=ServerSettings)
    ui: UiSettings = field(default_factory=UiSettings)
