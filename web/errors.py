"""The one place that maps refusals to HTTP statuses and translated, readable messages."""

from __future__ import annotations

from sqlalchemy import exc as sql_errors
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from governance.domain.errors import DomainError
from governance.service_layer.ports import ConcurrentWrite, StorageUnavailable
from web.i18n import _, number
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
    "observer_key_taken": 409,
    "body_too_deep": 400,
    "repeated_field": 422,
    "invalid_credentials": 401,
    "not_allowed": 403,
    "csrf_failed": 403,
    "wrong_congress": 403,
    "roster_invalid": 422,
    "delegate_not_found": 404,
    "delegate_in_use": 409,
    "cards_already_issued": 409,
    "voting_cards_known": 409,
    "official_card_on_server": 403,
    "roster_too_long": 413,
    "upload_too_large": 413,
    "too_many_voting_cards": 413,
    "position_not_found": 404,
    "nomination_not_found": 404,
    "nominations_closed": 409,
    "not_eligible": 422,
    "already_nominated": 409,
    "own_nomination": 422,
    "already_seconded": 409,
    "too_few_seconders": 409,
    "no_consent": 409,
    "constraints_infeasible": 409,
    "too_few_candidates": 409,
    # The election procedure (issue 14).
    "position_in_use": 409,
    "position_referenced": 409,
    "among_undecided": 409,
    "holds_exclusive": 409,
    "exclusive_pending": 409,
    "not_proposer": 403,
    "election_step": 409,
    "lot_seed_first": 409,
    "not_session_chair": 409,
    "ranking_gap": 422,
    "ranking_duplicate": 422,
    "too_few_choices": 422,
    "too_many_choices": 422,
    "batch_not_found": 404,
    "same_confirmer": 409,
    "batch_already_confirmed": 409,
    "batches_pending": 409,
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
    # The plenary (issue 14).
    "agenda_item_not_found": 404,
    "speaker_not_found": 404,
    "floor_motion_not_found": 404,
    "already_on_list": 409,
    "no_speaker_waiting": 409,
    "not_speaking": 409,
    "not_present": 409,
    "no_voting_right": 403,
    "own_motion": 422,
    "motion_already_seconded": 409,
    "motion_unseconded": 409,
    "motion_not_open": 409,
    "musyawarah_first": 409,
    "amendments_pending": 409,
    "named_not_procedural": 422,
    "sitting_suspended": 409,
    "sitting_not_suspended": 409,
    # Paper ballots bounded, corrections by two officials (issues 18 and 14).
    "paper_beyond_bound": 409,
    "paper_on_named_vote": 409,
    "correction_not_found": 404,
    "reason_required": 422,
    "second_official_required": 409,
    "correction_not_possible": 409,
    "correction_pending": 409,
}

# Refusals whose detail (an alias, a region, a count) helps the reader; never credentials.
SHOW_DETAIL = frozenset(
    {
        "roster_invalid",
        "not_eligible",
        "too_few_seconders",
        "constraints_infeasible",
        "too_few_candidates",
        "no_quorum",
        "too_few_choices",
        "too_many_choices",
    }
)


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
            "This voting card has already voted in this poll. Its first ballot stands; "
            "the receipt was shown once, right after that ballot."
        ),
        "result_not_ready": _("The result is not ready yet."),
        "invalid_choice": _("That choice is not on this ballot. Please choose again."),
        "invalid_input": _("Some of what was sent is missing or not valid."),
        "observer_key_taken": _(
            "This congress already registered that public key for another observer. "
            "Each observer registers their own key once."
        ),
        "body_too_deep": _("The request is nested too deeply to be read."),
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
        "roster_invalid": _("The delegate list has problems; nothing was changed."),
        "delegate_not_found": _("This delegate does not exist."),
        "delegate_in_use": _("This delegate has been nominated and cannot be removed."),
        "cards_already_issued": _(
            "Every delegate already has an identity card. To replace a lost one, re-issue it "
            "by its number."
        ),
        "voting_cards_known": _(
            "Some of these voting cards are already registered; nothing was stored. Register "
            "each printed list once."
        ),
        "official_card_on_server": _(
            "The identity cards of the chair, the secretariat and the observers are re-issued or "
            'revoked only on the server, with the command "suara cards reissue", never at this '
            "card desk. Nothing was changed."
        ),
        "roster_too_long": _(
            "The delegate list is too long: at most {cap} delegates a file. Nothing was changed; "
            "split the file into parts and import them one after the other."
        ),
        "upload_too_large": _(
            "The file is too large: at most {cap} a file. Nothing was changed; split it into "
            "parts and send them one after the other."
        ),
        "too_many_voting_cards": _(
            "Too many voting cards at once: at most {cap} a list. Nothing was stored; print and "
            "register them in several lists."
        ),
        "position_not_found": _("This position does not exist."),
        "nomination_not_found": _("This nomination does not exist."),
        "nominations_closed": _("Nominations for this position are closed."),
        "not_eligible": _("This person is not eligible for this position."),
        "already_nominated": _("This person has already been nominated for this position."),
        "own_nomination": _("You cannot second your own nomination."),
        "already_seconded": _("You have already seconded this nomination."),
        "too_few_seconders": _("A candidate does not have enough seconders yet."),
        "no_consent": _("The candidate has not accepted the nomination."),
        "constraints_infeasible": _(
            "The vote cannot open: there are not enough accepted candidates to meet the "
            "regional rule."
        ),
        "too_few_candidates": _("There are not enough accepted candidates for the seats."),
        "position_in_use": _(
            "This position already has nominations or a poll, so it can no longer be changed "
            "or deleted. Nothing was changed."
        ),
        "position_referenced": _(
            "Another position is filled from this one or proposed by it: change that position "
            "first. Nothing was changed."
        ),
        "among_undecided": _("Nominations open once {title} is decided. Nothing was changed."),
        "holds_exclusive": _(
            "{alias} already holds the position {title}. Under the rules of procedure one "
            "person cannot hold both. Nothing was changed."
        ),
        "exclusive_pending": _(
            "{alias} still stands for {title}, which is not decided yet. Open this vote once "
            "{title} is decided. Nothing was changed."
        ),
        "not_proposer": _("Only {title} proposes a candidate for this position."),
        "election_step": _(
            "This step does not follow from where this election is now. Nothing was changed."
        ),
        "lot_seed_first": _("Show the seed of the lot to the hall first, then draw the lot."),
        "not_session_chair": _(
            "Only the sitting chair hands over, once, to a session chair who has been elected."
        ),
        "ranking_gap": _(
            "Your ranking has a gap: fill the preferences in order (1, 2, 3 ...) without "
            "skipping one. Nothing was recorded."
        ),
        "ranking_duplicate": _(
            "You gave the same candidate more than one preference. Each candidate may appear "
            "only once. Nothing was recorded."
        ),
        "too_few_choices": _("Choose more options: you chose fewer than the minimum."),
        "too_many_choices": _("Choose fewer options: you chose more than the maximum."),
        "batch_not_found": _("This batch of paper ballots does not exist."),
        "same_confirmer": _(
            "A batch must be confirmed by a second person, not the one who entered it."
        ),
        "batch_already_confirmed": _("This batch has already been confirmed."),
        "batches_pending": _(
            "Paper ballot batches are still waiting for confirmation. Confirm them first."
        ),
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
        "agenda_item_not_found": _("This agenda item does not exist."),
        "speaker_not_found": _("This request to speak does not exist."),
        "floor_motion_not_found": _("This motion does not exist."),
        "already_on_list": _("Already on the list of speakers for this item. Nothing was changed."),
        "no_speaker_waiting": _("Nobody is waiting to speak on this item."),
        "not_speaking": _("Nobody has the floor on this item."),
        "not_present": _(
            "Only delegates checked in as present can do this. Please go to the check-in desk."
        ),
        "no_voting_right": _(
            "Observers (peninjau) may speak, but cannot table, second or vote on motions."
        ),
        "own_motion": _("You cannot second your own motion."),
        "motion_already_seconded": _("You have already seconded this motion."),
        "motion_unseconded": _(
            "This motion cannot be admitted yet: the rules of procedure ask for {required} "
            "seconders and it has {count}. Nothing was changed."
        ),
        "motion_not_open": _("This step does not follow from where the motion is now."),
        "musyawarah_first": _(
            "Deliberation to consensus (musyawarah) comes first: the secretariat must record "
            "that no consensus was reached before this motion is put to a vote."
        ),
        "amendments_pending": _(
            "The amendments to this motion are decided first: amendment {numbers} is not "
            "decided yet."
        ),
        "named_not_procedural": _("A named (roll-call) vote is only for procedural motions."),
        "sitting_suspended": _(
            "The sitting is suspended: no vote opens until the chair reconvenes it."
        ),
        "sitting_not_suspended": _("The sitting is not suspended."),
        "paper_beyond_bound": _(
            "This batch was not confirmed: it would bring the ballots to {ballots}, more than "
            "the {present} delegates present or the {cards} voting cards issued. Check the "
            "paper ballots; void the batch (two officials) or annul the poll."
        ),
        "paper_on_named_vote": _(
            "This is an open (named) vote: each delegate votes by name, never on paper."
        ),
        "correction_not_found": _("This correction does not exist."),
        "reason_required": _("A correction needs a reason. Nothing was changed."),
        "second_official_required": _(
            "A correction needs a second official of another role: the chair or an observer "
            "co-signs what the secretariat proposes, an observer what the chair proposes. "
            "Nothing was changed."
        ),
        "correction_not_possible": _(
            "This correction does not apply here: only a paper batch not yet confirmed is "
            "voided, only an open or closed poll is annulled (once), and a result that has "
            "already adopted rules or filled a position is corrected by a new motion."
        ),
        "correction_pending": _("The same correction is already waiting for a second official."),
    }
    return messages.get(code, _("The request was refused."))


def _shown(value: object) -> str:
    """A count in the reader's locale (20.000 in Indonesian); anything else as it is."""
    return number(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request,
    code: str,
    status: int,
    params: dict[str, object] | None = None,
    detail: str = "",
) -> Response:
    text = message(code)
    if params:
        # Only refusals that carry numbers (a quorum, a line) have placeholders to fill.
        text = text.format(**{k: _shown(v) for k, v in params.items()})
    if wants_json(request):
        body: dict[str, object] = {"error": code, "message": text}
        if params:
            body["params"] = params
        if detail:
            body["detail"] = detail
        return JSONResponse(body, status_code=status)
    back = way_back(request)
    context = {"code": code, "message": text, "detail": detail, "back": back}
    return render(request, "errors/error.html", context, status=status)


def way_back(request: Request) -> str:
    """Where the person was: the page that says so, else the page a form was posted from.

    Forms post to their page's path plus an action (`/polls/P/close` from `/polls/P`), so the
    path without its last part is the page; a page that is not found leads back to its congress
    or poll. Never the refused request itself, so Back does not repeat it.
    """
    told = str(getattr(request.state, "back", "") or "")
    if told:
        return told
    parts = [p for p in request.url.path.split("/") if p]
    if len(parts) < 2 or parts[0] not in (
        "congresses",
        "polls",
        "positions",
        "agenda",
        "floor-motions",
    ):
        return ""
    if request.method == "POST" and len(parts) > 2:
        return "/" + "/".join(parts[:-1])
    if request.method == "POST" or len(parts) > 2:
        return "/" + "/".join(parts[:2])
    return ""


async def domain_error(request: Request, error: Exception) -> Response:
    code = error.code if isinstance(error, DomainError) else "refused"
    params = dict(getattr(error, "params", {}) or {})
    if code in ("amendments_open", "articles_undecided"):
        params["detail"] = getattr(error, "detail", "")
    detail = error.detail if isinstance(error, DomainError) and code in SHOW_DETAIL else ""
    return error_response(request, code, STATUS.get(code, 400), params, detail)


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
    # A read that met the database gone (no connection, or one it ended), wherever it ran:
    # "try again", as for a cast, never a 500.
    sql_errors.OperationalError: storage_error,
    sql_errors.InterfaceError: storage_error,
    HTTPException: http_error,
}
