"""Secretariat pages for the delegate list (import, add, edit, remove) and the check-in desk."""

from __future__ import annotations

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


async def checkin_page(request: Request) -> Response:
    congress_id = await _secretariat(request)
    app = suara(request)
    context = {
        "congress": await call(app.queries.congress, congress_id),
        "delegates": await call(app.queries.delegates, congress_id),
        "attendance": await call(app.queries.attendance, congress_id),
        "rules": (await call(app.queries.rules, congress_id))[0],
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
    return redirect(f"/congresses/{congress_id}/checkin#d-{delegate_id}")


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
