from __future__ import annotations

from collections.abc import Iterator

import pytest

from governance.bootstrap import Suara
from governance.domain.commands import SignCheckpoint, SignPeriodicCheckpoints
from governance.records import canon
from governance.service_layer.trust import congress_public_key
from tests import factories
from tests.trust.helpers import Driver, voted_poll


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


def test_a_poll_gets_signed_checkpoints_at_open_and_at_close_covering_its_board(
    app: Suara, driver: Driver
) -> None:
    c, poll_id = voted_poll(app, driver, [0, 0, 1, 2, 0])
    public, _ = congress_public_key(app.settings.secret_key, c.id)
    found = {cp.kind: cp for cp in app.trust.checkpoints(c.id, poll_id)}
    assert set(found) == {"open", "close"}
    log = {e.seq: e for e in app.queries.events(limit=10_000)}
    closed_at = next(e.seq for e in log.values() if e.type == "poll.closed")
    for cp in found.values():
        assert canon.signature_valid(
            public, canon.checkpoint_message(cp.signed_fields()), cp.signature
        )
        assert log[cp.seq].hash == cp.head
    assert found["close"].seq >= closed_at > found["open"].seq
    board = app.trust.board(poll_id)
    assert board is not None and found["close"].board_sha256 == board.sha256
    assert found["close"].ballots == 5


def test_signing_a_checkpoint_again_changes_nothing(app: Suara, driver: Driver) -> None:
    c, poll_id = voted_poll(app, driver, [0, 1, 0, 0, 1])
    before = app.trust.checkpoints(c.id)
    assert app.bus.handle(SignCheckpoint(poll_id, "close")) is False
    driver.relay.sweep()
    assert app.trust.checkpoints(c.id) == before


def test_periodic_checkpoints_are_signed_only_while_open_and_when_the_head_moved(
    app: Suara, driver: Driver
) -> None:
    c = factories.congress(app)
    factories.open_motion(app, c.id)
    driver.settle()
    assert app.bus.handle(SignPeriodicCheckpoints(every_s=0)) == 0  # head == open checkpoint
    factories.congress(app)  # other business moves the head; no checkpoint reacts to it
    app.outbox.sequence()
    assert app.bus.handle(SignPeriodicCheckpoints(every_s=3600)) == 0  # signed too recently
    assert app.bus.handle(SignPeriodicCheckpoints(every_s=0)) == 1
    assert app.bus.handle(SignPeriodicCheckpoints(every_s=0)) == 0
    kinds = [cp.kind for cp in app.trust.checkpoints(c.id)]
    assert kinds.count("periodic") == 1
