"""The projector: what is open now, live turnout, and the result published last.

Counts only; candidates' names appear only when the secretariat has turned them on.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from governance.adapters.queries import CongressView
from governance.documents import explain
from governance.domain.commands import SetProjectorNames
from governance.domain.delegates import Role
from governance.domain.disclosure import may_show_tally
from governance.domain.errors import CongressNotFound
from governance.domain.polls import PollStatus
from web import charts, live
from web.forms import single
from web.i18n import _, current_language
from web.live_hub import LiveHub, TooManyStreams
from web.pages import plenary
from web.pages.common import call, checked_form, redirect, suara
from web.security import require_role
from web.templating import render


async def _congress(request: Request) -> CongressView:
    congress = await call(suara(request).queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    return congress


async def projector(request: Request) -> Response:
    app = suara(request)
    position = await call(app.queries.log_position)  # before the state the page shows
    congress = await _congress(request)
    polls = await call(app.queries.polls, congress.id)
    open_polls = [p for p in polls if p.status is PollStatus.OPEN]
    turnout = {p.id: await live.poll_turnout(app, p) for p in open_polls}
    show_names = await call(app.queries.projector_names, congress.id)
    published = await call(app.queries.latest_published, congress.id)
    reveal = None
    undecided: list[str] = []
    if published is not None:
        poll = next(p for p in polls if p.id == published.poll_id)
        ballots = int((published.data.get("snapshot") or {}).get("ballots", 0))
        withheld = not poll.named and not may_show_tally(ballots, app.settings.min_group)
        reveal = charts.reveal(poll, published, show_names, withheld=withheld)
        if poll.position_id:
            # A runoff or a tie the rules settle: not "elected" (issue 14).
            steps = (await call(app.queries.rules, congress.id))[0].tie_steps()
            undecided = explain.undecided_lines(
                published.data, poll.options, steps, current_language()
            )
    context = {
        "congress": congress,
        "open_polls": open_polls,
        "turnout": turnout,
        "reveal": reveal,
        "min_group": app.settings.min_group,
        "live_after": position,
        "plenary": await plenary.projection(app, congress.id, show_names),
        "undecided": undecided,
        "show_names": show_names,
        # A lot in front of the hall: its seed is on the screen before the chair draws it.
        "lots": [
            p
            for p in await call(app.queries.positions, congress.id)
            if p.step == "lot" and p.pending and p.pending.get("seed")
        ],
    }
    return render(request, "projector/show.html", context)


async def settings_form(request: Request) -> Response:
    congress = await _congress(request)
    require_role(request, congress.id, Role.SECRETARIAT)
    app = suara(request)
    show = await call(app.queries.projector_names, congress.id)
    polls = await call(app.queries.polls, congress.id)
    context = {
        "congress": congress,
        "show_names": show,
        "saved": request.query_params.get("saved") == "1",
        "key": charts.letter_keys(polls),
    }
    return render(request, "projector/settings.html", context)


async def save_settings(request: Request) -> Response:
    congress = await _congress(request)
    form = await checked_form(request)
    actor = require_role(request, congress.id, Role.SECRETARIAT)
    show = single(form, "names", required=False, max_length=3) == "on"
    await call(suara(request).bus.handle, SetProjectorNames(congress.id, show), by=actor)
    return redirect(f"/congresses/{congress.id}/projector/settings?saved=1")


async def events(request: Request) -> Response:
    """Public changes in a congress as Server-Sent Events (counts and poll states only)."""
    congress = await _congress(request)
    app = suara(request)
    # A reconnecting browser says where it stopped; a page says where the log stood when it
    # was rendered, so nothing that happened between the render and the connection is missed.
    after = live.resume_position(request.headers.get("last-event-id"))
    if after is None:
        after = live.resume_position(request.query_params.get("after"))
    if after is None:
        after = await call(app.queries.log_position)
    hub: LiveHub = request.app.state.live_hub
    address = request.client.host if request.client else "unknown"
    try:
        hub.admit(address)
    except TooManyStreams:
        # The browser's EventSource retries by itself; the hint says when.
        return Response(
            _("Too many live connections from this address; try again shortly."),
            status_code=429,
            headers={"retry-after": "30", "cache-control": "no-store"},
            media_type="text/plain; charset=utf-8",
        )
    headers = {"cache-control": "no-store", "x-accel-buffering": "no"}
    return StreamingResponse(
        hub.stream(congress.id, after, address), media_type="text/event-stream", headers=headers
    )
