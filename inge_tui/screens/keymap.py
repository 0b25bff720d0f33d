"""The keymap: which binding ids exist, which key each has now, and what is wrong with `[keymap]`.

`[keymap]` in the config maps binding ids to keys (`"postbox.sort" = "o"`, several keys with a
comma: `"ctrl+s,f2"`). The ids are those the app declares: the `BINDINGS` of the App and of the
screens and widgets in `scopes()` (a key that runs a command comes from the command, see
`widgets/command_keys.py`), and the command registry. Ids are dotted and hyphenated
(`postbox.toggle-mark`); the underscore ids of earlier versions still work (`RENAMED`) and are
named at start-up with their new spelling.

`keymap_warnings(config, app)` says, in German, what the app should show at start-up: unknown
ids (with the nearest one), key names Textual does not know, two bindings on one key where they
are active together, and keys that terminals, SSH or tmux keep for themselves.
`app_keymap(config, app)` is the mapping to pass to `App.set_keymap`; `effective_keymap(config,
app)` is the table `inge-tui keys` prints. `app` is the App class, whose bindings count wherever
a full screen is open.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inge_tui.commands.base import REGISTRY
from inge_tui.i18n import N_, _

Scopes = Sequence[tuple[str, Sequence[type]]]


def scopes(app: type) -> Scopes:
    """(scope, the classes whose bindings are active together there). Modal screens stop the
    chain, so the App's bindings count only in the full screens. Imported here, when the keymap
    is first needed (after the first page): a renamed class fails the import, loudly."""
    from inge_tui.screens.command_line import CommandPrompt
    from inge_tui.screens.forms import ConfirmScreen
    from inge_tui.screens.help import HelpScreen
    from inge_tui.screens.issue import IssuePreviewScreen
    from inge_tui.screens.participant import ParticipantScreen
    from inge_tui.screens.postbox import PostboxScreen
    from inge_tui.screens.repetition import RepetitionScreen
    from inge_tui.widgets.postbox_list import PostboxList
    from inge_tui.widgets.text_modal import TextModal

    # the scopes' names are message ids: the warnings show them through _, `inge-tui keys`
    # (German, like all the command-line tool prints) as they are
    return (
        (N_("Postkorb"), (app, PostboxScreen, PostboxList)),
        (N_("Fall"), (app, ParticipantScreen)),
        (N_("Formular"), (app, RepetitionScreen)),
        (N_("Vorschau"), (IssuePreviewScreen,)),
        (N_("Rückfrage"), (ConfirmScreen,)),
        (N_("Hilfe"), (HelpScreen,)),
        (N_("Details"), (TextModal,)),
        (N_("Befehlszeile"), (CommandPrompt,)),
    )


# the ids before one style (issue 11): a config that still says them keeps working
RENAMED = {
    "postbox.cursor_up": "postbox.cursor-up",
    "postbox.cursor_down": "postbox.cursor-down",
    "postbox.page_up": "postbox.page-up",
    "postbox.page_down": "postbox.page-down",
    "postbox.toggle_mark": "postbox.toggle-mark",
    "case.paper_dtz": "case.paper-dtz",
    "case.alt_b1": "case.alt-b1",
    "case.propose_withdrawal": "case.propose-withdrawal",
    "case.confirm_withdrawal": "case.confirm-withdrawal",
    "case.refuse_withdrawal": "case.refuse-withdrawal",
    **{f"case.section_{n}": f"case.section-{n}" for n in range(1, 10)},
}
PREFIX_SCOPES = {
    "app.": ("Postkorb", "Fall", "Formular"),
    "postbox.": ("Postkorb",),
    "case.": ("Fall",),
}  # where a command's binding counts until a screen declares it

TERMINAL_KEYS = {
    # message ids: the warnings show them through _, `inge-tui keys` as they are
    "ctrl+s": N_("hält bei Flusskontrolle (XON/XOFF) die Ausgabe des Terminals an"),
    "ctrl+q": N_("ist bei Flusskontrolle (XON/XOFF) dem Terminal vorbehalten"),
    "ctrl+b": N_("ist das Präfix von tmux"),
    "ctrl+enter": N_("können viele Terminals, gerade über SSH, nicht senden"),
    "ctrl+z": N_("hält das Programm an (Job-Control der Shell)"),
    "ctrl+c": N_("bricht im Terminal ab bzw. kopiert"),
}
MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


@dataclass(frozen=True)
class DeclaredBinding:
    binding_id: str
    keys: str  # Textual's form, e.g. "question_mark,f1"
    description: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class EffectiveKey:
    binding_id: str
    keys: str
    description: str
    source: str  # "Standard" or "Konfiguration"
    scopes: tuple[str, ...]


# ---- what the app declares ----------------------------------------------------------------------


def _bindings_of(owner: type) -> list[Any]:
    """The `Binding`s with an id a class declares, inherited ones too."""
    from textual.binding import Binding

    out: list[Any] = []
    for cls in reversed(owner.__mro__):
        out.extend(b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id)
    return out


def declared_bindings(app: type) -> dict[str, DeclaredBinding]:
    """Every binding id the app knows, with its default key, description and scopes."""
    found: dict[str, DeclaredBinding] = {}
    for scope, owners in scopes(app):
        for owner in owners:
            for binding in _bindings_of(owner):
                known = found.get(binding.id)
                where = (*known.scopes, scope) if known else (scope,)
                found[binding.id] = DeclaredBinding(
                    binding.id,
                    normalize(binding.key),
                    known.description if known else binding.description,
                    tuple(dict.fromkeys(where)),
                )
    for command in REGISTRY.values():
        if command.binding and command.binding not in found and command.key:
            where = next((s for p, s in PREFIX_SCOPES.items() if command.binding.startswith(p)), ())
            found[command.binding] = DeclaredBinding(
                command.binding, normalize(command.key), command.title, where
            )
    titles = {c.binding: c.title for c in REGISTRY.values() if c.binding}
    return {
        i: DeclaredBinding(b.binding_id, b.keys, titles.get(i, b.description), b.scopes)
        for i, b in sorted(found.items())
    }


# ---- keys ---------------------------------------------------------------------------------------


def normalize(keys: str) -> str:
    """`"?,F1"` → `"question_mark,f1"`: the form Textual matches on."""
    from textual.keys import _character_to_key

    out = []
    for key in (k.strip() for k in keys.split(",")):
        if not key:
            continue
        *mods, base = key.split("+") if len(key) > 1 else [key]
        # "?" → "question_mark", "F5" → "f5", "ctrl+S" → "ctrl+s"; a plain "V" stays "V"
        single = len(base) == 1
        base = _character_to_key(base.lower() if mods else base) if single else base.lower()
        out.append("+".join([*(m.lower() for m in mods), base]))
    return ",".join(out)


def valid_key(key: str) -> bool:
    """A key Textual can bind: modifiers, then a character or a named key."""
    from textual.keys import Keys, key_to_character

    *mods, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in mods):
        return False
    named = {k.value.split("+")[-1] for k in Keys} | {"space", "enter", "return"}
    is_f_key = base.startswith("f") and base[1:].isdigit() and 1 <= int(base[1:]) <= 24
    return len(base) == 1 or base in named or is_f_key or key_to_character(base) is not None


def _split(keys: str) -> list[str]:
    return [k for k in keys.split(",") if k]


# ---- the config's keymap ------------------------------------------------------------------------


def effective_keymap(config: Any, app: type) -> list[EffectiveKey]:
    """Every binding with the key it has now and where that key comes from."""
    overrides = app_keymap(config, app)
    return [
        EffectiveKey(
            b.binding_id,
            overrides.get(b.binding_id, b.keys),
            b.description,
            "Konfiguration" if b.binding_id in overrides else "Standard",
            b.scopes,
        )
        for b in declared_bindings(app).values()
    ]


def app_keymap(config: Any, app: type) -> dict[str, str]:
    """What to pass to `App.set_keymap`: known ids, valid keys only (the rest keeps defaults)."""
    known = declared_bindings(app)
    out: dict[str, str] = {}
    for binding_id, keys in _config_keymap(config).items():
        valid = [k for k in _split(normalize(keys)) if valid_key(k)]
        if binding_id in known and valid:
            out[binding_id] = ",".join(valid)
    return out


def _config_keymap(config: Any) -> Mapping[str, str]:
    """`[keymap]` with the ids of earlier versions under their new names."""
    keymap = getattr(config, "keymap", None) or {}
    return {RENAMED.get(binding_id, binding_id): keys for binding_id, keys in keymap.items()}


def keymap_warnings(config: Any, app: type) -> list[str]:
    """Warnings about `[keymap]` in the interface's language, for the app to show at start-up
    (German for `inge-tui keys --check` and the like, which never set English)."""
    declared = declared_bindings(app)
    configured = _config_keymap(config)
    renamed = _("[keymap] „{old}“ heißt jetzt „{new}“ – gilt weiter, bitte umbenennen")
    warnings = [
        renamed.format(old=old, new=RENAMED[old])
        for old in (getattr(config, "keymap", None) or {})
        if old in RENAMED
    ]
    for binding_id, keys in configured.items():
        if binding_id not in declared:
            near = difflib.get_close_matches(binding_id, list(declared), n=1, cutoff=0.6)
            hint = _(" – meinten Sie „{name}“?").format(name=near[0]) if near else ""
            unknown = _("[keymap] „{id}“: unbekannte ID{hint} (Liste: inge-tui keys)")
            warnings.append(unknown.format(id=binding_id, hint=hint))
            continue
        warnings.extend(_key_warnings(binding_id, keys))
    warnings.extend(_collisions(effective_keymap(config, app), set(configured), app))
    return warnings


def _key_warnings(binding_id: str, keys: str) -> Iterable[str]:
    chosen = _split(normalize(keys))
    valid = [k for k in chosen if valid_key(k)]
    for key in chosen:
        if key not in valid:
            yield _(
                "[keymap] „{id}“: Taste „{key}“ unbekannt – bleibt bei der "
                "Standardtaste (Schreibweise z. B. ctrl+s, f2, a, question_mark)"
            ).format(id=binding_id, key=key)
        elif key in TERMINAL_KEYS:
            others = [k for k in valid if k not in TERMINAL_KEYS]
            advice = (
                _("Ausweichtaste {key} ist vorhanden").format(key=others[0])
                if others
                else _('eine zweite Taste ergänzen, z. B. "{key},f2"').format(key=key)
            )
            said = "[keymap] „{id}“: {key} {why} – {advice}"
            yield said.format(id=binding_id, key=key, why=_(TERMINAL_KEYS[key]), advice=advice)


def _collisions(keymap: list[EffectiveKey], configured: set[str], app: type) -> Iterable[str]:
    """Two bindings on one key in one scope, where the config put at least one of them there."""
    reported: set[tuple[str, frozenset[str]]] = set()
    for scope, _owners in scopes(app):
        by_key: dict[str, list[str]] = {}
        for entry in keymap:
            if scope in entry.scopes:
                for key in _split(entry.keys):
                    by_key.setdefault(key, []).append(entry.binding_id)
        for key, ids in sorted(by_key.items()):
            unique = frozenset(ids)
            if len(unique) > 1 and unique & configured and (key, unique) not in reported:
                reported.add((key, unique))
                names = ", ".join(sorted(unique))
                said = _("[keymap] Taste „{key}“ doppelt belegt ({scope}): {names}")
                yield said.format(key=key, scope=_(scope), names=names)


def keys_table(config: Any, app: type) -> str:
    """The effective keymap as a plain table, for `inge-tui keys`."""
    rows = [("Binding-ID", "Taste", "Quelle", "Bereich", "Beschreibung")]
    for entry in effective_keymap(config, app):
        note = " (!)" if any(k in TERMINAL_KEYS for k in _split(entry.keys)) else ""
        rows.append(
            (
                entry.binding_id,
                entry.keys + note,
                entry.source,
                ", ".join(entry.scopes) or "–",
                entry.description,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)), row[4]])
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 12)
    if any("(!)" in line for line in lines):
        lines.append("")
        lines.append("(!) Taste, die Terminals, SSH oder tmux oft selbst verwenden:")
        lines.extend(f"    {key}: {why}" for key, why in TERMINAL_KEYS.items())
    return "\n".join(lines)
