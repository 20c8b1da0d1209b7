"""Faults on the broker side: a worker killed mid-tally, Redis lost or down around a close.

Each test starts real processes (`suara worker`, `suara relay`, uvicorn) on a fresh PostgreSQL
database; Redis is either the shared test server under a private namespace or, where the test
kills Redis, a private redis-server on a free port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import redis

from governance.bootstrap import Suara, bootstrap
from governance.domain.commands import ClosePoll
from governance.domain.counting import count_poll
from governance.domain.results import PollResult
from tests import factories
from tests.conftest import FAST_HASHER, make_settings
from tests.e2e.flow import csrf
from tests.e2e.stack import Probe, Stack, kill9, private_redis, wait_until

pytestmark = pytest.mark.e2e

CANDIDATES = tuple(f"Candidate {i}" for i in range(12))


@pytest.fixture
def suara(tmp_path: Path, pg_url: str) -> Iterator[Suara]:
    app = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    yield app
    app.dispose()


@pytest.fixture
def probe(pg_url: str) -> Iterator[Probe]:
    probe = Probe(pg_url)
    yield probe
    probe.dispose()


def stack_for(suara: Suara, tmp_path: Path, redis_url: str, namespace: str) -> Stack:
    return Stack(
        tmp_path, suara.settings.database_url, redis_url, namespace, suara.settings.secret_key
    )


def recount(suara: Suara, poll_id: str) -> str:
    """The digest an independent recount of the stored ballots gives."""
    poll = suara.queries.poll(poll_id)
    assert poll is not None
    with suara.uow_factory() as uow:
        choices = uow.ballots.choices(poll_id)
    outcome, data = count_poll(poll, choices)
    return PollResult.computed(poll_id, poll.congress_id, outcome, data, poll_now()).digest


def poll_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def in_flight(client: redis.Redis, namespace: str) -> int:
    """Messages a worker has taken and not yet acknowledged (Dramatiq's per-worker ack sets)."""
    return sum(int(client.scard(key)) for key in client.scan_iter(f"{namespace}:__acks__.*"))


def published_once(probe: Probe, poll_id: str) -> None:
    wait_until(lambda: probe.count_events("result.published", poll_id) >= 1, 40, "publication")
    assert probe.count_events("result.computed", poll_id) == 1
    assert probe.count_events("result.published", poll_id) == 1
    assert len(probe.results(poll_id)) == 1


def test_a_worker_killed_mid_tally_leaves_no_result_and_the_next_worker_counts_once(
    tmp_path: Path, suara: Suara, probe: Probe, redis_url: str, broker_namespace: str
) -> None:
    c = factories.congress(suara, delegates=4, cards=4)
    poll_id = factories.open_motion(suara, c.id, "meek-stv", CANDIDATES, seats=7)
    probe.add_ranked_ballots(poll_id, 40_000, len(CANDIDATES), seed=7)
    suara.bus.handle(ClosePoll(poll_id))
    stack = stack_for(suara, tmp_path, redis_url, broker_namespace)
    client = redis.Redis.from_url(redis_url)
    try:
        stack.relay()
        wait_until(
            lambda: client.hlen(f"{broker_namespace}:suara.msgs") >= 1, 20, "the tally message"
        )
        worker = stack.worker()
        # Taken by a worker, not acknowledged, no result yet: the tally is running.
        wait_until(lambda: in_flight(client, broker_namespace) > 0, 30, "a tally in flight")
        assert probe.results(poll_id) == []
        kill9(worker)
        assert probe.results(poll_id) == [], "the killed worker must not have committed"
        stack.worker()
        published_once(probe, poll_id)
        assert probe.results(poll_id)[0].digest == recount(suara, poll_id)
    finally:
        client.close()
        stack.stop()


def test_redis_restarted_empty_after_close_the_sweeper_resends_and_publishes_once(
    tmp_path: Path, suara: Suara, probe: Probe
) -> None:
    c = factories.congress(suara, delegates=4, cards=4)
    poll_id = factories.open_motion(suara, c.id)
    with private_redis() as server:
        server.start()
        stack = stack_for(suara, tmp_path, server.url, "suara")
        client = server.client()
        try:
            stack.relay()
            suara.bus.handle(ClosePoll(poll_id))
            wait_until(lambda: client.hlen("suara:suara.msgs") >= 1, 20, "the tally message")
            wait_until(lambda: probe.relayed("poll.closed", poll_id), 20, "the relay's cursor")
            server.kill()  # the message dies with Redis: nothing persisted
            server.start()  # empty: no snapshot, no append-only file; the relay's cursor has
            # already passed poll.closed, so only the sweeper can bring the message back
            stack.worker()
            published_once(probe, poll_id)
        finally:
            client.close()
            stack.stop()


def test_redis_down_while_the_chair_closes_the_close_succeeds_and_the_tally_is_pending(
    tmp_path: Path, suara: Suara, probe: Probe
) -> None:
    c = factories.congress(suara, delegates=4, cards=4)
    poll_id = factories.open_motion(suara, c.id)
    with private_redis() as server:  # not started yet: Redis is down
        stack = stack_for(suara, tmp_path, server.url, "suara")
        try:
            base, _ = stack.web()
            stack.relay()
            with httpx2.Client(base_url=base, timeout=10, follow_redirects=True) as laptop:
                page = laptop.get(f"/congresses/{c.id}/signin")
                data = {"csrf_token": csrf(page.text), "code": c.identity["chair"]}
                assert laptop.post(f"/congresses/{c.id}/signin", data=data).status_code == 200
                page = laptop.get(f"/polls/{poll_id}")
                data = {"csrf_token": csrf(page.text)}
                closed = laptop.post(f"/polls/{poll_id}/close", data=data)
                assert closed.status_code == 200
                assert 'id="tally-pending"' in closed.text
            server.start()
            stack.worker()
            published_once(probe, poll_id)
        finally:
            stack.stop()
