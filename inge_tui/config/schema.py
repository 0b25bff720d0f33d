"""What a config file may say, as pydantic models (`extra="forbid"`, strict types), and the one
German line that says what is wrong with a file: the dotted key, what was expected, the nearest
valid key for a typo.

`ConfigFile` is the one declaration of the accepted keys. Each value's annotation carries a
`Kind`: its German name for the messages and the check beyond its type. `accepted_keys()` lists
the keys (the test that keeps `config.example.toml` complete reads it); `build()` checks a parsed
TOML document and turns it into a `Config`. Nothing here sets a default: an absent key is absent,
and the dataclasses in `inge_tui.config.results` say what that means.

Imported only once there is a file to check: pydantic is not needed to start on the demo.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails, core_schema

from inge_tui.config.results import (
    DEMO_PROFILE_NAME,
    DTZ_PARTS,
    Config,
    ConfigError,
    Profile,
    ServerSettings,
    UiSettings,
    View,
)


class Kind:
    """What one value must be beyond its type: its German name (`expected`), a further check
    (`valid`, and what it wants: `detail`), choices to suggest from, a hint for a wrong type, and
    whether a wrong value may be echoed (not where it may be a secret). As annotation metadata
    it runs `valid` after pydantic's strict type check."""

    def __init__(
        self,
        expected: str,
        valid: Callable[[Any], bool] | None = None,
        detail: str = "",
        *,
        choices: tuple[str, ...] = (),
        hint: str = "",
        echo: bool = True,
    ) -> None:
        self.expected = expected
        self.valid = valid
        self.detail = detail
        self.choices = choices
        self.hint = hint
        self.echo = echo

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def _check(self, value: Any) -> Any:
        if value is not None and self.valid is not None and not self.valid(value):
            raise ValueError(self.detail)
        return value


def _choice(*choices: str) -> Kind:
    return Kind(
        "Zeichenkette",
        lambda value: value in choices,
        " oder ".join(f'"{c}"' for c in choices),
        choices=choices,
    )


def _nonempty(value: str) -> bool:
    return value.strip() != ""


Text = Annotated[str | None, Kind("Zeichenkette")]
Name = Annotated[str | None, Kind("Zeichenkette", _nonempty, "eine nicht leere Zeichenkette")]
FilePath = Annotated[
    str | None,
    Kind("Zeichenkette", _nonempty, 'ein Dateipfad, z. B. "~/.config/inge-tui/amt.token"'),
]
DirPath = Annotated[
    str | None,
    Kind("Zeichenkette", _nonempty, 'ein Ordner, z. B. "~/Dokumente/inge"'),
]
Flag = Annotated[bool | None, Kind("Wahrheitswert (true oder false)")]
Number = Annotated[float | None, Kind("Zahl", lambda value: value >= 0, "eine Zahl ab 0")]
Positive = Annotated[float | None, Kind("Zahl", lambda value: value > 0, "eine Zahl größer als 0")]
Count = Annotated[
    int | None, Kind("ganze Zahl", lambda value: value > 0, "eine ganze Zahl größer als 0")
]
Port = Annotated[
    int | None,
    Kind("ganze Zahl", lambda value: 0 < value < 65536, "eine ganze Zahl von 1 bis 65535"),
]
Threads = Annotated[
    int | None,
    Kind("ganze Zahl", lambda value: 1 <= value <= 200, "eine ganze Zahl von 1 bis 200"),
]
Url = Annotated[
    str | None,
    Kind(
        "Zeichenkette",
        lambda value: value.startswith(("http://", "https://")),
        'eine Adresse, die mit "https://" (oder "http://") beginnt',
    ),
]
EnvName = Annotated[
    str | None,
    Kind(
        "Zeichenkette",
        lambda value: re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value) is not None,
        'der Name einer Umgebungsvariable, z. B. "INGE_TOKEN" (nicht das Token selbst)',
        echo=False,
    ),
]
Key = Annotated[
    str,
    Kind(
        "Zeichenkette",
        _nonempty,
        'eine Taste, z. B. "i" oder "ctrl+s"',
        hint='Binding-IDs mit Punkt in Anführungszeichen: "postbox.issue" = "i"',
    ),
]
Language = Annotated[str | None, _choice("de", "en")]


# ---- the file ----------------------------------------------------------------------------------


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class AppTable(_Table):
    """`[app]`"""

    theme: Name = None
    language: Language = None
    documents_dir: DirPath = None


class ProfileTable(_Table):
    """`[profiles.NAME]`; that `url` and one token source are there is checked by `build()`,
    after every value has its type (so the first problem in the file is the one named)."""

    url: Url = None
    token_env: EnvName = None
    token_file: FilePath = None
    office: Name = None
    theme: Name = None
    language: Language = None
    verify_tls: Flag = None
    ca_bundle: FilePath = None
    timeout: Positive = None


class ViewTable(_Table):
    """`[views.NAME]`"""

    filter: Text = None
    sort: Text = None


class ThresholdTable(_Table):
    """`[server.dtz_thresholds.PART]`: what the numbers mean is the domain's to check."""

    maximum: Positive = None
    a2_from: Number = None
    b1_from: Number = None
    step: Positive = None


class ThresholdsTable(_Table):
    """`[server.dtz_thresholds]`, one table per DTZ part."""

    hoeren_lesen: ThresholdTable | None = None
    schreiben: ThresholdTable | None = None
    sprechen: ThresholdTable | None = None


Days = Annotated[
    int | None,
    Kind("ganze Zahl", lambda value: 1 <= value <= 3660, "eine ganze Zahl von 1 bis 3660"),
]


class TokenDaysTable(_Table):
    """`[server.token_days]`: how long a new token of each role lives unless it says otherwise."""

    caseworker: Days = None
    supervisor: Days = None
    admin: Days = None
    course_provider: Days = None
    test_institute: Days = None
    oet: Days = None


class ServerTable(_Table):
    """`[server]`"""

    database_url: Name = None
    host: Name = None
    port: Port = None
    claim_minutes: Count = None
    data_request_days: Count = None
    request_threads: Threads = None
    dtz_thresholds: ThresholdsTable | None = None
    token_days: TokenDaysTable | None = None


class ConfigFile(_Table):
    """The whole file."""

    default_profile: Name = None
    app: AppTable | None = None
    profiles: dict[str, ProfileTable] | None = None
    keymap: dict[str, Key] | None = None
    views: dict[str, ViewTable] | None = None
    server: ServerTable | None = None


assert tuple(ThresholdsTable.model_fields) == DTZ_PARTS


# ---- the keys, as the messages walk them -------------------------------------------------------

ANY = "*"  # a table whose keys are names the user picks
Table = Mapping[str, Union[Kind, "Table"]]


def _node(annotation: Any, metadata: list[Any]) -> Kind | Table:
    """A field's annotation as a key tree: a table of fields, `{ANY: …}` for a table of names
    the user picks, or the `Kind` of a value."""
    if get_origin(annotation) in (Union, types.UnionType):  # `X | None`: the X
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Annotated:
        annotation, *more = get_args(annotation)
        metadata = [*metadata, *more]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _tree(annotation)
    if get_origin(annotation) is dict:
        return {ANY: _node(get_args(annotation)[1], [])}
    return next(m for m in metadata if isinstance(m, Kind))


def _tree(model: type[BaseModel]) -> Table:
    return {name: _node(f.annotation, f.metadata) for name, f in model.model_fields.items()}


SCHEMA: Table = _tree(ConfigFile)


def accepted_keys(schema: Table = SCHEMA, prefix: str = "") -> Iterator[str]:
    """Every key a file may set, dotted; `*` stands for a name the user picks (`profiles.*.url`)."""
    for key, spec in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(spec, Kind):
            yield dotted
        else:
            yield from accepted_keys(spec, dotted + ".")


def _spec_at(here: tuple[str, ...]) -> Kind | Table:
    spec: Kind | Table = SCHEMA
    for part in here:
        assert not isinstance(spec, Kind)
        spec = spec.get(part, spec.get(ANY, {}))
    return spec


# ---- the one line ------------------------------------------------------------------------------


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


def _unknown(here: tuple[str, ...], path: Path | None) -> ConfigError:
    key, name = dotted(here), here[-1]
    if name == "token":
        return ConfigError(
            f'"{key}": ein Token gehört nie in die Konfigurationsdatei – stattdessen '
            'token_env = "VARIABLE" (Name einer Umgebungsvariable) oder '
            'token_file = "pfad" (Datei mit Rechten 0600) angeben',
            path=path,
            key=key,
        )
    table = _spec_at(here[:-1])
    siblings = [k for k in table if k != ANY] if not isinstance(table, Kind) else []
    suggestion = _closest(name, siblings)
    if suggestion is None:  # the right key in the wrong table: `theme` at the top, not in [app]
        elsewhere = [k for k in accepted_keys() if k.rsplit(".", 1)[-1] == name]
        suggestion = elsewhere[0].replace(ANY, "NAME") if elsewhere else None
    if key in REMOVED:
        return ConfigError(f'"{key}" {REMOVED[key]}', path=path, key=key)
    message = f'unbekannter Schlüssel "{key}"'
    if suggestion is not None:
        message += f' – meinten Sie "{suggestion}"?'
    else:
        message += " – erlaubt: " + ", ".join(siblings)
    return ConfigError(message, path=path, key=key)


REMOVED = {
    "app.log_level": "wird nicht mehr gelesen (es gab keine Protokollstufe einzustellen) – "
    "bitte die Zeile löschen",
}
"""Keys an older release documented but that never did anything: named, not guessed at."""


def _problem(error: ErrorDetails, path: Path | None) -> ConfigError:
    """Pydantic's complaint about one value as the line the user reads."""
    here = tuple(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return _unknown(here, path)
    key, value, spec = dotted(here), error["input"], _spec_at(here)
    if not isinstance(spec, Kind):  # a value where a table belongs
        return ConfigError(
            f'"{key}" hat den Typ {type_name(value)} – erwartet: Tabelle ([{key}])',
            path=path,
            key=key,
        )
    if error["type"] != "value_error":  # the type is wrong
        hint = f" ({spec.hint})" if spec.hint else ""
        return ConfigError(
            f'"{key}" hat den Typ {type_name(value)} – erwartet: {spec.expected}{hint}',
            path=path,
            key=key,
        )
    shown = f' = "{value}"' if isinstance(value, str) else f" = {value}"
    message = f'"{key}"{shown if spec.echo else ""} ist ungültig – erwartet: {spec.detail}'
    suggestion = _closest(value, list(spec.choices)) if spec.choices else None
    if suggestion is None and spec.choices:
        suggestion = _closest(value.upper(), list(spec.choices))
    if suggestion is not None:
        message += f' – meinten Sie "{suggestion}"?'
    return ConfigError(message, path=path, key=key)


def _positions(data: Mapping[str, Any], where: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every key path in the order the file has them."""
    for name, value in data.items():
        yield (*where, name)
        if isinstance(value, dict):
            yield from _positions(value, (*where, name))


def _first(errors: list[ErrorDetails], data: Mapping[str, Any]) -> ErrorDetails:
    """The problem that comes first in the file (pydantic reports in the models' order)."""
    order = {here: i for i, here in enumerate(_positions(data))}
    return min(errors, key=lambda e: order.get(tuple(str(p) for p in e["loc"]), len(order)))


# ---- building the result -----------------------------------------------------------------------


def _file_path(value: str | None, base: Path) -> Path | None:
    return None if value is None else (base / Path(value).expanduser()).absolute()


def _ui(table: dict[str, Any], base: Path) -> UiSettings:
    values = dict(table)
    if "documents_dir" in values:
        values["documents_dir"] = _file_path(values["documents_dir"], base)
    return UiSettings(**values)


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
    """Check a parsed TOML document against `ConfigFile` and turn it into a `Config`.

    Raises `ConfigError` for the first problem in the file, naming the dotted key. `path` is the
    file the document came from: messages name it, and relative paths in profiles start from its
    folder.
    """
    try:
        ConfigFile.model_validate(data)
    except ValidationError as invalid:
        raise _problem(_first(invalid.errors(), data), path) from None
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
        ui=_ui(data.get("app", {}), base),
    )
