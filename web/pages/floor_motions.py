"""Motions from the floor: a delegate tables one from their phone, others second it, the chair
admits it, the secretariat minutes the musyawarah, and the chair opens the vote if needed.

Like the AD/ART drafts, motions are for the congress (members signed in), not the public:
decisions on them are published as documents.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.adapters.plenary_queries import FloorView
from governance.domain import plenary_commands as c
from governance.domain.delegates import Role
from governance.domain.errors import CongressNotFound, InvalidInput, NotAllowed
from governance.domain.floor_motions import AMENDMENT_KINDS, FloorMotion
from governance.domain.plenary_errors import FloorMotionNotFound
from web.forms import integers, single
from web.pages.common import call, checked_form, redirect, suara
from web.security import acting_official, has_role, require_delegate, require_role
from web.templating import render

STAFF = (Role.CHAIR, Role.SECRETARIAT)


def _require_member(request: Request, congress_id: str) -> None:
    if request.session.get("cid") != congress_id:
        raise NotAllowed()


async def _congress(request: Request) -> str:
    congress_id = str(request.path_params["congress_id"])
    if await call(suara(request).queries.congress, congress_id) is None:
        raise CongressNotFound()
    request.state.back = f"/congresses/{congress_id}/floor-motions"
    return congress_id


async def _motion(request: Request) -> tuple[str, str]:
    """(congress, motion) of the path; a refusal offers the way back to the motion."""
    motion_id = str(request.path_params["motion_id"])
    congress_id = await call(suara(request).queries.plenary.motion_congress, motion_id)
    if congress_id is None:
        raise FloorMotionNotFound()
    request.state.back = f"/floor-motions/{motion_id}"
    return congress_id, motion_id


def _context(request: Request, congress_id: str, floor: FloorView) -> dict[str, object]:
    delegate = has_role(request, congress_id, Role.DELEGATE)
    return {
        "congress_id": congress_id,
        "floor": floor.floor,
        "people": floor.people,
        "me": request.session.get("did") if delegate else None,
        "chair": has_role(request, congress_id, Role.CHAIR),
        "secretariat": has_role(request, congress_id, Role.SECRETARIAT),
        "staff": has_role(request, congress_id, *STAFF),
        "kinds": AMENDMENT_KINDS,
    }


async def motions_page(request: Request) -> Response:
    congress_id = await _congress(request)
    _require_member(request, congress_id)
    app = suara(request)
    floor = await call(app.queries.plenary.floor, congress_id)
    motions = [m for m in floor.floor.motions.values() if not m.is_amendment]
    context = _context(request, congress_id, floor) | {
        "motions": sorted(motions, key=lambda m: -m.number),
        "rules": (await call(app.queries.rules, congress_id))[0],
    }
    return render(request, "motions/list.html", context)


async def table_motion(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    delegate_id = require_delegate(request, congress_id)
    command = c.TableMotion(
        congress_id,
        delegate_id,
        title=single(form, "title", max_length=300),
        text=single(form, "text", max_length=5000),
        reason=single(form, "reason", required=False, max_length=2000),
        procedural=single(form, "procedural", required=False, max_length=3) == "yes",
    )
    motion_id = await call(suara(request).bus.handle, command)
    return redirect(f"/floor-motions/{motion_id}")


async def motion_page(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    _require_member(request, congress_id)
    app = suara(request)
    floor = await call(app.queries.plenary.floor, congress_id)
    motion: FloorMotion = floor.floor.motion(motion_id)
    parent = floor.floor.motion(motion.parent_id) if motion.parent_id else None
    context = _context(request, congress_id, floor) | {
        "motion": motion,
        "parent": parent,
        "amendments": floor.floor.amendments_of(motion.id),
        "rules": (await call(app.queries.rules, congress_id))[0],
        "items": await call(app.queries.plenary.agenda, congress_id),
    }
    return render(request, "motions/show.html", context)


async def table_amendment(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    form = await checked_form(request)
    delegate_id = require_delegate(request, congress_id)
    command = c.TableMotion(
        congress_id,
        delegate_id,
        title="",
        text=single(form, "text", max_length=5000),
        reason=single(form, "reason", required=False, max_length=2000),
        amends=motion_id,
        kind=single(form, "kind", max_length=10),
    )
    amendment_id = await call(suara(request).bus.handle, command)
    return redirect(f"/floor-motions/{amendment_id}")


async def second(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    await checked_form(request)
    delegate_id = require_delegate(request, congress_id)
    await call(suara(request).bus.handle, c.SecondMotion(motion_id, delegate_id))
    return redirect(f"/floor-motions/{motion_id}")


async def withdraw(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    await checked_form(request)
    app = suara(request)
    if has_role(request, congress_id, Role.SECRETARIAT):
        command = c.WithdrawMotion(motion_id, None)
        await call(app.bus.handle, command, by=acting_official(request, congress_id))
    else:
        delegate_id = require_delegate(request, congress_id)
        await call(app.bus.handle, c.WithdrawMotion(motion_id, delegate_id))
    return redirect(f"/floor-motions/{motion_id}")


async def admit(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.CHAIR)
    item_id = single(form, "item", required=False, max_length=40) or None
    command = c.AdmitMotion(motion_id, item_id)
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/floor-motions/{motion_id}")


async def deliberate(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.SECRETARIAT)
    outcome = single(form, "consensus", max_length=3)
    if outcome not in ("yes", "no"):
        raise InvalidInput("consensus")
    command = c.RecordMotionDeliberation(
        motion_id,
        outcome == "yes",
        single(form, "note", required=False, max_length=2000),
        tuple(integers(form, "accepted", limit=50)),
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/floor-motions/{motion_id}")


async def open_vote(request: Request) -> Response:
    congress_id, motion_id = await _motion(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, *STAFF)
    named = single(form, "named", required=False, max_length=3) == "yes"
    poll_id = await call(suara(request).bus.handle, c.OpenMotionVote(motion_id, named), by=actor)
    return redirect(f"/polls/{poll_id}")
