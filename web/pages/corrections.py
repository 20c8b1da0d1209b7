"""Corrections on a poll's page (issue 14): propose, co-sign or withdraw; re-run an annulled poll.

One official proposes with a reason; a second of another role co-signs on the same page from
their own identity card. Every step goes through the bus with the acting card, so the action
log shows both, and the events say what was decided.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.commands import CreatePoll
from governance.domain.corrections import (
    CorrectionNotPossible,
    CosignCorrection,
    ProposeCorrection,
    WithdrawCorrection,
)
from governance.domain.delegates import Role
from web.forms import single
from web.pages.common import call, checked_form, load_poll, redirect, suara
from web.security import require_role

OFFICIALS = (Role.CHAIR, Role.SECRETARIAT, Role.OBSERVER)


async def propose(request: Request) -> Response:
    """The chair or the secretariat proposes to void a batch or annul the poll."""
    poll = await load_poll(request)
    request.state.back = f"/polls/{poll.id}#corrections"
    form = await checked_form(request)
    actor = require_role(request, poll.congress_id, Role.CHAIR, Role.SECRETARIAT)
    kind = single(form, "kind", max_length=20)
    batch_id = single(form, "batch", required=False, max_length=40) or None
    command = ProposeCorrection(
        poll.id,
        kind,
        single(form, "reason", required=False, max_length=500),
        actor.role,
        actor.card_number,
        batch_id=batch_id if kind == "void_batch" else None,
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/polls/{poll.id}#corrections")


async def cosign(request: Request) -> Response:
    """The second official (the chair or an observer) co-signs: the correction takes effect."""
    poll = await load_poll(request)
    request.state.back = f"/polls/{poll.id}#corrections"
    await checked_form(request)
    actor = require_role(request, poll.congress_id, Role.CHAIR, Role.OBSERVER)
    command = CosignCorrection(
        str(request.path_params["correction_id"]), actor.role, actor.card_number, poll.id
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/polls/{poll.id}#corrections")


async def withdraw(request: Request) -> Response:
    """Withdrawn by the proposer, or refused by the second official: nothing changes."""
    poll = await load_poll(request)
    request.state.back = f"/polls/{poll.id}#corrections"
    await checked_form(request)
    actor = require_role(request, poll.congress_id, *OFFICIALS)
    command = WithdrawCorrection(
        str(request.path_params["correction_id"]), actor.role, actor.card_number, poll.id
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/polls/{poll.id}#corrections")


async def rerun(request: Request) -> Response:
    """A new draft poll like an annulled motion (pemungutan suara ulang); the chair opens it."""
    poll = await load_poll(request)
    request.state.back = f"/polls/{poll.id}"
    await checked_form(request)
    actor = require_role(request, poll.congress_id, Role.CHAIR, Role.SECRETARIAT)
    if not poll.annulled or poll.position_id is not None:
        # An election is run again from its position, never as a loose copy of the ballot.
        raise CorrectionNotPossible("only an annulled motion is run again here")
    command = CreatePoll(
        congress_id=poll.congress_id,
        title=poll.title,
        description=poll.description,
        method=poll.method,
        options=poll.options,
        seats=poll.seats,
        auto_publish=poll.auto_publish,
        min_selections=poll.min_selections,
        max_selections=poll.max_selections,
        proposed_rules=poll.proposed_rules,
        required_cosignatures=poll.required_cosignatures,
        named=poll.named,
    )
    new_id = await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/polls/{new_id}")
