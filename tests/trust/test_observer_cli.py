"""Observer and secretariat commands: keygen, observer registration, cosign, key, purge."""

from __future__ import annotations

import json
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
import uvicorn
from click.testing import CliRunner

from governance.adapters.record_export import write_records
from governance.adapters.tables import ballots, delegates, identity_cards, voting_cards
from governance.bootstrap import Suara
from governance.cli import main
from governance.domain.commands import AddCosignature, CastBallot, ClosePoll, RegisterObserver
from governance.records.verifier import verify
from governance.service_layer.trust import congress_public_key
from tests import factories
from tests.e2e.flow import free_port
from tests.trust.helpers import Driver, voted_poll
from web.app import create_app


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


@pytest.fixture
def env(app: Suara, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SUARA_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("SUARA_SECRET_KEY", app.settings.secret_key)
    monkeypatch.setenv("SUARA_DATA_DIR", str(tmp_path))
    return CliRunner()


def one_line_refusal(result: object) -> bool:
    output = getattr(result, "output", "")
    return getattr(result, "exit_code", 0) == 2 and len(output.strip().splitlines()) == 1


def test_an_observer_registers_cosigns_offline_and_uploads(
    app: Suara, driver: Driver, env: CliRunner, tmp_path: Path
) -> None:
    c = factories.congress(app, delegates=6, cards=6)
    key = tmp_path / "saksi.key"
    made = env.invoke(main, ["keygen", "--out", str(key)])
    assert made.exit_code == 0 and "fingerprint" in made.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    public = Path(f"{key}.pub").read_text().strip()
    assert one_line_refusal(env.invoke(main, ["keygen", "--out", str(key)]))
    args = ["observer", "--congress", c.id, "--label", "Saksi Timur", "--public-key", public]
    assert env.invoke(main, args).exit_code == 0
    bad = ["observer", "--congress", c.id, "--label", "X", "--public-key", "zz"]
    assert one_line_refusal(env.invoke(main, bad))
    printed = env.invoke(main, ["key", "--congress", c.id]).output
    assert congress_public_key(app.settings.secret_key, c.id)[1] in printed
    poll_id = factories.open_motion(app, c.id)
    driver.settle()
    for tag in c.tags[:5]:
        app.bus.handle(CastBallot(poll_id, tag, (1,)))
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    record = tmp_path / "record.json"
    assert env.invoke(main, ["export", "--congress", c.id, "--out", str(record)]).exit_code == 0
    signed = tmp_path / "sig.json"
    run = env.invoke(main, ["cosign", str(record), "--key", str(key), "--out", str(signed)])
    assert run.exit_code == 0, run.output
    signature = json.loads(signed.read_text())[0]

    assert app.bus.handle(AddCosignature(poll_id, public, signature["signature"])) is True
    tampered = json.loads(record.read_text())
    tampered["polls"][0]["board"]["document"]["ballots"][0]["choices"] = [0]
    record.write_text(json.dumps(tampered))
    refused = env.invoke(main, ["cosign", str(record), "--key", str(key)])
    assert one_line_refusal(refused) and "does not verify" in refused.output


def test_purge_removes_identity_and_card_data_and_the_record_still_verifies(
    app: Suara, driver: Driver, env: CliRunner, tmp_path: Path
) -> None:
    c, poll_id = voted_poll(app, driver, [0, 1, 0, 0, 2, 1])
    open_poll = factories.open_motion(app, c.id)
    refused = env.invoke(main, ["purge", "--congress", c.id, "--yes"])
    assert one_line_refusal(refused)
    assert one_line_refusal(env.invoke(main, ["purge", "--congress", c.id]))

    app.bus.handle(ClosePoll(open_poll))
    driver.settle()
    with app.engine.connect() as conn:
        nullifiers = set(conn.execute(sa.select(ballots.c.nullifier)).scalars())
    purged = env.invoke(main, ["purge", "--congress", c.id, "--yes"])
    assert purged.exit_code == 0, purged.output
    with app.engine.connect() as conn:
        for table in (delegates, identity_cards, voting_cards):
            count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            assert count == 0, table.name
        after = set(conn.execute(sa.select(ballots.c.nullifier)).scalars())
    assert len(after) == len(nullifiers) and not after & nullifiers
    driver.settle()
    record = tmp_path / "after.json"
    assert env.invoke(main, ["export", "--congress", c.id, "--out", str(record)]).exit_code == 0
    data = json.loads(record.read_text())
    assert verify(data).failures == []
    assert env.invoke(main, ["verify", str(record)]).exit_code == 0
    assert any(e.get("type") == "congress.purged" for e in data["events"])
    assert poll_id in record.read_text()


def test_purge_flushes_the_apps_redis_keys_only(
    app: Suara,
    env: CliRunner,
    redis_url: str,
    broker_namespace: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = factories.congress(app)
    client = redis.Redis.from_url(redis_url)
    other = f"other-app-{broker_namespace}"
    client.set(f"{broker_namespace}.DQ.suara", "x")
    client.set(f"{broker_namespace}:rl:login:17", "3")
    client.set(other, "keep")
    monkeypatch.setenv("SUARA_REDIS_URL", redis_url)
    monkeypatch.setenv("SUARA_BROKER_NAMESPACE", broker_namespace)
    try:
        result = env.invoke(main, ["purge", "--congress", c.id, "--yes"])
        assert result.exit_code == 0, result.output
        assert list(client.scan_iter(f"{broker_namespace}*")) == []
        assert client.get(other) == b"keep"
    finally:
        client.delete(other)
        client.close()


def test_write_records_gives_one_verifiable_file_per_closed_poll_and_one_per_congress(
    app: Suara, driver: Driver, tmp_path: Path
) -> None:
    c, poll_id = voted_poll(app, driver, [0, 1, 0, 0, 1])
    factories.open_motion(app, c.id)
    driver.settle()
    paths = write_records(
        app.queries,
        app.trust,
        app.settings.secret_key,
        app.settings.min_group,
        c.id,
        tmp_path / "records",
    )
    assert [p.name for p in paths] == [f"poll-{poll_id}.json", f"congress-{c.id}.json"]
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(main, ["verify", str(path)])
        assert result.exit_code == 0, result.output


def test_cosign_uploads_signatures_to_a_running_site(
    app: Suara, driver: Driver, env: CliRunner, tmp_path: Path
) -> None:
    c, poll_id = voted_poll(app, driver, [0, 1, 0, 0, 1])
    key = tmp_path / "saksi.key"
    env.invoke(main, ["keygen", "--out", str(key)])
    public = Path(f"{key}.pub").read_text().strip()
    app.bus.handle(RegisterObserver(c.id, "Saksi Tengah", public))
    driver.settle()
    record = tmp_path / "record.json"
    env.invoke(main, ["export", "--poll", poll_id, "--out", str(record)])
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(app), port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        run = env.invoke(main, ["cosign", str(record), "--key", str(key), "--upload", base])
        assert run.exit_code == 0 and "HTTP 201" in run.output, run.output
        assert [s.label for s in app.trust.cosignatures(c.id, poll_id)] == ["Saksi Tengah"]
        stranger = tmp_path / "stranger.key"
        env.invoke(main, ["keygen", "--out", str(stranger)])
        refused = env.invoke(
            main, ["cosign", str(record), "--key", str(stranger), "--upload", base]
        )
        assert one_line_refusal(refused) and "HTTP 422" in refused.output
        bad = env.invoke(main, ["cosign", str(record), "--key", str(key), "--upload", "ftp://x"])
        assert one_line_refusal(bad)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
