"""Bad input through HTTP: a clear refusal with the right status, and nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.commands import ClosePoll
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


@dataclass
class Voting:
    client: TestClient
    poll_id: str
    token: str
    congress: factories.Congress


@pytest.fixture
def voting(sqlite_app: Suara) -> Iterator[Voting]:
    congress = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, congress.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress.id}/voting-card")
        client.post(
            f"/congresses/{congress.id}/voting-card",
            data={"csrf_token": csrf(page.text), "code": congress.voting_codes[0]},
        )
        token = csrf(client.get(f"/polls/{poll_id}").text)
        yield Voting(client, poll_id, token, congress)


def board(app: Suara, poll_id: str) -> list[tuple[str, str]]:
    return app.queries.board(poll_id)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "nonsense",
        "1-AAAA-AAAA-AAAA-AAAA-AAAA",
        "999-AAAA-AAAA-AAAA-AAAA-AAAA",
        "1-" + "Z" * 200,
    ],
)
def test_unknown_malformed_and_wrong_codes_get_the_same_message(
    sqlite_app: Suara, code: str
) -> None:
    congress = factories.congress(sqlite_app)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress.id}/signin")
        answer = client.post(
            f"/congresses/{congress.id}/signin", data={"csrf_token": csrf(page.text), "code": code}
        )
        assert answer.status_code in (401, 422)
        if answer.status_code == 401:
            assert "That code is not valid" in answer.text or "Kode itu tidak sah" in answer.text
        wrong_voting = client.post(
            f"/congresses/{congress.id}/voting-card",
            data={"csrf_token": csrf(page.text), "code": code},
        )
        assert wrong_voting.status_code in (401, 422)


def test_wrong_identity_code_and_unknown_card_number_read_identically(sqlite_app: Suara) -> None:
    congress = factories.congress(sqlite_app)
    right_number = congress.identity["delegate"].split("-", 1)[0]
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress.id}/signin")
        token = csrf(page.text)
        wrong = client.post(
            f"/congresses/{congress.id}/signin",
            data={"csrf_token": token, "code": f"{right_number}-" + "A" * 20},
        )
        unknown = client.post(
            f"/congresses/{congress.id}/signin",
            data={"csrf_token": token, "code": "777-" + "A" * 20},
        )
        malformed = client.post(
            f"/congresses/{congress.id}/signin", data={"csrf_token": token, "code": "%%%"}
        )
    assert wrong.status_code == unknown.status_code == malformed.status_code == 401
    assert (
        wrong.text.replace(token, "")
        == unknown.text.replace(token, "")
        == malformed.text.replace(token, "")
    )


def test_a_vote_on_an_unknown_poll_is_404(voting: Voting) -> None:
    answer = voting.client.post(
        "/polls/" + "0" * 32 + "/ballot", data={"csrf_token": voting.token, "choice": "0"}
    )
    assert answer.status_code == 404


def test_a_vote_on_a_closed_poll_is_409_and_stores_nothing(
    sqlite_app: Suara, voting: Voting
) -> None:
    sqlite_app.bus.handle(ClosePoll(voting.poll_id))
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot", data={"csrf_token": voting.token, "choice": "0"}
    )
    assert answer.status_code == 409
    assert board(sqlite_app, voting.poll_id) == []


@pytest.mark.parametrize("choice", ["3", "-1", "yes", "", "9999"])
def test_a_choice_not_on_the_ballot_is_422(sqlite_app: Suara, voting: Voting, choice: str) -> None:
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot", data={"csrf_token": voting.token, "choice": choice}
    )
    assert answer.status_code == 422
    assert board(sqlite_app, voting.poll_id) == []
    assert 'role="alert"' in answer.text  # the ballot again, with what to correct


def test_a_page_that_is_not_found_leads_back_to_its_congress(
    sqlite_app: Suara, voting: Voting
) -> None:
    poll = sqlite_app.queries.poll(voting.poll_id)
    assert poll is not None
    congress_id = poll.congress_id
    answer = voting.client.get(f"/congresses/{congress_id}/no-such-page")
    assert answer.status_code == 404
    assert f'<a href="/congresses/{congress_id}">Kembali</a>' in answer.text


def test_repeated_form_fields_are_422(sqlite_app: Suara, voting: Voting) -> None:
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot", data={"csrf_token": voting.token, "choice": ["0", "1"]}
    )
    assert answer.status_code == 422
    assert board(sqlite_app, voting.poll_id) == []


def test_a_missing_or_wrong_csrf_token_is_403(sqlite_app: Suara, voting: Voting) -> None:
    missing = voting.client.post(f"/polls/{voting.poll_id}/ballot", data={"choice": "0"})
    wrong = voting.client.post(
        f"/polls/{voting.poll_id}/ballot", data={"csrf_token": "x" * 32, "choice": "0"}
    )
    assert missing.status_code == wrong.status_code == 403
    assert board(sqlite_app, voting.poll_id) == []


def test_a_cross_site_post_is_403_even_with_the_token(sqlite_app: Suara, voting: Voting) -> None:
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot",
        data={"csrf_token": voting.token, "choice": "0"},
        headers={"origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    assert board(sqlite_app, voting.poll_id) == []


def test_a_form_with_more_fields_than_any_page_has_is_400(
    sqlite_app: Suara, voting: Voting
) -> None:
    fields = {f"f{i}": "x" for i in range(100)}
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot",
        data={"csrf_token": voting.token, "choice": "0", **fields},
    )
    assert answer.status_code == 400
    assert board(sqlite_app, voting.poll_id) == []


def test_a_form_body_that_is_not_utf8_is_422(sqlite_app: Suara, voting: Voting) -> None:
    body = f"csrf_token={voting.token}&choice=0&note=".encode() + b"\xff\xfe"
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 422
    assert board(sqlite_app, voting.poll_id) == []


def test_a_body_over_64_kb_is_413(sqlite_app: Suara, voting: Voting) -> None:
    answer = voting.client.post(
        f"/polls/{voting.poll_id}/ballot",
        data={"csrf_token": voting.token, "choice": "0", "padding": "x" * 70_000},
    )
    assert answer.status_code == 413
    assert board(sqlite_app, voting.poll_id) == []


def test_a_second_ballot_is_409_whatever_its_choice_and_the_receipt_is_shown_once(
    sqlite_app: Suara, voting: Voting
) -> None:
    url = f"/polls/{voting.poll_id}/ballot"
    first = voting.client.post(url, data={"csrf_token": voting.token, "choice": "1"})
    assert first.status_code == 303
    receipt_one = voting.client.get(first.headers["location"]).text
    again = voting.client.post(url, data={"csrf_token": voting.token, "choice": "1"})
    other = voting.client.post(url, data={"csrf_token": voting.token, "choice": "0"})
    assert again.status_code == other.status_code == 409
    [(receipt, choices)] = board(sqlite_app, voting.poll_id)
    assert choices == "1"
    assert receipt in receipt_one and receipt not in again.text + other.text


def test_a_delegate_cannot_close_a_poll(sqlite_app: Suara) -> None:
    congress = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, congress.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress.id}/signin")
        client.post(
            f"/congresses/{congress.id}/signin",
            data={"csrf_token": csrf(page.text), "code": congress.identity["delegate"]},
        )
        token = csrf(client.get(f"/congresses/{congress.id}").text)
        answer = client.post(f"/polls/{poll_id}/close", data={"csrf_token": token})
    assert answer.status_code == 403
    assert sqlite_app.queries.poll(poll_id).is_open  # type: ignore[union-attr]
    # The refusal leads back to the poll's page, not only to the home page.
    assert f'<a href="/polls/{poll_id}">Kembali</a>' in answer.text


def test_sign_in_rotates_the_session_and_its_csrf_token(sqlite_app: Suara) -> None:
    congress = factories.congress(sqlite_app)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress.id}/signin")
        before = csrf(page.text)
        client.post(
            f"/congresses/{congress.id}/signin",
            data={"csrf_token": before, "code": congress.identity["chair"]},
        )
        after = csrf(client.get(f"/congresses/{congress.id}").text)
    assert before != after


def test_pages_carry_strict_security_headers(sqlite_app: Suara) -> None:
    with TestClient(create_app(sqlite_app)) as client:
        answer = client.get("/api/health")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
