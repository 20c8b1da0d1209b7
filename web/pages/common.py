"""Helpers shared by page handlers: the app object, form reading with CSRF, redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse

from governance.bootstrap import Suara
from governance.domain.errors import PollNotFound
from governance.domain.polls import Poll
from web.forms import single
from web.security import CSRF_FIELD, check_csrf

T = TypeVar("T")


def suara(request: Request) -> Suara:
    app: Suara = request.app.state.suara
    return app


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking governance code off the event loop."""
    return await run_in_threadpool(fn, *args, **kwargs)


async def checked_form(request: Request) -> FormData:
    """The submitted form, after the CSRF check (a missing token is a 403)."""
    form = await request.form(max_files=0, max_fields=60)
    check_csrf(request, single(form, CSRF_FIELD, required=False, max_length=100))
    return form


def redirect(url: str) -> RedirectResponse:
    """Post/Redirect/Get: always 303 after a form."""
    return RedirectResponse(url, status_code=303)


def local_path(target: str, default: str = "/") -> str:
    """Only follow redirects within this site."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


async def load_poll(request: Request) -> Poll:
    poll = await call(suara(request).queries.poll, str(request.path_params["poll_id"]))
    if poll is None:
        raise PollNotFound()
    return poll
