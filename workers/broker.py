"""Broker set-up: Redis when SUARA_REDIS_URL is set, otherwise an in-memory broker in-process."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from governance.config import Settings


def configure_broker(settings: Settings) -> dramatiq.Broker:
    """Create the broker and make it the global one, before any actor is declared."""
    broker: dramatiq.Broker
    if settings.redis_url:
        broker = RedisBroker(url=settings.redis_url, namespace=settings.broker_namespace)
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    dramatiq.set_broker(broker)
    return broker
