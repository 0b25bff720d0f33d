"""Config: paths, precedence, profiles and tokens, the one-line errors, saving, the example file."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from inge_tui.config import (
    DEMO_PROFILE,
    Config,
    ConfigError,
    ServerSettings,
    UiSettings,
    View,
    config_path,
    load_config,
    paths,
    resolve_connection,
    resolve_database_url,
    save_preference,
    select_profile,
)
from inge_tui.config.schema import accepted_keys

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.toml"
ENV = ("INGE_HOME", "INGE_CONFIG", "INGE_PROFILE", "INGE_URL", "INGE_TOKEN", "INGE_DATABASE_URL")
AMT = """
[profiles.amt]
url = "https://inge.example/"
token_env = "AMT_TOKEN"
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs under its own INGE_HOME, with none of the caller's INGE_* variables."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "home"
    monkeypatch.setenv("INGE_HOME", str(root))
    return root


def write(tmp_path: Path, text: str | bytes, name: str = "config.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    """The message `load_config` stops with; it must be one line that names the file."""
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"Konfiguration {path}: ")
    return message


# ---- paths and defaults ------------------------------------------------------------------------


def test_inge_home_holds_every_directory(home: Path) -> None:
    found = paths()
    assert found.config_dir == home / "config"
    assert found.data_dir == home / "data"
    assert found.state_dir == home / "state"
    assert found.log_dir == home / "log"
    assert found.config_file == home / "config" / "config.toml"
    assert found.database_file == home / "data" / "inge.db"
    assert config_path() == found.config_file


@pytest.mark.skipif(sys.platform != "linux", reason="XDG directories are the Linux convention")
def test_without_inge_home_platformdirs_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INGE_HOME")
    for name in ("CONFIG", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    found = paths()
    assert found.config_file == tmp_path / "config" / "inge-tui" / "config.toml"
    assert found.database_file == tmp_path / "data" / "inge-tui" / "inge.db"
    assert found.state_dir == tmp_path / "state" / "inge-tui"
    assert found.log_dir.is_relative_to(tmp_path / "state" / "inge-tui")


def test_no_file_means_defaults_and_the_demo(home: Path) -> None:
    config = load_config()
    assert config == Config()
    assert config.ui == UiSettings(theme="textual-dark", language="de", documents_dir=None)
    assert config.server == ServerSettings(
        database_url=None, host="127.0.0.1", port=8470, claim_minutes=30, dtz_thresholds={}
    )
    connection = resolve_connection(None, None, config)
    assert connection.demo and connection.url is None and connection.token is None
    assert connection.verify is True and connection.profile == "demo"
    assert select_profile(config) is DEMO_PROFILE and DEMO_PROFILE.demo
    assert not home.exists()  # reading touched nothing


def test_importing_config_stays_light() -> None:
    code = (
        "import sys, inge_tui.config; "
        "print(sorted(m for m in ('platformdirs', 'tomli_w', 'difflib', 'textual', 'pydantic') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- precedence: flag > environment > file > default -------------------------------------------


def test_config_path_flag_then_env_then_default(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config_path() == home / "config" / "config.toml"
    monkeypatch.setenv("INGE_CONFIG", str(tmp_path / "env.toml"))
    assert config_path() == tmp_path / "env.toml"
    assert config_path(tmp_path / "flag.toml") == tmp_path / "flag.toml"


def test_inge_config_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGE_CONFIG", str(write(tmp_path, "[server]\nport = 9000\n")))
    assert load_config().server.port == 9000


def test_named_config_file_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Datei nicht gefunden" in error_of(tmp_path / "tippfehler.toml")
    monkeypatch.setenv("INGE_CONFIG", str(tmp_path / "weg.toml"))
    with pytest.raises(ConfigError, match="INGE_CONFIG"):
        load_config()


def test_database_url_each_level(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_database_url(None, Config()) == f"sqlite:///{home}/data/inge.db"
    assert (home / "data").is_dir()  # SQLite creates the file, not its folder
    config = load_config(write(tmp_path, '[server]\ndatabase_url = "sqlite:///datei.db"\n'))
    assert resolve_database_url(None, config) == "sqlite:///datei.db"
    monkeypatch.setenv("INGE_DATABASE_URL", "postgresql://env/inge")
    assert resolve_database_url(None, config) == "postgresql://env/inge"
    assert resolve_database_url("postgresql://flag/inge", config) == "postgresql://flag/inge"


def test_profile_each_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    two = AMT + '[profiles.zwei]\nurl = "https://zwei.example/"\ntoken_env = "ZWEI"\n'
    config = load_config(write(tmp_path, 'default_profile = "amt"\n' + two))
    assert select_profile(config).name == "amt"
    monkeypatch.setenv("INGE_PROFILE", "zwei")
    assert select_profile(config).name == "zwei"
    assert select_profile(config, "amt").name == "amt"
    assert select_profile(config, "demo") is DEMO_PROFILE


def test_one_profile_needs_no_default_but_two_do(tmp_path: Path) -> None:
    assert select_profile(load_config(write(tmp_path, AMT))).name == "amt"
    two = AMT + '[profiles.zwei]\nurl = "https://zwei.example/"\ntoken_env = "ZWEI"\n'
    with pytest.raises(ConfigError, match=r'mehrere Profile \("amt", "zwei"\)'):
        select_profile(load_config(write(tmp_path, two)))


def test_unknown_profile_names_the_existing_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write(tmp_path, AMT))
    monkeypatch.setenv("INGE_PROFILE", "zentrale")
    with pytest.raises(ConfigError, match=r'"zentrale" \(aus INGE_PROFILE\).*vorhanden: "amt"'):
        select_profile(config)


def test_url_each_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, AMT))
    monkeypatch.setenv("AMT_TOKEN", "amt-geheim")
    connection = resolve_connection(None, None, config)
    assert (connection.url, connection.token, connection.demo) == (
        "https://inge.example/",
        "amt-geheim",
        False,
    )
    assert "amt-geheim" not in repr(connection)  # a logged connection leaks no token
    monkeypatch.setenv("INGE_TOKEN", "env-geheim")
    assert resolve_connection(None, None, config).token == "env-geheim"
    monkeypatch.setenv("INGE_URL", "https://env.example/")
    assert resolve_connection(None, None, config).url == "https://env.example/"
    connection = resolve_connection(None, "https://flag.example/", config)
    assert (connection.url, connection.token) == ("https://flag.example/", "env-geheim")


def test_url_flag_never_takes_the_profile_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write(tmp_path, AMT))
    monkeypatch.setenv("AMT_TOKEN", "amt-geheim")
    with pytest.raises(ConfigError, match=r"^--url braucht das Token in der Umgebungsvariable"):
        resolve_connection(None, "https://flag.example/", config)
    monkeypatch.setenv("INGE_URL", "https://env.example/")
    with pytest.raises(ConfigError, match=r"^INGE_URL braucht das Token"):
        resolve_connection(None, None, config)


# ---- tokens ------------------------------------------------------------------------------------


def test_token_env_must_be_set(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, AMT))
    with pytest.raises(
        ConfigError, match=re.escape('"profiles.amt.token_env": die Umgebungsvariable AMT')
    ):
        resolve_connection(None, None, config)


def token_config(tmp_path: Path, mode: int, token: str = "datei-geheim\n") -> Config:
    token_file = write(tmp_path, token, "amt.token")
    token_file.chmod(mode)
    text = '[profiles.amt]\nurl = "https://inge.example/"\ntoken_file = "amt.token"\n'
    return load_config(write(tmp_path, text))


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_token_file_owner_only_is_read(tmp_path: Path, mode: int) -> None:
    config = token_config(tmp_path, mode)
    assert config.profiles["amt"].token_file == tmp_path / "amt.token"  # relative to the file
    assert resolve_connection(None, None, config).token == "datei-geheim"


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_token_file_readable_by_others_is_refused_with_the_chmod(tmp_path: Path) -> None:
    config = token_config(tmp_path, 0o644)
    with pytest.raises(ConfigError) as caught:
        resolve_connection(None, None, config)
    token_file = tmp_path / "amt.token"
    assert str(caught.value).endswith(f"(Rechte 0644) – ausführen: chmod 600 {token_file}")


def test_empty_token_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ist leer"):
        resolve_connection(None, None, token_config(tmp_path, 0o600, token="\n"))


def test_token_in_plain_config_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, AMT + 'token = "geheim123"\n')
    message = error_of(path)
    assert '"profiles.amt.token": ein Token gehört nie in die Konfigurationsdatei' in message
    assert "token_env" in message and "token_file" in message
    assert "geheim123" not in message


def test_token_env_holding_a_token_is_not_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.amt]\nurl = "https://x.example"\ntoken_env = "ab:cd/ef"\n')
    message = error_of(path)
    assert "Name einer Umgebungsvariable" in message and "ab:cd/ef" not in message


# ---- what is wrong, in one line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            AMT.replace("token_env", "tokn_env"),
            'unbekannter Schlüssel "profiles.amt.tokn_env" – meinten Sie "token_env"?',
        ),
        ("[sever]\nport = 1\n", 'unbekannter Schlüssel "sever" – meinten Sie "server"?'),
        ('theme = "nord"\n', 'unbekannter Schlüssel "theme" – meinten Sie "app.theme"?'),
        ("[app]\nport = 1\n", '"app.port" – meinten Sie "server.port"?'),
        ("[app]\nfarbe = 1\n", '"app.farbe" – erlaubt: theme, language, documents_dir'),
        (
            "[server.dtz_thresholds.hoeren_lessen]\nmaximum = 45\n",
            '"server.dtz_thresholds.hoeren_lessen" – meinten Sie "hoeren_lesen"?',
        ),
        (
            '[server]\nport = "8470"\n',
            '"server.port" hat den Typ Zeichenkette – erwartet: ganze Zahl',
        ),
        ("[server]\nport = 70000\n", "erwartet: eine ganze Zahl von 1 bis 65535"),
        ("[server]\nclaim_minutes = 2.5\n", "hat den Typ Zahl – erwartet: ganze Zahl"),
        (
            "[server]\nrequest_threads = 500\n",
            '"server.request_threads" = 500 ist ungültig – erwartet: eine ganze Zahl von 1 bis 200',
        ),
        (AMT + 'verify_tls = "ja"\n', "erwartet: Wahrheitswert (true oder false)"),
        (AMT + "timeout = 0\n", '"profiles.amt.timeout" = 0 ist ungültig'),
        ('[app]\nlanguage = "fr"\n', 'erwartet: "de" oder "en"'),
        (
            '[app]\nlog_level = "WARNING"\n',
            '"app.log_level" wird nicht mehr gelesen (es gab keine Protokollstufe einzustellen) – '
            "bitte die Zeile löschen",
        ),
        ("[app]\ndocuments_dir = 1\n", '"app.documents_dir" hat den Typ ganze Zahl'),
        ('profiles = "amt"\n', '"profiles" hat den Typ Zeichenkette – erwartet: Tabelle'),
        ('[keymap]\npostbox.issue = "i"\n', '"postbox.issue" = "i"'),
        ('[keymap]\n"postbox.issue" = ""\n', '"keymap.\'postbox.issue\'" = "" ist ungültig'),
        ("[views.offen]\nfilter = 1\n", '"views.offen.filter" hat den Typ ganze Zahl'),
        ('[profiles.amt]\ntoken_env = "X"\n', '"profiles.amt.url" fehlt'),
        ('[profiles.amt]\nurl = "inge.example"\ntoken_env = "X"\n', 'mit "https://"'),
        (AMT + 'token_file = "t"\n', "token_env oder token_file schließen sich aus"),
        ('[profiles.amt]\nurl = "https://x.example"\n', "token_env oder token_file fehlt"),
        ('[profiles.demo]\nurl = "https://x.example"\ntoken_env = "X"\n', "reserviert"),
        (
            'default_profile = "amtt"\n' + AMT,
            'default_profile = "amtt", aber dieses Profil gibt es nicht (vorhanden: "amt"; '
            '"demo" ist die eingebaute Demo) – meinten Sie "amt"?',
        ),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_of(write(tmp_path, text))


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '[app]\ntheme = "nord"\nlanguage = de\n')
    assert "ungültiges TOML in Zeile 3, Spalte 12: Invalid value" in error_of(path)


def test_truncated_file_names_its_last_line(tmp_path: Path) -> None:
    full = '[app]\ntheme = "nord"\n\n[profiles.amt]\nurl = "https://inge.example/"\n'
    cut = full[: full.index("https://") + 10]  # a copy that stopped half-way
    message = error_of(write(tmp_path, cut))
    assert "ungültiges TOML am Dateiende (Zeile 5): Unterminated string" in message
    assert "ist die Datei vollständig?" in message


def test_json_file_is_recognised(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, '{"app": {"theme": "nord"}}\n'))
    assert "Zeile 1" in message and "sieht nach JSON aus" in message


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert "ist eine Binärdatei" in error_of(write(tmp_path, png))


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    latin1 = '[app]\ntheme = "nord"\n[profiles.amt]\noffice = "Nürnberg"\n'.encode("latin-1")
    assert "keine UTF-8-Textdatei (Byte 0xfc in Zeile 4)" in error_of(write(tmp_path, latin1))


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, '[app]\ntheme = "nord"\n'.encode("utf-8-sig"))
    assert load_config(path).ui.theme == "nord"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    assert "ist ein Verzeichnis" in error_of(tmp_path)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads every file regardless of mode"
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[app]\n")
    path.chmod(0)
    assert f"keine Leserechte – lesbar machen mit: chmod 600 {path}" in error_of(path)


# ---- what a good file gives --------------------------------------------------------------------


def test_full_file_is_read(tmp_path: Path) -> None:
    text = (
        'default_profile = "amt"\n[app]\ntheme = "nord"\nlanguage = "en"\n'
        + 'documents_dir = "ablage"\n'
        + AMT
        + 'office = "Nürnberg"\nverify_tls = false\nca_bundle = "~/ca.pem"\ntimeout = 5\n'
        + '[keymap]\n"postbox.issue" = "i"\n[views.offen]\nfilter = "status:offen"\n'
        + "[server]\nclaim_minutes = 45\n[server.dtz_thresholds.sprechen]\nb1_from = 80\n"
    )
    config = load_config(write(tmp_path, text))
    amt = config.profiles["amt"]
    assert (amt.office, amt.verify_tls, amt.timeout) == ("Nürnberg", False, 5.0)
    assert amt.ca_bundle == Path("~/ca.pem").expanduser()
    assert config.keymap == {"postbox.issue": "i"}
    assert config.views == {"offen": View(filter="status:offen", sort="")}
    assert config.server.claim_minutes == 45
    assert config.server.dtz_thresholds == {"sprechen": {"b1_from": 80}}
    assert (config.ui.theme, config.ui.language) == ("nord", "en")
    assert config.ui.documents_dir == tmp_path / "ablage"  # relative to the file


def test_missing_ca_bundle_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMT_TOKEN", "t")
    config = load_config(write(tmp_path, AMT + 'ca_bundle = "ca.pem"\n'))
    with pytest.raises(
        ConfigError, match=re.escape(f"Zertifikatsdatei {tmp_path / 'ca.pem'} nicht")
    ):
        resolve_connection(None, None, config)


# ---- saving ------------------------------------------------------------------------------------


def test_saving_keeps_the_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path, AMT + '[keymap]\n"postbox.issue" = "i"\n[server]\nport = 9000\n')
    before = load_config(path)
    returned = save_preference(path, "app.theme", "nord")
    after = load_config(path)
    assert after == returned
    assert after.ui.theme == "nord"
    assert (after.profiles, after.keymap, after.server) == (
        before.profiles,
        before.keymap,
        before.server,
    )


def test_saving_views_keymap_and_removing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_preference(path, "views.offen", {"filter": "status:offen", "sort": "-eingang"})
    save_preference(path, "keymap.postbox.issue", "ctrl+i")
    config = load_config(path)
    assert config.views["offen"] == View("status:offen", "-eingang")
    assert config.keymap == {"postbox.issue": "ctrl+i"}
    save_preference(path, ("views", "offen"), None)
    assert load_config(path).views == {}


def test_saving_to_the_standard_file_stays_under_inge_home(home: Path) -> None:
    save_preference(config_path(), "app.language", "en")
    assert load_config().ui.language == "en"
    assert (home / "config" / "config.toml").is_file()


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_saving_keeps_permissions_and_new_files_are_private(tmp_path: Path) -> None:
    private = write(tmp_path, '[app]\ntheme = "nord"\n', "private.toml")
    private.chmod(0o600)
    save_preference(private, "app.language", "en")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    shared = write(tmp_path, "[app]\n", "shared.toml")
    shared.chmod(0o644)
    save_preference(shared, "app.language", "en")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    new = tmp_path / "neu" / "config.toml"
    save_preference(new, "app.theme", "nord")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neu", "private.toml", "shared.toml"]


def test_saving_an_invalid_value_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, '[app]\ntheme = "nord"\n')
    with pytest.raises(ConfigError, match=re.escape('"app.language" = "fr" ist ungültig')):
        save_preference(path, "app.language", "fr")
    assert path.read_text(encoding="utf-8") == '[app]\ntheme = "nord"\n'


def test_saving_never_overwrites_a_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[app\n")
    with pytest.raises(ConfigError, match="ungültiges TOML"):
        save_preference(path, "app.theme", "nord")
    assert path.read_text(encoding="utf-8") == "[app\n"


def test_saving_follows_a_symlink(tmp_path: Path) -> None:
    real = write(tmp_path, "[app]\n", "dotfiles.toml")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_preference(link, "app.theme", "nord")
    assert link.is_symlink()
    assert load_config(real).ui.theme == "nord"


# ---- the example documents every key -----------------------------------------------------------


def test_example_as_shipped_gives_the_defaults() -> None:
    config = load_config(EXAMPLE)
    assert config == Config(path=EXAMPLE)


def flatten(table: dict, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if prefix in ("profiles.", "views.", "keymap."):
            dotted = f"{prefix}*"  # a name the user picks
        if isinstance(value, dict):
            keys |= flatten(value, dotted + ".")
        else:
            keys.add(dotted)
    return keys


def test_example_with_every_setting_switched_on_covers_every_key(tmp_path: Path) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    switched_on = "\n".join(re.sub(r"^#(?=[^\s#])", "", line) for line in lines) + "\n"
    path = write(tmp_path, switched_on)
    config = load_config(path)  # every example setting is one the loader accepts
    assert set(config.profiles) == {"amt", "zentrale"} and config.default_profile == "amt"
    assert flatten(tomllib.loads(switched_on)) == set(accepted_keys())
