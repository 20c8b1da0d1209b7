"""The Starlette application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from governance.bootstrap import Suara, bootstrap
from governance.service_layer.ports import StorageUnavailable
from web import i18n
from web.errors import EXCEPTION_HANDLERS, storage_error
from web.live_hub import LiveHub
from web.metrics import MetricsMiddleware, watch_backlog
from web.routes import ROUTES
from web.security import ABSOLUTE_TIMEOUT_S, SecurityHeadersMiddleware, touch_session
from web.sessions import EncryptedSessionMiddleware, guard_session
from web.throttle import SignInThrottle

MAX_BODY_BYTES = 64 * 1024


class RequestContextMiddleware:
    """Per request: the reader's language, and session expiry and the session's card check
    (revoked, re-issued, signed out) before any handler runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            connection = HTTPConnection(scope)
            i18n.set_language(connection.cookies.get("lang", i18n.DEFAULT_LANGUAGE))
            touch_session_scope(scope)
            request = Request(scope)
            try:
                await guard_session(request)
            except StorageUnavailable as error:
                # Outside the exception handlers here: answer as they would ("try again").
                response = await storage_error(request, error)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def touch_session_scope(scope: Scope) -> None:
    # An open event stream is not a person using the page: it must not keep a session alive.
    if not str(scope.get("path", "")).endswith("/events"):
        touch_session(Request(scope))


def create_app(app: Suara, *, own_app: bool = False, serving: bool = False) -> Starlette:
    """Build the web app around an application object; `own_app` disposes it on shutdown.

    `serving` (a server process, not a test): what start-up loaded lives as long as the
    process, so it is kept out of the garbage collector's full passes. Each such pass walked
    all of it and held every request in flight for up to 70 ms (the p99 of the cast path).
    """

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if serving:
            gc.collect()
            gc.freeze()
        yield
        if serving:
            gc.unfreeze()
        if own_app:
            app.dispose()

    web = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(
                SecurityHeadersMiddleware, hsts=app.settings.base_url.startswith("https://")
            ),
            Middleware(
                EncryptedSessionMiddleware,
                secret_key=app.settings.secret_key,
                max_age=ABSOLUTE_TIMEOUT_S,
                same_site="lax",
                https_only=app.settings.secure_cookies,
            ),
            Middleware(RequestContextMiddleware),
            Middleware(MetricsMiddleware),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
        max_body_size=MAX_BODY_BYTES,
    )
    web.state.suara = app
    web.state.live_hub = LiveHub(app)  # one reader per congress feeds every event stream
    watch_backlog(lambda: app.outbox.behind("relay"))
    web.state.poll_reads = {}  # poll id -> the read in flight (see pages.common)
    web.state.throttle = SignInThrottle(
        app.settings.secret_key, app.settings.redis_url, app.settings.broker_namespace
    )
    return web


def production_app() -> Starlette:
    """For `uvicorn --factory web.app:production_app`: settings from the environment."""
    return create_app(bootstrap(), own_app=True, serving=True)
