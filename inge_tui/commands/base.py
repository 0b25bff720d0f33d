"""The one command set: what a caseworker can do, by key, palette, script or `inge-tui run`.

A command is an object with a stable English id (used in scripts and the keymap), a German title
and help text, typed arguments, the id of its key binding, a predicate that says whether it can
run now and if not why, and `run`, which calls the API client. Commands hold no widget code:
what they want a front end to do (open a case, show a message) goes through the `Ui` protocol,
which the Textual app and the headless runner each implement.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from inge_tui.api.client import IngeClient, PostboxQuery
from inge_tui.api.models import Participant, PostboxEntry
from inge_tui.i18n import _


@dataclass(frozen=True)
class Arg:
    """One argument of a command. `rest` takes the rest of the line (a filter, a reason)."""

    name: str
    help: str
    kind: type = str
    required: bool = True
    rest: bool = False
    choices: tuple[str, ...] = ()
    complete: str | None = None  # completion source: "participant", "view", "filter"

    def convert(self, raw: str) -> Any:
        if self.choices and raw not in self.choices:
            said = _("{name}: „{value}“ ist nicht zulässig; erlaubt: {allowed}")
            raise CommandLineError(
                said.format(name=self.name, value=raw, allowed=", ".join(self.choices))
            )
        if self.kind is bool:
            if raw.lower() in {"ja", "yes", "true", "1"}:
                return True
            if raw.lower() in {"nein", "no", "false", "0"}:
                return False
            said = _("{name}: ja oder nein erwartet, nicht „{value}“")
            raise CommandLineError(said.format(name=self.name, value=raw))
        if self.kind is int:
            try:
                return int(raw)
            except ValueError:
                said = _("{name}: ganze Zahl erwartet, nicht „{value}“")
                raise CommandLineError(said.format(name=self.name, value=raw)) from None
        return raw


@dataclass(frozen=True)
class Availability:
    ok: bool
    why: str = ""


READY = Availability(True)


@dataclass
class Outcome:
    """What a command did: shown as a notification, or printed as one JSON line when headless."""

    ok: bool
    message: str
    data: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Ui(Protocol):
    """What a command may ask of every front end: the app, a case screen in it, `inge-tui run`.

    An interactive front end offers more, each ability a protocol of its own below (and
    `case_session.CaseUi` for the case commands); a command asks with `isinstance` and does
    without it otherwise (a script: it prints instead of asking, and never shows a screen).
    `tests/commands/test_front_ends.py` checks who offers what.
    """

    async def show_participant(self, participant_id: str, entry_id: int | None) -> None: ...
    async def show_postbox(self) -> None: ...
    async def refresh_postbox(self) -> None: ...
    def notify(self, message: str, *, error: bool = False) -> None: ...


@runtime_checkable
class ConfirmsBulk(Protocol):
    """Shows the dry run of a bulk issue and asks (without it: `--yes` or nothing)."""

    async def confirm_bulk(self, plan: Any) -> bool: ...


@runtime_checkable
class FollowsBulk(Protocol):
    """Shows a bulk run's progress, and can cancel it between two entries."""

    bulk_cancel: Any  # an asyncio.Event, set to stop after the current entry

    def bulk_progress(self, done: int, total: int, result: Any) -> None: ...


@runtime_checkable
class OpensNext(Protocol):
    """Opens the next free entry of the list on screen, and says which."""

    async def open_next_entry(self, *, announce: bool = True) -> Outcome: ...


@runtime_checkable
class SwitchesTheme(Protocol):
    def set_theme(self, name: str | None) -> str: ...


@runtime_checkable
class ShowsHelp(Protocol):
    async def show_help(self) -> None: ...


@runtime_checkable
class HasClipboard(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


@dataclass
class Session:
    """The state commands work on, shared by the app and the headless runner."""

    client: IngeClient
    ui: Ui
    views: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (filter, sort)
    query: PostboxQuery = field(default_factory=PostboxQuery)
    filter_text: str = ""
    entry: PostboxEntry | None = None
    participant: Participant | None = None
    marked: set[int] = field(default_factory=set)
    user: str = ""
    batch_as_of: str | None = None  # the stand of the last print run (`print-batch`)
    save_view: Callable[[str, str, str | None], None] | None = None
    documents: Path | None = None  # `[app] documents_dir` as configured; None: the default

    def documents_folder(self) -> Path:
        """The one folder for the files a user asks for (PDFs, exports, print runs, CSV):
        `[app] documents_dir`, else `<data dir>/dokumente`."""
        from inge_tui.config import paths

        return self.documents if self.documents is not None else paths().documents_dir


class Command:
    """Base of every command; subclasses set the class attributes and `run`."""

    id: ClassVar[str]
    title: ClassVar[str]
    help: ClassVar[str]
    binding: ClassVar[str | None] = None  # binding id, remappable in [keymap]
    key: ClassVar[str | None] = None  # default key(s) of that binding, e.g. "r,f5"
    label: ClassVar[str | None] = None  # the binding's short name in the footer (else `title`)
    args: ClassVar[tuple[Arg, ...]] = ()
    changes_data: ClassVar[bool] = False

    def available(self, session: Session) -> Availability:
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        raise NotImplementedError

    def usage(self) -> str:
        parts = [self.id]
        for arg in self.args:
            if arg.kind is bool and not arg.required:  # a flag, typed as --name
                parts.append(f"[--{arg.name.replace('_', '-')}]")
                continue
            name = f"{arg.name}…" if arg.rest else arg.name
            parts.append(f"<{name}>" if arg.required else f"[{name}]")
        return " ".join(parts)


REGISTRY: dict[str, Command] = {}


def register(cls: type[Command]) -> type[Command]:
    """Class decorator: one instance per command id, ids unique."""
    if cls.id in REGISTRY:
        raise ValueError(f"command id {cls.id!r} registered twice")
    REGISTRY[cls.id] = cls()
    return cls


class CommandLineError(ValueError):
    """A command line that cannot run: unknown command or bad argument, said in the interface's
    language."""


def nearest_command(name: str, registry: Mapping[str, Command] = REGISTRY) -> str | None:
    matches = difflib.get_close_matches(name, list(registry), n=1, cutoff=0.5)
    return matches[0] if matches else None


def parse_line(line: str, registry: Mapping[str, Command] = REGISTRY) -> tuple[Command, dict]:
    """`'filter status:offen kind:abschluss'` → (the filter command, {"query": "…"})."""
    try:
        words = shlex.split(line, comments=False)
    except ValueError as error:
        raise CommandLineError(_("Zeile nicht lesbar: {error}").format(error=error)) from None
    if not words:
        raise CommandLineError(_("leere Zeile"))
    name, rest = words[0], words[1:]
    command = registry.get(name)
    if command is None:
        hint = nearest_command(name, registry)
        suffix = _(" – meinten Sie „{name}“?").format(name=hint) if hint else ""
        raise CommandLineError(_("unbekannter Befehl „{name}“").format(name=name) + suffix)
    return command, bind_args(command, rest)


def bind_args(command: Command, words: list[str]) -> dict[str, Any]:
    """Match words to the command's arguments; `--flag` sets a bool argument."""
    kwargs: dict[str, Any] = {}
    positional = [a for a in command.args if not (a.kind is bool and not a.required)]
    flags = {f"--{a.name.replace('_', '-')}": a for a in command.args if a.kind is bool}
    words = list(words)
    for word in list(words):
        if word in flags:
            kwargs[flags[word].name] = True
            words.remove(word)
    for arg in positional:
        if arg.rest:
            if words:
                kwargs[arg.name] = arg.convert(" ".join(words))
                words = []
            break
        if not words:
            break
        kwargs[arg.name] = arg.convert(words.pop(0))
    if words:
        said = _("{command}: zu viele Angaben „{words}“")
        raise CommandLineError(said.format(command=command.id, words=" ".join(words)))
    missing = [a.name for a in positional if a.required and a.name not in kwargs]
    if missing:
        said = _("{command}: es fehlt {missing} – Aufruf: {usage}")
        raise CommandLineError(
            said.format(command=command.id, missing=", ".join(missing), usage=command.usage())
        )
    return kwargs
