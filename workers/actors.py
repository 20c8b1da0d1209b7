"""Dramatiq actors: each takes an event id, re-reads, checks whether the work is done, acts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import dramatiq
from prometheus_client import Histogram

from governance.bootstrap import Suara
from governance.service_layer import policies
from governance.service_layer.ports import ConcurrentWrite, StorageUnavailable

log = logging.getLogger(__name__)
# Seen at /metrics where the worker runs inside the web process (the embedded shape); a
# separate worker process keeps its own (not exported).
TALLY = Histogram(
    "suara_tally_duration_seconds",
    "Time to count a closed poll in this process",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

QUEUE = "suara"
# Checkpoints have their own queue: a burst of them (many polls opened at once) must not hold
# a count or a publication back behind it in one first-in, first-out list.
CHECKPOINT_QUEUE = "suara-checkpoints"
QUEUES = (QUEUE, CHECKPOINT_QUEUE)
# Lower runs first among messages a worker has already fetched.
RESULT_PRIORITY = 0
CHECKPOINT_PRIORITY = 10
# A count that raises is retried a few times (a bug will not go away by waiting); an outage of
# the database is retried for much longer, since it will.
TALLY_ATTEMPTS = 3
OUTAGE_ATTEMPTS = 40


def retry_tally(retries: int, error: BaseException) -> bool:
    outage = isinstance(error, StorageUnavailable | ConcurrentWrite)
    return retries < (OUTAGE_ATTEMPTS if outage else TALLY_ATTEMPTS)


@dataclass(frozen=True)
class Actors:
    tally_poll: dramatiq.Actor
    publish_result: dramatiq.Actor
    tally_failed: dramatiq.Actor
    checkpoint_poll: dramatiq.Actor

    def by_name(self, name: str) -> dramatiq.Actor:
        actor: dramatiq.Actor = getattr(self, name)
        return actor


def declare_actors(broker: dramatiq.Broker, app: Suara) -> Actors:
    """Declare the actors on this broker, bound to this application object."""

    def tally_poll(event_id: str) -> None:
        """Count the poll that a `poll.closed` event names (idempotent)."""
        with TALLY.time():
            counted = policies.tally_closed_poll(event_id, app.outbox, app.bus)
        if counted:
            log.info("tallied poll for event %s", event_id)

    def publish_result(event_id: str) -> None:
        """Publish the result that a `result.computed` event names, if the poll auto-publishes."""
        if policies.publish_computed_result(event_id, app.outbox, app.outbox, app.bus):
            log.info("published result for event %s", event_id)

    def tally_failed(message: dict[str, Any], retry: dict[str, Any]) -> None:
        """Retries of a count are exhausted: record `tally.failed` for observers (idempotent)."""
        event_id = str(message["args"][0])
        reason = f"the count failed after {int(retry.get('retries', 0)) + 1} attempts"
        if policies.record_failed_tally(event_id, app.outbox, app.bus, reason):
            log.error("tally failed for event %s", event_id)

    def checkpoint_poll(event_id: str) -> None:
        """Sign the log's head when a poll opens or closes (idempotent)."""
        if policies.checkpoint_poll(event_id, app.outbox, app.bus):
            log.info("signed checkpoint for event %s", event_id)

    options: dict[str, Any] = {
        "queue_name": QUEUE,
        "priority": RESULT_PRIORITY,
        "broker": broker,
        "max_retries": 5,
        "min_backoff": 200,
        "max_backoff": 5000,
    }
    checkpoint_options = options | {
        "queue_name": CHECKPOINT_QUEUE,
        "priority": CHECKPOINT_PRIORITY,
    }
    return Actors(
        tally_poll=dramatiq.actor(
            actor_name="tally_poll",
            **options | {"retry_when": retry_tally, "on_retry_exhausted": "tally_failed"},
        )(tally_poll),
        publish_result=dramatiq.actor(actor_name="publish_result", **options)(publish_result),
        tally_failed=dramatiq.actor(actor_name="tally_failed", **options)(tally_failed),
        checkpoint_poll=dramatiq.actor(actor_name="checkpoint_poll", **checkpoint_options)(
            checkpoint_poll
        ),
    )
