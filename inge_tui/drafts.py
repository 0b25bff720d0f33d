"""Form drafts: what a caseworker typed survives a crash, a closed window and a dead service.

Each form of each participant has one file, `<state dir>/drafts/<participant>-<form>.json`,
readable only by its owner (0600, folder 0700). A write goes to a temporary file in the same
folder and replaces the old one in one step, so a draft is either the old or the new content,
never half of each. A draft is deleted only after the service accepted the form.

Plain file I/O: callers run these functions in a worker thread. No Textual here.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inge_tui.i18n import N_, _

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> Path:
    """Write `data` to `path` all at once, with permissions `mode`; the folder is made 0700."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


@dataclass(frozen=True)
class Draft:
    participant_id: str
    form: str
    fields: dict[str, Any]
    saved_at: datetime


def draft_words(draft: Draft, now: datetime) -> str:
    """`Papier-DTZ (d), gespeichert 05.12. 12:50, vor 2 Std.`: which form, when, how old."""
    form = draft.form
    word = FORM_WORDS.get("repetition" if form.startswith("repetition") else form)
    name = _(word) if word else form
    age = now - draft.saved_at
    minutes = int(age.total_seconds() // 60)
    ago = (
        _("gerade eben")
        if minutes < 1
        else _("vor {n} Min.").format(n=minutes)
        if minutes < 60
        else _("vor {n} Std.").format(n=minutes // 60)
        if minutes < 48 * 60
        else _("vor {n} Tagen").format(n=minutes // 1440)
    )
    said = _("{form}, gespeichert {when}, {ago}")
    return said.format(form=name, when=f"{draft.saved_at.astimezone():%d.%m. %H:%M}", ago=ago)


FORM_WORDS = {  # message ids, shown through _
    "repetition": N_("Wiederholungsentscheidung (w)"),
    "paper-dtz": N_("Papier-DTZ (d)"),
    "alt-b1": N_("B1-Nachweis (b)"),
}


class DraftStore:
    """The drafts folder; `DraftStore.default()` is `paths().state_dir / "drafts"`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def default(cls) -> DraftStore:
        from inge_tui.config import paths

        return cls(paths().state_dir / "drafts")

    def path(self, participant_id: str, form: str) -> Path:
        name = f"{_SAFE.sub('_', participant_id)}-{_SAFE.sub('_', form)}.json"
        return self.root / name.lstrip(".")

    def save(self, participant_id: str, form: str, fields: Mapping[str, Any]) -> Path:
        document = {
            "participant_id": participant_id,
            "form": form,
            "saved_at": datetime.now(UTC).isoformat(),
            "fields": dict(fields),
        }
        data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        return atomic_write(self.path(participant_id, form), data)

    def load(self, participant_id: str, form: str) -> Draft | None:
        """The saved draft, or None when there is none or it cannot be read (never raises)."""
        try:
            raw = json.loads(self.path(participant_id, form).read_text("utf-8"))
            fields = raw["fields"]
            if not isinstance(fields, dict):
                return None
            saved = datetime.fromisoformat(raw["saved_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Draft(participant_id, form, fields, saved)

    def of(self, participant_id: str) -> list[Draft]:
        """The participant's drafts, newest first (never raises)."""
        prefix = f"{_SAFE.sub('_', participant_id)}-".lstrip(".")
        found = []
        with contextlib.suppress(OSError):
            for path in self.root.glob(f"{glob.escape(prefix)}*.json"):
                form = path.stem[len(prefix) :]
                draft = self.load(participant_id, form)
                if draft is not None and draft.participant_id == participant_id:
                    found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def participants(self) -> set[str]:
        """Who has a draft (the Postkorb marks them); never raises."""
        found: set[str] = set()
        with contextlib.suppress(OSError):
            for path in self.root.glob("*.json"):
                try:
                    found.add(str(json.loads(path.read_text("utf-8"))["participant_id"]))
                except (OSError, ValueError, KeyError, TypeError):
                    continue
        return found

    def delete(self, participant_id: str, form: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(participant_id, form).unlink()
