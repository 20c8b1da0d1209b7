"""`suara purge` on a real congress: the whole reference rehearsal, then the purge.

Before issue 18 (item 7) it failed on every congress with an election (a foreign key from
nominations to delegates: nothing removed, a ConcurrentWrite traceback), left the sign-in
rate-limit keys in Redis under the library's own prefix (`LIMITS:LIMITER/...`, card numbers
in clear) and the removed rows readable in the database's files.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from click.testing import CliRunner
from starlette.testclient import TestClient

from governance.adapters.tables import (
    ballots,
    delegates,
    identity_cards,
    metadata,
    named_votes,
    nominations,
    polls,
    voting_cards,
)
from governance.bootstrap import bootstrap
from governance.cli import main
from governance.cli.rehearse import run_rehearsal
from governance.config import settings_from_env
from governance.records.verifier import load, verify
from tests.conftest import FAST_HASHER
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


def test_every_table_that_names_a_delegate_is_purged_before_the_delegates() -> None:
    from governance.adapters.trust_repository import PURGED_WITH_DELEGATES

    referring = {
        table.name
        for table in metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table is delegates
    }
    assert referring == set(PURGED_WITH_DELEGATES)


def files_of(database: Path) -> bytes:
    """The database file and its write-ahead log, as a copy of the folder holds them."""
    return b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))


def test_purge_after_a_full_rehearsal_removes_identity_data_from_tables_files_and_redis(
    tmp_path: Path, redis_url: str, broker_namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, data, key = tmp_path / "out", tmp_path / "data", secrets.token_hex(32)
    run_rehearsal(out, data, hasher=FAST_HASHER, secret_key=key)
    (before,) = (out / "records").glob("congress-*.json")
    congress_id = json.loads(before.read_text())["congress"]["id"]
    env = {
        "SUARA_DATA_DIR": str(data),
        "SUARA_SECRET_KEY": key,
        "SUARA_REDIS_URL": redis_url,
        "SUARA_BROKER_NAMESPACE": broker_namespace,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = replace(settings_from_env(env))
    app = bootstrap(settings, hasher=FAST_HASHER)
    database = Path(str(app.engine.url.database))
    # A mistyped code for the chair's card, with Redis shared by the web processes.
    with TestClient(create_app(app), follow_redirects=False) as client:
        form = client.get(f"/congresses/{congress_id}/signin")
        client.post(
            f"/congresses/{congress_id}/signin",
            data={"csrf_token": csrf(form.text), "code": "901-AAAA-BBBB-CCCC"},
        )
    client_redis = redis.Redis.from_url(redis_url)
    assert list(client_redis.scan_iter(f"{broker_namespace}:rl:*"))  # under the namespace
    with app.engine.connect() as conn:
        of_congress = sa.select(polls.c.id).where(polls.c.congress_id == congress_id)
        old_nullifiers = set(
            conn.execute(
                sa.select(ballots.c.nullifier).where(ballots.c.poll_id.in_(of_congress))
            ).scalars()
        )
        tags = set(conn.execute(sa.select(voting_cards.c.tag)).scalars())
        assert conn.execute(sa.select(sa.func.count()).select_from(nominations)).scalar_one()
        assert conn.execute(sa.select(sa.func.count()).select_from(named_votes)).scalar_one()
    app.dispose()
    assert b"$argon2id$" in files_of(database) and len(old_nullifiers) > 900

    runner = CliRunner()
    purged = runner.invoke(main, ["purge", "--congress", congress_id, "--yes"])
    assert purged.exit_code == 0, purged.output
    assert "nominations" in purged.output

    app = bootstrap(settings, hasher=FAST_HASHER)
    try:
        with app.engine.connect() as conn:
            for table in (delegates, identity_cards, voting_cards, nominations, named_votes):
                count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                assert count == 0, table.name
            new_nullifiers = set(conn.execute(sa.select(ballots.c.nullifier)).scalars())
    finally:
        app.dispose()
    assert len(new_nullifiers) == len(old_nullifiers) and not new_nullifiers & old_nullifiers
    # Nor left in the files: no identity code hash, card tag or old nullifier in the
    # database file, its free pages or its write-ahead log.
    files = files_of(database)
    assert b"$argon2id$" not in files
    assert not [t for t in tags if t.encode() in files]
    assert not [n for n in old_nullifiers if n.encode() in files]
    assert list(client_redis.scan_iter(f"{broker_namespace}*")) == []
    client_redis.close()

    # The records still verify, and the history is the rehearsal's, extended.
    after = tmp_path / "after.json"
    exported = runner.invoke(main, ["export", "--congress", congress_id, "--out", str(after)])
    assert exported.exit_code == 0, exported.output
    assert verify(load(str(after))).failures == []
    known = runner.invoke(main, ["verify", str(after), "--known", str(before)])
    assert known.exit_code == 0, known.output
    for record in (out / "records").glob("poll-*.json"):
        assert verify(load(str(record))).failures == [], record.name
