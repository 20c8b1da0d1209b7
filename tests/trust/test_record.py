from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from governance.adapters.event_log import chain_hash as server_chain_hash
from governance.adapters.record_export import build_record, record_bytes
from governance.adart import commands as adart
from governance.bootstrap import Suara
from governance.cli import main
from governance.domain.commands import ClosePoll, CreatePoll, OpenPoll, PurgeCongress
from governance.records import canon
from governance.records.verifier import verify
from tests import factories
from tests.trust.helpers import Driver, voted_poll

Record = dict[str, Any]


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


def export(app: Suara, congress_id: str, poll_id: str | None = None) -> Record:
    record = build_record(app.queries, app.trust, app.settings.secret_key, congress_id, poll_id)
    parsed: Record = json.loads(record_bytes(record))
    return parsed


@pytest.fixture
def record(app: Suara, driver: Driver) -> Record:
    c, _ = voted_poll(app, driver, [0, 1, 0, 2, 0, 1, 0])
    return export(app, c.id)


def test_an_exported_record_verifies_and_says_what_it_checked(record: Record) -> None:
    report = verify(record)
    assert report.failures == []
    text = report.render()
    assert "hash chain" in text and "recounted 7 ballots" in text
    assert "7 ballots <= 9 voting cards registered" in text
    assert "board is the one fixed by the signed closing checkpoint" in text


def test_a_record_does_not_say_who_checked_in_when(record: Record) -> None:
    shown = {e.get("type") for e in record["events"]}
    assert "delegate.checked_in" not in shown and "poll.closed" in shown
    redacted = [e for e in record["events"] if e.get("redacted")]
    assert redacted and all(set(e) == {"seq", "redacted", "prev_hash", "hash"} for e in redacted)


def test_the_verifier_hashes_the_chain_exactly_as_the_server_does(record: Record) -> None:
    event = next(e for e in record["events"] if not e.get("redacted"))
    assert canon.chain_hash(event["prev_hash"], canon.event_record(event)) == server_chain_hash(
        event["prev_hash"], canon.event_record(event)
    )


def board(record: Record) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = record["polls"][0]["board"]["document"]["ballots"]
    return rows


def change_ballot(r: Record) -> None:
    row = board(r)[2]
    row["choices"] = [1 if row["choices"] != [1] else 0]


def delete_ballot(r: Record) -> None:
    del board(r)[3]


def insert_ballot(r: Record) -> None:
    board(r).append({"receipt": "ZZZZZZZZZZZZZZZZ", "choices": [0]})


def reorder_ballots(r: Record) -> None:
    rows = board(r)
    rows[0], rows[1] = rows[1], rows[0]


def change_event(r: Record) -> None:
    closed = next(e for e in r["events"] if e.get("type") == "poll.closed")
    closed["payload"]["snapshot"]["ballots"] = 6


def delete_event(r: Record) -> None:
    del r["events"][4]


def insert_event(r: Record) -> None:
    extra = copy.deepcopy(r["events"][3])
    r["events"].insert(4, extra)


def reorder_events(r: Record) -> None:
    ev = r["events"]
    ev[4], ev[5] = ev[5], ev[4]


def forge_checkpoint(r: Record) -> None:
    cp = next(c for c in r["checkpoints"] if c["kind"] == "close")
    cp["head"] = r["events"][2]["hash"]
    cp["signature"] = canon.sign(Ed25519PrivateKey.generate(), canon.checkpoint_message(cp))


def replay_checkpoint(r: Record) -> None:
    opened = next(c for c in r["checkpoints"] if c["kind"] == "open")
    r["checkpoints"].append(copy.deepcopy(opened) | {"id": "replayed"})


def change_result(r: Record) -> None:
    r["polls"][0]["result"]["data"]["totals"] = {"yes": 99}


TAMPERS: dict[str, tuple[Callable[[Record], None], str]] = {
    "change a ballot": (change_ballot, "does not hash to its published sha256"),
    "delete a ballot": (delete_ballot, "receipts differ from the digest logged at the close"),
    "insert a ballot": (insert_ballot, "receipts differ from the digest logged at the close"),
    "reorder ballots": (reorder_ballots, "out of order"),
    "change an event": (change_event, "content does not match its hash"),
    "delete an event": (delete_event, "expected seq 5"),
    "insert an event": (insert_event, "expected seq 5"),
    "reorder events": (reorder_events, "previous-hash link is broken"),
    "forge a checkpoint": (forge_checkpoint, "signature does not verify"),
    "replay a checkpoint": (replay_checkpoint, "more than one such checkpoint"),
    "change the result": (change_result, "recount differs"),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_every_tampering_is_reported_naming_what_and_where(
    sqlite_app: Suara, name: str, tmp_path: Path
) -> None:
    driver = Driver(sqlite_app)
    c, _ = voted_poll(sqlite_app, driver, [0, 1, 0, 2, 0, 1, 0])
    driver.close()
    tampered = export(sqlite_app, c.id)
    action, expected = TAMPERS[name]
    action(tampered)
    failures = verify(tampered).failures
    assert any(expected in f for f in failures), failures
    path = tmp_path / "record.json"
    path.write_text(json.dumps(tampered))
    result = CliRunner().invoke(main, ["verify", str(path)])
    assert result.exit_code == 1 and "RECORD NOT VERIFIED" in result.output


def test_a_record_restored_from_an_older_backup_is_reported_as_a_rollback(
    app: Suara, driver: Driver, tmp_path: Path
) -> None:
    c, _ = voted_poll(app, driver, [0, 1, 0, 0, 1])
    older = export(app, c.id)
    factories.open_motion(app, c.id)
    driver.settle()
    newer = export(app, c.id)
    assert verify(newer, newer["checkpoints"]).failures == []
    failures = verify(older, newer["checkpoints"]).failures
    assert any(f.startswith("ROLLBACK") and "beyond this log's head" in f for f in failures)
    (tmp_path / "older.json").write_text(json.dumps(older))
    (tmp_path / "newer.json").write_text(json.dumps(newer))
    args = ["verify", str(tmp_path / "older.json"), "--known", str(tmp_path / "newer.json")]
    assert CliRunner().invoke(main, args).exit_code == 1


def test_the_cli_exports_and_verifies_a_poll_record(
    app: Suara, driver: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, poll_id = voted_poll(app, driver, [0, 0, 1, 1, 0])
    monkeypatch.setenv("SUARA_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("SUARA_SECRET_KEY", app.settings.secret_key)
    monkeypatch.setenv("SUARA_DATA_DIR", str(tmp_path))
    out = tmp_path / "poll.json"
    runner = CliRunner()
    assert runner.invoke(main, ["export", "--poll", poll_id, "--out", str(out)]).exit_code == 0
    result = runner.invoke(main, ["verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "RECORD VERIFIED" in result.output
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    bad = runner.invoke(main, ["verify", str(garbage)])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1


def test_an_open_named_vote_is_recounted_from_its_log_and_survives_a_purge(
    app: Suara, driver: Driver
) -> None:
    from tests import factories

    c = factories.congress(app, delegates=7, cards=7)
    poll_id = app.bus.handle(CreatePoll(congress_id=c.id, title="Agenda", named=True))
    app.bus.handle(OpenPoll(poll_id))
    for i, delegate in enumerate(c.delegate_ids):
        app.bus.handle(adart.CastNamedVote(poll_id, delegate, 0 if i < 5 else 1))
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    record = export(app, c.id)
    report = verify(record)
    assert report.failures == [] and "open (named) vote: 7 votes" in report.render()
    vote = next(e for e in record["events"] if e.get("type") == "named_vote.cast")
    vote["payload"]["choice"] = "no"
    assert verify(record).failures
    app.bus.handle(PurgeCongress(c.id))
    driver.settle()
    assert verify(export(app, c.id)).failures == []
