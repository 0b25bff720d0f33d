"""The service's command-line actions: `serve`, `token create`, `demo seed`.

Each takes the argparse namespace of `inge_tui.cli` and returns the exit code. Problems are one
German line on stderr and exit code 2; nothing here prints a token except `token create`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inge_tui.server.settings import Settings

if TYPE_CHECKING:
    from inge_tui.server.store.uow import Store


def _settings(args: argparse.Namespace) -> Settings | None:
    try:
        return Settings.from_config(
            getattr(args, "database_url", None),
            getattr(args, "config", None),
            getattr(args, "threads", None),
        )
    except Exception as exc:
        print(f"inge-tui: {exc}", file=sys.stderr)
        return None


def _listen_on(args: argparse.Namespace) -> tuple[str, int]:
    """`--host`/`--port`, else `[server] host`/`port` of the config, else 127.0.0.1:8470."""
    from inge_tui.config import load_config

    config_file = getattr(args, "config", None)
    server = load_config(Path(config_file) if config_file else None).server
    host = getattr(args, "host", None) or server.host or "127.0.0.1"
    port = getattr(args, "port", None) or server.port or 8470
    return host, int(port)


DEMO_PEOPLE = {"caseworker": "Demo-Sachbearbeiterin", "supervisor": "Demo-Leitung"}


def prepare_demo(
    settings: Settings, token_file: Path, participants: int, role: str = "caseworker"
) -> None:
    """The embedded demo: seed an empty store, write a token (0600) to `token_file` for the
    demo caseworker, or with `role="supervisor"` for the demo's supervisor (four eyes)."""
    from inge_tui.server.auth import create_token
    from inge_tui.server.demo.seed import DEFAULT_OFFICES, seed_demo
    from inge_tui.server.store.db import make_engine
    from inge_tui.server.store.migrations import migrate
    from inge_tui.server.store.uow import Store

    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        store = Store(engine, settings.clock)
        empty = store.run(lambda tx: tx.cases.any_participant() is None, readonly=True)
        if empty:
            seed_demo(settings.database_url, participants=participants, make_tokens=False)
        office = DEFAULT_OFFICES[0]
        token = _still_valid_token(store, token_file)
        if token is None:
            token, _row = store.run(
                lambda tx: create_token(tx, role=role, office=office, name=DEMO_PEOPLE[role])
            )
    finally:
        engine.dispose()
    token_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.chmod(token_file, 0o600)


def _still_valid_token(store: Store, token_file: Path) -> str | None:
    """The demo token of the last run, if the store still knows it: the same caseworker keeps
    her claims across restarts instead of finding them held by a stranger of the same name."""
    from inge_tui.server.auth import authenticate
    from inge_tui.server.errors import Unauthorized

    try:
        token = token_file.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not token:
        return None
    try:  # unknown, revoked or expired: the demo makes a new one
        authenticate(store, f"Bearer {token}")
    except Unauthorized:
        return None
    return token


def serve(args: argparse.Namespace) -> int:
    """Run the service with uvicorn; `--workers` > 1 starts that many processes."""
    import uvicorn

    from inge_tui.server.app import (
        SETTINGS_ENV,
        DropQueryString,
        create_app,
        settings_to_environment,
    )
    from inge_tui.server.store.db import redact_url

    settings = _settings(args)
    if settings is None:
        return 2
    host, port = _listen_on(args)
    uds = getattr(args, "uds", None)
    token_file = getattr(args, "demo_token_file", None)
    if token_file:
        size = int(getattr(args, "demo_participants", None) or 3000)
        role = getattr(args, "demo_role", None) or "caseworker"
        prepare_demo(settings, Path(token_file), size, role)
    logging.getLogger("uvicorn.access").addFilter(DropQueryString())
    workers = max(1, int(getattr(args, "workers", 1) or 1))
    where = f"unix:{uds}" if uds else f"http://{host}:{port}"
    print(
        f"inge-tui: Dienst auf {where} ({redact_url(settings.database_url)}, {workers} Prozess(e) "
        f"mit je {settings.request_threads} Anfragen zugleich)",
        file=sys.stderr,
    )
    listen: dict[str, object] = {"uds": uds} if uds else {"host": host, "port": port}
    if workers == 1:
        uvicorn.run(create_app(settings), log_level="info", **listen)  # type: ignore[arg-type]
        return 0
    # Worker processes build their own app; migrate once here so they start on a ready store.
    from inge_tui.server.store.db import make_engine
    from inge_tui.server.store.migrations import migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    engine.dispose()
    os.environ[SETTINGS_ENV] = settings_to_environment(settings)
    uvicorn.run(
        "inge_tui.server.app:app_from_environment",
        factory=True,
        workers=workers,
        log_level="info",
        **listen,  # type: ignore[arg-type]
    )
    return 0


def token_create(args: argparse.Namespace) -> int:
    """Create a token and print it, and nothing else, on stdout."""
    from inge_tui.api.models import Role
    from inge_tui.server.auth import create_token
    from inge_tui.server.errors import ServiceError
    from inge_tui.server.store.db import make_engine
    from inge_tui.server.store.migrations import migrate
    from inge_tui.server.store.uow import Store

    settings = _settings(args)
    if settings is None:
        return 2
    try:
        role = Role(args.role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        print(f"inge-tui: unbekannte Rolle {args.role!r}; erlaubt: {allowed}", file=sys.stderr)
        return 2
    office = args.office.upper() if args.office else None
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        store = Store(engine, settings.clock)
        token, row = store.run(
            lambda tx: create_token(
                tx,
                role=role,
                office=office,
                name=args.name,
                days=args.days,
                role_days=settings.token_days,
            )
        )
    except ServiceError as exc:
        print(f"inge-tui: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(token)
    expires = row.get("expires_at")
    if expires is not None:  # on stderr: stdout is the token and nothing else
        print(
            f"inge-tui: gültig bis {expires:%d.%m.%Y} (Rolle {role.value}; --days oder "
            "[server.token_days] ändert das). "
            "Ablösen: neues Token anlegen, übergeben, altes widerrufen (docs/service.md).",
            file=sys.stderr,
        )
    return 0


def demo_seed(args: argparse.Namespace) -> int:
    """Fill the store with synthetic cases and print the demo tokens it made."""
    from inge_tui.server.demo.seed import seed_demo

    settings = _settings(args)
    if settings is None:
        return 2
    offices = [o.upper() for o in (args.offices or [])] or None
    result = seed_demo(
        settings.database_url,
        participants=args.participants,
        offices=offices,
        seed=args.seed,
        thresholds=settings.dtz_thresholds,
        progress=lambda text: print(text, file=sys.stderr),
    )
    for line in result.token_lines():
        print(line)
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    """Walk the audit chains; 0 when every link holds, 1 at the first broken one."""
    from inge_tui.server.store import audit_chain
    from inge_tui.server.store.db import make_engine, redact_url

    settings = _settings(args)
    if settings is None:
        return 2
    engine = make_engine(settings.database_url)
    try:
        report = audit_chain.verify_store(engine)
    finally:
        engine.dispose()
    where = redact_url(settings.database_url)
    if report.broken is not None:
        print(f"inge-tui: Prüfspur unterbrochen ({where}) – {report.broken.describe()}")
        print(f"Die {report.rows} Zeilen davor sind unverändert.")
        return 1
    print(f"Prüfspur lückenlos: {report.rows} Zeilen in {len(report.heads)} Ketten ({where}).")
    for chain, head in sorted(report.heads.items()):
        name = chain or "(ohne Dienststelle)"
        print(f"  {name:<20} Glied {head.seq:>8}  {head.hash}")
    print("Die Köpfe oben außerhalb der Datenbank notieren: wer die ganze Kette neu schreibt,")
    print("fällt erst beim Vergleich mit ihnen auf (docs/reliability.md).")
    return 0


def backup(args: argparse.Namespace) -> int:
    """`inge-tui backup FILE`: a checked copy of the SQLite store, also while the service runs."""
    from inge_tui.server.store.backup import BackupError
    from inge_tui.server.store.backup import backup as make_backup

    settings = _settings(args)
    if settings is None:
        return 2
    target = Path(args.file).expanduser()
    try:
        checked = make_backup(settings.database_url, target)
    except BackupError as exc:
        print(f"inge-tui: keine Sicherung: {exc}", file=sys.stderr)
        return 2
    size = target.stat().st_size / 1e6
    print(f"Gesichert nach {target} ({size:.1f} MB): {checked.describe()}.")
    for fault in checked.faults:  # kept all the same: it is what the store holds
        print(f"inge-tui: Achtung, schon im Speicher: {fault}", file=sys.stderr)
    return 1 if checked.faults else 0


def restore(args: argparse.Namespace) -> int:
    """`inge-tui restore FILE`: put a checked backup in place of the store, keeping the old one."""
    from inge_tui.server.store.backup import BackupError
    from inge_tui.server.store.backup import restore as put_back

    settings = _settings(args)
    if settings is None:
        return 2
    source = Path(args.file).expanduser()
    try:
        checked, kept = put_back(
            settings.database_url, source, now=settings.clock(), despite_faults=args.despite
        )
    except BackupError as exc:
        print(f"inge-tui: nicht wiederhergestellt, nichts geändert: {exc}", file=sys.stderr)
        return 2
    print(f"Wiederhergestellt aus {source}: {checked.describe()}.")
    if kept is not None:
        print(f"Der bisherige Speicher liegt unverändert in {kept}.")
    print("Den Dienst jetzt (neu) starten.")
    return 0
