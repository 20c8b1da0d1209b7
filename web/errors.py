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
    }
    return messages.get(code, _("The request was refused."))


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, code: str, status: int) -> Response:
    if wants_json(request):
        return JSONResponse({"error": code, "message": message(code)}, status_code=status)
    return render(
        request, "errors/error.html", {"code": code, "message": message(code)}, status=status
    )


async def domain_error(request: Request, error: Exception) -> Response:
    code = error.code if isinstance(error, DomainError) else "refused"
    return error_response(request, code, STATUS.get(code, 400))


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
