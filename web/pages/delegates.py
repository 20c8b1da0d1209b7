"""Secretariat pages for the delegate list (import, add, edit, remove) and the check-in desk."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import (
    CheckInDelegate,
    ImportDelegates,
    RemoveDelegate,
    SaveDelegate,
)
from governance.domain.delegates import Role
from governance.domain.errors import (
    CongressNotFound,
    DelegateNotFound,
    InvalidInput,
    RosterInvalid,
)
from governance.domain.limits import (
    MAX_DELEGATE_ROWS,
    MAX_ROSTER_BYTES,
    UploadTooLarge,
    megabytes,
)
from governance.domain.roster import MEMBERSHIP_CLASSES, REGIONS
from web.forms import single
from web.i18n import number
from web.pages.common import (
    call,
    checked_form,
    checked_upload,
    redirect,
    suara,
    upload_body_limit,
)
from web.security import acting_official, require_role
from web.templating import render

MAX_CSV = MAX_ROSTER_BYTES


async def _secretariat(request: Request) -> str:
    congress_id = str(request.path_params["congress_id"])
    if await call(suara(request).queries.congress, congress_id) is None:
        raise CongressNotFound()
    require_role(request, congress_id, Role.SECRETARIAT)
    return congress_id


async def _page(request: Request, congress_id: str, **extra: object) -> Response:
    app = suara(request)
    context = {
        "congress": await call(app.queries.congress, congress_id),
        "delegates": await call(app.queries.delegates, congress_id),
        "regions": REGIONS,
        "classes": MEMBERSHIP_CLASSES,
        "csv": "",
        "max_rows": number(MAX_DELEGATE_ROWS),
        "max_size": megabytes(MAX_CSV),
        **extra,
    }
    status = 422 if extra.get("problems") else 200
    return render(request, "delegates/list.html", context, status=status, no_store=True)


async def delegates_page(request: Request) -> Response:
    return await _page(request, await _secretariat(request))


async def import_delegates(request: Request) -> Response:
    """A dry run shows the changes; the same text sent with `apply` writes them.

    The file comes uploaded (as exported from a spreadsheet) or pasted; the dry-run page
    carries the text itself, so applying never depends on the file being chosen again.
    """
    congress_id = await _secretariat(request)
    request.state.back = f"/congresses/{congress_id}/delegates"
    form, uploaded = await checked_upload(request, "file", MAX_CSV)
    limit = upload_body_limit(MAX_CSV)
    pasted = "" if uploaded else single(form, "csv", required=False, max_length=limit)
    if len(pasted) > MAX_CSV or len(pasted.encode()) > MAX_CSV:
        raise UploadTooLarge(MAX_CSV)
    text = uploaded or pasted
    if not text.strip():
        raise InvalidInput("csv")
    apply = single(form, "apply", required=False, max_length=3) == "yes"
    try:
        report = await call(
            suara(request).bus.handle,
            ImportDelegates(congress_id, text, dry_run=not apply),
            by=None if not apply else acting_official(request, congress_id),
        )
    except RosterInvalid as error:
        return await _page(request, congress_id, problems=error.problems, csv=text)
    if apply:
        return redirect(f"/congresses/{congress_id}/delegates")
    return await _page(request, congress_id, report=report, csv=text)


def _delegate_form(form: FormData, congress_id: str, delegate_id: str | None) -> SaveDelegate:
    return SaveDelegate(
        congress_id=congress_id,
        alias=single(form, "alias", max_length=200),
        province=single(form, "province", max_length=200),
        region=single(form, "region", max_length=20),
        caucus=single(form, "caucus", required=False, max_length=100),
        membership_class=single(form, "membership_class", max_length=20),
        voting_right=single(form, "voting_right", required=False, max_length=3) == "yes",
        legal_name=single(form, "legal_name", required=False, max_length=300),
        delegate_id=delegate_id,
    )


async def save_delegate(request: Request) -> Response:
    congress_id = await _secretariat(request)
    form = await checked_form(request)
    delegate_id = request.path_params.get("delegate_id")
    command = _delegate_form(form, congress_id, str(delegate_id) if delegate_id else None)
    try:
        await call(suara(request).bus.handle, command, by=acting_official(request, congress_id))
    except RosterInvalid as error:
        return await _page(request, congress_id, problems=error.problems)
    return redirect(f"/congresses/{congress_id}/delegates")


async def edit_delegate_page(request: Request) -> Response:
    congress_id = await _secretariat(request)
    delegate = await call(suara(request).queries.delegate, str(request.path_params["delegate_id"]))
    if delegate is None or delegate.congress_id != congress_id:
        raise DelegateNotFound()
    context = {
        "congress_id": congress_id,
        "d": delegate,
        "regions": REGIONS,
        "classes": MEMBERSHIP_CLASSES,
    }
    return render(request, "delegates/edit.html", context, no_store=True)


async def remove_delegate(request: Request) -> Response:
    congress_id = await _secretariat(request)
    await checked_form(request)
    delegate_id = str(request.path_params["delegate_id"])
    await call(
        suara(request).bus.handle,
        RemoveDelegate(congress_id, delegate_id),
        by=acting_official(request, congress_id),
    )
    return redirect(f"/congresses/{congress_id}/delegates")


CHECKIN_PAGE = 100  # rows a desk sees at once: a 5,000-delegate roster is 50 pages, not 2 MB


def _desk_view(request: Request | FormData) -> tuple[str, int]:
    """The desk's search and page, from the URL (showing) or the form (after a tick)."""
    get = request.query_params.get if isinstance(request, Request) else request.get
    search = str(get("q") or "").strip()[:60]
    page_text = str(get("page") or "1")
    page = int(page_text) if page_text.isascii() and page_text.isdigit() else 1
    return search, max(page, 1)


def _desk_url(congress_id: str, search: str, page: int, anchor: str = "") -> str:
    query = urlencode({k: v for k, v in (("q", search), ("page", page)) if v and v != 1})
    return f"/congresses/{congress_id}/checkin" + (f"?{query}" if query else "") + anchor


async def checkin_page(request: Request) -> Response:
    congress_id = await _secretariat(request)
    app = suara(request)
    search, page = _desk_view(request)
    shown, total = await call(
        app.queries.delegates_page, congress_id, search, (page - 1) * CHECKIN_PAGE, CHECKIN_PAGE
    )
    pages = max((total + CHECKIN_PAGE - 1) // CHECKIN_PAGE, 1)
    context = {
        "congress": await call(app.queries.congress, congress_id),
        "delegates": shown,
        "total": total,
        "search": search,
        "page": min(page, pages),
        "pages": pages,
        "previous": _desk_url(congress_id, search, page - 1) if page > 1 else "",
        "next": _desk_url(congress_id, search, page + 1) if page < pages else "",
        "attendance": await call(app.queries.attendance, congress_id),
        "rules": (await call(app.queries.rules, congress_id))[0],
        "marked": request.query_params.get("marked", ""),
    }
    return render(request, "delegates/checkin.html", context, no_store=True)


async def check_in(request: Request) -> Response:
    """Tick a delegate present (or undo); the voting card drawn is never recorded."""
    congress_id = await _secretariat(request)
    form = await checked_form(request)
    delegate_id = single(form, "delegate", max_length=40)
    present = single(form, "present", max_length=3) == "yes"
    await call(
        suara(request).bus.handle,
        CheckInDelegate(congress_id, delegate_id, present),
        by=acting_official(request, congress_id),
    )
    # Back to the same page of the same search, at the row just ticked.
    search, page = _desk_view(form)
    return redirect(_desk_url(congress_id, search, page, f"#d-{delegate_id}"))


def parse_numbers(text: str, limit: int = 20_000) -> list[int]:
    """Delegate numbers as a desk types them from a printed list: "3, 7 12-20"."""
    numbers: list[int] = []
    for part in text.replace(",", " ").split():
        low, _, high = part.partition("-")
        if not (low.isascii() and low.isdigit()) or (
            high and not (high.isascii() and high.isdigit())
        ):
            raise InvalidInput(part)
        first, last = int(low), int(high or low)
        if last < first or last - first >= limit or len(numbers) + last - first >= limit:
            raise InvalidInput(part)
        numbers.extend(range(first, last + 1))
    return numbers


async def check_in_many(request: Request) -> Response:
    """Tick present every delegate whose number the desk typed from its printed list."""
    congress_id = await _secretariat(request)
    form = await checked_form(request)
    request.state.back = f"/congresses/{congress_id}/checkin"
    numbers = set(parse_numbers(single(form, "numbers", max_length=20_000)))
    app = suara(request)
    by_number = {d.number: d for d in await call(app.queries.delegates, congress_id)}
    unknown = sorted(n for n in numbers if n not in by_number)
    if unknown:
        raise InvalidInput(", ".join(map(str, unknown[:20])))
    actor = acting_official(request, congress_id)
    for n in sorted(numbers):
        if not by_number[n].present:
            await call(app.bus.handle, CheckInDelegate(congress_id, by_number[n].id), by=actor)
    return redirect(f"/congresses/{congress_id}/checkin?marked={len(numbers)}")


async def attendance_list(request: Request) -> Response:
    """The daftar hadir to print and sign: every delegate by number and alias, never by name."""
    congress_id = await _secretariat(request)
    app = suara(request)
    context = {
        "congress": await call(app.queries.congress, congress_id),
        "delegates": await call(app.queries.delegates, congress_id),
        "attendance": await call(app.queries.attendance, congress_id),
    }
    return render(request, "delegates/attendance.html", context, no_store=True)
