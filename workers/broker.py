"""Broker set-up: Redis when SUARA_REDIS_URL is set, otherwise an in-memory broker in-process."""

from __future__ import annotations

import dramatiq
from dramatiq.broker import Consumer
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from governance.config import Settings

# How long an idle worker waits before asking Redis again, at most. Dramatiq's command line
# gives its workers 1 s, so a poll's count could start up to a second after its close.
IDLE_POLL_MS = 100


class PromptRedisBroker(RedisBroker):
    """The Redis broker, with idle consumers that ask again within IDLE_POLL_MS."""

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Consumer:
        return super().consume(queue_name, prefetch, min(timeout, IDLE_POLL_MS))


def configure_broker(settings: Settings) -> dramatiq.Broker:
    """Create the broker and make it the global one, before any actor is declared."""
    broker: dramatiq.Broker
    if settings.redis_url:
        broker = PromptRedisBroker(url=settings.redis_url, namespace=settings.broker_namespace)
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    dramatiq.set_broker(broker)
    return broker
