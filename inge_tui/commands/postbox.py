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
from inge_tui.i18n import N_, _, ngettext, number

__all__ = ["open_next", "postbox_entries"]

SORT_TEXT = {"newest": N_("neueste zuerst"), "oldest": N_("älteste zuerst")}
VIEW_NAME = re.compile(r"^[\w-]{1,40}$")


# ---------------------------------------------------------------- the listing


async def _apply(session: Session, query: PostboxQuery, message: str) -> Outcome:
    count = await session.client.postbox_count(query)  # first: a failure changes nothing
    session.query = query
    session.filter_text = format_query(query, with_sort=False)
    await session.ui.show_postbox()
    await session.ui.refresh_postbox()
    matches = ngettext("{count} Treffer", "{count} Treffer", count).format(count=number(count))
    return Outcome(True, f"{message} – {matches}", {"count": count})


@register
class FilterCommand(Command):
    id = "filter"
    title = N_("Filtern")
    help = N_(
        "Filtert den Postkorb, z. B. status:offen kind:abschluss blockiert:nein alter>30 "
        "dokument:zertifikat sort:alt und Freitext (Name oder Teilnehmernummer). Leer: alles."
    )
    binding = "postbox.filter"
    key = "slash"
    label = N_("Filter")
    args = (Arg("query", N_("Filterausdruck"), required=False, rest=True, complete="filter"),)

    async def run(self, session: Session, query: str = "", **_kwargs: Any) -> Outcome:
        try:
            parsed = parse_query(query, base=session.query)
        except QueryError as error:
            return Outcome(False, error.message, {"word": error.word})
        text = format_query(parsed, with_sort=False)
        said = _("Filter: {filter}").format(filter=text) if text else _("Kein Filter")
        return await _apply(session, parsed, said)


@register
class SortCommand(Command):
    id = "sort"
    title = N_("Sortierung")
    help = N_("Sortiert nach Eingang: newest (neueste zuerst) oder oldest; ohne Angabe umschalten.")
    binding = "postbox.sort"
    key = "S"  # a capital: a stray letter typed into the list does not reorder it
    label = N_("Sortierung")
    args = (
        Arg(
            "order",
            N_("newest oder oldest"),
            required=False,
            choices=("newest", "oldest", "neu", "alt"),
        ),
    )

    async def run(self, session: Session, order: str | None = None, **_kwargs: Any) -> Outcome:
        if order is None:
            chosen = "newest" if session.query.sort == "oldest" else "oldest"
        else:
            chosen = parse_sort(order) or "newest"
        query = replace(session.query, sort=chosen)
        said = _("Sortierung: {order}").format(order=_(SORT_TEXT[chosen]))
        return await _apply(session, query, said)


@register
class RefreshCommand(Command):
    id = "refresh"
    title = N_("Aktualisieren")
    help = N_("Lädt den Postkorb neu; die Auswahl bleibt auf demselben Eintrag.")
    binding = "postbox.refresh"
    key = "r,f5"
    label = N_("Neu laden")

    async def run(self, session: Session, **_kwargs: Any) -> Outcome:
        await session.ui.refresh_postbox()
        return Outcome(True, "")


# ---------------------------------------------------------------- saved views


@register
class ViewSaveCommand(Command):
    id = "view-save"
    title = N_("Ansicht speichern")
    help = N_("Speichert Filter und Sortierung unter einem Namen in der Konfigurationsdatei.")
    binding = "postbox.view-save"
    key = "V"
    label = N_("Ansicht speichern")
    args = (Arg("name", N_("Name der Ansicht"), complete="view"),)

    async def run(self, session: Session, name: str = "", **_kwargs: Any) -> Outcome:
        if not VIEW_NAME.match(name):
            said = _("Name „{name}“: nur Buchstaben, Ziffern, - und _ (max. 40).")
            return Outcome(False, said.format(name=name))
        text = format_query(session.query, with_sort=False)
        sort = {"newest": "neu", "oldest": "alt"}.get(session.query.sort or "")
        if session.save_view is not None:
            try:
                await asyncio.to_thread(session.save_view, name, text, sort)
            except Exception as error:  # ConfigError, OSError: German one-liners
                return Outcome(False, _("Ansicht nicht gespeichert: {error}").format(error=error))
        session.views[name] = (text, sort)
        said = _("Ansicht „{name}“ gespeichert: {filter}").format(
            name=name, filter=text or _("alles")
        )
        return Outcome(True, said, {"name": name})


@register
class ViewLoadCommand(Command):
    id = "view-load"
    title = N_("Ansicht laden")
    help = N_("Stellt eine gespeicherte Ansicht (Filter und Sortierung) wieder her.")
    binding = "postbox.view-load"
    key = "v"
    label = N_("Ansicht laden")
    args = (Arg("name", N_("Name der Ansicht"), complete="view"),)

    def available(self, session: Session) -> Availability:
        if not session.views:
            return Availability(False, _("Keine gespeicherten Ansichten – zuerst view-save NAME"))
        return READY

    async def run(self, session: Session, name: str = "", **_kwargs: Any) -> Outcome:
        saved = session.views.get(name)
        if saved is None:
            near = difflib.get_close_matches(name, list(session.views), n=1)
            hint = _(" – meinten Sie „{name}“?").format(name=near[0]) if near else ""
            names = ", ".join(sorted(session.views))
            said = _("Keine Ansicht „{name}“{hint} (vorhanden: {names})")
            return Outcome(False, said.format(name=name, hint=hint, names=names))
        text, sort = saved
        try:
            query = parse_query(text)
            query = replace(query, sort=parse_sort(sort) or query.sort)
        except QueryError as error:
            said = _("Ansicht „{name}“ ist ungültig: {error}")
            return Outcome(False, said.format(name=name, error=error.message))
        return await _apply(session, query, _("Ansicht „{name}“").format(name=name))


# ---------------------------------------------------------------- the front end


@register
class ThemeCommand(Command):
    id = "theme"
    title = N_("Farbschema")
    help = N_(
        "Wechselt das Farbschema, z. B. textual-dark oder ansi (16 Farben); ohne Angabe umschalten."
    )
    binding = "app.theme"
    key = "ctrl+t"
    label = N_("Farbschema")
    args = (Arg("name", N_("Name des Farbschemas"), required=False, complete="theme"),)

    def available(self, session: Session) -> Availability:
        if not isinstance(session.ui, SwitchesTheme):
            return Availability(False, _("Nur in der Oberfläche"))
        return READY

    async def run(self, session: Session, name: str | None = None, **_kwargs: Any) -> Outcome:
        if not isinstance(session.ui, SwitchesTheme):
            return Outcome(False, _("Nur in der Oberfläche"))
        try:
            chosen = session.ui.set_theme(name)
        except ValueError as error:
            return Outcome(False, str(error))
        return Outcome(True, _("Farbschema: {name}").format(name=chosen), {"theme": chosen})


@register
class HelpCommand(Command):
    id = "help"
    title = N_("Hilfe")
    help = N_("Zeigt die Tasten, die jetzt wirken, und alle Befehle.")
    binding = "app.help"
    key = "question_mark,f1"
    label = N_("Hilfe")

    async def run(self, session: Session, **_kwargs: Any) -> Outcome:
        if isinstance(session.ui, ShowsHelp):
            await session.ui.show_help()
            return Outcome(True, "")
        usage = {c.id: f"{c.usage()} – {_(c.title)}" for c in REGISTRY.values()}
        return Outcome(True, "\n".join(usage.values()), {"commands": usage})
