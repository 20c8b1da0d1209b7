"""Observer pages: the bulletin board, receipt lookup, the audit page and the record."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from governance.adapters.record_export import build_record, record_bytes
from governance.documents.board_files import board_blt, board_csv
from governance.domain import codes
from governance.domain.disclosure import may_show_tally, shown_count
from governance.domain.errors import BoardWithheld, BodyTooDeep, NotFound, PollNotClosed
from governance.domain.polls import RANKED, Poll, PollStatus
from governance.service_layer.trust import congress_public_key
from web import labels
from web.forms import single
from web.pages.common import call, checked_form, load_poll, redirect, suara
from web.templating import render

RECEIPT_CHARS = 16


def _closed(poll: Poll) -> None:
    if poll.status is not PollStatus.CLOSED:
        raise PollNotClosed()


async def _board(request: Request, poll: Poll) -> Any:
    _closed(poll)
    app = suara(request)
    board = await call(app.trust.board, poll.id)
    if board is None or not may_show_tally(len(board.rows), app.settings.min_group):
        raise BoardWithheld()
    return board


async def board_json(request: Request) -> Response:
    """The board's exact bytes: the same for every reader, named by their sha256."""
    poll = await load_poll(request)
    board = await _board(request, poll)
    return Response(
        board.body,
        media_type="application/json",
        headers={"etag": f'"{board.sha256}"', "x-board-sha256": board.sha256, "vary": ""},
    )


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        body.encode(),
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


async def board_csv_file(request: Request) -> Response:
    """The board as CSV for a spreadsheet: a row per ballot, a column per option."""
    poll = await load_poll(request)
    board = await _board(request, poll)
    body = board_csv(poll.options, poll.method, board.rows)
    return _download(body, "text/csv; charset=utf-8", f"suara-board-{poll.id}.csv")


async def board_blt_file(request: Request) -> Response:
    """The board of a ranked poll as BLT, the STV tools' ballot format."""
    poll = await load_poll(request)
    if poll.method not in RANKED:
        raise NotFound("only ranked polls have a BLT file")
    board = await _board(request, poll)
    body = board_blt(poll.title, poll.options, poll.seats, board.rows)
    return _download(body, "text/plain; charset=utf-8", f"suara-board-{poll.id}.blt")


def normalise_receipt(typed: str) -> str | None:
    cleaned = typed.upper().translate(str.maketrans("OIL", "011", " -_.\t"))
    if len(cleaned) != RECEIPT_CHARS or any(ch not in codes.ALPHABET for ch in cleaned):
        return None
    return codes.group(cleaned)


def choice_names(poll: Poll, choices: tuple[int, ...]) -> list[str]:
    """A ballot's choices as the reader says them: a motion's options translated, names kept."""
    shown = labels.option if poll.method == "yes-no-abstain" else str
    return [shown(poll.options[c]) if 0 <= c < len(poll.options) else str(c) for c in choices]


async def lookup_receipt(request: Request) -> Response:
    """A receipt is posted, never put in a URL: URLs end up in proxy and browser histories."""
    poll = await load_poll(request)
    form = await checked_form(request)
    typed = single(form, "receipt", required=False, max_length=40)
    request.session["lookup"] = {"poll": poll.id, "typed": typed}
    return redirect(f"/polls/{poll.id}/board#lookup")


async def board_page(request: Request) -> Response:
    """The board as a page, with the answer to a receipt lookup (shown once, from any device)."""
    poll = await load_poll(request)
    board = await _board(request, poll)
    lookup = request.session.pop("lookup", None)
    typed = str(lookup["typed"]) if lookup and lookup.get("poll") == poll.id else ""
    receipt = normalise_receipt(typed) if typed else None
    found = None
    if receipt:
        found = next((choice_names(poll, c) for r, c in board.rows if r == receipt), None)
    context = {
        "poll": poll,
        "board": board,
        "rows": [(r, choice_names(poll, c)) for r, c in board.rows],
        "typed": typed,
        "receipt": receipt,
        "found": found,
    }
    return render(request, "polls/board.html", context, no_store=bool(typed))


async def audit_page(request: Request) -> Response:
    poll = await load_poll(request)
    app = suara(request)
    count = app.queries.adart.named_turnout if poll.named else app.queries.turnout
    turnout = await call(count, poll.id)
    result = await call(app.queries.result, poll.id)
    board = await call(app.trust.board, poll.id)
    show = board is not None and may_show_tally(turnout, app.settings.min_group)
    _, fingerprint = congress_public_key(app.settings.secret_key, poll.congress_id)
    context = {
        "poll": poll,
        "turnout": shown_count(turnout, app.settings.min_group),
        "min_group": app.settings.min_group,
        "board": board if show else None,
        "ranked": poll.method in RANKED,
        "withheld": board is not None and not show,
        "result": result if show else None,
        "checkpoints": await call(app.trust.checkpoints, poll.congress_id, poll.id),
        "cosignatures": await call(app.trust.cosignatures, poll.congress_id, poll.id),
        "fingerprint": fingerprint,
        "base": str(request.base_url).rstrip("/"),
    }
    return render(request, "polls/audit.html", context, no_store=True)


async def record_json(request: Request) -> Response:
    """The election record of one closed poll, for `suara verify`."""
    poll = await load_poll(request)
    _closed(poll)
    app = suara(request)
    record = await call(
        build_record, app.queries, app.trust, app.settings.secret_key, poll.congress_id,
        poll.id, app.settings.min_group,
    )  # fmt: skip
    return Response(
        record_bytes(record),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="suara-record-{poll.id}.json"'},
    )


def parse_json(body: bytes) -> Any:
    """The parsed body, or None when it is not JSON; too deep a nesting is a 400, not a 500."""
    try:
        return json.loads(body)
    except ValueError:
        return None
    except RecursionError as error:
        raise BodyTooDeep() from error
