from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import dramatiq
import pytest
import sqlalchemy as sa
from dramatiq.brokers.stub import StubBroker

from governance.adapters.event_log import verify_chain
from governance.adapters.tables import events
from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll, PublishResult, TallyPoll
from tests import factories
from tests.conftest import with_redis
from workers.actors import QUEUES, declare_actors
from workers.broker import configure_broker
from workers.relay import CURSOR, Relay


@pytest.fixture
def stub(app: Suara) -> Iterator[tuple[StubBroker, Relay]]:
    broker = StubBroker()
    broker.emit_after("process_boot")
    relay = Relay(app, declare_actors(broker, app))
    yield broker, relay
    broker.close()


def run_worker(broker: dramatiq.Broker) -> None:
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()
    for queue in QUEUES:
        broker.join(queue, timeout=20_000)  # type: ignore[attr-defined]
    worker.join()
    worker.stop()


def vote_and_close(app: Suara, yes: int, no: int) -> str:
    c = factories.congress(app, delegates=yes + no + 1, cards=yes + no + 1)
    poll_id = factories.open_motion(app, c.id)
    for i, tag in enumerate(c.tags[: yes + no]):
        app.bus.handle(CastBallot(poll_id, tag, (0 if i < yes else 1,)))
    app.bus.handle(ClosePoll(poll_id))
    return poll_id


def test_closing_a_poll_leads_to_a_published_result_through_relay_and_actors(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    broker, relay = stub
    poll_id = vote_and_close(app, yes=3, no=2)
    for _ in range(3):  # close -> tally -> computed -> publish
        relay.run_once()
        run_worker(broker)
    result = app.queries.result(poll_id)
    assert result is not None and result.published
    assert result.outcome == "adopted"
    assert result.data["snapshot"]["ballots"] == 5


def test_the_log_is_sequenced_and_hash_chained_without_gaps(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    _, relay = stub
    vote_and_close(app, yes=2, no=2)
    relay.run_once()
    stored = app.queries.events()
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert verify_chain(stored) == []
    with app.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).where(events.c.seq.is_(None))).scalar_one() == 0
        )


def test_a_duplicated_tally_message_yields_one_result_and_one_publication(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    broker, relay = stub
    poll_id = vote_and_close(app, yes=1, no=2)
    relay.run_once()
    closed = next(e for e in app.queries.events() if e.type == "poll.closed")
    for _ in range(3):
        relay.actors.tally_poll.send(closed.id)
    run_worker(broker)
    relay.run_once()
    run_worker(broker)
    relay.actors.publish_result.send(
        next(e for e in app.queries.events() if e.type == "result.computed").id
    )
    run_worker(broker)
    relay.run_once()
    types = [e.type for e in app.queries.events()]
    assert types.count("result.computed") == 1
    assert types.count("result.published") == 1
    assert app.queries.result(poll_id).outcome == "rejected"  # type: ignore[union-attr]


def test_concurrent_publications_of_one_result_record_result_published_once(app: Suara) -> None:
    # Two workers can hold `publish_result` for the same poll at once (the sweeper re-sent it,
    # or an observer co-signed): both must not see the result unpublished and publish it.
    poll_id = vote_and_close(app, yes=2, no=1)
    app.bus.handle(TallyPoll(poll_id))
    start = threading.Barrier(8)

    def publish(_: int) -> bool:
        start.wait()
        return bool(app.bus.handle(PublishResult(poll_id)))

    with ThreadPoolExecutor(max_workers=8) as pool:
        published = list(pool.map(publish, range(8)))
    with app.engine.connect() as conn:
        query = sa.select(sa.func.count()).where(events.c.type == "result.published")
        recorded = conn.execute(query).scalar_one()
    assert (published.count(True), recorded) == (1, 1)


def test_the_sweeper_resends_a_lost_tally_message(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    broker, relay = stub
    poll_id = vote_and_close(app, yes=2, no=1)
    relay.run_once()
    broker.flush_all()  # the message is lost, as when Redis restarts empty
    assert relay.sweep() == 0  # too recent: the message may still be on its way
    assert app.queries.result(poll_id) is None
    later = datetime.now(UTC) + timedelta(seconds=app.settings.sweep_after_s + 1)
    missing = app.outbox.missing_effects(app.settings.sweep_after_s, now=later)
    # The lost messages: the tally and both signed checkpoints (open and close).
    assert sorted(t for t, _ in missing) == ["poll.closed", "poll.opened"]
    impatient = replace(app, settings=replace(app.settings, sweep_after_s=0.0))
    assert Relay(impatient, relay.actors).sweep() == 3
    run_worker(broker)
    assert app.queries.result(poll_id) is not None
    relay.run_once()
    run_worker(broker)
    assert app.queries.result(poll_id).published  # type: ignore[union-attr]
    assert app.outbox.pending(CURSOR) == []


def test_the_sweeper_waits_longer_before_each_resend_of_the_same_event(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    broker, relay = stub
    quick = Relay(replace(app, settings=replace(app.settings, sweep_after_s=0.2)), relay.actors)
    vote_and_close(app, yes=2, no=1)
    assert quick.run_once() == 3  # checkpoint at open; count and checkpoint at close
    broker.flush_all()  # lost, or stuck behind a busy worker: the sweeper cannot tell
    assert quick.sweep() == 0  # the relay sent them a moment ago
    time.sleep(0.3)
    start = time.monotonic()
    assert quick.sweep(now=start) == 3  # waited 0.2 s: sent again
    assert quick.sweep(now=start + 0.3) == 0  # now it waits 0.4 s
    assert quick.sweep(now=start + 0.45) == 3
    assert quick.sweep(now=start + 0.45 + 0.7) == 0  # then 0.8 s
    assert quick.sweep(now=start + 0.45 + 0.85) == 3
    run_worker(broker)
    quick.run_once()  # the computed result goes on to be published
    run_worker(broker)
    quick.run_once()  # and the publication to the signed close
    run_worker(broker)
    assert quick.sweep(now=start + 100) == 0  # every effect is there: nothing to re-send


def test_results_flow_through_a_real_redis_broker(
    app: Suara, redis_url: str, broker_namespace: str
) -> None:
    live = with_redis(app, redis_url, broker_namespace)
    broker = configure_broker(live.settings)
    relay = Relay(live, declare_actors(broker, live))
    worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=2)
    worker.start()
    try:
        poll_id = vote_and_close(live, yes=4, no=1)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            relay.run_once()
            result = live.queries.result(poll_id)
            if result is not None and result.published:
                break
            time.sleep(0.05)
        assert result is not None and result.published and result.outcome == "adopted"
    finally:
        worker.stop()
        broker.close()


def test_a_backlog_of_ballots_costs_one_cursor_write_per_batch_not_one_per_event(
    app: Suara, stub: tuple[StubBroker, Relay]
) -> None:
    _, relay = stub
    c = factories.congress(app, delegates=3, cards=30)
    poll_id = factories.open_motion(app, c.id)
    for tag in c.tags:
        app.bus.handle(CastBallot(poll_id, tag, (0,)))
    app.bus.handle(ClosePoll(poll_id))
    writes: list[int] = []
    advance = app.outbox.advance
    app.outbox.advance = lambda name, seq: (writes.append(seq), advance(name, seq))[1]  # type: ignore[method-assign]
    sends = relay.run_once()
    assert 1 <= sends <= 4  # poll.opened / poll.closed go to actors; the 30 ballots to none
    assert len(writes) <= 3  # one per event that was sent, none per ballot
    assert app.outbox.pending(CURSOR) == []


def test_an_idle_worker_asks_redis_again_within_a_tenth_of_a_second(
    app: Suara, redis_url: str, broker_namespace: str
) -> None:
    # Dramatiq's command line starts workers with a 1 s idle timeout: a count could then
    # start a second after its poll closed.
    broker = configure_broker(with_redis(app, redis_url, broker_namespace).settings)
    try:
        consumer = broker.consume("suara", prefetch=1, timeout=1000)
        assert consumer.timeout <= 100  # type: ignore[attr-defined]
        consumer.close()
    finally:
        broker.close()
