"""Request size limits, checked before any route, token lookup or parsing runs.

- Headers: the request line and all headers together above `MAX_HEAD_BYTES` (16 KiB) answer
  431. uvicorn's parser (h11) refuses a head above 16 KiB only while it arrives in pieces; a
  head that arrives in one read passes it up to the read size (about 256 KiB, beyond that
  uvicorn answers 400 or drops the connection), so the app applies the same limit itself.
- Body: a declared `Content-Length` above `MAX_BODY_BYTES` (1 MiB) answers 413 at once,
  without calling the app or reading the body. A body without a length (chunked) is counted
  while the app reads it; the read that crosses the limit raises a 413 that the error handlers
  answer in the contract's shape.

Starlette's own limit (`FastAPI(max_body_size=…)`) answers a declared oversize body with a
plain-text 413, not the contract's JSON, hence this middleware.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inge_tui.domain.said import said
from inge_tui.server.speech import speak

MAX_BODY_BYTES = 1024 * 1024  # no request of the contract comes near this
MAX_HEAD_BYTES = 16 * 1024  # h11's own limit for a head that arrives in pieces
TOO_LARGE = said("Die Anfrage ist zu groß (höchstens 1 MiB).")
HEAD_TOO_LARGE = said("Die Kopfzeilen der Anfrage sind zu groß (höchstens 16 KiB).")


class RequestLimits:
    """Pure ASGI middleware: refuse heads above `max_head` (431), bodies above `max_bytes` (413)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, max_head: int = MAX_HEAD_BYTES
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_head = max_head

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _head_size(scope) > self.max_head:
            await _refuse(send, 431, HEAD_TOO_LARGE)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(send, 413, TOO_LARGE)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, counted, send)


def _head_size(scope: Scope) -> int:
    """The request line and the headers as they came (names, values, separators)."""
    line = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 16
    return line + sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, status: int, detail: str) -> None:
    worded = speak(detail)
    body = json.dumps({"detail": worded, "code": f"http_{status}"}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
