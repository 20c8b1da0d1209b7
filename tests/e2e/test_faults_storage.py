"""Storage outages: PostgreSQL unreachable or SQLite locked answer 503 "not recorded, try
again", never a false success, and the same ballot succeeds once the database is back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.bootstrap import Suara, bootstrap
from tests import factories
from tests.conftest import FAST_HASHER
from tests.e2e.flow import csrf
from tests.e2e.proxy import CuttableProxy
from web.app import create_app

pytestmark = pytest.mark.e2e


def voter(app: Suara, congress: factories.Congress, poll_id: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(app), follow_redirects=False, cookies={"lang": "en"})
    page = client.get(f"/congresses/{congress.id}/voting-card")
    data = {"csrf_token": csrf(page.text), "code": congress.voting_codes[0]}
    assert client.post(f"/congresses/{congress.id}/voting-card", data=data).status_code == 303
    return client, csrf(client.get(f"/polls/{poll_id}").text)


def assert_not_recorded(answer_status: int, text: str, headers: dict[str, str]) -> None:
    assert answer_status == 503
    assert "Not recorded" in text
    assert headers.get("retry-after") == "2"


@pytest.fixture
def proxied(tmp_path: Path, pg_url: str) -> Iterator[tuple[Suara, Suara, CuttableProxy]]:
    """The same database twice: directly (the test's view) and through a proxy (the web's)."""
    from tests.conftest import make_settings

    direct = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    url = sa.make_url(pg_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    via = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    web = bootstrap(replace(direct.settings, database_url=via), hasher=FAST_HASHER)
    yield direct, web, proxy
    proxy.cut()
    web.dispose()
    direct.dispose()


def test_postgresql_unreachable_gives_503_not_recorded_and_the_retry_succeeds(
    proxied: tuple[Suara, Suara, CuttableProxy],
) -> None:
    direct, web, proxy = proxied
    congress = factories.congress(direct)
    poll_id = factories.open_motion(direct, congress.id)
    client, token = voter(web, congress, poll_id)
    with client:
        proxy.cut()
        answer = client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
        assert_not_recorded(answer.status_code, answer.text, dict(answer.headers))
        assert direct.queries.board(poll_id) == []
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["error"] == "storage_unavailable"
        proxy.restore()
        answer = client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
        assert answer.status_code == 303
        again = client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
        assert again.status_code == 409  # stored once; a repeat is refused whatever its choice
    assert [c for _, c in direct.queries.board(poll_id)] == ["1"]


def test_a_locked_sqlite_database_gives_503_not_recorded_and_the_retry_succeeds(
    sqlite_app: Suara,
) -> None:
    congress = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, congress.id)
    client, token = voter(sqlite_app, congress, poll_id)
    path = sqlite_app.settings.database_url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None)
    with client:
        locker.execute("BEGIN EXCLUSIVE")
        try:
            answer = client.post(
                f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "0"}
            )
            assert_not_recorded(answer.status_code, answer.text, dict(answer.headers))
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert sqlite_app.queries.board(poll_id) == []
        answer = client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "0"})
        assert answer.status_code == 303
    assert [c for _, c in sqlite_app.queries.board(poll_id)] == ["0"]
