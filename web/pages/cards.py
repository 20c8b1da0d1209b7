"""The secretariat's card desk: revoke a voting card by its code, revoke or re-issue an
identity card by its printed number."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import ReissueIdentityCard, RevokeVotingCard
from governance.domain.errors import InvalidInput
from web.forms import single
from web.pages.common import call, checked_form, redirect, suara
from web.pages.delegates import _secretariat
from web.security import acting_official
from web.templating import render


async def cards_page(request: Request) -> Response:
    congress_id = await _secretariat(request)
    # A re-issued code is shown once, then it leaves the session.
    context = {
        "congress_id": congress_id,
        "reissued": request.session.pop("reissued", None),
        "done": request.session.pop("card_done", None),
    }
    return render(request, "delegates/cards.html", context, no_store=True)


async def revoke_voting_card(request: Request) -> Response:
    congress_id = await _secretariat(request)
    form = await checked_form(request)
    code = single(form, "code", max_length=80)
    await call(
        suara(request).bus.handle,
        RevokeVotingCard(congress_id, code),
        by=acting_official(request, congress_id),
    )
    request.session["card_done"] = "voting"
    return redirect(f"/congresses/{congress_id}/cards")


async def change_identity_card(request: Request) -> Response:
    congress_id = await _secretariat(request)
    form = await checked_form(request)
    number = single(form, "number", max_length=6)
    if not number.isdigit():
        raise InvalidInput("number")
    reissue = single(form, "action", max_length=10) == "reissue"
    printed = await call(
        suara(request).bus.handle,
        ReissueIdentityCard(congress_id, int(number), reissue),
        by=acting_official(request, congress_id),
    )
    if printed:
        request.session["reissued"] = printed
    request.session["card_done"] = "identity"
    return redirect(f"/congresses/{congress_id}/cards")
