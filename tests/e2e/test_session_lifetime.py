"""Issue 18 items 9 and 13: a session ends with its card, and a seized phone tells nothing.

A copy of the session cookie taken before sign-out (or before the card's revocation or
re-issue) no longer acts; the cookie cannot be read without the server's key; a voting card's
cookie ends with the browser session; anonymous visitors see no congress that is not listed.
"""

from __future__ import annotations

import base64
import json

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.commands import ReissueOfficialCard, RevokeVotingCard
from governance.domain.delegates import Role
from governance.service_layer import setup
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


def sign_in(client: TestClient, congress_id: str, code: str, path: str = "signin") -> None:
    page = client.get(f"/congresses/{congress_id}/{path}")
    data = {"csrf_token": csrf(page.text), "code": code}
    assert client.post(f"/congresses/{congress_id}/{path}", data=data).status_code == 303


def sign_out(client: TestClient, congress_id: str) -> None:
    token = csrf(client.get(f"/congresses/{congress_id}").text)
    assert client.post("/signout", data={"csrf_token": token}).status_code == 303


def is_chair(client: TestClient, poll_id: str) -> bool:
    return f'action="/polls/{poll_id}/close"' in client.get(f"/polls/{poll_id}").text


def copy_of(client: TestClient, app: object) -> TestClient:
    return TestClient(
        app,  # type: ignore[arg-type]
        follow_redirects=False,
        cookies={"suara_session": client.cookies["suara_session"]},
    )


def test_a_cookie_copied_before_sign_out_no_longer_acts(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False) as laptop:
        sign_in(laptop, c.id, c.identity["chair"])
        with copy_of(laptop, app) as thief:
            assert is_chair(thief, poll_id)
            token = csrf(thief.get(f"/polls/{poll_id}").text)
            sign_out(laptop, c.id)
            assert not is_chair(thief, poll_id)
            closing = thief.post(f"/polls/{poll_id}/close", data={"csrf_token": token})
            assert closing.status_code == 403
    assert sqlite_app.queries.poll(poll_id).is_open  # type: ignore[union-attr]


def test_a_voting_cards_cookie_copied_before_sign_out_cannot_cast(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False) as phone:
        sign_in(phone, c.id, c.voting_codes[0], "voting-card")
        with copy_of(phone, app) as thief:
            token = csrf(thief.get(f"/polls/{poll_id}").text)
            sign_out(phone, c.id)
            cast = thief.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "0"})
            assert cast.status_code in (401, 403)
        assert sqlite_app.queries.board(poll_id) == []
        # The owner signs in again and votes: sign-out ended sessions, not the card.
        sign_in(phone, c.id, c.voting_codes[0], "voting-card")
        token = csrf(phone.get(f"/polls/{poll_id}").text)
        cast = phone.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "0"})
        assert cast.status_code == 303


def test_signing_in_again_with_the_same_card_keeps_the_new_session(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as laptop:
        sign_in(laptop, c.id, c.identity["chair"])
        sign_in(laptop, c.id, c.identity["chair"])
        assert is_chair(laptop, poll_id)
        sign_in(laptop, c.id, c.voting_codes[0], "voting-card")
        sign_in(laptop, c.id, c.voting_codes[0], "voting-card")
        assert 'name="choice"' in laptop.get(f"/polls/{poll_id}").text


def test_a_revoked_or_reissued_identity_cards_session_stops_acting(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    app = create_app(sqlite_app)
    for reissue in (True, False):
        with TestClient(app, follow_redirects=False) as laptop:
            if reissue:
                sign_in(laptop, c.id, c.identity["chair"])
            else:
                printed = setup.issue_identity_cards(
                    sqlite_app.uow_factory, sqlite_app.hasher, c.id, [(901, Role.CHAIR, None, "K")]
                )
                sign_in(laptop, c.id, printed[901])
            assert is_chair(laptop, poll_id)
            number = 900 if reissue else 901
            # The server's own command: an official's card never changes at the web desk.
            sqlite_app.bus.handle(ReissueOfficialCard(c.id, number, reissue))
            assert not is_chair(laptop, poll_id), f"reissue={reissue}: the old session acts"


def test_a_revoked_voting_cards_session_is_ended(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        sign_in(phone, c.id, c.voting_codes[0], "voting-card")
        assert 'name="choice"' in phone.get(f"/polls/{poll_id}").text
        sqlite_app.bus.handle(RevokeVotingCard(c.id, c.voting_codes[0]))
        assert 'name="choice"' not in phone.get(f"/polls/{poll_id}").text


def _cookie_bytes(value: str) -> bytes:
    raw = value.split(".", 1)[0]
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except ValueError:
        return b""


def test_the_session_cookie_tells_nothing_to_whoever_holds_the_phone(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        sign_in(phone, c.id, c.identity["delegate"])
        identity_cookie = phone.cookies["suara_session"]
        sign_in(phone, c.id, c.voting_codes[0], "voting-card")
        token = csrf(phone.get(f"/polls/{poll_id}").text)
        cast = phone.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
        assert cast.status_code == 303
        header = cast.headers["set-cookie"]
        voting_cookie = phone.cookies["suara_session"]
    [(receipt, _)] = sqlite_app.queries.board(poll_id)
    secrets = [c.tags[0], receipt, c.id, "Alias", '"card"', "vtag", "receipt"]
    for cookie in (identity_cookie, voting_cookie):
        readable = _cookie_bytes(cookie).decode("latin-1") + cookie
        for secret in secrets:
            assert secret not in readable, f"the cookie shows {secret!r}"
        with pytest.raises(ValueError):
            json.loads(_cookie_bytes(cookie))
    assert "max-age" not in header.lower() and "expires" not in header.lower(), (
        "a voting card's session must end with the browser session"
    )


def test_a_tampered_cookie_is_an_empty_session(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False) as laptop:
        sign_in(laptop, c.id, c.identity["chair"])
        value = laptop.cookies["suara_session"]
        flipped = value[:20] + ("A" if value[20] != "A" else "B") + value[21:]
    with TestClient(app, follow_redirects=False, cookies={"suara_session": flipped}) as forger:
        assert not is_chair(forger, poll_id)


def test_anonymous_visitors_see_no_unlisted_congress(sqlite_app: Suara) -> None:
    hidden = setup.create_congress(sqlite_app.uow_factory, "rahasia", "Kongres Rahasia")
    shown = setup.create_congress(sqlite_app.uow_factory, "terbuka", "Kongres Terbuka")
    other = setup.create_congress(sqlite_app.uow_factory, "lain", "Kongres Lain")
    setup.set_listed(sqlite_app.uow_factory, shown, True)
    setup.set_listed(sqlite_app.uow_factory, other, True)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as visitor:
        home = visitor.get("/")
        assert home.status_code == 200
        assert "Kongres Rahasia" not in home.text and hidden not in home.text
        assert "Kongres Terbuka" in home.text and "Kongres Lain" in home.text
        # Unlisted is not secret from those who have the address: the sign-in page works.
        assert visitor.get(f"/congresses/{hidden}/signin").status_code == 200
