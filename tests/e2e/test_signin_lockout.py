"""Issue 18 item 8: a guesser is throttled, never the card's owner; sign-in leaks nothing.

An attacker elsewhere (another address) types wrong codes for the chair's card: the chair, from
their own address, still signs in. A phone behind the hotel's NAT hammering voting-card
sign-in does not stop the other phones there. Unknown, wrong, malformed and revoked codes cost
the same one hash check. Card numbers are ASCII digits: other digits are refused, never a 500,
and never a throttle key of their own.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from governance.adapters.hashing import Argon2CodeHasher
from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.errors import InvalidCredentials
from governance.service_layer import auth
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app
from web.throttle import CARD_LIMITS, card_number

pytestmark = pytest.mark.e2e

ATTACKER = ("198.51.100.66", 40000)
CHAIR_DESK = ("203.0.113.10", 40000)
HOTEL = ("192.0.2.77", 40000)


def attempt(client: TestClient, congress_id: str, code: str, path: str = "signin") -> int:
    page = client.get(f"/congresses/{congress_id}/{path}")
    data = {"csrf_token": csrf(page.text), "code": code}
    return client.post(f"/congresses/{congress_id}/{path}", data=data).status_code


def wrong_code_for(right: str) -> str:
    return right[:-4] + ("AAAA" if not right.endswith("AAAA") else "BBBB")


def test_wrong_codes_for_the_chairs_card_from_elsewhere_do_not_lock_the_chair_out(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app)
    chair = c.identity["chair"]
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False, client=ATTACKER) as attacker:
        statuses = [attempt(attacker, c.id, wrong_code_for(chair)) for _ in range(40)]
        assert statuses[0] == 401 and statuses[-1] == 429, "the guesser itself is throttled"
    with TestClient(app, follow_redirects=False, client=CHAIR_DESK) as laptop:
        assert attempt(laptop, c.id, chair) == 303, "the chair was locked out by a stranger"


def test_a_guesser_behind_the_same_nat_does_not_lock_out_an_owner_who_signed_in_here_before(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app)
    chair = c.identity["chair"]
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False, client=HOTEL) as laptop:
        assert attempt(laptop, c.id, chair) == 303  # yesterday: this browser is now known
        with TestClient(app, follow_redirects=False, client=HOTEL) as guesser:
            statuses = [attempt(guesser, c.id, wrong_code_for(chair)) for _ in range(25)]
            assert statuses[-1] == 429
        assert attempt(laptop, c.id, chair) == 303, "the owner was locked out from the NAT"
    with TestClient(app, follow_redirects=False, client=HOTEL) as new_browser:
        # Known limit: a browser never used with the card shares the address's lock.
        assert attempt(new_browser, c.id, chair) == 429


def test_retries_while_throttled_do_not_lengthen_the_pairs_lock(sqlite_app: Suara) -> None:
    """A guesser hammering a throttled card does not keep it locked past its first window."""
    c = factories.congress(sqlite_app)
    chair = c.identity["chair"]
    app = create_app(sqlite_app)
    throttle = app.state.throttle
    with TestClient(app, follow_redirects=False, client=ATTACKER) as attacker:
        for _ in range(CARD_LIMITS[0].amount):
            assert attempt(attacker, c.id, wrong_code_for(chair)) == 401
        for _ in range(3 * CARD_LIMITS[1].amount):
            assert attempt(attacker, c.id, wrong_code_for(chair)) == 429
    number = card_number(chair)
    assert number is not None
    # Only the failures that were checked count: the refused ones are not failures of the pair.
    wait = throttle.wait_seconds("signin", ATTACKER[0], f"{c.id}:{number}")
    assert 0 < wait <= 60


def test_one_phone_behind_the_hotel_nat_does_not_block_voting_cards_for_everyone(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app)
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False, client=HOTEL) as guesser:
        for _ in range(300):
            guesser_status = attempt(guesser, c.id, codes.new_voting_code(), "voting-card")
            assert guesser_status == 401
    with TestClient(app, follow_redirects=False, client=HOTEL) as neighbour:
        assert attempt(neighbour, c.id, c.voting_codes[0], "voting-card") == 303


class CountingHasher:
    def __init__(self) -> None:
        self.inner = Argon2CodeHasher(time_cost=1, memory_cost=1024)
        self.hashes = 0
        self.verifies = 0

    def hash(self, code: str) -> str:
        self.hashes += 1
        return self.inner.hash(code)

    def verify(self, code_hash: str, code: str) -> bool:
        self.verifies += 1
        return self.inner.verify(code_hash, code)


@pytest.mark.parametrize("kind", ["unknown card", "wrong code", "malformed", "revoked"])
def test_every_refused_sign_in_costs_exactly_one_hash_check_and_no_hashing(
    sqlite_app: Suara, kind: str
) -> None:
    c = factories.congress(sqlite_app)
    number = int(c.identity["delegate"].split("-", 1)[0])
    typed = {
        "unknown card": "777-" + "A" * 20,
        "wrong code": wrong_code_for(c.identity["delegate"]),
        "malformed": "%%%",
        "revoked": c.identity["delegate"],
    }[kind]
    if kind == "revoked":
        with sqlite_app.uow_factory() as uow:
            uow.cards.replace_identity_code(c.id, number, None)
            uow.commit()
    hasher = CountingHasher()
    with pytest.raises(InvalidCredentials):  # warms any cache
        auth.sign_in(sqlite_app.uow_factory, hasher, c.id, "99999-" + "0" * 20)
    hasher.hashes = hasher.verifies = 0
    with pytest.raises(InvalidCredentials):
        auth.sign_in(sqlite_app.uow_factory, hasher, c.id, typed)
    assert (hasher.hashes, hasher.verifies) == (0, 1)


@pytest.mark.parametrize("head", ["²", "\u0661", "\uff11", "01", "0001", "1²"])
def test_card_numbers_are_ascii_digits_in_their_shortest_form(head: str) -> None:
    folded = card_number(f"{head}-ABCD")
    if head.isascii():
        assert folded == str(int(head)), "leading zeros are the same card and the same key"
    else:
        assert folded is None
    if not head.isascii():
        with pytest.raises(InvalidCredentials):
            codes.split_identity_code(f"{head}-" + "A" * 20)


@pytest.mark.parametrize("head", ["²", "\u0661", "\uff11"])
def test_a_non_ascii_card_number_is_refused_like_any_wrong_code_not_a_500(
    sqlite_app: Suara, head: str
) -> None:
    c = factories.congress(sqlite_app)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        assert attempt(phone, c.id, f"{head}-" + "A" * 20) == 401


@pytest.mark.parametrize("choice", ["²", "\u0661", "\uff11"])
def test_a_non_ascii_digit_as_a_ballot_choice_is_a_422_not_a_500(
    sqlite_app: Suara, choice: str
) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        assert attempt(phone, c.id, c.voting_codes[0], "voting-card") == 303
        token = csrf(phone.get(f"/polls/{poll_id}").text)
        data = {"csrf_token": token, "choice": choice}
        answer = phone.post(f"/polls/{poll_id}/ballot", data=data)
        assert answer.status_code == 422
