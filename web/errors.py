"""The one place that maps refusals to HTTP statuses and translated, readable messages."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from governance.domain.errors import DomainError
from governance.service_layer.ports import ConcurrentWrite, StorageUnavailable
from web.i18n import _
from web.templating import render

STATUS = {
    "not_found": 404,
    "poll_not_found": 404,
    "congress_not_found": 404,
    "poll_not_open": 409,
    "poll_already_open": 409,
    "poll_not_closed": 409,
    "ballot_already_cast": 409,
    "result_not_ready": 409,
    "invalid_choice": 422,
    "invalid_input": 422,
    "invalid_text": 422,
    "repeated_field": 422,
    "invalid_credentials": 401,
    "not_allowed": 403,
    "csrf_failed": 403,
    "wrong_congress": 403,
    "board_withheld": 409,
    "cosignatures_missing": 409,
    "checkpoint_missing": 409,
    "invalid_signature": 422,
    "congress_still_running": 409,
    "quorum_not_met": 409,
    "malformed_draft": 422,
    "statute_exists": 409,
    "article_decided": 409,
    "amendments_open": 409,
    "articles_undecided": 409,
    "procedure_order": 409,
}


def message(code: str) -> str:
    """The reader's message for a refusal code (every one translated)."""
    messages = {
        "not_found": _("Not found."),
        "poll_not_found": _("This poll does not exist."),
        "congress_not_found": _("This congress does not exist."),
        "poll_not_open": _("This poll is not open for voting."),
        "poll_already_open": _("This poll has already been opened."),
        "poll_not_closed": _("This poll has not been closed yet."),
        "ballot_already_cast": _(
            "This voting card has already cast a different ballot in this poll. "
            "Your first ballot stands."
        ),
        "result_not_ready": _("The result is not ready yet."),
        "invalid_choice": _("That choice is not on this ballot. Please choose again."),
        "invalid_input": _("Some of what was sent is missing or not valid."),
        "invalid_text": _(
            "Names and texts may not contain invisible, control or text-direction characters."
        ),
        "repeated_field": _("A field was sent more than once. Please use the form as shown."),
        "invalid_credentials": _("That code is not valid. Check the card and try again."),
        "not_allowed": _("You are not allowed to do this."),
        "csrf_failed": _("The form expired or did not come from this site. Reload and try again."),
        "wrong_congress": _("This card belongs to another congress."),
        "storage_unavailable": _("Not recorded. The system is busy; please try again."),
        "payload_too_large": _("What was sent is too large."),
        "board_withheld": _(
            "Fewer ballots were cast than the minimum group size, so the board and the counts "
            "are not shown."
        ),
        "cosignatures_missing": _(
            "The result needs more observer signatures before it can be published."
        ),
        "checkpoint_missing": _("The closing checkpoint has not been signed yet; try again soon."),
        "invalid_signature": _("The signature does not verify with a registered observer key."),
        "congress_still_running": _("Close every open poll first."),
        "quorum_not_met": _(
            "No quorum: {present} of {entitled} delegates entitled to vote are present; "
            "{required} must be present for this vote."
        ),
        "malformed_draft": _("The draft cannot be read: line {line}: {problem}"),
        "statute_exists": _("A draft AD/ART has already been imported for this congress."),
        "article_decided": _("This article is no longer open for amendments."),
        "amendments_open": _("Amendments to this article are still open: {detail}."),
        "articles_undecided": _("Not every article has been decided yet: {detail}."),
        "procedure_order": _("This step does not follow from where the procedure is now."),
    }
    return messages.get(code, _("The request was refused."))


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request, code: str, status: int, params: dict[str, object] | None = None
) -> Response:
    text = message(code)
    if params:
        # Only refusals that carry numbers (a quorum, a line) have placeholders to fill.
        text = text.format(**{k: str(v) for k, v in params.items()})
    if wants_json(request):
        body: dict[str, object] = {"error": code, "message": text}
        if params:
            body["params"] = params
        return JSONResponse(body, status_code=status)
    return render(request, "errors/error.html", {"code": code, "message": text}, status=status)


async def domain_error(request: Request, error: Exception) -> Response:
    code = error.code if isinstance(error, DomainError) else "refused"
    params = dict(getattr(error, "params", {}) or {})
    if code in ("amendments_open", "articles_undecided"):
        params["detail"] = getattr(error, "detail", "")
    return error_response(request, code, STATUS.get(code, 400), params)


async def storage_error(request: Request, error: Exception) -> Response:
    response = error_response(request, "storage_unavailable", 503)
    response.headers["retry-after"] = "2"
    return response


async def http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    code = {404: "not_found", 413: "payload_too_large", 405: "not_allowed"}.get(status, "refused")
    return error_response(request, code, status)


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    StorageUnavailable: storage_error,
    ConcurrentWrite: storage_error,
    HTTPException: http_error,
}
