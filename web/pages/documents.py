"""Published decisions and minutes: the public list with hashes, the stored files, publishing."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.adart.commands import PublishDocument
from governance.domain.delegates import Role
from governance.domain.documents import SetDocumentSettings
from governance.domain.errors import CongressNotFound, InvalidInput, NotFound
from governance.domain.polls import PollStatus
from web.forms import integers, single
from web.pages.common import call, checked_form, redirect, suara
from web.security import require_role, role
from web.templating import render

# The stored HTML carries its own small stylesheet and no script.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


async def decisions_page(request: Request) -> Response:
    app = suara(request)
    congress = await call(app.queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    staff = request.session.get("cid") == congress.id and role(request) is Role.SECRETARIAT
    polls = await call(app.queries.polls, congress.id) if staff else []
    context = {
        "congress": congress,
        "documents": await call(app.queries.adart.documents, congress.id),
        "can_publish": staff,
        "closed_polls": [p for p in polls if p.status is PollStatus.CLOSED],
        "settings": await call(app.queries.document_settings, congress.id) if staff else None,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "documents/list.html", context)


async def publish(request: Request) -> Response:
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.SECRETARIAT)
    kind = single(form, "kind", max_length=10)
    polls = tuple(integers(form, "poll", limit=200))
    one_poll = kind in ("decision", "correction")  # a correction: on one annulled poll
    if one_poll and len(polls) != 1:
        raise InvalidInput("a decision is on exactly one poll")
    command = PublishDocument(
        congress_id,
        kind,
        single(form, "language", max_length=2),
        poll_id=polls[0] if one_poll else None,
        poll_ids=polls,
        chair=single(form, "chair", required=False, max_length=100),
        secretary=single(form, "secretary", required=False, max_length=100),
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/congresses/{congress_id}/decisions")


async def save_settings(request: Request) -> Response:
    """The organisation's name, the place ("Ditetapkan di Jakarta") and the venue."""
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.SECRETARIAT)
    command = SetDocumentSettings(
        congress_id,
        organisation=single(form, "organisation", required=False, max_length=200),
        place=single(form, "place", required=False, max_length=100),
        venue=single(form, "venue", required=False, max_length=200),
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/congresses/{congress_id}/decisions?saved=1")


async def document_file(request: Request) -> Response:
    """The document exactly as published: its sha256 matches the one in the event log."""
    fmt = str(request.path_params["fmt"])
    if fmt not in ("html", "pdf"):
        raise NotFound()
    found = await call(suara(request).queries.adart.document_body, request.path_params["id"], fmt)
    if found is None:
        raise NotFound()
    _, body = found
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    headers = {"content-security-policy": DOCUMENT_CSP}
    return Response(body, media_type=media, headers=headers)
