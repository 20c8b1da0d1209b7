"""The route table: every page and API endpoint on one screen."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from web.api import openapi
from web.api import results as api_results
from web.pages import audit, auth, congresses, home, polls

STATIC = Path(__file__).resolve().parent / "static"

ROUTES = [
    Route("/", home.home, name="home"),
    Route("/lang/{language}", home.set_language, name="language"),
    Route("/exit", home.quick_exit, name="exit"),
    Route("/congresses/{congress_id}", congresses.congress_page, name="congress"),
    Route("/congresses/{congress_id}/audit", audit.audit_log, name="audit"),
    Route("/congresses/{congress_id}/signin", auth.sign_in_form, name="signin_form"),
    Route("/congresses/{congress_id}/signin", auth.sign_in, methods=["POST"], name="signin"),
    Route("/congresses/{congress_id}/voting-card", auth.voting_card_form, name="voting_card_form"),
    Route(
        "/congresses/{congress_id}/voting-card",
        auth.use_voting_card,
        methods=["POST"],
        name="voting_card",
    ),
    Route("/signout", auth.sign_out, methods=["POST"], name="signout"),
    Route("/polls/{poll_id}", polls.poll_page, name="poll"),
    Route("/polls/{poll_id}/ballot", polls.cast_ballot, methods=["POST"], name="cast_ballot"),
    Route("/polls/{poll_id}/receipt", polls.receipt, name="receipt"),
    Route("/polls/{poll_id}/open", polls.open_poll, methods=["POST"], name="open_poll"),
    Route("/polls/{poll_id}/close", polls.close_poll, methods=["POST"], name="close_poll"),
    Route("/polls/{poll_id}/result", polls.result_page, name="result"),
    Route("/api/health", home.health, name="api_health"),
    Route("/api/polls/{poll_id}", api_results.poll_summary, name="api_poll"),
    Route("/api/openapi.json", openapi.openapi, name="api_openapi"),
    Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
]
