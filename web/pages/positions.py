"""Positions and nominations: create, nominate, second, consent, withdraw, open the poll."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import (
    AnswerNomination,
    CreatePosition,
    Nominate,
    OpenPosition,
    SecondNomination,
    WithdrawNomination,
)
from governance.domain.delegates import Role
from governance.domain.errors import (
    CongressNotFound,
    NominationNotFound,
    PositionNotFound,
)
from governance.domain.polls import METHODS
from governance.domain.positions import Position
from governance.domain.roster import MEMBERSHIP_CLASSES, REGIONS
from web.forms import single
from web.pages.common import call, checked_form, redirect, suara
from web.pages.procedure import election_context, position_fields
from web.security import acting_official, has_role, require_delegate, require_role
from web.templating import render


async def positions_page(request: Request) -> Response:
    app = suara(request)
    congress = await call(app.queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    context = {
        "congress": congress,
        "positions": await call(app.queries.positions, congress.id),
        "methods": METHODS,
        "regions": REGIONS,
        "classes": MEMBERSHIP_CLASSES,
        "secretariat": has_role(request, congress.id, Role.SECRETARIAT),
    }
    return render(request, "positions/list.html", context)


async def create_position(request: Request) -> Response:
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    require_role(request, congress_id, Role.SECRETARIAT)
    command = CreatePosition(congress_id=congress_id, **position_fields(form))
    position_id = await call(
        suara(request).bus.handle, command, by=acting_official(request, congress_id)
    )
    return redirect(f"/positions/{position_id}")


async def _position(request: Request) -> Position:
    position = await call(suara(request).queries.position, str(request.path_params["position_id"]))
    if position is None:
        raise PositionNotFound()
    return position


async def position_page(request: Request) -> Response:
    position = await _position(request)
    app = suara(request)
    people = {d.id: d for d in await call(app.queries.delegates, position.congress_id)}
    others = await call(app.queries.positions, position.congress_id)
    rules = (await call(app.queries.rules, position.congress_id))[0]
    context = {
        **election_context(position, others, people, rules),
        "position": position,
        "nominations": await call(app.queries.nominations, position.id),
        "people": people,
        "me": request.session.get("did")
        if has_role(request, position.congress_id, Role.DELEGATE)
        else None,
        "secretariat": has_role(request, position.congress_id, Role.SECRETARIAT),
        "chair": has_role(request, position.congress_id, Role.CHAIR, Role.SECRETARIAT),
        "sitting_chair": has_role(request, position.congress_id, Role.CHAIR),
        "rules": rules,
        "methods": METHODS,
        "regions": REGIONS,
        "classes": MEMBERSHIP_CLASSES,
    }
    return render(request, "positions/show.html", context, no_store=True)


def _delegate_or_secretariat(request: Request, congress_id: str) -> str | None:
    """None when the secretariat records the act; else the signed-in delegate (or refusal)."""
    if has_role(request, congress_id, Role.SECRETARIAT):
        return None
    return require_delegate(request, congress_id)


async def nominate(request: Request) -> Response:
    """A delegate nominates themself or another; the secretariat records a nomination."""
    position = await _position(request)
    form = await checked_form(request)
    nominator = _delegate_or_secretariat(request, position.congress_id)
    candidate = single(form, "candidate", max_length=40)
    await call(
        suara(request).bus.handle,
        Nominate(position.id, candidate, nominator),
        by=acting_official(request, position.congress_id),
    )
    return redirect(f"/positions/{position.id}")


async def _nomination_position(request: Request) -> tuple[str, Position]:
    nomination_id = str(request.path_params["nomination_id"])
    request.state.form = await checked_form(request)
    app = suara(request)
    nomination = await call(app.queries.nomination, nomination_id)
    if nomination is None:
        raise NominationNotFound()
    position = await call(app.queries.position, nomination.position_id)
    if position is None:
        raise PositionNotFound()
    return nomination_id, position


async def second(request: Request) -> Response:
    nomination_id, position = await _nomination_position(request)
    seconder = require_delegate(request, position.congress_id)
    await call(suara(request).bus.handle, SecondNomination(nomination_id, seconder))
    return redirect(f"/positions/{position.id}")


async def answer(request: Request) -> Response:
    """The candidate answers in the app; the secretariat records a written acceptance."""
    nomination_id, position = await _nomination_position(request)
    by = _delegate_or_secretariat(request, position.congress_id)
    accept = single(request.state.form, "accept", max_length=3) == "yes"
    await call(
        suara(request).bus.handle,
        AnswerNomination(nomination_id, accept, by),
        by=acting_official(request, position.congress_id),
    )
    return redirect(f"/positions/{position.id}")


async def withdraw(request: Request) -> Response:
    nomination_id, position = await _nomination_position(request)
    by = _delegate_or_secretariat(request, position.congress_id)
    await call(
        suara(request).bus.handle,
        WithdrawNomination(nomination_id, by),
        by=acting_official(request, position.congress_id),
    )
    return redirect(f"/positions/{position.id}")


async def open_position(request: Request) -> Response:
    """Acclaim or open the poll (chair or secretariat)."""
    position = await _position(request)
    await checked_form(request)
    require_role(request, position.congress_id, Role.CHAIR, Role.SECRETARIAT)
    poll_id = await call(
        suara(request).bus.handle,
        OpenPosition(position.id),
        by=acting_official(request, position.congress_id),
    )
    return redirect(f"/polls/{poll_id}" if poll_id else f"/positions/{position.id}")
