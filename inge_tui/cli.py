"""The `inge-tui` command: the app (default), serve, token, demo, run, keys, web.

Each subcommand imports its own stack only when it runs, so `inge-tui --help` and the app's
start stay light (the server stack never loads for the app's own process).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        help="sqlite:///pfad/zur/datei.db oder postgresql://…; sonst INGE_DATABASE_URL, "
        "dann die Konfiguration, dann eine SQLite-Datei im Datenverzeichnis",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inge-tui",
        description="Postkorb und Abschluss von Integrationskursfällen (Regionalstelle).",
    )
    parser.add_argument("--profile", help="Profil aus der Konfigurationsdatei")
    parser.add_argument("--url", help="Adresse des Dienstes (Token in INGE_TOKEN)")
    parser.add_argument("--config", help="Pfad der Konfigurationsdatei")
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL")

    serve = sub.add_parser("serve", help="den InGe-Dienst starten")
    serve.add_argument("--host", help="Standard: [server] host der Konfiguration, sonst 127.0.0.1")
    serve.add_argument("--port", type=int, help="Standard: [server] port, sonst 8470")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--threads",
        type=int,
        help="Anfragen, die ein Prozess zugleich bearbeitet (1–200; Standard: [server] "
        "request_threads, sonst 8); weitere warten in der Reihenfolge ihres Eintreffens",
    )
    serve.add_argument("--uds", help="auf einem Unix-Socket statt auf host:port lauschen")
    serve.add_argument(
        "--demo-token-file",
        help="eingebaute Demo: leeren Speicher mit Demofällen füllen, ein Token für eine "
        "Demo-Sachbearbeiterin anlegen und mit Rechten 0600 in diese Datei schreiben",
    )
    serve.add_argument(
        "--demo-participants", type=int, default=3000, help="Größe der Demo (nur beim ersten Start)"
    )
    serve.add_argument(
        "--demo-role",
        choices=("caseworker", "supervisor"),
        default="caseworker",
        help="eingebaute Demo: als Sachbearbeiterin (Standard) oder als Leitung anmelden",
    )
    _add_store_option(serve)

    token = sub.add_parser("token", help="Zugangstoken verwalten")
    token_sub = token.add_subparsers(dest="token_command", metavar="AKTION", required=True)
    create = token_sub.add_parser("create", help="ein neues Token anlegen und ausgeben")
    create.add_argument("--role", required=True)
    create.add_argument("--office")
    create.add_argument("--name")
    create.add_argument(
        "--days",
        type=int,
        help="gültig für so viele Tage (Standard je Rolle: Personen 180, admin 90, Systeme 365)",
    )
    _add_store_option(create)

    demo = sub.add_parser("demo", help="Demodaten")
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="AKTION", required=True)
    seed = demo_sub.add_parser("seed", help="synthetische Fälle anlegen")
    seed.add_argument("--participants", type=int, default=2000)
    seed.add_argument("--office", action="append", dest="offices")
    seed.add_argument("--seed", type=int, default=1)
    _add_store_option(seed)

    audit = sub.add_parser("audit", help="die Prüfspur prüfen")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="AKTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="jede Kette der Prüfspur nachrechnen; meldet das erste gebrochene Glied"
    )
    _add_store_option(verify)

    backup = sub.add_parser(
        "backup",
        help="den SQLite-Speicher in DATEI sichern (auch während der Dienst läuft), geprüft",
    )
    backup.add_argument("file", metavar="DATEI")
    _add_store_option(backup)
    restore = sub.add_parser(
        "restore",
        help="den SQLite-Speicher aus einer Sicherung wiederherstellen (Dienst vorher beenden; "
        "der bisherige bleibt daneben erhalten)",
    )
    restore.add_argument("file", metavar="DATEI")
    restore.add_argument(
        "--force",
        dest="despite",
        action="store_true",
        help="auch eine Sicherung mit unterbrochener Prüfspur oder fehlenden PDFs zurückholen",
    )
    _add_store_option(restore)

    _add_script_commands(sub)
    return parser


def _add_script_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`run`, `keys` and `web`: the command set without a screen, the keymap, the browser."""
    run = sub.add_parser(
        "run",
        help="Befehle ohne Oberfläche ausführen (Skripte)",
        description="Führt Befehle wie in der Befehlspalette aus, z. B. "
        "inge-tui run 'filter status:offen kind:abschluss' 'issue-document --all --yes'. "
        "Exit-Status: 0 alles ausgeführt, 1 ein Befehl schlug fehl, 2 Fehler im Aufruf/Skript.",
    )
    run.add_argument("lines", nargs="*", metavar="BEFEHL", help="je Argument ein Befehl")
    run.add_argument("-f", "--file", help="Skriptdatei, ein Befehl je Zeile (- liest stdin)")
    run.add_argument("--json", action="store_true", help="je Ergebnis eine JSON-Zeile")
    run.add_argument(
        "--dry-run", action="store_true", help="nur prüfen und Probeläufe zeigen, nichts ändern"
    )
    run.add_argument("--profile", default=argparse.SUPPRESS, help="Profil der Konfiguration")
    run.add_argument(
        "--url", default=argparse.SUPPRESS, help="Adresse des Dienstes (Token in INGE_TOKEN)"
    )

    sub.add_parser("keys", help="die wirksame Tastenbelegung anzeigen ([keymap])")

    web = sub.add_parser("web", help="die App im Browser bereitstellen (textual-serve)")
    web.add_argument("--port", type=int, default=8471)
    web.add_argument(
        "--host",
        help="Standard 127.0.0.1; eine andere Adresse nur hinter einem Reverse-Proxy mit "
        "Anmeldung (siehe docs/web.md)",
    )
    web.add_argument(
        "--public-url", help="Adresse, unter der der Reverse-Proxy die App erreichbar macht"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from inge_tui.config import ConfigError

    try:
        return _dispatch(args)
    except ConfigError as error:
        print(f"inge-tui: {error}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from inge_tui.server.commands import serve

        return serve(args)
    if args.command == "token":
        from inge_tui.server.commands import token_create

        return token_create(args)
    if args.command == "demo":
        from inge_tui.server.commands import demo_seed

        return demo_seed(args)
    if args.command == "audit":
        from inge_tui.server.commands import audit_verify

        return audit_verify(args)
    if args.command in ("backup", "restore"):
        from inge_tui.server import commands

        return commands.backup(args) if args.command == "backup" else commands.restore(args)
    if args.command == "run":
        from inge_tui.headless import main as run_headless

        return run_headless(args)
    if args.command == "keys":
        return _keys(args)
    if args.command == "web":
        from inge_tui.web import serve_web

        return serve_web(args)
    from inge_tui.launch import run_app

    return run_app(args)


def _keys(args: argparse.Namespace) -> int:
    from pathlib import Path

    from inge_tui.app import IngeApp
    from inge_tui.config import load_config
    from inge_tui.screens.keymap import keymap_warnings, keys_table

    config = load_config(Path(args.config) if args.config else None)
    print(keys_table(config, IngeApp))
    for warning in keymap_warnings(config, IngeApp):
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
