"""Observers of a congress: the signing key's fingerprint, registered keys, registration."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import RegisterObserver
from governance.domain.delegates import Role
from governance.domain.errors import CongressNotFound
from governance.service_layer.trust import congress_public_key
from web.forms import single
from web.pages.common import call, checked_form, redirect, suara
from web.security import require_role, role
from web.templating import render

REGISTRARS = (Role.SECRETARIAT, Role.CHAIR)


async def _congress_id(request: Request) -> str:
    congress = await call(suara(request).queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    return congress.id


async def observers_page(request: Request) -> Response:
    """Public: anyone can check the congress key and that their observer key is registered."""
    congress_id = await _congress_id(request)
    app = suara(request)
    public, fingerprint = congress_public_key(app.settings.secret_key, congress_id)
    context = {
        "congress": await call(app.queries.congress, congress_id),
        "public_key": public,
        "fingerprint": fingerprint,
        "observers": await call(app.trust.observers, congress_id),
        "can_register": request.session.get("cid") == congress_id and role(request) in REGISTRARS,
    }
    return render(request, "congresses/observers.html", context)


async def register_observer(request: Request) -> Response:
    congress_id = await _congress_id(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, *REGISTRARS)
    label = single(form, "label", max_length=100)
    public_key = single(form, "public_key", max_length=80)
    await call(
        suara(request).bus.handle, RegisterObserver(congress_id, label, public_key), by=actor
    )
    return redirect(f"/congresses/{congress_id}/observers")
