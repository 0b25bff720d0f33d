"""The service's settings: one frozen value passed to `create_app`, no globals.

`Settings.from_config(...)` builds them from the config file with the usual precedence for the
database URL (flag > `INGE_DATABASE_URL` > `[server] database_url` > SQLite file in the user
data directory); tests build them directly, with a clock they control.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_CLAIM_MINUTES = 30
DEFAULT_REQUEST_DAYS = 14  # a data request's deadline unless the caseworker sets one (A.16)
MAX_PAGE = 500
# requests a service process works on at once; the others wait their turn in arrival order
# (docs/reliability.md, "Latency under contention": 40, anyio's default, was slower)
DEFAULT_REQUEST_THREADS = 8


def utc_now() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """What `create_app` needs.

    - `database_url`: `sqlite:///…` or `postgresql://…`.
    - `claim_minutes`: a claim on a Postkorb entry lapses after this many minutes.
    - `dtz_thresholds`: overrides of the R1 table, e.g. `{"sprechen": {"b1_from": 75}}`.
    - `clock`: returns the current aware UTC datetime; tests pass one they can move.
    - `migrate`: bring the schema up to date at start (on by default).
    - `data_request_days`: the deadline of a data request to the course provider, in days from
      the request, when the caseworker gives none (domain.md A.16).
    - `token_days`: how long a new token of a role lives when it names no `days` (role ->
      days, 1–3660); a role not named keeps `auth.TOKEN_DAYS`.
    - `request_threads`: how many requests one process works on at once (1–200); the rest
      wait in arrival order. Every request runs its database work in a thread, and threads
      beyond a handful only take turns at Python's interpreter lock while holding row locks.
    """

    database_url: str
    claim_minutes: int = DEFAULT_CLAIM_MINUTES
    dtz_thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    clock: Callable[[], datetime] = utc_now
    migrate: bool = True
    data_request_days: int = DEFAULT_REQUEST_DAYS
    token_days: Mapping[str, int] = field(default_factory=dict)
    request_threads: int = DEFAULT_REQUEST_THREADS

    def __post_init__(self) -> None:
        if self.claim_minutes < 1:
            raise ValueError("claim_minutes muss mindestens 1 sein")
        if not 1 <= self.data_request_days <= 365:
            raise ValueError("data_request_days muss zwischen 1 und 365 liegen")
        for role, days in self.token_days.items():
            if not 1 <= days <= 3660:
                raise ValueError(f"token_days.{role} muss zwischen 1 und 3660 liegen")
        if not 1 <= self.request_threads <= 200:
            raise ValueError("request_threads muss zwischen 1 und 200 liegen")

    @classmethod
    def from_config(
        cls,
        database_url_flag: str | None = None,
        config_file: str | Path | None = None,
        request_threads_flag: int | None = None,
    ) -> Settings:
        """Settings from the config file, with `--database-url` and `--threads` (if given)
        winning."""
        config = _load_config(config_file)
        server = getattr(config, "server", None)
        return cls(
            database_url=database_url(database_url_flag, config),
            claim_minutes=getattr(server, "claim_minutes", None) or DEFAULT_CLAIM_MINUTES,
            dtz_thresholds=dict(getattr(server, "dtz_thresholds", {}) or {}),
            data_request_days=getattr(server, "data_request_days", None) or DEFAULT_REQUEST_DAYS,
            token_days=dict(getattr(server, "token_days", {}) or {}),
            request_threads=request_threads_flag
            if request_threads_flag is not None
            else getattr(server, "request_threads", None) or DEFAULT_REQUEST_THREADS,
        )


def _load_config(config_file: str | Path | None) -> Any:
    from inge_tui.config import load_config

    return load_config(Path(config_file) if config_file else None)


def database_url(flag: str | None, config: Any = None) -> str:
    """flag > `INGE_DATABASE_URL` > config > the SQLite file in the user data directory."""
    from inge_tui.config import load_config, resolve_database_url

    return resolve_database_url(flag, config if config is not None else load_config())
