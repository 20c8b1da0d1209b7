"""The route table: every page and API endpoint on one screen."""

from __future__ import annotations

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from web import metrics
from web.api import openapi
from web.api import results as api_results
from web.api import trust as api_trust
from web.pages import (
    action_log,
    adart,
    audit,
    auth,
    cards,
    congresses,
    corrections,
    delegates,
    documents,
    floor_motions,
    home,
    named_votes,
    observers,
    paper,
    plenary,
    polls,
    positions,
    projector,
    setup,
)
from web.pages.common import UPLOAD_ROUTE_LIMIT
from web.pages.procedure import PROCEDURE_ROUTES

STATIC = Path(__file__).resolve().parent / "static"

_ADART = "/congresses/{congress_id}/adart"
_POST = ["POST"]
ADART_ROUTES = [
    Route(_ADART, adart.statute_page, name="adart"),
    Route(f"{_ADART}/import", adart.import_draft, methods=_POST, name="adart_import"),
    Route(f"{_ADART}/chapters/{{chapter}}/commission", adart.assign_chapter, methods=_POST),
    Route(f"{_ADART}/articles/{{article}}", adart.article_page, name="adart_article"),
    Route(f"{_ADART}/articles/{{article}}/amendments", adart.propose, methods=_POST),
    Route(f"{_ADART}/articles/{{article}}/deliberation", adart.deliberate, methods=_POST),
    Route(f"{_ADART}/amendments/{{amendment_id}}/support", adart.support, methods=_POST),
    Route(f"{_ADART}/amendments/{{amendment_id}}/recommendation", adart.recommend, methods=_POST),
    Route(f"{_ADART}/votes", adart.open_vote, methods=_POST, name="adart_vote"),
    Route(f"{_ADART}/settle", adart.settle, methods=_POST, name="adart_settle"),
    Route(f"{_ADART}/text", adart.text_page, name="adart_text"),
    Route("/congresses/{congress_id}/decisions", documents.decisions_page, name="decisions"),
    Route("/congresses/{congress_id}/documents", documents.publish, methods=_POST),
    Route(
        "/congresses/{congress_id}/documents/settings",
        documents.save_settings,
        methods=_POST,
        name="document_settings",
    ),
    Route("/documents/{id}/{fmt}", documents.document_file, name="document"),
    Route("/polls/{poll_id}/named-vote", named_votes.cast_named_vote, methods=_POST),
]

_ITEM = "/agenda/{item_id}"
_MOTION = "/floor-motions/{motion_id}"
_CONGRESS = "/congresses/{congress_id}"
# The plenary (issue 14): agenda items with their list of speakers, skorsing, floor motions.
PLENARY_ROUTES = [
    Route(_ITEM, plenary.item_page, name="agenda_item"),
    Route(f"{_ITEM}/current", plenary.set_current, methods=_POST, name="set_current_item"),
    Route(f"{_ITEM}/speakers", plenary.add_speaker, methods=_POST, name="add_speaker"),
    Route(f"{_ITEM}/speakers/next", plenary.next_speaker, methods=_POST, name="next_speaker"),
    Route(f"{_ITEM}/speakers/end", plenary.end_speech, methods=_POST, name="end_speech"),
    Route(f"{_ITEM}/polls", plenary.attach_poll, methods=_POST, name="attach_poll"),
    Route(
        "/speakers/{speaker_id}/withdraw",
        plenary.withdraw_speaker,
        methods=_POST,
        name="withdraw_speaker",
    ),
    Route(f"{_CONGRESS}/sitting/suspend", plenary.suspend, methods=_POST, name="suspend_sitting"),
    Route(f"{_CONGRESS}/sitting/resume", plenary.resume, methods=_POST, name="resume_sitting"),
    Route(f"{_CONGRESS}/floor-motions", floor_motions.motions_page, name="floor_motions"),
    Route(
        f"{_CONGRESS}/floor-motions",
        floor_motions.table_motion,
        methods=_POST,
        name="table_motion",
    ),
    Route(_MOTION, floor_motions.motion_page, name="floor_motion"),
    Route(
        f"{_MOTION}/amendments",
        floor_motions.table_amendment,
        methods=_POST,
        name="table_amendment",
    ),
    Route(f"{_MOTION}/second", floor_motions.second, methods=_POST, name="second_motion"),
    Route(f"{_MOTION}/withdraw", floor_motions.withdraw, methods=_POST, name="withdraw_motion"),
    Route(f"{_MOTION}/admit", floor_motions.admit, methods=_POST, name="admit_motion"),
    Route(
        f"{_MOTION}/deliberation",
        floor_motions.deliberate,
        methods=_POST,
        name="deliberate_motion",
    ),
    Route(f"{_MOTION}/vote", floor_motions.open_vote, methods=_POST, name="motion_vote"),
]

_CORRECTION = "/polls/{poll_id}/corrections/{correction_id}"
# Corrections by two officials (issue 14): void a paper batch, annul a poll, re-run it.
CORRECTION_ROUTES = [
    Route(
        "/polls/{poll_id}/corrections",
        corrections.propose,
        methods=_POST,
        name="propose_correction",
    ),
    Route(f"{_CORRECTION}/cosign", corrections.cosign, methods=_POST, name="cosign_correction"),
    Route(
        f"{_CORRECTION}/withdraw", corrections.withdraw, methods=_POST, name="withdraw_correction"
    ),
    Route("/polls/{poll_id}/rerun", corrections.rerun, methods=_POST, name="rerun_poll"),
]

ROUTES = [
    # First: the route every phone posts to at once when a poll opens (no other path matches).
    Route("/polls/{poll_id}/ballot", polls.cast_ballot, methods=["POST"], name="cast_ballot"),
    Route("/", home.home, name="home"),
    Route("/lang/{language}", home.set_language, name="language"),
    Route("/exit", home.quick_exit, name="exit"),
    Route("/favicon.ico", home.favicon, name="favicon"),
    Route("/metrics", metrics.metrics, name="metrics"),
    Route("/congresses/{congress_id}", congresses.congress_page, name="congress"),
    Route("/congresses/{congress_id}/actions", action_log.action_log, name="action_log"),
    Route("/congresses/{congress_id}/projector", projector.projector, name="projector"),
    Route(
        "/congresses/{congress_id}/projector/settings",
        projector.settings_form,
        name="projector_settings_form",
    ),
    Route(
        "/congresses/{congress_id}/projector/settings",
        projector.save_settings,
        methods=["POST"],
        name="projector_settings",
    ),
    Route("/congresses/{congress_id}/events", projector.events, name="congress_events"),
    Route("/congresses/{congress_id}/signin", auth.sign_in_form, name="signin_form"),
    Route("/congresses/{congress_id}/signin", auth.sign_in, methods=["POST"], name="signin"),
    Route("/congresses/{congress_id}/voting-card", auth.voting_card_form, name="voting_card_form"),
    Route(
        "/congresses/{congress_id}/voting-card",
        auth.use_voting_card,
        methods=["POST"],
        name="voting_card",
    ),
    Route("/congresses/{congress_id}/observers", observers.observers_page, name="observers"),
    Route(
        "/congresses/{congress_id}/observers",
        observers.register_observer,
        methods=["POST"],
        name="register_observer",
    ),
    Route("/signout", auth.sign_out, methods=["POST"], name="signout"),
    Route("/polls/{poll_id}", polls.poll_page, name="poll"),
    Route("/polls/{poll_id}/receipt", polls.receipt, name="receipt"),
    Route("/polls/{poll_id}/open", polls.open_poll, methods=["POST"], name="open_poll"),
    Route("/polls/{poll_id}/close", polls.close_poll, methods=["POST"], name="close_poll"),
    Route("/polls/{poll_id}/result", polls.result_page, name="result"),
    Route("/congresses/{congress_id}/setup", setup.setup_page, name="setup"),
    Route("/congresses/{congress_id}/delegates", delegates.delegates_page, name="delegates"),
    Route(
        "/congresses/{congress_id}/attendance", delegates.attendance_list, name="attendance_list"
    ),
    Route(
        "/congresses/{congress_id}/delegates",
        delegates.save_delegate,
        methods=["POST"],
        name="add_delegate",
    ),
    Route(
        "/congresses/{congress_id}/delegates/import",
        delegates.import_delegates,
        methods=["POST"],
        name="import_delegates",
        max_body_size=UPLOAD_ROUTE_LIMIT,
    ),
    Route(
        "/congresses/{congress_id}/delegates/{delegate_id}",
        delegates.edit_delegate_page,
        name="delegate",
    ),
    Route(
        "/congresses/{congress_id}/delegates/{delegate_id}",
        delegates.save_delegate,
        methods=["POST"],
        name="edit_delegate",
    ),
    Route(
        "/congresses/{congress_id}/delegates/{delegate_id}/remove",
        delegates.remove_delegate,
        methods=["POST"],
        name="remove_delegate",
    ),
    Route("/congresses/{congress_id}/cards", cards.cards_page, name="cards"),
    Route("/congresses/{congress_id}/cards/voting", cards.revoke_voting_card, methods=["POST"]),
    Route(
        "/congresses/{congress_id}/cards/voting/register",
        cards.register_voting_cards,
        methods=["POST"],
        max_body_size=UPLOAD_ROUTE_LIMIT,
    ),
    Route(
        "/congresses/{congress_id}/cards/identity/issue",
        cards.issue_identity_cards,
        methods=["POST"],
    ),
    Route("/congresses/{congress_id}/cards/identity", cards.change_identity_card, methods=["POST"]),
    Route("/congresses/{congress_id}/checkin", delegates.checkin_page, name="checkin"),
    Route(
        "/congresses/{congress_id}/checkin",
        delegates.check_in,
        methods=["POST"],
        name="check_in",
    ),
    Route(
        "/congresses/{congress_id}/checkin/bulk",
        delegates.check_in_many,
        methods=_POST,
        name="check_in_many",
    ),
    Route("/congresses/{congress_id}/positions", positions.positions_page, name="positions"),
    Route(
        "/congresses/{congress_id}/positions",
        positions.create_position,
        methods=["POST"],
        name="create_position",
    ),
    Route("/positions/{position_id}", positions.position_page, name="position"),
    Route(
        "/positions/{position_id}/nominations",
        positions.nominate,
        methods=["POST"],
        name="nominate",
    ),
    Route(
        "/positions/{position_id}/open",
        positions.open_position,
        methods=["POST"],
        name="open_position",
    ),
    Route("/nominations/{nomination_id}/second", positions.second, methods=["POST"]),
    Route("/nominations/{nomination_id}/answer", positions.answer, methods=["POST"]),
    Route("/nominations/{nomination_id}/withdraw", positions.withdraw, methods=["POST"]),
    Route("/congresses/{congress_id}/agenda", paper.agenda_page, name="agenda"),
    Route(
        "/congresses/{congress_id}/agenda", paper.add_agenda_item, methods=["POST"], name="add_item"
    ),
    Route(
        "/congresses/{congress_id}/motions", paper.create_motion, methods=["POST"], name="motion"
    ),
    Route("/polls/{poll_id}/paper", paper.enter_batch, methods=["POST"], name="enter_batch"),
    Route(
        "/polls/{poll_id}/paper/{batch_id}/confirm",
        paper.confirm_batch,
        methods=["POST"],
        name="confirm_batch",
    ),
    Route("/polls/{poll_id}/board", audit.board_page, name="board"),
    Route("/polls/{poll_id}/board", audit.lookup_receipt, methods=["POST"], name="lookup_receipt"),
    Route("/polls/{poll_id}/board.json", audit.board_json, name="board_json"),
    Route("/polls/{poll_id}/board.csv", audit.board_csv_file, name="board_csv"),
    Route("/polls/{poll_id}/board.blt", audit.board_blt_file, name="board_blt"),
    Route("/polls/{poll_id}/audit", audit.audit_page, name="audit"),
    Route("/polls/{poll_id}/record.json", audit.record_json, name="record"),
    *ADART_ROUTES,
    *PLENARY_ROUTES,
    *CORRECTION_ROUTES,
    *PROCEDURE_ROUTES,
    Route("/api/health", home.health, name="api_health"),
    Route(
        "/api/polls/{poll_id}/cosignatures",
        api_trust.add_cosignature,
        methods=["POST"],
        name="api_cosignatures",
    ),
    Route("/api/polls/{poll_id}", api_results.poll_summary, name="api_poll"),
    Route("/api/openapi.json", openapi.openapi, name="api_openapi"),
    # Only the static files are compressed: pages carry CSRF tokens and receipts, and
    # compressing secrets beside reflected input invites BREACH; pages are a few KB anyway.
    Mount("/static", app=GZipMiddleware(StaticFiles(directory=STATIC)), name="static"),
]
