"""The app factory: `create_app(settings) -> FastAPI`, used by `inge-tui serve` and the tests.

The store is migrated when the app is created (safe when several processes start at once, see
`migrations.py`). For `--workers` > 1 uvicorn starts processes that each build their app with
`app_from_environment()` from the settings `serve` put into `INGE_SERVE_SETTINGS`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import Depends, FastAPI

import inge_tui
from inge_tui.server.errors import install_handlers
from inge_tui.server.limits import RequestLimits
from inge_tui.server.routes import cases, documents, feed, misc, postbox
from inge_tui.server.routes.deps import known_query_only
from inge_tui.server.settings import Settings
from inge_tui.server.speech import Language
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.migrations import migrate
from inge_tui.server.store.uow import Store
from inge_tui.server.usecases.rules import Rules
from inge_tui.server.usecases.services import Services

SETTINGS_ENV = "INGE_SERVE_SETTINGS"

DESCRIPTION = """\
InGe-kompatibler Dienst für den Abschluss von Integrationskursfällen (Vertrag: `api.md`).

Jede Anfrage trägt `Authorization: Bearer <Token>`. Fehler antworten als
`{"detail": …, "code": …}`; bei 422 ist `detail` eine Liste `{field, message}`.
Änderungen nennen die neue `version`; eine ältere `version` (`If-Match`) ergibt 409.
"""


def create_app(settings: Settings) -> FastAPI:
    """A ready service over the store `settings.database_url` names."""
    install_log_filters()
    engine = make_engine(settings.database_url)
    if settings.migrate:
        migrate(engine, now=settings.clock)
    store = Store(engine, settings.clock)
    services = Services(store=store, rules=Rules(settings.dtz_thresholds), settings=settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # FastAPI runs each request's work in a thread of anyio's default limiter (40); the
        # requests beyond it wait their turn in arrival order (settings.py)
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        yield
        store.dispose()

    app = FastAPI(
        title="InGe-Dienst (inge-tui)",
        version=inge_tui.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(known_query_only)],
    )
    app.add_middleware(RequestLimits)
    app.add_middleware(Language)
    app.state.services = services
    install_handlers(app)
    for module in (misc, feed, postbox, cases, documents):
        app.include_router(module.router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            parameters_never_null(FastAPI.openapi(app))
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to adjust it
    return app


def parameters_never_null(schema: dict[str, Any]) -> None:
    """A header or query parameter is a string on the wire: it is absent or has a value, never
    JSON null. FastAPI writes an optional one as `anyOf: [{…}, {"type": "null"}]`, which told
    clients (and schemathesis) they may send `If-Match: null`; the contract keeps the value's
    own schema and says "optional" by `required: false`."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                own = parameter.get("schema", {})
                branches = [b for b in own.get("anyOf", []) if b.get("type") != "null"]
                if parameter.get("in") in {"header", "query"} and len(branches) == 1:
                    del own["anyOf"]
                    own.update(branches[0])


def settings_to_environment(settings: Settings) -> str:
    return json.dumps(
        {
            "database_url": settings.database_url,
            "claim_minutes": settings.claim_minutes,
            "dtz_thresholds": dict(settings.dtz_thresholds),
            "data_request_days": settings.data_request_days,
            "token_days": dict(settings.token_days),
            "request_threads": settings.request_threads,
        }
    )


def app_from_environment() -> FastAPI:
    """The factory uvicorn's worker processes call (`--workers` > 1)."""
    values = json.loads(os.environ[SETTINGS_ENV])
    return create_app(Settings(**values))


def install_log_filters() -> None:
    """Strip query strings from uvicorn's access log, once per process.

    Called from `create_app`, so every process that serves (also `--workers` > 1, whose worker
    processes configure their logging themselves) drops them.
    """
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, DropQueryString) for f in access.filters):
        access.addFilter(DropQueryString())


class DropQueryString(logging.Filter):
    """Access logs show the path only: query strings may carry names (`q=`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True
