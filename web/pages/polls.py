"""A poll: its ballot, casting, the one-time receipt, chair controls and the result."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import CastBallot, ClosePoll, OpenPoll
from governance.domain.delegates import Role
from governance.domain.disclosure import may_show_tally, shown_count
from governance.domain.errors import InvalidChoice, InvalidCredentials, InvalidInput
from governance.domain.polls import RANKED, SINGLE_CHOICE, Poll
from web.forms import integers, single
from web.pages.common import call, checked_form, load_poll, redirect, suara
from web.security import require_role, role
from web.templating import render


def _index(text: str) -> int:
    if not text.isdigit() or len(text) > 3:
        raise InvalidChoice()
    return int(text)


def parse_choices(poll: Poll, form: FormData) -> tuple[int, ...]:
    """Turn the ballot form into choice indices; the poll checks them against its method."""
    if poll.method in SINGLE_CHOICE:
        return (_index(single(form, "choice", max_length=4)),)
    if poll.method in RANKED:
        ranked: list[int] = []
        for rank in range(1, len(poll.options) + 1):
            value = single(form, f"rank-{rank}", required=False, max_length=4)
            if value:
                if len(ranked) != rank - 1:
                    raise InvalidChoice("ranks must have no gaps")
                ranked.append(_index(value))
        return tuple(ranked)
    return tuple(_index(v) for v in integers(form, "choice", limit=len(poll.options)))


async def poll_page(request: Request) -> Response:
    poll = await load_poll(request)
    app = suara(request)
    context = {
        "poll": poll,
        "voting": request.session.get("vtag") is not None
        and request.session.get("cid") == poll.congress_id,
        "can_control": request.session.get("cid") == poll.congress_id
        and role(request) in (Role.CHAIR, Role.SECRETARIAT),
        "turnout": shown_count(
            await call(
                app.queries.adart.named_turnout if poll.named else app.queries.turnout, poll.id
            ),
            app.settings.min_group,
        ),
        "min_group": app.settings.min_group,
        "result": await call(app.queries.result, poll.id),
    }
    return render(request, "polls/show.html", context, no_store=True)


async def cast_ballot(request: Request) -> Response:
    poll = await load_poll(request)
    form = await checked_form(request)
    tag = request.session.get("vtag")
    if not tag or request.session.get("cid") != poll.congress_id:
        raise InvalidCredentials()
    try:
        choices = parse_choices(poll, form)
    except InvalidInput as error:
        raise InvalidChoice(error.detail) from error
    ballot = await call(suara(request).bus.handle, CastBallot(poll.id, str(tag), choices))
    request.session["receipt"] = {"poll": poll.id, "receipt": ballot.receipt}
    return redirect(f"/polls/{poll.id}/receipt")


async def receipt(request: Request) -> Response:
    """Shown once: the receipt leaves the session as soon as it is displayed."""
    poll = await load_poll(request)
    stored = request.session.pop("receipt", None)
    value = stored["receipt"] if stored and stored.get("poll") == poll.id else None
    return render(request, "polls/receipt.html", {"poll": poll, "receipt": value}, no_store=True)


async def open_poll(request: Request) -> Response:
    poll = await load_poll(request)
    await checked_form(request)
    actor = require_role(request, poll.congress_id, Role.CHAIR, Role.SECRETARIAT)
    await call(suara(request).bus.handle, OpenPoll(poll.id), by=actor)
    return redirect(f"/polls/{poll.id}")


async def close_poll(request: Request) -> Response:
    poll = await load_poll(request)
    await checked_form(request)
    actor = require_role(request, poll.congress_id, Role.CHAIR, Role.SECRETARIAT)
    await call(suara(request).bus.handle, ClosePoll(poll.id), by=actor)
    return redirect(f"/polls/{poll.id}")


async def result_page(request: Request) -> Response:
    poll = await load_poll(request)
    app = suara(request)
    result = await call(app.queries.result, poll.id)
    published = result if result is not None and result.published else None
    ballots = int(poll.closed_snapshot.get("ballots", 0))
    # Only open (named) votes have a roll call; secret polls never have rows to show.
    member = request.session.get("cid") == poll.congress_id  # aliases stay inside the congress
    roll_call = (
        await call(app.queries.adart.named_votes, poll.id)
        if published and member and poll.named
        else []
    )
    context = {
        "poll": poll,
        "result": published,
        "roll_call": roll_call,
        "withheld": not poll.named and not may_show_tally(ballots, app.settings.min_group),
        "cosigners": await call(app.trust.cosignatures, poll.congress_id, poll.id),
    }
    return render(request, "polls/result.html", context)
