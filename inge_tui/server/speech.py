"""The language of an answer: German, or English for a caller that asks for it.

The contract speaks German. A caller that sends `Accept-Language: en` (the app does when its
`[app] language` is English) gets the rules' reasons, blockers and conditions and the service's
refusals in English, where the text was made with `domain.said` and the catalog has it; the
rest, and every document, stays German. Each answer says which it is (`Content-Language`).
The language is per request: a context variable set by `Language`, read by `speak`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import asdict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inge_tui import i18n
from inge_tui.domain.said import Joined, Said, in_words

SPOKEN = ("de", "en")
_language: ContextVar[str] = ContextVar("answer_language", default="de")


def chosen(header: str | None) -> str:
    """The language an `Accept-Language` header asks for among ours, German by default:
    `en`, `en-GB`, `fr, en;q=0.8` → "en"; `de-AT, en;q=0.5`, `*`, nothing → "de"."""
    best, weight = "de", -1.0
    for item in (header or "").split(","):
        tag, _, params = item.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if language in SPOKEN and q > weight:
            best, weight = language, q
    return best


def speak(text: Any) -> Any:
    """`text` in this answer's language: a `Said` or `Joined` translated, anything else as it
    is (a German text made without `said` stays German)."""
    language = _language.get()
    if language == "de" or not isinstance(text, Said | Joined):
        return text
    return in_words(text, i18n.catalog(language).gettext)


def speak_all(value: Any) -> Any:
    """`value` (an answer's body, its lists and dicts) with every `Said` in it spoken."""
    if isinstance(value, dict):
        return {k: speak_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [speak_all(v) for v in value]
    return speak(value)


def spoken_fields(item: Any) -> dict[str, Any]:
    """A reason, blocker or condition (a dataclass) as a dict with its `text` and `citation`
    spoken."""
    data = asdict(item)
    for key in ("text", "citation"):  # a citation names its source in words too
        if key in data:
            data[key] = speak(getattr(item, key))
    return data


class Language:
    """ASGI middleware: sets the answer's language from `Accept-Language` and names it in
    `Content-Language` (with `Vary`, so that a cache keeps the two apart)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"accept-language")
        language = chosen(header.decode("latin-1") if header else None)
        token = _language.set(language)

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-language", language.encode()), (b"vary", b"Accept-Language")]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, named)
        finally:
            _language.reset(token)
