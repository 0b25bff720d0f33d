"""The registry is complete: every command has an id, German title and help, typed arguments,
a binding id the app knows, and an availability predicate that says why not."""

from __future__ import annotations

import re

from inge_tui.api.client import IngeClient
from inge_tui.app import IngeApp
from inge_tui.commands.base import REGISTRY, Arg, Availability, Session
from inge_tui.screens.keymap import declared_bindings, normalize

CORE = {
    "open", "next", "filter", "sort", "view-save", "view-load", "claim", "release", "take-over",
    "issue-document", "decide-repetition", "capture-paper-dtz", "record-alternative-b1",
    "reveal-identity", "export", "refresh", "theme", "help",
}  # fmt: skip
GERMAN = re.compile(r"[a-zA-ZäöüÄÖÜß]")


class NoUi:
    async def show_participant(self, participant_id: str, entry_id: int | None) -> None: ...
    async def show_postbox(self) -> None: ...
    async def refresh_postbox(self) -> None: ...
    def notify(self, message: str, *, error: bool = False) -> None: ...


def test_the_core_set_and_the_additions_are_registered() -> None:
    assert set(REGISTRY) >= CORE | {"copy-id", "mark"}


def test_every_command_is_complete() -> None:
    declared = declared_bindings(IngeApp)
    for command in REGISTRY.values():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", command.id), command.id
        assert command.title and GERMAN.search(command.title), command.id
        assert len(command.help) > 20, command.id
        assert command.binding, f"{command.id}: keine Binding-ID"
        assert command.binding in declared, f"{command.id}: {command.binding} unbekannt"
        if command.key:  # the binding's keys are the command's: declared once, on the command
            assert normalize(command.key) == declared[command.binding].keys, command.id
        for arg in command.args:
            assert isinstance(arg, Arg) and arg.kind in (str, int, bool) and arg.help


async def test_every_command_says_why_it_cannot_run() -> None:
    client = IngeClient("http://127.0.0.1:9", None, retries=0)
    session = Session(client, ui=NoUi())
    try:
        for command in REGISTRY.values():
            ready = command.available(session)
            assert isinstance(ready, Availability)
            if not ready.ok:
                assert ready.why and GERMAN.search(ready.why), command.id
    finally:
        await client.aclose()


def test_usage_writes_flags_as_they_are_typed() -> None:
    import inge_tui.commands.case  # noqa: F401  (registers issue-document)

    usage = REGISTRY["issue-document"].usage()
    assert "[--all]" in usage and "[--yes]" in usage
    assert "[all]" not in usage
