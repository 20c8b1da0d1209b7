"""A congress's page: what is open now, and the results published so far."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.errors import CongressNotFound
from governance.domain.polls import PollStatus
from governance.domain.positions import PositionStatus
from web.pages.common import call, suara
from web.templating import render


async def congress_page(request: Request) -> Response:
    app = suara(request)
    position = await call(app.queries.log_position)  # before the state the page shows
    congress = await call(app.queries.congress, str(request.path_params["congress_id"]))
    if congress is None:
        raise CongressNotFound()
    polls = await call(app.queries.polls, congress.id)
    context = {
        "congress": congress,
        "open_polls": [p for p in polls if p.status is PollStatus.OPEN],
        "draft_polls": [p for p in polls if p.status is PollStatus.DRAFT],
        "closed_polls": [p for p in polls if p.status is PollStatus.CLOSED],
        "signed_in": request.session.get("cid") == congress.id,
        "nominating": [
            p
            for p in await call(app.queries.positions, congress.id)
            if p.status is PositionStatus.NOMINATING
        ],
        "live_after": position,
        "sitting": await call(app.queries.plenary.sitting, congress.id),
    }
    return render(request, "congresses/show.html", context)
