"""The embedded default: an in-memory broker, a worker and the relay inside one process."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import dramatiq

from governance.bootstrap import Suara
from workers.actors import Actors, declare_actors
from workers.broker import configure_broker
from workers.relay import Relay


@dataclass
class EmbeddedWorker:
    """Owns the worker threads and the relay thread; stop() shuts both down."""

    broker: dramatiq.Broker
    actors: Actors
    relay: Relay
    worker: dramatiq.Worker
    stop_event: threading.Event
    thread: threading.Thread

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=5)
        self.worker.stop()


def start_embedded(app: Suara, worker_threads: int = 2) -> EmbeddedWorker:
    """Start tallying in this process; stored events make it safe across restarts."""
    broker = configure_broker(app.settings)
    actors = declare_actors(broker, app)
    worker = dramatiq.Worker(broker, worker_threads=worker_threads, worker_timeout=100)
    worker.start()
    relay = Relay(app, actors)
    stop = threading.Event()
    thread = threading.Thread(target=relay.loop, args=(stop,), name="suara-relay", daemon=True)
    thread.start()
    return EmbeddedWorker(broker, actors, relay, worker, stop, thread)
