"""Sessions time out (idle and absolute); the audit log shows who did what, to observers."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.delegates import Role
from governance.service_layer import setup
from tests import factories
from tests.e2e.flow import csrf
from web import security
from web.app import create_app

pytestmark = pytest.mark.e2e


class Clock:
    def __init__(self, start: int) -> None:
        self.value = start

    def __call__(self) -> int:
        return self.value


def sign_in(client: TestClient, congress_id: str, code: str) -> None:
    page = client.get(f"/congresses/{congress_id}/signin")
    data = {"csrf_token": csrf(page.text), "code": code}
    assert client.post(f"/congresses/{congress_id}/signin", data=data).status_code == 303


def is_chair(client: TestClient, poll_id: str) -> bool:
    return f'action="/polls/{poll_id}/close"' in client.get(f"/polls/{poll_id}").text


def test_an_idle_session_expires_and_its_form_token_stops_working(
    sqlite_app: Suara, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(1_800_000_000)
    monkeypatch.setattr(security, "now", clock)
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as laptop:
        sign_in(laptop, c.id, c.identity["chair"])
        token = csrf(laptop.get(f"/polls/{poll_id}").text)
        clock.value += security.IDLE_TIMEOUT_S - 5
        assert is_chair(laptop, poll_id)  # activity keeps it alive
        clock.value += security.IDLE_TIMEOUT_S + 1
        assert not is_chair(laptop, poll_id)
        closing = laptop.post(f"/polls/{poll_id}/close", data={"csrf_token": token})
        assert closing.status_code == 403
    assert sqlite_app.queries.poll(poll_id).status.value == "open"  # type: ignore[union-attr]


def test_a_busy_session_still_ends_at_the_absolute_timeout(
    sqlite_app: Suara, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(1_800_000_000)
    monkeypatch.setattr(security, "now", clock)
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as laptop:
        sign_in(laptop, c.id, c.identity["chair"])
        started = clock.value
        while clock.value - started < security.ABSOLUTE_TIMEOUT_S - security.IDLE_TIMEOUT_S:
            clock.value += security.IDLE_TIMEOUT_S // 2
            assert is_chair(laptop, poll_id)
        clock.value = started + security.ABSOLUTE_TIMEOUT_S + 1
        assert not is_chair(laptop, poll_id)


def test_observers_see_every_chair_action_with_card_and_time_and_delegates_do_not(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    printed = setup.issue_identity_cards(
        sqlite_app.uow_factory, sqlite_app.hasher, c.id, [(500, Role.OBSERVER, None, "Saksi")]
    )
    app = create_app(sqlite_app)
    with TestClient(app, follow_redirects=False) as laptop:
        sign_in(laptop, c.id, c.identity["chair"])
        token = csrf(laptop.get(f"/polls/{poll_id}").text)
        assert laptop.post(f"/polls/{poll_id}/close", data={"csrf_token": token}).status_code == 303
    with TestClient(app, follow_redirects=False, cookies={"lang": "en"}) as observer:
        sign_in(observer, c.id, printed[500])
        page = observer.get(f"/congresses/{c.id}/actions")
        assert page.status_code == 200
        assert "chair #900" in page.text and "close_poll" in page.text and poll_id in page.text
    with TestClient(app, follow_redirects=False) as phone:
        sign_in(phone, c.id, c.identity["delegate"])
        assert phone.get(f"/congresses/{c.id}/actions").status_code == 403
