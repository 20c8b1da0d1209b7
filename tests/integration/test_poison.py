"""A poison event: a count that always fails is retried a bounded number of times, then the
poll says so (`tally.failed`) and no partial result is ever stored."""

from __future__ import annotations

import time
from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from starlette.testclient import TestClient

from governance.adapters.tables import ballots
from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import CastBallot, ClosePoll, TallyPoll
from governance.service_layer.ports import StorageUnavailable
from tests import factories
from web.app import create_app
from workers.actors import QUEUES, TALLY_ATTEMPTS, declare_actors, retry_tally
from workers.relay import Relay


@pytest.fixture
def stub(app: Suara) -> Iterator[tuple[StubBroker, Relay]]:
    broker = StubBroker()
    broker.emit_after("process_boot")
    relay = Relay(app, declare_actors(broker, app))
    yield broker, relay
    broker.close()


def drain(broker: StubBroker, until: float = 20) -> None:
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()
    try:
        for queue in QUEUES:
            broker.join(queue, timeout=int(until * 1000), fail_fast=False)
    finally:
        worker.stop()


def poisoned_poll(app: Suara) -> str:
    """A closed poll with one ballot that no count can read (as if storage were corrupted)."""
    c = factories.congress(app, delegates=3, cards=3)
    poll_id = factories.open_motion(app, c.id)
    app.bus.handle(CastBallot(poll_id, c.tags[0], (0,)))
    with app.engine.begin() as conn:
        conn.execute(
            ballots.insert().values(
                id=codes.new_id(),
                poll_id=poll_id,
                choices="99",  # not on the ballot: stored, but no count accepts it
                receipt=codes.new_receipt(),
                nullifier="f" * 64,
            )
        )
    app.bus.handle(ClosePoll(poll_id))
    return poll_id


def test_a_poison_tally_is_retried_then_marked_failed_with_no_result(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    broker, relay = stub
    poll_id = poisoned_poll(app)
    started = time.monotonic()
    relay.run_once()
    drain(broker)
    assert time.monotonic() - started < 15, "retries must be bounded"
    relay.run_once()
    types = [e.type for e in app.queries.events()]
    assert types.count("tally.failed") == 1
    assert "result.computed" not in types and "result.published" not in types
    assert app.queries.result(poll_id) is None
    poll = app.queries.poll(poll_id)
    assert poll is not None and poll.tally_error
    # A count that failed for good is not attempted again, whoever re-sends the event.
    assert app.bus.handle(TallyPoll(poll_id)) is False
    assert app.queries.result(poll_id) is None
    with TestClient(create_app(app), cookies={"lang": "en"}) as observer:
        page = observer.get(f"/polls/{poll_id}")
        assert 'id="tally-failed"' in page.text and "observers have been notified" in page.text
        assert "outcome-" not in observer.get(f"/polls/{poll_id}/result").text


def test_a_failed_tally_is_recorded_once_however_often_retries_run_out(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    broker, relay = stub
    poisoned_poll(app)
    relay.run_once()
    closed = next(e for e in app.queries.events() if e.type == "poll.closed")
    relay.actors.tally_poll.send(closed.id)  # a duplicate delivery of the poison message
    drain(broker)
    relay.run_once()
    assert [e.type for e in app.queries.events()].count("tally.failed") == 1


def test_an_outage_is_retried_longer_than_a_bug() -> None:
    outage = StorageUnavailable("down")
    bug = ValueError("bad ballot")
    assert retry_tally(TALLY_ATTEMPTS, outage)
    assert not retry_tally(TALLY_ATTEMPTS, bug)
    assert retry_tally(TALLY_ATTEMPTS - 1, bug)
