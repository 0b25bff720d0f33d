"""The Postkorb's commands: open, next, filter, sort, saved views, claims, refresh, theme, help.

Each command calls the client and says what happened in an `Outcome`; what a front end must
show goes through `session.ui`. A front end that `OpensNext`, `SwitchesTheme` or `ShowsHelp`
(the terminal app; protocols in `base`) does those itself; one without (the headless runner)
gets the plain behaviour or a clear "not here". The entry commands (open, next, claim,
release, take-over) live in `postbox_entries`; importing this module registers all of them.
"""

from __future__ import annotations

import asyncio
import difflib
import re
from dataclasses import replace
from typing import Any

from inge_tui.api.client import PostboxQuery
from inge_tui.api.query import QueryError, format_query, parse_query, parse_sort
from inge_tui.commands import postbox_entries
from inge_tui.commands.base import (
    READY,
    REGISTRY,
    Arg,
    Availability,
    Command,
    Outcome,
    Session,
    ShowsHelp,
    SwitchesTheme,
    register,
)
from inge_tui.commands.postbox_entries import open_next

__all__ = ["open_next", "postbox_entries"]

SORT_TEXT = {"newest": "neueste zuerst", "oldest": "älteste zuerst"}
VIEW_NAME = re.compile(r"^[\w-]{1,40}$")


# ---------------------------------------------------------------- the listing


async def _apply(session: Session, query: PostboxQuery, message: str) -> Outcome:
    count = await session.client.postbox_count(query)  # first: a failure changes nothing
    session.query = query
    session.filter_text = format_query(query, with_sort=False)
    await session.ui.show_postbox()
    await session.ui.refresh_postbox()
    shown = f"{count:,}".replace(",", ".")
    return Outcome(True, f"{message} – {shown} Treffer", {"count": count})


@register
class FilterCommand(Command):
    id = "filter"
    title = "Filtern"
    help = (
        "Filtert den Postkorb, z. B. status:offen kind:abschluss blockiert:nein alter>30 "
        "dokument:zertifikat sort:alt und Freitext (Name oder Teilnehmernummer). Leer: alles."
    )
    binding = "postbox.filter"
    key = "slash"
    label = "Filter"
    args = (Arg("query", "Filterausdruck", required=False, rest=True, complete="filter"),)

    async def run(self, session: Session, query: str = "", **_: Any) -> Outcome:
        try:
            parsed = parse_query(query, base=session.query)
        except QueryError as error:
            return Outcome(False, error.message, {"word": error.word})
        text = format_query(parsed, with_sort=False)
        return await _apply(session, parsed, f"Filter: {text}" if text else "Kein Filter")


@register
class SortCommand(Command):
    id = "sort"
    title = "Sortierung"
    help = "Sortiert nach Eingang: newest (neueste zuerst) oder oldest; ohne Angabe umschalten."
    binding = "postbox.sort"
    key = "S"  # a capital: a stray letter typed into the list does not reorder it
    label = "Sortierung"
    args = (
        Arg(
            "order",
            "newest oder oldest",
            required=False,
            choices=("newest", "oldest", "neu", "alt"),
        ),
    )

    async def run(self, session: Session, order: str | None = None, **_: Any) -> Outcome:
        if order is None:
            chosen = "newest" if session.query.sort == "oldest" else "oldest"
        else:
            chosen = parse_sort(order) or "newest"
        query = replace(session.query, sort=chosen)
        return await _apply(session, query, f"Sortierung: {SORT_TEXT[chosen]}")


@register
class RefreshCommand(Command):
    id = "refresh"
    title = "Aktualisieren"
    help = "Lädt den Postkorb neu; die Auswahl bleibt auf demselben Eintrag."
    binding = "postbox.refresh"
    key = "r,f5"
    label = "Neu laden"

    async def run(self, session: Session, **_: Any) -> Outcome:
        await session.ui.refresh_postbox()
        return Outcome(True, "")


# ---------------------------------------------------------------- saved views


@register
class ViewSaveCommand(Command):
    id = "view-save"
    title = "Ansicht speichern"
    help = "Speichert Filter und Sortierung unter einem Namen in der Konfigurationsdatei."
    binding = "postbox.view-save"
    key = "V"
    label = "Ansicht speichern"
    args = (Arg("name", "Name der Ansicht", complete="view"),)

    async def run(self, session: Session, name: str = "", **_: Any) -> Outcome:
        if not VIEW_NAME.match(name):
            return Outcome(False, f"Name „{name}“: nur Buchstaben, Ziffern, - und _ (max. 40).")
        text = format_query(session.query, with_sort=False)
        sort = {"newest": "neu", "oldest": "alt"}.get(session.query.sort or "")
        if session.save_view is not None:
            try:
                await asyncio.to_thread(session.save_view, name, text, sort)
            except Exception as error:  # ConfigError, OSError: German one-liners
                return Outcome(False, f"Ansicht nicht gespeichert: {error}")
        session.views[name] = (text, sort)
        return Outcome(True, f"Ansicht „{name}“ gespeichert: {text or 'alles'}", {"name": name})


@register
class ViewLoadCommand(Command):
    id = "view-load"
    title = "Ansicht laden"
    help = "Stellt eine gespeicherte Ansicht (Filter und Sortierung) wieder her."
    binding = "postbox.view-load"
    key = "v"
    label = "Ansicht laden"
    args = (Arg("name", "Name der Ansicht", complete="view"),)

    def available(self, session: Session) -> Availability:
        if not session.views:
            return Availability(False, "Keine gespeicherten Ansichten – zuerst view-save NAME")
        return READY

    async def run(self, session: Session, name: str = "", **_: Any) -> Outcome:
        saved = session.views.get(name)
        if saved is None:
            near = difflib.get_close_matches(name, list(session.views), n=1)
            hint = f" – meinten Sie „{near[0]}“?" if near else ""
            names = ", ".join(sorted(session.views))
            return Outcome(False, f"Keine Ansicht „{name}“{hint} (vorhanden: {names})")
        text, sort = saved
        try:
            query = parse_query(text)
            query = replace(query, sort=parse_sort(sort) or query.sort)
        except QueryError as error:
            return Outcome(False, f"Ansicht „{name}“ ist ungültig: {error.message}")
        return await _apply(session, query, f"Ansicht „{name}“")


# ---------------------------------------------------------------- the front end


@register
class ThemeCommand(Command):
    id = "theme"
    title = "Farbschema"
    help = (
        "Wechselt das Farbschema, z. B. textual-dark oder ansi (16 Farben); ohne Angabe umschalten."
    )
    binding = "app.theme"
    key = "ctrl+t"
    label = "Farbschema"
    args = (Arg("name", "Name des Farbschemas", required=False, complete="theme"),)

    def available(self, session: Session) -> Availability:
        if not isinstance(session.ui, SwitchesTheme):
            return Availability(False, "Nur in der Oberfläche")
        return READY

    async def run(self, session: Session, name: str | None = None, **_: Any) -> Outcome:
        if not isinstance(session.ui, SwitchesTheme):
            return Outcome(False, "Nur in der Oberfläche")
        try:
            chosen = session.ui.set_theme(name)
        except ValueError as error:
            return Outcome(False, str(error))
        return Outcome(True, f"Farbschema: {chosen}", {"theme": chosen})


@register
class HelpCommand(Command):
    id = "help"
    title = "Hilfe"
    help = "Zeigt die Tasten, die jetzt wirken, und alle Befehle."
    binding = "app.help"
    key = "question_mark,f1"
    label = "Hilfe"

    async def run(self, session: Session, **_: Any) -> Outcome:
        if isinstance(session.ui, ShowsHelp):
            await session.ui.show_help()
            return Outcome(True, "")
        usage = {c.id: f"{c.usage()} – {c.title}" for c in REGISTRY.values()}
        return Outcome(True, "\n".join(usage.values()), {"commands": usage})
