"""The election procedure's controls on a position's page (issue 14).

The secretariat edits or deletes a position before anyone is nominated and records the
musyawarah on a tie; the chair opens a runoff or a re-vote, shows the lot's seed to the hall
and then draws it, and hands the chair's role to the elected session chair. Every form works
without JavaScript; every refusal is a readable message with the way back to the position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from governance.documents import explain
from governance.domain.delegates import Delegate, Role
from governance.domain.election_commands import (
    DeletePosition,
    DrawLot,
    EditPosition,
    HandOverChair,
    OpenNextRound,
    RecordTieMusyawarah,
    ShowLotSeed,
)
from governance.domain.errors import InvalidInput, PositionNotFound
from governance.domain.positions import FILLED, Position, PositionStatus
from governance.domain.rules import Rules
from governance.tally.ties import lot_ticket
from web.forms import integers, single
from web.i18n import current_language
from web.pages.common import call, checked_form, redirect, suara
from web.security import fresh_session, require_role


def _number(text: str, low: int, high: int) -> int:
    # ASCII digits only: "²".isdigit() holds but int("²") fails (issue 18).
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise InvalidInput("number")
    return int(text)


def position_fields(form: FormData) -> dict[str, Any]:
    """The position form's fields, for creating and for editing."""

    def ticked(name: str) -> bool:
        return single(form, name, required=False, max_length=3) == "yes"

    return {
        "title": single(form, "title", max_length=200),
        "seats": _number(single(form, "seats", max_length=3), 1, 50),
        "method": single(form, "method", max_length=30),
        "membership_classes": tuple(integers(form, "membership_class", limit=5)),
        "regions": tuple(integers(form, "region", limit=5)),
        "voting_right": ticked("voting_right"),
        "among": single(form, "among", required=False, max_length=40) or None,
        "region_minimum": _number(
            single(form, "region_minimum", required=False, max_length=2) or "0", 0, 10
        ),
        "exclusive": ticked("exclusive"),
        "grants_chair": ticked("grants_chair"),
        "proposed_by": single(form, "proposed_by", required=False, max_length=40) or None,
    }


def election_context(
    position: Position,
    others: Sequence[Position],
    people: Mapping[str, Delegate],
    rules: Rules,
) -> dict[str, Any]:
    """What the position page shows of the procedure: who may be nominated, what waits."""
    by_id = {p.id: p for p in others}
    among = by_id.get(position.eligibility.among or "")
    proposer = by_id.get(position.eligibility.proposed_by or "")
    waiting_for = next((p for p in (among, proposer) if p is not None and not p.filled), None)
    elected_among = among.elected_ids if among is not None else ()
    eligible = [
        d
        for d in people.values()
        if position.eligibility.refusal(d, elected_among) is None
        and position.exclusive_held(d.id, others, rules) is None
    ]
    pending = position.pending or {}
    seed = str(pending.get("seed") or "")
    candidates = [str(c) for c in pending.get("candidates", [])]
    tickets = [
        (people[c].alias if c in people else c, lot_ticket(seed, "lot", i, people[c].alias))
        for i, c in enumerate(candidates)
        if seed and c in people
    ]
    return {
        "eligible": eligible,
        "waiting_for": waiting_for,
        "proposer": proposer,
        "others": [p for p in others if p.id != position.id],
        "step": position.step,
        "contenders": [people[c] for c in candidates if c in people],
        "contender_names": explain.names_list(
            [people[c].alias for c in candidates if c in people], current_language()
        ),
        "kept": [people[c] for c in pending.get("kept", []) if c in people],
        "tied_seats": int(pending.get("seats", 0) or 0),
        "lot_seed": seed,
        "lot_tickets": tickets,
        "rejected": [people[c] for c in position.rejected_ids if c in people],
        "steps": rules.tie_steps(),
        "editable": position.status is PositionStatus.NOMINATING
        and position.poll_id is None
        and position.round == 1,
        "hand_over": position.grants_chair and position.status in FILLED,
    }


async def _position(request: Request) -> Position:
    position = await call(suara(request).queries.position, str(request.path_params["position_id"]))
    if position is None:
        raise PositionNotFound()
    request.state.back = f"/positions/{position.id}"
    return position


def _back(position: Position) -> Response:
    return redirect(f"/positions/{position.id}#procedure")


async def edit_position(request: Request) -> Response:
    position = await _position(request)
    form = await checked_form(request)
    actor = require_role(request, position.congress_id, Role.SECRETARIAT)
    command = EditPosition(position.id, **position_fields(form))
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/positions/{position.id}")


async def delete_position(request: Request) -> Response:
    position = await _position(request)
    await checked_form(request)
    actor = require_role(request, position.congress_id, Role.SECRETARIAT)
    await call(suara(request).bus.handle, DeletePosition(position.id), by=actor)
    return redirect(f"/congresses/{position.congress_id}/positions")


async def open_next_round(request: Request) -> Response:
    """The chair opens the runoff or the re-vote among the tied."""
    position = await _position(request)
    await checked_form(request)
    actor = require_role(request, position.congress_id, Role.CHAIR, Role.SECRETARIAT)
    poll_id = await call(suara(request).bus.handle, OpenNextRound(position.id), by=actor)
    return redirect(f"/polls/{poll_id}")


async def record_musyawarah(request: Request) -> Response:
    """The secretariat records the deliberation: the agreed candidates, or no consensus."""
    position = await _position(request)
    form = await checked_form(request)
    actor = require_role(request, position.congress_id, Role.SECRETARIAT)
    agreed = single(form, "agreed", max_length=3)
    if agreed not in ("yes", "no"):
        raise InvalidInput("agreed")
    chosen = tuple(integers(form, "chosen", limit=50)) if agreed == "yes" else None
    await call(suara(request).bus.handle, RecordTieMusyawarah(position.id, chosen), by=actor)
    return _back(position)


async def show_lot_seed(request: Request) -> Response:
    position = await _position(request)
    await checked_form(request)
    actor = require_role(request, position.congress_id, Role.CHAIR, Role.SECRETARIAT)
    await call(suara(request).bus.handle, ShowLotSeed(position.id), by=actor)
    return _back(position)


async def draw_lot(request: Request) -> Response:
    position = await _position(request)
    await checked_form(request)
    actor = require_role(request, position.congress_id, Role.CHAIR, Role.SECRETARIAT)
    await call(suara(request).bus.handle, DrawLot(position.id), by=actor)
    return _back(position)


async def hand_over_chair(request: Request) -> Response:
    """The sitting chair hands the chair's role to the elected session chair."""
    position = await _position(request)
    await checked_form(request)
    actor = require_role(request, position.congress_id, Role.CHAIR)
    command = HandOverChair(position.id, actor.card_number)
    await call(suara(request).bus.handle, command, by=actor)
    # The handing card gave the role up: this session ends with it (signed out).
    fresh_session(request)
    return _back(position)


PROCEDURE_ROUTES = [
    Route("/positions/{position_id}/edit", edit_position, methods=["POST"], name="edit_position"),
    Route(
        "/positions/{position_id}/delete",
        delete_position,
        methods=["POST"],
        name="delete_position",
    ),
    Route(
        "/positions/{position_id}/next-round",
        open_next_round,
        methods=["POST"],
        name="open_next_round",
    ),
    Route(
        "/positions/{position_id}/musyawarah",
        record_musyawarah,
        methods=["POST"],
        name="record_musyawarah",
    ),
    Route(
        "/positions/{position_id}/lot-seed",
        show_lot_seed,
        methods=["POST"],
        name="show_lot_seed",
    ),
    Route("/positions/{position_id}/lot", draw_lot, methods=["POST"], name="draw_lot"),
    Route(
        "/positions/{position_id}/hand-over",
        hand_over_chair,
        methods=["POST"],
        name="hand_over_chair",
    ),
]
