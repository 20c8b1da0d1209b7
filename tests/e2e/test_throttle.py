"""Sign-in throttling: per card and per address, growing delays, and a hotel behind one NAT."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.delegates import Role
from governance.service_layer import setup
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app
from web.throttle import CARD_LIMITS, SignInThrottle, card_number

pytestmark = pytest.mark.e2e


def attempt(client: TestClient, congress_id: str, code: str) -> tuple[int, int]:
    page = client.get(f"/congresses/{congress_id}/signin")
    data = {"csrf_token": csrf(page.text), "code": code}
    answer = client.post(f"/congresses/{congress_id}/signin", data=data)
    return answer.status_code, int(answer.headers.get("retry-after", 0))


def test_a_card_is_locked_for_its_guesser_after_repeated_failures_even_for_the_right_code(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app)
    right = c.identity["delegate"]
    wrong = right[:-4] + ("AAAA" if not right.endswith("AAAA") else "BBBB")
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        first_tier = CARD_LIMITS[0].amount
        for _ in range(first_tier):
            assert attempt(phone, c.id, wrong)[0] == 401
        status, wait_1 = attempt(phone, c.id, right)
        assert status == 429 and 0 < wait_1 <= 60
        # Another card from the same phone is not locked: the address limit is far higher.
        assert attempt(phone, c.id, c.identity["chair"])[0] == 303


def test_the_pairs_wait_grows_with_each_tier_of_checked_failures() -> None:
    throttle = SignInThrottle("k")
    waits = []
    for _ in range(CARD_LIMITS[2].amount):
        throttle.failed("signin", "192.0.2.8", "c:9")
        waits.append(throttle.wait_seconds("signin", "192.0.2.8", "c:9"))
    assert 0 < waits[CARD_LIMITS[0].amount - 1] <= 60
    assert waits[CARD_LIMITS[1].amount - 1] > 60, "a second tier of failures means a longer wait"
    assert waits[CARD_LIMITS[2].amount - 1] > 15 * 60
    assert throttle.wait_seconds("signin", "192.0.2.9", "c:9") == 0, "another address is free"


def test_52_delegates_behind_one_address_all_sign_in_even_after_a_typo_each(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app, delegates=52, cards=52)
    holders = [(i + 1, Role.DELEGATE, d, f"Alias {i + 1}") for i, d in enumerate(c.delegate_ids)]
    printed = setup.issue_identity_cards(
        sqlite_app.uow_factory, sqlite_app.hasher, c.id, [h for h in holders if h[0] != 1]
    )
    printed[1] = c.identity["delegate"]
    app = create_app(sqlite_app)
    for number, code in sorted(printed.items()):
        with TestClient(app, follow_redirects=False) as phone:  # all from "testclient"
            assert attempt(phone, c.id, code[:-1] + ("0" if code[-1] != "0" else "1"))[0] == 401
            assert attempt(phone, c.id, code)[0] == 303, f"delegate {number} was locked out"


def test_unknown_and_wrong_codes_look_the_same_while_throttled(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        for _ in range(CARD_LIMITS[0].amount):
            attempt(phone, c.id, "77-AAAA-AAAA-AAAA-AAAA-AAAA")  # no card 77 exists
        assert attempt(phone, c.id, "77-AAAA-AAAA-AAAA-AAAA-AAAA")[0] == 429


def test_the_throttle_keeps_no_address_in_clear(sqlite_app: Suara) -> None:
    throttle = SignInThrottle("secret")
    throttle.failed("signin", "203.0.113.9", "c:1")
    stored = repr(throttle.limiter.storage.__dict__)  # type: ignore[attr-defined]
    assert "203.0.113.9" not in stored
    assert card_number("12-ABCD") == "12" and card_number("ABCD-12") is None


def test_the_throttle_shares_its_counters_through_redis(redis_url: str) -> None:
    one, two = SignInThrottle("k", redis_url), SignInThrottle("k", redis_url)
    card = f"test-{id(one)}"
    for _ in range(CARD_LIMITS[0].amount):
        one.failed("signin", "198.51.100.7", card)
    assert two.wait_seconds("signin", "198.51.100.7", card) > 0


def test_with_redis_unreachable_the_throttle_counts_locally_and_sign_in_still_works() -> None:
    from tests.e2e.flow import free_port

    throttle = SignInThrottle("k", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    assert throttle.wait_seconds("signin", "192.0.2.1", "c:5") == 0
    for _ in range(CARD_LIMITS[0].amount):
        throttle.failed("signin", "192.0.2.1", "c:5")
    assert throttle.wait_seconds("signin", "192.0.2.1", "c:5") > 0
