"""What a config file may say, and the checks that tell the user what is wrong with theirs.

`SCHEMA` is the one declaration of the accepted keys. `build()` walks a parsed TOML document
against it and turns it into a `Config`; `accepted_keys()` lists it, which is what the test that
keeps `config.example.toml` complete reads. Defaults live on the dataclasses below, nowhere else.

Stdlib only (and `difflib` only once something is wrong): this runs on every start of the app.
`inge_tui.config` is the public face; import from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

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


# ---- the results -------------------------------------------------------------------------------


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
    dtz_thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class UiSettings:
    """`[app]`: what the terminal app looks like unless the profile says otherwise."""

    theme: str = "textual-dark"
    language: str = "de"
    log_level: str = "WARNING"


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


# ---- the schema --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What one value must be: its types, its German name, and an optional further check."""

    expected: str
    types: tuple[type, ...]
    valid: Callable[[Any], bool] = lambda value: True
    detail: str = ""  # what `valid` wants, when it says no
    choices: tuple[str, ...] = ()
    hint: str = ""  # added to a wrong-type message
    echo: bool = True  # False where a wrong value may be a secret


def _choice(*choices: str) -> Kind:
    return Kind(
        "Zeichenkette",
        (str,),
        lambda value: value in choices,
        " oder ".join(f'"{c}"' for c in choices),
        choices=choices,
    )


def _nonempty(value: str) -> bool:
    return value.strip() != ""


TEXT = Kind("Zeichenkette", (str,))
NAME = Kind("Zeichenkette", (str,), _nonempty, "eine nicht leere Zeichenkette")
PATH = Kind(
    "Zeichenkette", (str,), _nonempty, 'ein Dateipfad, z. B. "~/.config/inge-tui/amt.token"'
)
BOOL = Kind("Wahrheitswert (true oder false)", (bool,))
NUMBER = Kind("Zahl", (int, float), lambda value: value >= 0, "eine Zahl ab 0")
POSITIVE = Kind("Zahl", (int, float), lambda value: value > 0, "eine Zahl größer als 0")
COUNT = Kind("ganze Zahl", (int,), lambda value: value > 0, "eine ganze Zahl größer als 0")
PORT = Kind(
    "ganze Zahl", (int,), lambda value: 0 < value < 65536, "eine ganze Zahl von 1 bis 65535"
)
URL = Kind(
    "Zeichenkette",
    (str,),
    lambda value: value.startswith(("http://", "https://")),
    'eine Adresse, die mit "https://" (oder "http://") beginnt',
)
ENV_NAME = Kind(
    "Zeichenkette",
    (str,),
    lambda value: re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value) is not None,
    'der Name einer Umgebungsvariable, z. B. "INGE_TOKEN" (nicht das Token selbst)',
    echo=False,
)
KEY = Kind(
    "Zeichenkette",
    (str,),
    _nonempty,
    'eine Taste, z. B. "i" oder "ctrl+s"',
    hint='Binding-IDs mit Punkt in Anführungszeichen: "postbox.issue" = "i"',
)
LANGUAGE = _choice("de", "en")
LOG_LEVEL = _choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

Table = Mapping[str, Union[Kind, "Table"]]
ANY = "*"  # a table whose keys are names the user picks

SCHEMA: Table = {
    "default_profile": NAME,
    "app": {"theme": NAME, "language": LANGUAGE, "log_level": LOG_LEVEL},
    "profiles": {
        ANY: {
            "url": URL,
            "token_env": ENV_NAME,
            "token_file": PATH,
            "office": NAME,
            "theme": NAME,
            "language": LANGUAGE,
            "verify_tls": BOOL,
            "ca_bundle": PATH,
            "timeout": POSITIVE,
        }
    },
    "keymap": {ANY: KEY},
    "views": {ANY: {"filter": TEXT, "sort": TEXT}},
    "server": {
        "database_url": NAME,
        "host": NAME,
        "port": PORT,
        "claim_minutes": COUNT,
        "dtz_thresholds": {
            part: {"maximum": POSITIVE, "a2_from": NUMBER, "b1_from": NUMBER, "step": POSITIVE}
            for part in DTZ_PARTS
        },
    },
}


def accepted_keys(schema: Table = SCHEMA, prefix: str = "") -> Iterator[str]:
    """Every key a file may set, dotted; `*` stands for a name the user picks (`profiles.*.url`)."""
    for key, spec in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(spec, Kind):
            yield dotted
        else:
            yield from accepted_keys(spec, dotted + ".")


# ---- checking ----------------------------------------------------------------------------------


def dotted(parts: tuple[str, ...]) -> str:
    """A key path as TOML would write it: `profiles.amt.url`, `keymap.'postbox.issue'`."""
    return ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else f"'{p}'" for p in parts)


def type_name(value: object) -> str:
    """The German name of a TOML value's type, as the messages use it."""
    if isinstance(value, bool):
        return "Wahrheitswert"
    names = {int: "ganze Zahl", float: "Zahl", str: "Zeichenkette", dict: "Tabelle", list: "Liste"}
    return next((n for t, n in names.items() if isinstance(value, t)), "Datum/Uhrzeit")


def _closest(word: str, candidates: list[str]) -> str | None:
    from difflib import get_close_matches

    matches = get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _unknown(here: tuple[str, ...], schema: Table, path: Path | None) -> ConfigError:
    key, name = dotted(here), here[-1]
    if name == "token":
        return ConfigError(
            f'"{key}": ein Token gehört nie in die Konfigurationsdatei – stattdessen '
            'token_env = "VARIABLE" (Name einer Umgebungsvariable) oder '
            'token_file = "pfad" (Datei mit Rechten 0600) angeben',
            path=path,
            key=key,
        )
    siblings = [k for k in schema if k != ANY]
    suggestion = _closest(name, siblings)
    if suggestion is None:  # the right key in the wrong table: `theme` at the top, not in [app]
        elsewhere = [k for k in accepted_keys() if k.rsplit(".", 1)[-1] == name]
        suggestion = elsewhere[0].replace(ANY, "NAME") if elsewhere else None
    message = f'unbekannter Schlüssel "{key}"'
    if suggestion is not None:
        message += f' – meinten Sie "{suggestion}"?'
    else:
        message += " – erlaubt: " + ", ".join(siblings)
    return ConfigError(message, path=path, key=key)


def _check_value(value: Any, kind: Kind, here: tuple[str, ...], path: Path | None) -> None:
    key = dotted(here)
    right_type = isinstance(value, kind.types) and (
        bool in kind.types or not isinstance(value, bool)
    )
    if not right_type:
        hint = f" ({kind.hint})" if kind.hint else ""
        raise ConfigError(
            f'"{key}" hat den Typ {type_name(value)} – erwartet: {kind.expected}{hint}',
            path=path,
            key=key,
        )
    if kind.valid(value):
        return
    shown = f' = "{value}"' if isinstance(value, str) else f" = {value}"
    message = f'"{key}"{shown if kind.echo else ""} ist ungültig – erwartet: {kind.detail}'
    suggestion = _closest(value, list(kind.choices)) if kind.choices else None
    if suggestion is None and kind.choices:
        suggestion = _closest(value.upper(), list(kind.choices))
    if suggestion is not None:
        message += f' – meinten Sie "{suggestion}"?'
    raise ConfigError(message, path=path, key=key)


def _check_table(
    data: Mapping[str, Any], schema: Table, where: tuple[str, ...], path: Path | None
) -> None:
    for name, value in data.items():
        here = (*where, name)
        spec = schema.get(name, schema.get(ANY))
        if spec is None:
            raise _unknown(here, schema, path)
        if isinstance(spec, Kind):
            _check_value(value, spec, here, path)
        elif isinstance(value, dict):
            _check_table(value, spec, here, path)
        else:
            key = dotted(here)
            raise ConfigError(
                f'"{key}" hat den Typ {type_name(value)} – erwartet: Tabelle ([{key}])',
                path=path,
                key=key,
            )


def _file_path(value: str | None, base: Path) -> Path | None:
    return None if value is None else (base / Path(value).expanduser()).absolute()


def _profile(name: str, table: dict[str, Any], base: Path, path: Path | None) -> Profile:
    key = dotted(("profiles", name))
    if name == DEMO_PROFILE_NAME:
        raise ConfigError(
            f'"{key}": der Name "demo" ist für die eingebaute Demo reserviert – '
            "bitte das Profil umbenennen",
            path=path,
            key=key,
        )
    if "url" not in table:
        raise ConfigError(
            f'"{key}.url" fehlt – erwartet: die Adresse des Dienstes, z. B. "https://inge.example"',
            path=path,
            key=f"{key}.url",
        )
    sources = [k for k in ("token_env", "token_file") if k in table]
    if len(sources) != 1:
        what = "schließen sich aus – nur eines angeben" if sources else "fehlt – eines angeben"
        raise ConfigError(
            f'"{key}": token_env oder token_file {what} '
            '(token_env = "VARIABLE" oder token_file = "pfad")',
            path=path,
            key=key,
        )
    values = dict(table)
    values["token_file"] = _file_path(table.get("token_file"), base)
    values["ca_bundle"] = _file_path(table.get("ca_bundle"), base)
    if "timeout" in table:
        values["timeout"] = float(table["timeout"])
    return Profile(name=name, **values)


def build(data: Mapping[str, Any], path: Path | None) -> Config:
    """Check a parsed TOML document against `SCHEMA` and turn it into a `Config`.

    Raises `ConfigError` at the first problem, naming the dotted key. `path` is the file the
    document came from: messages name it, and relative paths in profiles start from its folder.
    """
    _check_table(data, SCHEMA, (), path)
    base = path.parent if path is not None else Path.cwd()
    profiles = {
        name: _profile(name, table, base, path) for name, table in data.get("profiles", {}).items()
    }
    default = data.get("default_profile")
    if default is not None and default != DEMO_PROFILE_NAME and default not in profiles:
        existing = ", ".join(f'"{n}"' for n in profiles) or "keine"
        suggestion = _closest(default, list(profiles))
        hint = f' – meinten Sie "{suggestion}"?' if suggestion else ""
        raise ConfigError(
            f'default_profile = "{default}", aber dieses Profil gibt es nicht '
            f'(vorhanden: {existing}; "demo" ist die eingebaute Demo){hint}',
            path=path,
            key="default_profile",
        )
    return Config(
        path=path,
        default_profile=default,
        profiles=profiles,
        keymap=dict(data.get("keymap", {})),
        views={name: View(**table) for name, table in data.get("views", {}).items()},
        server=ServerSettings(**data.get("server", {})),
        ui=UiSettings(**data.get("app", {})),
    )
