"""Open (named) votes: a delegate signed in with an identity card votes under their alias."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.adart.commands import CastNamedVote
from governance.domain.delegates import Role
from governance.domain.errors import InvalidCredentials
from web.forms import single
from web.pages.common import call, checked_form, load_poll, redirect, suara
from web.pages.polls import _index
from web.security import require_role


async def cast_named_vote(request: Request) -> Response:
    poll = await load_poll(request)
    form = await checked_form(request)
    require_role(request, poll.congress_id, Role.DELEGATE)
    app = suara(request)
    card = request.session.get("card")
    delegate_id = await call(app.queries.adart.delegate_for_card, poll.congress_id, card)
    if delegate_id is None:
        raise InvalidCredentials()
    choice = _index(single(form, "choice", max_length=4))
    await call(app.bus.handle, CastNamedVote(poll.id, delegate_id, choice))
    return redirect(f"/polls/{poll.id}")
