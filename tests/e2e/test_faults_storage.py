"""Storage outages: PostgreSQL unreachable or SQLite locked answer 503 "not recorded, try
again", never a false success, and the same ballot succeeds once the database is back."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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


def _terminate_connections(url: str) -> int:
    """End every other session of this test's own database, as a PostgreSQL restart does
    (the shared server and other tests' databases are left alone)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            ended = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)


async def _hold_connections(app: Suara, count: int) -> None:
    """Make the cast path open `count` connections at once, then leave them idle."""
    assert app.awaited_casts is not None

    async def hold() -> None:
        async with app.awaited_casts.transaction():  # type: ignore[union-attr]
            await asyncio.sleep(0.05)

    await asyncio.gather(*(hold() for _ in range(count)))


def test_after_postgresql_ends_every_connection_reads_and_casts_carry_on(
    tmp_path: Path, pg_url: str
) -> None:
    from tests.conftest import make_settings

    app = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    try:
        congress = factories.congress(app, delegates=12, cards=12)
        poll_id = factories.open_motion(app, congress.id)
        web = TestClient(create_app(app), follow_redirects=False, cookies={"lang": "en"})
        phones = []
        for code in congress.voting_codes[:10]:
            phone = TestClient(create_app(app), follow_redirects=False, cookies={"lang": "en"})
            page = phone.get(f"/congresses/{congress.id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": code}
            assert (
                phone.post(f"/congresses/{congress.id}/voting-card", data=data).status_code == 303
            )
            phones.append((phone, csrf(phone.get(f"/polls/{poll_id}").text)))
        with ThreadPoolExecutor(max_workers=6) as pool:  # several idle pooled connections
            list(pool.map(lambda _: app.queries.poll(poll_id), range(24)))
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _hold_connections(app, 8)).result()
        assert _terminate_connections(pg_url) >= 9
        time.sleep(0.2)
        pages = [
            f"/congresses/{congress.id}",
            f"/polls/{poll_id}/audit",
            f"/congresses/{congress.id}/projector",
            "/api/health",
        ]
        assert {page: web.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)
        answers = []
        for phone, token in phones:
            cast = phone.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
            answers.append(cast.status_code)
        assert answers == [303] * len(phones), answers
        assert len(app.queries.board(poll_id)) == len(phones)
    finally:
        app.dispose()


def test_every_read_of_an_unreachable_postgresql_is_503_with_a_retry_hint(
    proxied: tuple[Suara, Suara, CuttableProxy],
) -> None:
    direct, web, proxy = proxied
    congress = factories.congress(direct)
    poll_id = factories.open_motion(direct, congress.id)
    client = TestClient(create_app(web), follow_redirects=False, cookies={"lang": "en"})
    pages = [
        f"/congresses/{congress.id}",
        f"/polls/{poll_id}/audit",
        f"/congresses/{congress.id}/projector",
        f"/polls/{poll_id}",
    ]
    with client:
        assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)
        proxy.cut()
        for page in pages:
            answer = client.get(page)
            assert answer.status_code == 503, (page, answer.status_code)
            assert answer.headers.get("retry-after") == "2", page
        proxy.restore()
        assert client.get(pages[1]).status_code == 200
