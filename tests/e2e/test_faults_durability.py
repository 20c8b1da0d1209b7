"""An acknowledged ballot is durable: the process killed (SIGKILL) right after the 303 that
acknowledged it, then restarted, still has it, on SQLite and on PostgreSQL; and SQLite syncs
each commit to disk (synchronous=FULL), so a power cut after the receipt does not lose it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from governance.bootstrap import Suara, bootstrap
from tests import factories
from tests.conftest import FAST_HASHER, make_settings
from tests.e2e.flow import SUARA, csrf, env_for, free_port, stop, wait_for_health
from tests.e2e.stack import kill9

pytestmark = pytest.mark.e2e

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_sqlite_connection_that_writes_syncs_each_commit(sqlite_app: Suara) -> None:
    with sqlite_app.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        assert raw.execute("PRAGMA synchronous").fetchone() == (FULL,)
    casts = sqlite_app.awaited_casts
    assert casts is not None
    cast_connection = casts._connection()  # type: ignore[attr-defined]  # the ballots' own one
    assert cast_connection.execute("PRAGMA synchronous").fetchone() == (FULL,)


@pytest.fixture(params=["sqlite", "postgresql"])
def prepared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Suara]:
    """A congress with an open motion on each backend, set up before the server starts."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url = request.getfixturevalue(fixture)
    app = bootstrap(make_settings(tmp_path, url), hasher=FAST_HASHER)
    yield app
    app.dispose()


def _serve(app: Suara, tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = env_for(
        tmp_path,
        SUARA_DATABASE_URL=app.settings.database_url,
        SUARA_SECRET_KEY=app.settings.secret_key,
    )
    log = (tmp_path / f"serve-{port}.log").open("a")
    server = subprocess.Popen(
        [SUARA, "serve", "--port", str(port)],
        env=env,
        text=True,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # kill9 signals the process group
    )
    log.close()
    wait_for_health(f"http://127.0.0.1:{port}", server)
    return server


def test_a_ballot_acknowledged_just_before_a_sigkill_is_there_after_the_restart(
    prepared: Suara, tmp_path: Path
) -> None:
    app = prepared
    congress = factories.congress(app, delegates=4, cards=4)
    poll_id = factories.open_motion(app, congress.id)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(app, tmp_path, port)
    try:
        with httpx2.Client(base_url=base, timeout=10, follow_redirects=False) as phone:
            page = phone.get(f"/congresses/{congress.id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": congress.voting_codes[0]}
            signed_in = phone.post(f"/congresses/{congress.id}/voting-card", data=data)
            assert signed_in.status_code == 303
            token = csrf(phone.get(f"/polls/{poll_id}").text)
            cast = phone.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
            assert cast.status_code == 303
            assert cast.headers["location"] == f"/polls/{poll_id}/receipt"
            kill9(server)  # right after the acknowledgement, before anything else happens
        assert server.returncode == -9
        server = _serve(app, tmp_path, port)
        after = bootstrap(app.settings, hasher=FAST_HASHER)  # a fresh process's view
        try:
            assert [choice for _, choice in after.queries.board(poll_id)] == ["1"]
        finally:
            after.dispose()
    finally:
        if server.poll() is None:
            stop(server)
