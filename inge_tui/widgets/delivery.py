"""Hand a file (an issued PDF, an exported case) to the caseworker.

In the browser (`textual serve`) Textual's `App.deliver_binary` starts a download. In a
terminal, Textual 8.2.8's driver cannot write bytes: `Driver.deliver_binary` checks
`isinstance(binary, typing.BinaryIO)`, which no real file object passes, and then opens the
target in text mode, so every binary delivery fails with a TypeError (and a `BinaryIO` subclass
fails on `open(..., "wb", encoding=...)`). There the file is written here instead, in a worker
thread, atomically and readable only by its owner, to the documents folder (`[app]
documents_dir`, else `<data dir>/dokumente`).
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from textual.app import App

from inge_tui.drafts import atomic_write
from inge_tui.i18n import _


async def deliver_file(
    app: App[object],
    data: bytes,
    filename: str,
    mime_type: str,
    *,
    directory: Path,
) -> str:
    """Deliver `data` under `filename`; answers where it went, in the interface's language."""
    name = Path(filename).name
    if app.is_web:
        app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime_type, name=name)
        return _("{name} (Download im Browser)").format(name=name)
    target = directory / name
    await asyncio.to_thread(atomic_write, target, data)
    return str(target)
