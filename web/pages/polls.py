"""A poll: its ballot, casting, the one-time receipt, chair controls and the result."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from governance.documents import explain
from governance.domain import codes
from governance.domain.commands import CastBallot, ClosePoll, OpenPoll
from governance.domain.corrections import COSIGNERS
from governance.domain.delegates import Role
from governance.domain.disclosure import may_show_tally, shown_count
from governance.domain.errors import (
    InvalidChoice,
    InvalidCredentials,
    InvalidInput,
    RankingDuplicate,
    RankingGap,
)
from governance.domain.polls import RANKED, SINGLE_CHOICE, Ballot, Poll
from governance.service_layer.casting import cast_ballot_awaited
from web.errors import message
from web.forms import integers, single
from web.i18n import current_language
from web.metrics import BALLOTS
from web.pages.ballot_subject import ballot_subject
from web.pages.common import (
    call,
    checked_form,
    load_ballot_poll,
    load_poll,
    redirect,
    suara,
)
from web.security import has_role, require_role, role
from web.templating import render
from web.transcript import BAR_HEIGHT, CHART_WIDTH, GAP, LABEL_WIDTH, result_bars


def _index(text: str) -> int:
    # ASCII digits only: '²'.isdigit() holds but int('²') fails, and a 500's traceback would
    # carry the submitted choice into the log.
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        raise InvalidChoice()
    return int(text)


def parse_choices(poll: Poll, form: FormData) -> tuple[int, ...]:
    """Turn the ballot form into choice indices; the poll checks them against its method."""
    if poll.method in SINGLE_CHOICE:
        return (_index(single(form, "choice", max_length=4)),)
    if poll.method in RANKED:
        return _ranking(poll, form)
    return tuple(_index(v) for v in integers(form, "choice", limit=len(poll.options)))


def _ranking(poll: Poll, form: FormData) -> tuple[int, ...]:
    """One select per rank: filled ranks must start at 1 and leave no gap; no repeats."""
    ranked: list[int] = []
    gap = False
    for rank in range(1, len(poll.options) + 1):
        value = single(form, f"rank-{rank}", required=False, max_length=4)
        if not value:
            gap = True
            continue
        if gap:
            raise RankingGap(str(rank))
        choice = _index(value)
        if choice in ranked:
            raise RankingDuplicate(str(rank))
        ranked.append(choice)
    return tuple(ranked)


async def poll_page(request: Request, error: str = "", status: int = 200) -> Response:
    app = suara(request)
    position = await call(app.queries.log_position)  # before the state the page shows
    poll = await load_poll(request)
    secretariat = has_role(request, poll.congress_id, Role.SECRETARIAT)
    paper_desk = has_role(request, poll.congress_id, Role.SECRETARIAT, Role.OBSERVER)
    context = {
        "error": error,
        "secretariat": secretariat,
        "paper_desk": paper_desk,
        # The chair sees the batches too (issue 18), but only the paper desk confirms them.
        "batches": await call(app.queries.batches, poll.id)
        if paper_desk or has_role(request, poll.congress_id, Role.CHAIR)
        else [],
        "reconciliation": await call(app.queries.reconciliation, poll.congress_id, poll.id),
        "poll": poll,
        "voting": request.session.get("vtag") is not None
        and request.session.get("cid") == poll.congress_id,
        "voted": await _voted(request, poll),
        "subject": await ballot_subject(app, poll),
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
        "live_after": position,
    }
    context |= await correction_context(request, poll)
    return render(request, "polls/show.html", context, status=status, no_store=True)


async def _voted(request: Request, poll: Poll) -> bool:
    """Whether this phone's voting card has a ballot in this open poll (its nullifier is there)."""
    tag = request.session.get("vtag")
    if not tag or request.session.get("cid") != poll.congress_id or not poll.is_open:
        return False
    app = suara(request)
    found = codes.nullifier(app.settings.secret_key, str(tag), poll.id)
    return bool(await call(app.queries.has_ballot, poll.id, found))


async def correction_context(request: Request, poll: Poll) -> dict[str, object]:
    """What officials see of paper-ballot discrepancies and corrections (issues 14, 18)."""
    app = suara(request)
    official = has_role(request, poll.congress_id, Role.CHAIR, Role.SECRETARIAT, Role.OBSERVER)
    found, waiting = await call(app.queries.paper_discrepancy, poll) if official else (None, {})
    current = role(request)
    return {
        "official": official,
        "can_control": has_role(request, poll.congress_id, Role.CHAIR, Role.SECRETARIAT),
        "my_role": current.value if current is not None and official else "",
        "my_card": int(request.session.get("card", 0) or 0) if official else 0,
        "discrepancy": found,
        "beyond_batches": waiting,
        "corrections": await call(app.queries.corrections, poll.id) if official else [],
        "cosigner_roles": {kind.value: roles for kind, roles in COSIGNERS.items()},
    }


async def cast_ballot(request: Request) -> Response:
    poll = await load_ballot_poll(request)
    form = await checked_form(request)
    tag = request.session.get("vtag")
    version = request.session.get("vver")
    if not tag or not isinstance(version, int) or request.session.get("cid") != poll.congress_id:
        raise InvalidCredentials()
    try:
        try:
            choices = parse_choices(poll, form)
        except InvalidChoice:
            raise
        except InvalidInput as error:
            raise InvalidChoice(error.detail) from error
        # The session version is checked in the cast's own statement (see web.sessions).
        command = CastBallot(poll.id, str(tag), choices, session=version)
        ballot = await store_ballot(request, command)
    except InvalidChoice as error:
        # Show the ballot again with the reason, so the voter can correct it on the spot.
        return await poll_page(request, error=message(error.code), status=422)
    BALLOTS.inc()
    request.session["receipt"] = {"poll": poll.id, "receipt": ballot.receipt}
    return redirect(f"/polls/{poll.id}/receipt")


async def store_ballot(request: Request, command: CastBallot) -> Ballot:
    app = suara(request)
    if app.awaited_casts is not None:
        ballot = await cast_ballot_awaited(
            command, app.awaited_casts, app.settings.secret_key, app.open_polls
        )
        if ballot is not None:
            return ballot
    return await call(app.bus.handle, command)


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
    language = current_language()
    regions = explain.regions_of(poll.constraints, poll.options)
    if published and poll.position_id and not regions:
        position = await call(app.queries.position, poll.position_id)
        for delegate_id in position.candidate_ids if position else ():
            person = await call(app.queries.delegate, delegate_id)
            if person is not None:
                regions[person.alias] = person.region
    data = published.data if published else {}
    # A position's poll: a runoff or a tie that decides a seat leaves it undecided (issue 14).
    cascade = (
        (await call(app.queries.rules, poll.congress_id))[0].tie_steps()
        if poll.position_id
        else None
    )
    rows = explain.rows(data, poll.options, regions, language)
    bars = result_bars(rows)
    height = len(bars) * (BAR_HEIGHT + GAP)
    context: dict[str, object] = {
        "poll": poll,
        "result": published,
        "roll_call": roll_call,
        "transcript": explain.explain(
            data, poll.options, poll.constraints, language, cascade=cascade
        ),
        "undecided": explain.undecided_lines(data, poll.options, cascade or (), language)
        if cascade is not None
        else [],
        "rows": rows,
        "with_regions": any(r.region for r in rows),
        "with_first": len(data.get("stages") or []) > 1,
        "election": poll.method != "yes-no-abstain",
        "bars": bars,
        "chart_height": height,
        "label_width": LABEL_WIDTH,
        "chart_width": CHART_WIDTH,
        "withheld": not poll.named and not may_show_tally(ballots, app.settings.min_group),
        "cosigners": await call(app.trust.cosignatures, poll.congress_id, poll.id),
    }
    context |= await correction_context(request, poll)
    return render(request, "polls/result.html", context)
