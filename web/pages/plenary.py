"""The plenary's pages: an agenda item with its list of speakers, and the chair's controls.

Delegates put themselves on the list from their phone (identity card); the secretariat adds
people by their delegate number; the chair moves the plenary, gives the floor and suspends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from governance.adapters.plenary_queries import ItemView, ListView, SittingView
from governance.bootstrap import Suara
from governance.domain import plenary_commands as c
from governance.domain.delegates import Role
from governance.domain.errors import DelegateNotFound, InvalidInput
from governance.domain.plenary_errors import AgendaItemNotFound, SpeakerNotFound
from governance.domain.polls import PollStatus
from web.forms import single
from web.pages.common import call, checked_form, redirect, suara
from web.security import acting_official, has_role, require_role
from web.templating import render

STAFF = (Role.CHAIR, Role.SECRETARIAT)


def now() -> datetime:
    return datetime.now(UTC)


async def _item(request: Request) -> ItemView:
    found = await call(suara(request).queries.plenary.item, str(request.path_params["item_id"]))
    if found is None:
        raise AgendaItemNotFound()
    # A refusal on this item's forms offers the way back to it.
    request.state.back = f"/agenda/{found.id}"
    return found


def _item_path(item_id: str, anchor: str = "speakers") -> str:
    return f"/agenda/{item_id}#{anchor}"


async def item_page(request: Request) -> Response:
    app = suara(request)
    position = await call(app.queries.log_position)  # before the state the page shows
    view = await _item(request)
    congress_id = view.item.congress_id
    member = request.session.get("cid") == congress_id
    me = request.session.get("did") if has_role(request, congress_id, Role.DELEGATE) else None
    listed = await call(app.queries.plenary.speakers, congress_id, view.id, now())
    polls = await call(app.queries.plenary.item_polls, view.id)
    floor = await call(app.queries.plenary.floor, congress_id) if member else None
    attachable = []
    if has_role(request, congress_id, Role.SECRETARIAT):
        on_items = await call(app.queries.plenary.polls_on_items, congress_id)
        attachable = [
            p
            for p in await call(app.queries.polls, congress_id)
            if p.id not in on_items and p.status is not PollStatus.CLOSED
        ]
    context = {
        "view": view,
        "item": view.item,
        "congress_id": congress_id,
        "listed": listed,
        "polls": polls,
        "motions": [m for m in floor.floor.motions.values() if m.item_id == view.id]
        if floor
        else [],
        "sitting": await call(app.queries.plenary.sitting, congress_id),
        "rules": (await call(app.queries.rules, congress_id))[0],
        "member": member,
        "me": me,
        "mine": [s.entry for s in listed.queue if me and s.entry.delegate_id == me],
        "staff": has_role(request, congress_id, *STAFF),
        "chair": has_role(request, congress_id, Role.CHAIR),
        "secretariat": has_role(request, congress_id, Role.SECRETARIAT),
        "attachable": attachable,
        "live_after": position,
    }
    return render(request, "plenary/item.html", context)


async def set_current(request: Request) -> Response:
    view = await _item(request)
    await checked_form(request)
    actor = require_role(request, view.item.congress_id, Role.CHAIR)
    command = c.SetCurrentItem(view.item.congress_id, view.id)
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(_item_path(view.id, "top"))


async def _delegate_by_number(request: Request, congress_id: str, text: str) -> str:
    if not (text.strip().isascii() and text.strip().isdigit()):
        raise InvalidInput("number")
    number = int(text.strip())
    for person in await call(suara(request).queries.delegates, congress_id):
        if person.number == number:
            return person.id
    raise DelegateNotFound()


async def add_speaker(request: Request) -> Response:
    """A delegate's own request (identity card), or the secretariat's by delegate number."""
    view = await _item(request)
    form = await checked_form(request)
    congress_id = view.item.congress_id
    kind = single(form, "kind", required=False, max_length=20) or "speech"
    app = suara(request)
    if has_role(request, congress_id, *STAFF):
        number = single(form, "number", max_length=6)
        delegate_id = await _delegate_by_number(request, congress_id, number)
        command = c.AddSpeaker(view.id, delegate_id, kind, "secretariat")
        await call(app.bus.handle, command, by=acting_official(request, congress_id))
    else:
        require_role(request, congress_id, Role.DELEGATE)
        delegate_id = str(request.session.get("did") or "")
        if not delegate_id:
            raise InvalidInput("delegate")
        await call(app.bus.handle, c.AddSpeaker(view.id, delegate_id, kind, "self"))
    return redirect(_item_path(view.id))


async def withdraw_speaker(request: Request) -> Response:
    app = suara(request)
    where = await call(app.queries.plenary.speaker_item, str(request.path_params["speaker_id"]))
    if where is None:
        raise SpeakerNotFound()
    congress_id, item_id = where
    request.state.back = f"/agenda/{item_id}"
    await checked_form(request)
    speaker_id = str(request.path_params["speaker_id"])
    if has_role(request, congress_id, *STAFF):
        command = c.WithdrawSpeaker(speaker_id, None)
        await call(app.bus.handle, command, by=acting_official(request, congress_id))
    else:
        require_role(request, congress_id, Role.DELEGATE)
        own = c.WithdrawSpeaker(speaker_id, str(request.session.get("did") or "-"))
        await call(app.bus.handle, own)
    return redirect(_item_path(item_id))


async def next_speaker(request: Request) -> Response:
    view = await _item(request)
    await checked_form(request)
    actor = require_role(request, view.item.congress_id, *STAFF)
    await call(suara(request).bus.handle, c.NextSpeaker(view.id), by=actor)
    return redirect(_item_path(view.id))


async def end_speech(request: Request) -> Response:
    view = await _item(request)
    await checked_form(request)
    actor = require_role(request, view.item.congress_id, *STAFF)
    await call(suara(request).bus.handle, c.EndSpeech(view.id), by=actor)
    return redirect(_item_path(view.id))


async def attach_poll(request: Request) -> Response:
    view = await _item(request)
    form = await checked_form(request)
    actor = require_role(request, view.item.congress_id, Role.SECRETARIAT)
    poll_id = single(form, "poll", max_length=40)
    await call(suara(request).bus.handle, c.AttachPoll(view.id, poll_id), by=actor)
    return redirect(_item_path(view.id, "polls"))


def _back(request: Request, form_back: str, congress_id: str) -> str:
    """Where the chair came from (the agenda or an item), never outside this site."""
    if form_back.startswith("/agenda/") or form_back == f"/congresses/{congress_id}/agenda":
        return form_back
    return f"/congresses/{congress_id}/agenda"


async def suspend(request: Request) -> Response:
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    back = _back(request, single(form, "back", required=False, max_length=80), congress_id)
    request.state.back = back
    actor = require_role(request, congress_id, Role.CHAIR)
    minutes = single(form, "minutes", required=False, max_length=4).strip()
    if minutes and not (minutes.isascii() and minutes.isdigit()):
        raise InvalidInput("minutes")
    command = c.SuspendSitting(
        congress_id,
        single(form, "reason", required=False, max_length=300),
        int(minutes) if minutes else None,
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(back)


async def resume(request: Request) -> Response:
    congress_id = str(request.path_params["congress_id"])
    form = await checked_form(request)
    back = _back(request, single(form, "back", required=False, max_length=80), congress_id)
    request.state.back = back
    actor = require_role(request, congress_id, Role.CHAIR)
    await call(suara(request).bus.handle, c.ResumeSitting(congress_id), by=actor)
    return redirect(back)


@dataclass(frozen=True)
class Projection:
    """What the projector shows of the plenary: the current item, who speaks, who is next."""

    sitting: SittingView
    listed: ListView | None
    names: bool
    resume_in: int | None  # seconds until the planned end of a suspension


async def projection(app: Suara, congress_id: str, names: bool) -> Projection:
    """The projector's plenary part; aliases only when the secretariat turned names on."""
    sitting = await call(app.queries.plenary.sitting, congress_id)
    listed = None
    if sitting.current is not None:
        listed = await call(app.queries.plenary.speakers, congress_id, sitting.current.id, now())
    until = sitting.sitting.resume_at
    resume_in = int((until - now()).total_seconds()) if until is not None else None
    return Projection(sitting, listed, names, resume_in)
