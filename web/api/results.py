"""JSON API: poll state, turnout (counts only) and published results."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from governance.domain.disclosure import may_show_tally, shown_count
from web.pages.common import call, load_poll, suara


async def poll_summary(request: Request) -> Response:
    """
    ---
    summary: A poll's state, turnout and, once published, its result
    parameters:
      - {name: poll_id, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The poll.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/PollSummary"}
      404:
        description: No such poll.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
      503:
        description: The database is unavailable; try again.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
    """
    poll = await load_poll(request)
    app = suara(request)
    result = await call(app.queries.result, poll.id)
    turnout = await call(app.queries.turnout, poll.id)
    ballots = int(poll.closed_snapshot.get("ballots", turnout))
    show = may_show_tally(ballots, app.settings.min_group)
    cosigners = await call(app.trust.cosignatures, poll.congress_id, poll.id)
    body = {
        "id": poll.id,
        "congress_id": poll.congress_id,
        "title": poll.title,
        "method": poll.method,
        "options": list(poll.options),
        "status": poll.status.value,
        "seed": poll.seed or None,
        "cosigned_by": [{"label": c.label, "fingerprint": c.fingerprint} for c in cosigners],
        # None when fewer than the minimum group: small counts can point at a person.
        "turnout": shown_count(turnout, app.settings.min_group),
        "result": (result.data if show else {})
        | {"outcome": result.outcome, "digest": result.digest, "withheld": not show}
        if result is not None and result.published
        else None,
    }
    return JSONResponse(body, headers={"cache-control": "no-cache"})
