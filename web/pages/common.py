"""Helpers shared by page handlers: the app object, form reading with CSRF, redirects."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from governance.bootstrap import Suara
from governance.domain.errors import InvalidInput, PollNotFound
from governance.domain.limits import UploadTooLarge
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


MAX_FIELDS = 60


async def read_form(request: Request) -> FormData:
    """The submitted form; plain URL-encoded bodies (every page's forms) are decoded directly,
    which costs a small fraction of the general multipart-capable parser."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return await request.form(max_files=0, max_fields=MAX_FIELDS)
    body = await request.body()
    try:
        pairs: list[tuple[str, str | UploadFile]] = list(
            parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=MAX_FIELDS)
        )
    except UnicodeDecodeError as error:
        raise InvalidInput("form") from error
    except ValueError as error:  # more fields than any form here has
        raise HTTPException(400, "Too many fields") from error
    return FormData(pairs)


async def checked_form(request: Request) -> FormData:
    """The submitted form, after the CSRF check (a missing token is a 403)."""
    form = await read_form(request)
    check_csrf(request, single(form, CSRF_FIELD, required=False, max_length=100))
    return form


# A form's own fields (the CSRF token, a button) beside an uploaded file.
FORM_SLACK_BYTES = 64 * 1024


# The body limit of an upload route (the app's is 64 KB). It is far above the caps on
# purpose: a body declared larger than its cap allows is answered by checked_upload with the
# cap named and a way back, while Starlette's own limit answers a bare "Content Too Large".
# Only a signed-in secretariat gets as far as sending one (the role is checked first).
UPLOAD_ROUTE_LIMIT = 64 * 1024 * 1024


def upload_body_limit(max_bytes: int) -> int:
    """The route's body limit for a form carrying a file of `max_bytes` and the same text once
    more in a field (a dry run's page sends the text it checked back with the form)."""
    return 2 * max_bytes + FORM_SLACK_BYTES


async def checked_upload(request: Request, field: str, max_bytes: int) -> tuple[FormData, str]:
    """A form with at most one file (in `field`), after the CSRF check; the file as UTF-8 text.

    No file (or an empty one) gives "": the caller decides whether a pasted text stands in.
    The file is read and closed here, so its spooled copy never outlives the request. A body
    too large for the cap is refused by its declared length, before it is read, with the cap
    named (UploadTooLarge), not the bare 413 of the body limit.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > upload_body_limit(max_bytes):
        raise UploadTooLarge(max_bytes)
    form = await request.form(
        max_files=1, max_fields=MAX_FIELDS, max_part_size=upload_body_limit(max_bytes)
    )
    try:
        check_csrf(request, single(form, CSRF_FIELD, required=False, max_length=100))
        files = form.getlist(field)
        if len(files) > 1:
            raise InvalidInput(field)
        upload = files[0] if files else None
        if not isinstance(upload, UploadFile):
            return form, ""
        data = await upload.read(max_bytes + 1)
    finally:
        await form.close()
    if len(data) > max_bytes:
        raise UploadTooLarge(max_bytes)
    try:
        # utf-8-sig: spreadsheet programs often write a byte-order mark first.
        return form, data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(field) from error


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


async def load_ballot_poll(request: Request) -> Poll:
    """The poll a ballot is posted to: its definition from memory while it is open.

    Only the method, options and congress are used here; the cast itself re-reads the status
    in its transaction, so a poll closed since it was cached still refuses the ballot. When a
    poll opens, every phone posts at once: one read fills the memory for all of them.
    """
    app = suara(request)
    poll_id = str(request.path_params["poll_id"])
    poll = app.open_polls.get(poll_id)
    if poll is not None:
        return poll
    if app.reads_inline:  # SQLite: reading one row costs less than a hand-over to a thread
        poll = app.queries.poll(poll_id)
    else:
        poll = await _read_once(request, poll_id)
    if poll is None:
        raise PollNotFound()
    app.open_polls.remember(poll)
    return poll


async def _read_once(request: Request, poll_id: str) -> Poll | None:
    """Concurrent requests for the same poll share one read."""
    reads: dict[str, asyncio.Future[Poll | None]] = request.app.state.poll_reads
    pending = reads.get(poll_id)
    if pending is not None:
        return await asyncio.shield(pending)
    future: asyncio.Future[Poll | None] = asyncio.get_running_loop().create_future()
    reads[poll_id] = future
    try:
        poll = await call(suara(request).queries.poll, poll_id)
    except BaseException as error:
        future.set_exception(error)
        future.exception()  # retrieved here, so an unshared failure is not logged twice
        raise
    finally:
        reads.pop(poll_id, None)
    future.set_result(poll)
    return poll
