"""`inge-tui run`: the command set without a screen, for scripts and power users.

`inge-tui run 'filter status:offen' 'issue-document --all --yes'` or `inge-tui run -f datei.inge`
runs the same command objects the keys and the palette run, through a `Ui` that prints German
lines (or, with `--json`, one JSON object per result). The whole script is checked before
anything runs: an unknown command or a bad argument stops it with the line number and the
nearest valid command (exit 2). The run stops at the first command that fails (exit 1); all
well is exit 0. `--dry-run` checks availability, shows previews and the bulk dry run, and
changes nothing. No Textual here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from inge_tui.api.errors import ApiError
from inge_tui.api.query import QueryError, parse_query
from inge_tui.commands.base import (
    REGISTRY,
    Command,
    CommandLineError,
    Outcome,
    Session,
    nearest_command,
    parse_line,
)

OK, FAILED, USAGE = 0, 1, 2
WRITES_LOCALLY = {"view-save", "export"}  # change no case, but write files: not in a dry run


def load_commands() -> None:
    """Register the whole command set (the modules register on import)."""
    import inge_tui.commands.case
    import inge_tui.commands.copy_mark
    import inge_tui.commands.postbox
    import inge_tui.commands.stats  # noqa: F401


# ---- reading and checking a script -----------------------------------------------------------


@dataclass(frozen=True)
class ScriptLine:
    number: int
    text: str
    command: Command
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class ScriptError:
    number: int
    message: str
    nearest: str | None = None

    def text(self) -> str:
        return f"Zeile {self.number}: {self.message}"


def numbered_lines(texts: Iterable[str]) -> list[tuple[int, str]]:
    """The lines that hold a command, with their numbers; `#` comments and blanks dropped."""
    out = []
    for number, raw in enumerate(texts, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            words = shlex.split(text, comments=True)  # also drops a comment after the command
        except ValueError:
            out.append((number, text))  # an open quote: parse_line says so, with the line
            continue
        if words:
            out.append((number, shlex.join(words)))
    return out


def check_script(
    lines: list[tuple[int, str]], views: Iterable[str] = ()
) -> tuple[list[ScriptLine], list[ScriptError]]:
    """Parse every line before anything runs; all mistakes, each with its line number."""
    parsed: list[ScriptLine] = []
    errors: list[ScriptError] = []
    known_views = set(views)
    for number, text in lines:
        try:
            command, kwargs = parse_line(text)
            _check_values(command, kwargs, known_views)
        except CommandLineError as error:
            name = text.split()[0]
            message = str(error)
            if name in REGISTRY and not message.startswith(f"{name}:"):
                message = f"{name}: {message}"  # a bad argument: name the command too
            near = name if name in REGISTRY else nearest_command(name)
            errors.append(ScriptError(number, message, near))
            continue
        if command.id == "view-save":
            known_views.add(kwargs.get("name", ""))
        parsed.append(ScriptLine(number, text, command, kwargs))
    return parsed, errors


def _check_values(command: Command, kwargs: dict[str, Any], views: set[str]) -> None:
    """What can be checked without the service: the filter syntax, the saved view's name."""
    for arg in command.args:
        value = kwargs.get(arg.name)
        if value is None:
            continue
        if arg.complete == "filter":
            try:
                parse_query(str(value))
            except QueryError as error:
                raise CommandLineError(f"{command.id}: {error.message}") from None
        if command.id == "view-load" and arg.complete == "view" and value not in views:
            known = ", ".join(sorted(views)) or "keine"
            raise CommandLineError(f"view-load: keine Ansicht „{value}“ (vorhanden: {known})")


# ---- the front end without a screen ----------------------------------------------------------


@dataclass
class Printer:
    """Prints results: German lines, or one JSON object per result line."""

    json_mode: bool = False
    out: IO[str] = field(default_factory=lambda: sys.stdout)
    err: IO[str] = field(default_factory=lambda: sys.stderr)

    def result(self, number: int, command_id: str | None, outcome: Outcome, **extra: Any) -> None:
        if self.json_mode:
            record = {
                "line": number,
                "command": command_id,
                "ok": outcome.ok,
                "message": outcome.message,
                "data": outcome.data,
                **extra,
            }
            print(json.dumps(record, ensure_ascii=False, default=str), file=self.out, flush=True)
            return
        if outcome.ok:
            print(outcome.message, file=self.out, flush=True)
        else:
            where = f"Zeile {number}" + (f" ({command_id})" if command_id else "")
            print(f"Fehler in {where}: {outcome.message}", file=self.err, flush=True)


class HeadlessUi:
    """The commands' `Ui` for `inge-tui run`: no screen, everything said as lines."""

    def __init__(self, printer: Printer) -> None:
        self.printer = printer
        self.session: Session | None = None
        self.line = 0
        self.command_id: str | None = None
        self.bulk_cancel = asyncio.Event()
        self._listed: Any = None  # the listing whose first entry the "cursor" is on

    def attach(self, session: Session) -> None:
        """Serve `session`; as at the app's start, no entry is chosen before a listing."""
        self.session = session
        self._listed = session.query

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None:
        """As the case screen does: the case becomes the one the next commands work on."""
        assert self.session is not None
        self.session.participant = await self.session.client.participant(participant_id)

    async def show_postbox(self) -> None:
        if self.session is not None:
            self.session.participant = None

    async def refresh_postbox(self) -> None:
        """As the Postkorb list does: a new filter puts the cursor on its first entry; a
        reload of the same listing keeps it where it was."""
        session = self.session
        if session is None or session.query == self._listed:
            return
        self._listed = session.query
        page = await session.client.postbox_page(session.query, limit=1)
        session.entry = page.items[0] if page.items else None

    def notify(self, message: str, *, error: bool = False) -> None:
        self.printer.result(self.line, self.command_id, Outcome(not error, message))

    def bulk_progress(self, done: int, total: int, result: Any) -> None:
        outcome = Outcome(result.ok, f"[{done}/{total}] {result.line()}", result.as_data())
        self.printer.result(
            self.line, self.command_id, outcome, progress={"done": done, "total": total}
        )


# ---- running ----------------------------------------------------------------------------------


async def run_script(
    lines: list[ScriptLine], session: Session, ui: HeadlessUi, *, dry_run: bool = False
) -> int:
    """Run the checked lines in order; stop at the first failure. Answers the exit status."""
    for line in lines:
        ui.line, ui.command_id = line.number, line.command.id
        outcome = await run_line(line, session, dry_run=dry_run)
        if not outcome.message:
            outcome.message = f"{line.command.title}: erledigt"
        ui.printer.result(line.number, line.command.id, outcome)
        if not outcome.ok:
            return FAILED
    return OK


async def run_line(line: ScriptLine, session: Session, *, dry_run: bool = False) -> Outcome:
    command, kwargs = line.command, dict(line.kwargs)
    ready = command.available(session)
    if not ready.ok:
        return Outcome(False, f"{command.title}: {ready.why}", {"available": False})
    try:
        if dry_run and (command.changes_data or command.id in WRITES_LOCALLY):
            return await _dry(command, kwargs, session, line.text)
        return await command.run(session, **kwargs)
    except ApiError as error:
        return Outcome(False, error.message, {"status": error.status, "code": error.code})
    except Exception as error:  # a bug, not the service: say so, run nothing after it
        return Outcome(
            False,
            f"Unerwarteter Fehler ({type(error).__name__}: {error}); der Rest des Skripts "
            "wurde nicht ausgeführt.",
            {"exception": type(error).__name__},
        )


async def _dry(command: Command, kwargs: dict[str, Any], session: Session, text: str) -> Outcome:
    """A changing command in a dry run: previews where there are some, else availability."""
    if command.id == "issue-document":
        outcome = await command.run(session, **{**kwargs, "yes": False})
        preview = "preview" in outcome.data or "plan" in outcome.data
        said = outcome.message
        said = said if said.startswith("Probelauf") else f"Probelauf: {said}"
        return Outcome(preview or outcome.ok, said, outcome.data)
    if command.id == "open" and kwargs.get("participant_id"):
        from inge_tui.commands.postbox_entries import find_entry

        participant_id = kwargs["participant_id"]
        session.entry = await find_entry(session.client, participant_id)
        session.participant = await session.client.participant(participant_id)
        return Outcome(True, f"Probelauf: würde {participant_id} öffnen und übernehmen.")
    return Outcome(True, f"Probelauf: würde ausführen: {text}", {"would_run": True})


# ---- the subcommand ---------------------------------------------------------------------------


def read_sources(args: argparse.Namespace) -> list[tuple[int, str]] | str:
    """The script's lines, or a German usage message."""
    if args.file and args.lines:
        return "entweder Befehle als Argumente oder -f DATEI, nicht beides"
    if args.file:
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return f"Skript {args.file} nicht lesbar ({error})"
        return numbered_lines(text.splitlines())
    if not args.lines:
        return "keine Befehle – z. B. inge-tui run 'filter status:offen' oder -f skript.inge"
    return numbered_lines(args.lines)


def main(args: argparse.Namespace) -> int:
    """`inge-tui run`: check the whole script, connect, run. Answers the exit status."""
    from inge_tui.config import load_config, resolve_connection

    printer = Printer(json_mode=args.json)
    load_commands()
    sources = read_sources(args)
    if isinstance(sources, str):
        print(f"inge-tui run: {sources}", file=sys.stderr)
        return USAGE
    config = load_config(Path(args.config) if getattr(args, "config", None) else None)
    views = {name: (view.filter, view.sort or None) for name, view in config.views.items()}
    lines, errors = check_script(sources, views)
    if errors:
        for error in errors:
            data = {"nearest": error.nearest, "script_error": True}
            printer.result(error.number, None, Outcome(False, error.message, data))
        print(f"inge-tui run: {len(errors)} Fehler im Skript, nichts ausgeführt.", file=sys.stderr)
        return USAGE
    connection = resolve_connection(
        getattr(args, "profile", None), getattr(args, "url", None), config
    )
    try:
        return asyncio.run(
            _connect_and_run(connection, config, views, lines, printer, args.dry_run)
        )
    except BrokenPipeError:  # `| head`: the reader left; say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FAILED


async def _connect_and_run(
    connection: Any,
    config: Any,
    views: dict[str, tuple[str, str | None]],
    lines: list[ScriptLine],
    printer: Printer,
    dry_run: bool,
) -> int:
    from inge_tui.connection import open_clients

    service = None
    target = connection
    if connection.demo:
        from inge_tui import embedded
        from inge_tui.config import paths

        service = target = embedded.start(paths())
    try:
        try:
            client, probe = await open_clients(target)
        except Exception as error:  # the embedded demo did not come up (German message)
            printer.result(0, None, Outcome(False, f"Keine Verbindung zum Dienst: {error}"))
            return FAILED
        ui = HeadlessUi(printer)
        session = Session(
            client,
            ui=ui,
            views=views,
            save_view=_view_saver(config),
            documents=config.ui.documents_dir,
        )
        ui.attach(session)
        task = asyncio.current_task()
        assert task is not None
        _on_interrupt(lambda: _interrupt(ui, task, printer))
        try:
            return await run_script(lines, session, ui, dry_run=dry_run)
        except asyncio.CancelledError:
            printer.result(ui.line, ui.command_id, Outcome(False, "Abgebrochen."))
            return FAILED
        finally:
            await client.aclose()
            if probe is not client:
                await probe.aclose()
    finally:
        if service is not None:
            service.stop()


def _interrupt(ui: HeadlessUi, task: asyncio.Task[Any], printer: Printer) -> None:
    """Ctrl+C / SIGTERM: a bulk run finishes its entry and stops; anything else stops now."""
    if ui.command_id == "issue-document" and not ui.bulk_cancel.is_set():
        ui.bulk_cancel.set()
        print("Abbruch angefordert – der laufende Eintrag wird abgeschlossen …", file=printer.err)
        return
    task.cancel()


def _on_interrupt(handler: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, handler)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not POSIX
            return


def _view_saver(config: Any) -> Callable[[str, str, str | None], None]:
    def save(name: str, text: str, sort: str | None) -> None:
        from inge_tui.config import config_path, save_preference

        path = config.path or config_path()
        save_preference(path, ("views", name), {"filter": text, "sort": sort or ""})

    return save
