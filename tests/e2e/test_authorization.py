"""The authorization matrix, generated from the route table: every route x every role.

A route that is not in RULES fails this test: whoever adds a page decides, here, who may use
it. A successful chair or secretariat POST must also leave an entry in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import anyio
import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.commands import (
    AddAgendaItem,
    ClosePoll,
    CreatePoll,
    CreatePosition,
    Nominate,
    OpenPoll,
    PublishResult,
    TallyPoll,
)
from governance.domain.delegates import Role
from governance.domain.plenary_commands import AddSpeaker, TableMotion
from governance.service_layer import setup
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app
from web.routes import ROUTES

pytestmark = pytest.mark.e2e

ROLES = ("anonymous", "delegate", "voting_card", "observer", "chair", "secretariat")
ANYONE = dict.fromkeys(ROLES, 200)


def only(allowed: tuple[str, ...], ok: int, refused: int = 403) -> dict[str, int]:
    return {role: ok if role in allowed else refused for role in ROLES}


CONTROL = ("chair", "secretariat")
SIGNED_IN = ("delegate", "voting_card", "observer", *CONTROL)
# Route name -> expected status per role. POSTs carry a valid CSRF token and a valid form;
# sign-in attempts carry a wrong code (anyone may try; nobody gets in with it).
RULES: dict[str, dict[str, int]] = {
    # One congress: straight to its page; unlisted (the default), anonymous visitors see none.
    "home": dict.fromkeys(ROLES, 303) | {"anonymous": 200},
    "language": dict.fromkeys(ROLES, 303),
    "exit": ANYONE,
    "attendance_list": only(("secretariat",), 200),
    "favicon": ANYONE,
    "metrics": dict.fromkeys(ROLES, 404),  # no token set: absent for everyone
    "congress": ANYONE,
    "action_log": only(("observer", *CONTROL), 200),
    "signin_form": ANYONE,
    "signin": dict.fromkeys(ROLES, 401),
    "voting_card_form": ANYONE,
    "voting_card": dict.fromkeys(ROLES, 401),
    "signout": dict.fromkeys(ROLES, 303),
    "poll": ANYONE,
    "cast_ballot": only(("voting_card",), 303, refused=401),
    "receipt": ANYONE,
    "open_poll": only(CONTROL, 303),
    "close_poll": only(CONTROL, 303),
    "result": ANYONE,
    # AD/ART and documents (issue 5), with unknown objects and empty forms: the allowed roles
    # get as far as validation (422) or lookup (404); everyone else is refused first (403).
    "adart": only(SIGNED_IN, 200),
    "adart_import": only(("secretariat",), 422),
    "assign_chapter": only(("secretariat",), 422),
    "adart_article": only(SIGNED_IN, 404),
    "propose": only(("delegate",), 422),
    "deliberate": only(CONTROL, 422),
    "support": only(("delegate",), 404),
    "recommend": only(("secretariat",), 404),
    "adart_vote": only(CONTROL, 422),
    "adart_settle": only(CONTROL, 404),
    "adart_text": dict.fromkeys(ROLES, 404),  # public once adopted; nothing is adopted here
    "decisions": ANYONE,
    "publish": only(("secretariat",), 422),
    "document": dict.fromkeys(ROLES, 404),
    "cast_named_vote": only(("delegate",), 422),
    # Trust (issue 6). The test's closed poll has no ballots, so its board is withheld (409).
    "observers": ANYONE,
    "register_observer": only(CONTROL, 422),
    "board": dict.fromkeys(ROLES, 409),
    "lookup_receipt": dict.fromkeys(ROLES, 303),
    "board_json": dict.fromkeys(ROLES, 409),
    "board_csv": dict.fromkeys(ROLES, 409),
    "board_blt": dict.fromkeys(ROLES, 404),  # a motion: only ranked polls have a BLT file
    "audit": ANYONE,
    "record": ANYONE,
    "api_cosignatures": dict.fromkeys(ROLES, 422),  # public; the signature is the credential
    # Congress workflow (issue 4). Empty forms: the allowed roles reach validation (422); an
    # unknown delegate is 404; a position without candidates cannot open (409).
    "setup": only(("secretariat",), 200),
    "delegates": only(("secretariat",), 200),
    "add_delegate": only(("secretariat",), 422),
    "import_delegates": only(("secretariat",), 422),
    "delegate": only(("secretariat",), 404),
    "edit_delegate": only(("secretariat",), 422),
    "remove_delegate": only(("secretariat",), 404),
    "cards": only(("secretariat",), 200),
    "revoke_voting_card": only(("secretariat",), 422),
    "change_identity_card": only(("secretariat",), 422),
    "issue_identity_cards": only(("secretariat",), 200),  # the PDF of the cards itself
    "register_voting_cards": only(("secretariat",), 422),
    "checkin": only(("secretariat",), 200),
    "check_in": only(("secretariat",), 422),
    "check_in_many": only(("secretariat",), 422),  # no numbers sent: refused, nothing ticked
    "positions": ANYONE,
    "create_position": only(("secretariat",), 422),
    "position": ANYONE,
    "nominate": only(("delegate", "secretariat"), 422),
    "open_position": only(CONTROL, 409),
    "second": only(("delegate",), 303),  # the test's nomination is someone else's
    "answer": only(("delegate", "secretariat"), 422),
    "withdraw": only(("secretariat",), 303),  # a delegate may withdraw only their own
    # The election procedure (issue 14), on a fresh position: the secretariat edits (an empty
    # form is 422) or deletes it (nobody nominated: 303); no runoff, tie or decided session
    # chair waits, so the chair's steps are refused as out of order (409).
    "edit_position": only(("secretariat",), 422),
    "delete_position": only(("secretariat",), 303),
    "open_next_round": only(CONTROL, 409),
    "record_musyawarah": only(("secretariat",), 422),
    "show_lot_seed": only(CONTROL, 409),
    "draw_lot": only(CONTROL, 409),
    "hand_over_chair": only(("chair",), 409),
    "agenda": ANYONE,
    "add_item": only(("secretariat",), 422),
    "motion": only(("secretariat",), 422),
    "enter_batch": only(("secretariat",), 422),
    "confirm_batch": only(("observer", "secretariat"), 404),
    # Corrections by two officials (issues 14, 18): unknown corrections, an empty form, and a
    # re-run of a poll that is not annulled are refused after the role check.
    "propose_correction": only(CONTROL, 422),
    "cosign_correction": only(("chair", "observer"), 404),
    "withdraw_correction": only(("observer", *CONTROL), 404),
    "rerun_poll": only(CONTROL, 409),
    # Phone experience (issue 8).
    "projector": ANYONE,
    "projector_settings_form": only(("secretariat",), 200),
    "projector_settings": only(("secretariat",), 303),
    "congress_events": ANYONE,  # a server-sent event stream: only its status is read
    # The plenary (issue 14). A fresh item, a request to speak by the test's delegate, and a
    # motion tabled by another delegate; empty forms reach validation (422), an empty list of
    # speakers or an unseconded motion is refused (409). The chair's suspension is lifted by
    # the resume route that follows it in the route table.
    "agenda_item": ANYONE,
    "set_current_item": only(("chair",), 303),
    "add_speaker": {**only(("delegate",), 303), "chair": 422, "secretariat": 422},
    "next_speaker": only(CONTROL, 409),
    "end_speech": only(CONTROL, 409),
    "attach_poll": only(("secretariat",), 422),
    "withdraw_speaker": only(("delegate", *CONTROL), 303),
    "suspend_sitting": only(("chair",), 303),
    "resume_sitting": only(("chair",), 303),
    "floor_motions": only(SIGNED_IN, 200),
    "table_motion": only(("delegate",), 422),
    "floor_motion": only(SIGNED_IN, 200),
    "table_amendment": only(("delegate",), 422),
    "second_motion": only(("delegate",), 303),
    "withdraw_motion": only(("secretariat",), 303),
    "admit_motion": only(("chair",), 409),
    "deliberate_motion": only(("secretariat",), 422),
    "motion_vote": only(CONTROL, 409),
    "api_health": ANYONE,
    "api_poll": ANYONE,
    "api_openapi": ANYONE,
    "static": ANYONE,
    # Issue 17: the documents' settings (organisation, place, venue); an empty form is valid.
    "document_settings": only(("secretariat",), 303),
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str


def endpoints() -> list[Endpoint]:
    """Every (name, method, path) the app serves, read from the route table itself."""
    found: list[Endpoint] = []
    for route in ROUTES:
        if isinstance(route, Mount):
            found.append(Endpoint(str(route.name), "GET", route.path + "/app.css"))
            continue
        assert isinstance(route, Route)
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            found.append(Endpoint(route.name, method, route.path))
    return found


def test_every_route_has_a_rule_for_every_role() -> None:
    missing = sorted({e.name for e in endpoints()} - set(RULES))
    assert not missing, f"routes without an authorization rule in RULES: {missing}"
    for name, rule in RULES.items():
        assert set(rule) == set(ROLES), f"{name}: a rule must give a status for every role"


@dataclass
class World:
    app: Suara
    congress: factories.Congress
    codes: dict[str, str]

    def poll(self, draft: bool) -> str:
        poll_id: str = self.app.bus.handle(
            CreatePoll(
                congress_id=self.congress.id,
                title="Motion",
                method="yes-no-abstain",
                options=("yes", "no", "abstain"),
            )
        )
        if not draft:
            self.app.bus.handle(OpenPoll(poll_id))
        return poll_id

    def position(self) -> str:
        position_id: str = self.app.bus.handle(CreatePosition(self.congress.id, "Treasurer"))
        return position_id

    def nomination(self) -> str:
        nomination_id: str = self.app.bus.handle(
            Nominate(self.position(), self.congress.delegate_ids[1])
        )
        return nomination_id

    def item(self) -> str:
        item_id: str = self.app.bus.handle(AddAgendaItem(self.congress.id, "S", "plenary", "T"))
        return item_id

    def speaker(self) -> str:
        """A request to speak by the test's delegate (delegate 1)."""
        speaker_id: str = self.app.bus.handle(
            AddSpeaker(self.item(), self.congress.delegate_ids[0])
        )
        return speaker_id

    def floor_motion(self) -> str:
        """A motion tabled by delegate 2, so the test's delegate may second it."""
        command = TableMotion(self.congress.id, self.congress.delegate_ids[1], "Usul", "Teks.")
        motion_id: str = self.app.bus.handle(command)
        return motion_id

    def closed_poll(self) -> str:
        poll_id = self.poll(draft=False)
        self.app.bus.handle(ClosePoll(poll_id))
        self.app.bus.handle(TallyPoll(poll_id))
        self.app.bus.handle(PublishResult(poll_id))
        return poll_id


@pytest.fixture
def world(sqlite_app: Suara) -> World:
    congress = factories.congress(sqlite_app, cards=len(RULES) * 2)
    extra = [(500, Role.OBSERVER, None, "Observer"), (800, Role.SECRETARIAT, None, "Secretariat")]
    printed = setup.issue_identity_cards(
        sqlite_app.uow_factory, sqlite_app.hasher, congress.id, extra
    )
    codes = dict(congress.identity) | {"observer": printed[500], "secretariat": printed[800]}
    return World(sqlite_app, congress, codes)


def signed_in(world: World, role: str) -> Iterator[TestClient]:
    client = TestClient(create_app(world.app), follow_redirects=False)
    with client:
        c = world.congress
        if role == "voting_card":
            page = client.get(f"/congresses/{c.id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": c.voting_codes[0]}
            assert client.post(f"/congresses/{c.id}/voting-card", data=data).status_code == 303
        elif role != "anonymous":
            page = client.get(f"/congresses/{c.id}/signin")
            data = {"csrf_token": csrf(page.text), "code": world.codes[role]}
            assert client.post(f"/congresses/{c.id}/signin", data=data).status_code == 303
        yield client


ON_A_CLOSED_POLL = (
    "result", "api_poll", "board", "lookup_receipt", "board_json", "board_csv", "board_blt",
    "record",
)  # fmt: skip
PARAMS: dict[str, Callable[[World, str], str]] = {
    "congress_id": lambda w, name: w.congress.id,
    "language": lambda w, name: "en",
    # AD/ART and documents (issue 5): unknown objects, so the check is who is refused first.
    "chapter": lambda w, name: "1",
    "article": lambda w, name: "1",
    "amendment_id": lambda w, name: "0" * 32,
    "id": lambda w, name: "0" * 32,
    "fmt": lambda w, name: "pdf",
    # Congress workflow (issue 4): unknown objects again.
    "delegate_id": lambda w, name: "0" * 32,
    "position_id": lambda w, name: w.position(),
    "nomination_id": lambda w, name: w.nomination(),
    "batch_id": lambda w, name: "0" * 32,
    "correction_id": lambda w, name: "0" * 32,
    # The plenary (issue 14).
    "item_id": lambda w, name: w.item(),
    "speaker_id": lambda w, name: w.speaker(),
    "motion_id": lambda w, name: w.floor_motion(),
    "poll_id": lambda w, name: (
        w.poll(draft=True)
        if name == "open_poll"
        else w.closed_poll()
        if name in ON_A_CLOSED_POLL
        else w.poll(draft=False)
    ),
}
FORMS: dict[str, dict[str, str]] = {
    "signin": {"code": "1-AAAA-AAAA-AAAA-AAAA-AAAA"},
    "voting_card": {"code": "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"},
    "cast_ballot": {"choice": "0"},
}


def concrete(world: World, endpoint: Endpoint) -> str:
    def fill(match: re.Match[str]) -> str:
        param = match.group(1).split(":")[0]
        assert param in PARAMS, f"{endpoint.name}: add a value for {{{param}}} to PARAMS"
        return PARAMS[param](world, endpoint.name)

    return re.sub(r"\{([^}]+)\}", fill, endpoint.path)


def control_only(name: str) -> bool:
    """A route only the chair or secretariat may use: their actions there are audited."""
    return all(RULES[name][r] >= 400 for r in ROLES if r not in CONTROL)


STREAMS = {"congress_events"}


class _Started(Exception):
    status = 0


def stream_status(client: TestClient, path: str) -> int:
    """The status of an endless response (an event stream), read from its first message."""
    app = client.app
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
        "state": {},
    }

    async def receive() -> dict[str, object]:
        await anyio.sleep(10)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            started = _Started()
            started.status = int(message["status"])  # type: ignore[call-overload]
            raise started

    async def run() -> int:
        try:
            await app(scope, receive, send)
        except _Started as started:
            return started.status
        raise AssertionError("the stream never started")

    return int(client.portal.call(run))  # type: ignore[union-attr]


def audit_count(world: World) -> int:
    return len(world.app.queries.audit(world.congress.id))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_matrix_says(world: World, role: str) -> None:
    wrong: list[str] = []
    for endpoint in endpoints():
        if endpoint.name not in RULES:
            continue  # reported by the test above
        for client in signed_in(world, role):
            path = concrete(world, endpoint)
            before = audit_count(world)
            if endpoint.name in STREAMS:
                status = stream_status(client, path)
                if status != RULES[endpoint.name][role]:
                    wrong.append(f"GET {endpoint.path}: {status} != {RULES[endpoint.name][role]}")
                continue
            if endpoint.method == "GET":
                answer = client.get(path)
            else:
                token = csrf(client.get(f"/congresses/{world.congress.id}/signin").text)
                data = {"csrf_token": token, **FORMS.get(endpoint.name, {})}
                answer = client.request(endpoint.method, path, data=data)
            expected = RULES[endpoint.name][role]
            if answer.status_code != expected:
                wrong.append(
                    f"{endpoint.method} {endpoint.path}: {answer.status_code} != {expected}"
                )
            elif (
                endpoint.method == "POST"
                and role in CONTROL
                and answer.status_code == 303
                and control_only(endpoint.name)
                and audit_count(world) != before + 1
            ):
                wrong.append(f"{endpoint.method} {endpoint.path}: no audit entry")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
