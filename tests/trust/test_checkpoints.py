from __future__ import annotations

from collections.abc import Iterator

import pytest

from governance.bootstrap import Suara
from governance.domain.commands import (
    CastBallot,
    ClosePoll,
    PublishResult,
    SignCheckpoint,
    SignPeriodicCheckpoints,
    TallyPoll,
)
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


def closed_uncounted(app: Suara, required_cosignatures: int = 0) -> tuple[str, str]:
    c = factories.congress(app, delegates=6, cards=6)
    poll_id = factories.open_motion(app, c.id, required_cosignatures=required_cosignatures)
    for tag in c.tags[:5]:
        app.bus.handle(CastBallot(poll_id, tag, (0,)))
    app.bus.handle(ClosePoll(poll_id))
    app.outbox.sequence()
    return c.id, poll_id


def closing(app: Suara, congress_id: str, poll_id: str) -> list[str]:
    return [cp.kind for cp in app.trust.checkpoints(congress_id, poll_id) if cp.kind == "close"]


def test_the_close_is_signed_after_the_count_and_its_publication_not_beside_them(
    app: Suara,
) -> None:
    congress_id, poll_id = closed_uncounted(app)
    assert app.bus.handle(SignCheckpoint(poll_id, "close")) is False  # not counted yet
    app.bus.handle(TallyPoll(poll_id))
    app.outbox.sequence()
    assert app.bus.handle(SignCheckpoint(poll_id, "close")) is False  # not published yet
    assert closing(app, congress_id, poll_id) == []
    app.bus.handle(PublishResult(poll_id))
    app.outbox.sequence()
    assert app.bus.handle(SignCheckpoint(poll_id, "close")) is True
    assert closing(app, congress_id, poll_id) == ["close"]


def test_a_result_waiting_for_co_signatures_gets_its_close_signed_after_the_count(
    app: Suara,
) -> None:
    congress_id, poll_id = closed_uncounted(app, required_cosignatures=1)
    assert app.bus.handle(SignCheckpoint(poll_id, "close")) is False
    app.bus.handle(TallyPoll(poll_id))
    app.outbox.sequence()
    assert app.bus.handle(SignCheckpoint(poll_id, "close")) is True  # observers co-sign it
    assert closing(app, congress_id, poll_id) == ["close"]


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
