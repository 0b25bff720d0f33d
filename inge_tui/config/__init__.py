"""Where inge-tui keeps its files, and the config file that says how it runs.

Public API (all of it; the rest is private):

- `Paths`, `paths()`: the config, data, state and log directories (platformdirs, app name
  `inge-tui`). `INGE_HOME` puts all four under one directory: tests, portable installs.
- `config_path(flag=None) -> Path`: `--config`, else `INGE_CONFIG`, else `<config dir>/config.toml`.
- `load_config(path=None) -> Config`: read and check the file. No file at the standard place is
  the embedded demo; a file named by `--config` or `INGE_CONFIG` must exist.
- `Config`, `Profile`, `View`, `ServerSettings`, `UiSettings`: the frozen result (`Config.ui` is
  the `[app]` table). `DEMO_PROFILE` is the embedded demo: a profile without a url.
- `ConfigError`: every problem as one German line naming the file, the line or the dotted key,
  what was expected, and the nearest valid key for a typo. Catch it, print it, exit 2.
- `select_profile(config, flag)`, `resolve_connection(profile_flag, url_flag, config)`,
  `resolve_database_url(flag, config)`: command-line flag > environment variable > config file >
  default, once, here. Variables: `INGE_CONFIG`, `INGE_PROFILE`, `INGE_URL`, `INGE_TOKEN`,
  `INGE_DATABASE_URL`; an empty variable counts as unset.
- `save_preference(path, key, value) -> Config`: change one key, keep the others, write
  atomically, keep the file's permissions.

Which keys exist and their types: the pydantic models in `inge_tui.config.schema`, once (imported
only when there is a file to check); the defaults: the dataclasses in `inge_tui.config.results`.
`config.example.toml` documents each key, and `tests/test_config.py` fails if they drift apart.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inge_tui.config.results import (
    DEMO_PROFILE,
    DEMO_PROFILE_NAME,
    Config,
    ConfigError,
    Profile,
    ServerSettings,
    UiSettings,
    View,
)

__all__ = [
    "DEMO_PROFILE",
    "Config",
    "ConfigError",
    "Connection",
    "Paths",
    "Profile",
    "ServerSettings",
    "UiSettings",
    "View",
    "config_path",
    "load_config",
    "paths",
    "resolve_connection",
    "resolve_database_url",
    "save_preference",
    "select_profile",
]

APP_NAME = "inge-tui"


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


# ---- where files live --------------------------------------------------------------------------


@dataclass(frozen=True)
class Paths:
    """The four directories inge-tui uses. Nothing creates them until something writes there."""

    config_dir: Path
    data_dir: Path  # the SQLite store, demo data
    state_dir: Path  # form drafts, saved state
    log_dir: Path

    @property
    def config_file(self) -> Path:
        """The standard config file, `<config dir>/config.toml`."""
        return self.config_dir / "config.toml"

    @property
    def documents_dir(self) -> Path:
        """Where the files a user asked for land (PDFs, exports, print runs), one folder for
        the case screen, the `:` line, bulk runs and scripts: `<data dir>/dokumente`."""
        return self.data_dir / "dokumente"

    @property
    def database_file(self) -> Path:
        """The default SQLite store, `<data dir>/inge.db`."""
        return self.data_dir / "inge.db"


def paths() -> Paths:
    """The directories for this user, or all under `$INGE_HOME` when that is set."""
    home = _env("INGE_HOME")
    if home is not None:
        root = Path(home).expanduser().absolute()
        return Paths(root / "config", root / "data", root / "state", root / "log")
    import platformdirs

    return Paths(
        platformdirs.user_config_path(APP_NAME, appauthor=False),
        platformdirs.user_data_path(APP_NAME, appauthor=False),
        platformdirs.user_state_path(APP_NAME, appauthor=False),
        platformdirs.user_log_path(APP_NAME, appauthor=False),
    )


def config_path(flag: str | Path | None = None) -> Path:
    """The config file: the `--config` flag, else `INGE_CONFIG`, else the standard file."""
    chosen = flag or _env("INGE_CONFIG")
    return Path(chosen).expanduser() if chosen else paths().config_file


def build(data: dict[str, Any], path: Path) -> Config:
    """Check a parsed file and turn it into a `Config` (pydantic loads only now)."""
    from inge_tui.config import schema

    return schema.build(data, path)


# ---- reading -----------------------------------------------------------------------------------

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse TOML bytes, or raise the one-line `ConfigError` that says why they are not TOML."""
    if b"\x00" in raw:
        raise ConfigError("ist eine Binärdatei – erwartet: TOML-Text in UTF-8", path=path)
    try:
        text = raw.decode("utf-8-sig")  # Windows editors like to start with a BOM
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(
            f"ist keine UTF-8-Textdatei (Byte 0x{raw[e.start]:02x} in Zeile {line}) – "
            "erwartet: TOML-Text in UTF-8 (im Editor als UTF-8 speichern)",
            path=path,
            line=line,
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        reason = str(e).split(" (at ", 1)[0]
        found = _POSITION.search(str(e))
        if found is None:  # "(at end of document)": something was left open
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            where, hint = f"am Dateiende (Zeile {line})", " – ist die Datei vollständig?"
        else:
            line = int(found[1])
            where, hint = f"in Zeile {line}, Spalte {found[2]}", ""
            if text.lstrip().startswith("{"):
                hint = (
                    " – die Datei sieht nach JSON aus; erwartet: TOML (siehe config.example.toml)"
                )
        raise ConfigError(
            f"ungültiges TOML {where}: {reason}{hint}", path=path, line=line
        ) from None


def _read_fix(path: Path) -> str:
    """What makes an unreadable file readable: chmod for one's own file, chown otherwise."""
    try:
        theirs = os.name == "posix" and path.stat().st_uid != os.getuid()
    except OSError:  # the folder itself is closed to us
        return f"Rechte des Ordners {path.parent} prüfen"
    if theirs:
        return f"die Datei gehört einem anderen Benutzer: sudo chown $USER {path}"
    return f"lesbar machen mit: chmod 600 {path}"


def _read(path: Path) -> dict[str, Any] | None:
    """The parsed file, None if it does not exist, or a `ConfigError` that says why not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError("ist ein Verzeichnis – erwartet: eine TOML-Datei", path=path) from None
    except PermissionError:
        raise ConfigError(f"keine Leserechte – {_read_fix(path)}", path=path) from None
    except OSError as e:
        raise ConfigError(f"nicht lesbar ({e.strerror})", path=path) from None
    return _parse(path, raw)


def load_config(path: Path | None = None) -> Config:
    """Read and check the config file; `Config()` (the demo) when the standard file is missing.

    `path` None means `config_path()`. A file named explicitly (an argument, or `INGE_CONFIG`)
    must exist: a typo in `--config` should not quietly start the demo. Raises `ConfigError`.
    """
    explicit = path is not None or _env("INGE_CONFIG") is not None
    path = config_path(path)
    data = _read(path)
    if data is None:
        if explicit:
            raise ConfigError(
                "Datei nicht gefunden – Pfad in --config bzw. INGE_CONFIG prüfen", path=path
            )
        return Config()
    return build(data, path)


# ---- precedence: flag > environment > file > default -------------------------------------------


def resolve_database_url(flag: str | None, config: Config) -> str:
    """`--database-url`, else `INGE_DATABASE_URL`, else `[server] database_url`, else SQLite.

    The default is `sqlite:///<data dir>/inge.db`; its directory is created here, since SQLite
    creates the file but not the folder.
    """
    chosen = flag or _env("INGE_DATABASE_URL") or config.server.database_url
    if chosen:
        return chosen
    database = paths().database_file
    database.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{database.as_posix()}"


def select_profile(config: Config, flag: str | None = None) -> Profile:
    """`--profile`, else `INGE_PROFILE`, else `default_profile`, else the only profile, else demo.

    `demo` always names the embedded demo. Raises `ConfigError` for a name that does not exist,
    and when several profiles exist and nothing picks one.
    """
    source = "--profile" if flag else "INGE_PROFILE"
    name = flag or _env("INGE_PROFILE")
    if name is None:
        source, name = "default_profile", config.default_profile
    if name is None:
        if len(config.profiles) > 1:
            names = ", ".join(f'"{n}"' for n in config.profiles)
            raise ConfigError(
                f"mehrere Profile ({names}) und kein default_profile – eines mit --profile NAME "
                f'wählen oder default_profile = "{next(iter(config.profiles))}" setzen',
                path=config.path,
                key="default_profile",
            )
        return next(iter(config.profiles.values()), DEMO_PROFILE)
    if name == DEMO_PROFILE_NAME:
        return DEMO_PROFILE
    if name not in config.profiles:
        existing = ", ".join(f'"{n}"' for n in config.profiles) or "keine"
        where = f"in {config.path}" if config.path else "(keine Konfigurationsdatei gefunden)"
        raise ConfigError(
            f'Profil "{name}" (aus {source}) gibt es nicht {where} – vorhanden: {existing}; '
            '"demo" startet die eingebaute Demo'
        )
    return config.profiles[name]


@dataclass(frozen=True)
class Connection:
    """How the app reaches its service; `demo` means the embedded demo (no url, no token)."""

    url: str | None
    token: str | None = field(repr=False)  # never in a log line by accident
    verify: bool
    ca_bundle: Path | None
    timeout: float
    demo: bool
    profile: str


def _token_from_file(profile: Profile, path: Path | None) -> str:
    file = profile.token_file
    assert file is not None
    key = f"profiles.{profile.name}.token_file"
    try:
        mode = stat.S_IMODE(file.stat().st_mode)
        if os.name == "posix" and mode & 0o077:
            raise ConfigError(
                f'"{key}": Token-Datei {file} ist für andere lesbar (Rechte {mode:04o}) – '
                f"ausführen: chmod 600 {file}",
                path=path,
                key=key,
            )
        token = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "keine UTF-8-Textdatei"
        raise ConfigError(
            f'"{key}": Token-Datei {file} nicht lesbar ({reason})', path=path, key=key
        ) from None
    if not token:
        raise ConfigError(f'"{key}": Token-Datei {file} ist leer', path=path, key=key)
    return token


def _token(profile: Profile, path: Path | None) -> str:
    if profile.token_env is not None:
        token = _env(profile.token_env)
        if token is None:
            key = f"profiles.{profile.name}.token_env"
            raise ConfigError(
                f'"{key}": die Umgebungsvariable {profile.token_env} ist nicht gesetzt',
                path=path,
                key=key,
            )
        return token
    return _token_from_file(profile, path)


def resolve_connection(
    profile_flag: str | None, url_flag: str | None, config: Config
) -> Connection:
    """The service to talk to: `--url` > `INGE_URL` > the selected profile's `url`.

    A url from the flag or the variable takes its token only from `INGE_TOKEN` (a profile's token
    is never sent to an address the profile does not name); TLS and timeout still come from the
    selected profile. Otherwise `INGE_TOKEN` beats the profile's token_env/token_file. Raises
    `ConfigError` for a missing or unsafe token or a missing CA bundle.
    """
    profile = select_profile(config, profile_flag)
    url = url_flag or _env("INGE_URL")
    if url is not None:
        token = _env("INGE_TOKEN")
        if token is None:
            source = "--url" if url_flag else "INGE_URL"
            raise ConfigError(f"{source} braucht das Token in der Umgebungsvariable INGE_TOKEN")
    elif profile.demo:
        token = None
    else:
        url, token = profile.url, _env("INGE_TOKEN") or _token(profile, config.path)
    if profile.ca_bundle is not None and not profile.ca_bundle.is_file():
        key = f"profiles.{profile.name}.ca_bundle"
        raise ConfigError(
            f'"{key}": Zertifikatsdatei {profile.ca_bundle} nicht gefunden',
            path=config.path,
            key=key,
        )
    return Connection(
        url=url,
        token=token,
        verify=profile.verify_tls,
        ca_bundle=profile.ca_bundle,
        timeout=profile.timeout,
        demo=url is None,
        profile=profile.name,
    )


# ---- writing -----------------------------------------------------------------------------------


def _key_parts(key: str | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(key, tuple):
        return key
    head, _, rest = key.partition(".")
    # binding ids contain dots themselves: "keymap.postbox.issue" is ("keymap", "postbox.issue")
    return (head, rest) if head == "keymap" and rest else tuple(key.split("."))


def save_preference(path: Path, key: str | tuple[str, ...], value: Any) -> Config:
    """Set one key (dotted, e.g. `app.theme`, `views.offen`) in the file, keeping all others.

    `value` None removes the key. The result is checked like a loaded file before anything is
    written, and a file that does not load is never overwritten. The write goes to a temporary
    file that replaces the old one (symlinks are followed), keeping its permissions; a new file
    gets 0600. tomli-w writes the file anew, so comments in it are not kept. Returns the new
    `Config`; raises `ConfigError`.
    """
    target = path.expanduser().resolve()
    data = _read(target) or {}
    parts = _key_parts(key)
    table = data
    for i, part in enumerate(parts[:-1]):
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            where = ".".join(parts[: i + 1])
            raise ConfigError(f'"{where}" ist keine Tabelle', path=target, key=where)
    if value is None:
        table.pop(parts[-1], None)
    else:
        table[parts[-1]] = value
    config = build(data, target)

    import tempfile

    import tomli_w

    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o600
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as e:
        raise ConfigError(f"nicht schreibbar ({e.strerror})", path=target) from None
    try:
        with os.fdopen(fd, "wb") as file:
            tomli_w.dump(data, file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as e:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise ConfigError(f"nicht schreibbar ({e.strerror})", path=target) from None
        raise
    return config
