"""The command palette (ctrl+p) over the command registry: one more way into the one command set.

It lists only the commands that can run now, each with the key it has now (after `[keymap]`).
Choosing a command does what its key does (the same binding's action); a typed line such as
`filter status:offen kind:abschluss` or `open TN-000000042` is parsed with `parse_line` and run
through `run_command`, the path the keys take: the screen's own runner where the screen binds
that command (the case screen, which asks before issuing), else the app's. Typing a command's
name offers completions of its arguments: participant ids of the current Postkorb page and
session, saved views, filter words (`status: kind: blockiert: alter> dokument: sort:`), themes,
choices and flags. A typed line for a command that cannot run now says why instead.

The host app supplies `session`, `config`, `run_command(command_id, **kwargs)` and
`action_prompt(command_id)` (`PaletteHost`); a screen that runs its own commands (the case
screen) is a `RunsCommands`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from inge_tui.api.errors import ApiError
from inge_tui.api.query import KEYS
from inge_tui.commands.base import REGISTRY, Command, CommandLineError, Session, parse_line
from inge_tui.i18n import _

if TYPE_CHECKING:
    from inge_tui.config import Config

MAX_COMPLETIONS = 25
PAGE_FOR_IDS = 50  # participant ids offered from the current Postkorb page
FETCH_TIMEOUT = 2.0


class RunsCommands(Protocol):
    def run_command(self, command_id: str, **kwargs: Any) -> None: ...


@runtime_checkable
class ScreenRunsCommands(RunsCommands, Protocol):
    """A screen with its own command runner (the case screen asks before issuing)."""


@runtime_checkable
class PaletteHost(RunsCommands, Protocol):
    """What the palette needs of the app (`inge_tui.app.IngeApp`)."""

    session: Session | None
    config: Config

    def action_prompt(self, command_id: str = "") -> None: ...


def filter_words() -> list[str]:
    """Every complete filter word, one per value the service tells apart."""
    words: list[str] = []
    for key in KEYS:
        if key.numeric:
            words.extend(f"{key.name}>{days}" for days in (7, 30, 90))
            continue
        seen: set[object] = set()
        for typed, value in key.values.items():
            if value not in seen:
                seen.add(value)
                words.append(f"{key.name}:{typed}")
    return words


class CommandLineProvider(Provider):
    """Palette entries for the command registry; see the module docstring."""

    _participants: list[str]

    # ---- what the host offers

    def _host(self) -> PaletteHost:
        return cast(PaletteHost, self.app)

    def _session(self) -> Session | None:
        return self._host().session

    async def startup(self) -> None:
        self._participants = await self._load_participants()

    async def _load_participants(self) -> list[str]:
        session = self._session()
        ids: list[str] = []
        if session is not None:
            ids.extend(p.participant_id for p in (session.participant, session.entry) if p)
            with contextlib.suppress(ApiError, TimeoutError):
                page = await asyncio.wait_for(
                    session.client.postbox_page(session.query, limit=PAGE_FOR_IDS),
                    FETCH_TIMEOUT,
                )
                ids.extend(entry.participant_id for entry in page.items)
        return list(dict.fromkeys(ids))

    def _sources(self, name: str) -> Sequence[str]:
        session = self._session()
        if name == "participant":
            return getattr(self, "_participants", [])
        if name == "view":
            views = set(session.views) if session is not None else set()
            return sorted(views | set(self._host().config.views))
        if name == "theme":
            return sorted(self.app.available_themes)
        if name == "filter":
            return filter_words()
        return ()

    # ---- keys

    def key_for(self, command: Command) -> str:
        """The key the command's binding has now on this screen, else after the keymap."""
        if not command.binding:
            return ""
        shown = [
            self.app.get_key_display(active.binding)
            for active in self.screen.active_bindings.values()
            if active.binding.id == command.binding
        ]
        if shown:
            return shown[0]
        key = self._host().config.keymap.get(command.binding) or command.key
        if not key:
            return ""
        return self.app.get_key_display(Binding(key.split(",")[0].strip(), ""))

    # ---- listing

    def _ready(self, command: Command) -> str | None:
        """Why the command cannot run now, or None."""
        session = self._session()
        if session is None:
            return _("Noch keine Verbindung zum Dienst – bitte einen Moment warten.")
        ready = command.available(session)
        return None if ready.ok else ready.why

    def _available(self) -> Iterator[Command]:
        for command in sorted(REGISTRY.values(), key=lambda c: _(c.title)):
            if self._ready(command) is None:
                yield command

    def _label(self, command: Command) -> tuple[str, str]:
        key = self.key_for(command)
        title = _(command.title)
        label = f"{title} ({key})" if key else title
        return label, escape(f"{command.usage()} – {_(command.help)}")

    async def discover(self) -> Hits:
        for command in self._available():
            label, help_text = self._label(command)
            yield DiscoveryHit(Content(label), self._press(command), text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        text = query.strip()
        name, _space, rest = text.partition(" ")
        command = REGISTRY.get(name)
        if command is not None:
            for hit in self._line_hits(command, rest.strip()):
                yield hit
            return
        matcher = self.matcher(text)
        for candidate in self._available():
            label, help_text = self._label(candidate)
            score = max(matcher.match(label), matcher.match(candidate.id))
            if score > 0:
                yield Hit(score, matcher.highlight(label), self._press(candidate), label, help_text)
        if rest:  # a line for a command that does not exist
            try:
                parse_line(text)
            except CommandLineError as error:
                yield self._message_hit(0.5, f"✖ {error}", str(error), error=True)

    def _line_hits(self, command: Command, rest: str) -> Iterator[Hit]:
        why = self._ready(command)
        if why is not None:
            message = f"{_(command.title)}: {why}"
            shown = _("✖ {command}: nicht möglich – {why}").format(command=command.id, why=why)
            yield self._message_hit(1.0, shown, message)
            return
        label, help_text = self._label(command)
        if not rest:
            yield Hit(1.0, Content(f"▶ {label}"), self._press(command), label, help_text)
        else:
            line = f"{command.id} {rest}"
            try:
                _command, kwargs = parse_line(line)
            except CommandLineError as error:
                yield self._message_hit(0.95, f"✖ {error}", str(error), error=True)
            else:
                yield Hit(
                    1.0,
                    Content(f"▶ {line}"),
                    self._runner(command, kwargs),
                    line,
                    escape(_("{command} – ausführen").format(command=_(command.title))),
                )
        for number, completed in enumerate(self.complete(command, rest)):
            _command, kwargs = parse_line(completed)
            yield Hit(
                0.9 - number / 1000,
                Content(completed),
                self._runner(command, kwargs),
                completed,
                escape(_(command.title)),
            )

    def _message_hit(self, score: float, shown: str, message: str, *, error: bool = False) -> Hit:
        def say() -> None:
            self.app.notify(message, severity="error" if error else "warning", markup=False)

        return Hit(score, Content(shown), say, shown)

    # ---- completion

    def complete(self, command: Command, rest: str) -> list[str]:
        """Whole command lines that complete what is typed after the command's name."""
        words = rest.split()
        current, done = (words[-1], words[:-1]) if words else ("", [])
        head = " ".join([command.id, *done])
        possible = self._next_words(command, done)
        out = [f"{head} {o}" for o in possible if _fits(o, current) and o != current]
        if current in possible:  # the word is complete: offer what may follow it
            out.extend(f"{head} {current} {o}" for o in self._next_words(command, words))
        valid = []
        for line in dict.fromkeys(out):
            with contextlib.suppress(CommandLineError):
                parse_line(line)
                valid.append(line)
            if len(valid) >= MAX_COMPLETIONS:
                break
        return valid

    def _next_words(self, command: Command, words: Sequence[str]) -> list[str]:
        """What may come after `words`: the next argument's values, then unused flags."""
        flags = [f"--{a.name.replace('_', '-')}" for a in command.args if a.kind is bool]
        positional = [a for a in command.args if not (a.kind is bool and not a.required)]
        taken = [w for w in words if not w.startswith("--")]
        arg = next((a for a in positional[: len(taken) + 1] if a.rest), None)
        if arg is None and len(taken) < len(positional):
            arg = positional[len(taken)]
        values: list[str] = []
        if arg is not None:
            used = _keys(taken)
            values = [
                v
                for v in (arg.choices or self._sources(arg.complete or ""))
                if v not in taken and _key_of(v) not in used
            ]
        return [*values, *(f for f in flags if f not in words)]

    # ---- running

    def _runner(self, command: Command, kwargs: dict[str, Any]) -> Callable[[], None]:
        """Run the command the way its key does: on the screen that binds it, else the app."""

        def run() -> None:
            screen = self.screen
            ids = {b.id for b in type(screen).BINDINGS if isinstance(b, Binding)}
            own = command.binding in ids and isinstance(screen, ScreenRunsCommands)
            runner: RunsCommands = screen if own else self._host()  # type: ignore[assignment]
            runner.run_command(command.id, **kwargs)

        return run

    def _press(self, command: Command) -> Callable[[], Any]:
        """Choosing a command without arguments: exactly what pressing its key does."""

        async def press() -> None:
            for active in self.screen.active_bindings.values():
                if active.binding.id == command.binding and active.enabled:
                    await self.app.run_action(active.binding.action, active.node)
                    return
            if not any(arg.required for arg in command.args):
                self._runner(command, {})()
            else:
                self._host().action_prompt(command.id)

        return press


def _fits(option: str, typed: str) -> bool:
    return not typed or option.lower().startswith(typed.lower())


def _key_of(word: str) -> str:
    for mark in (":", ">"):
        if mark in word:
            return word.split(mark, 1)[0]
    return word


def _keys(words: Sequence[str]) -> set[str]:
    """The filter keys already given (`status:offen` → `status`)."""
    return {_key_of(w) for w in words if ":" in w or ">" in w}
