"""Drive a poll through relay and actors on a stub broker, for the trust tests."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker

from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll
from tests import factories
from workers.actors import QUEUES, declare_actors
from workers.relay import Relay


class Driver:
    """A relay and a worker on a stub broker; `settle()` runs them until nothing moves."""

    def __init__(self, app: Suara) -> None:
        self.app = app
        self.broker = StubBroker()
        self.broker.emit_after("process_boot")
        self.relay = Relay(app, declare_actors(self.broker, app))
        self.worker = dramatiq.Worker(self.broker, worker_timeout=50)
        self.worker.start()

    def settle(self, rounds: int = 4) -> None:
        for _ in range(rounds):
            if self.relay.run_once():
                for queue in QUEUES:
                    self.broker.join(queue, timeout=20_000)
                self.worker.join()

    def close(self) -> None:
        self.worker.stop()
        self.broker.close()


def voted_poll(
    app: Suara, driver: Driver, choices: list[int], cards: int | None = None, **poll: object
) -> tuple[factories.Congress, str]:
    """A congress and a closed, counted poll with one ballot per choice given."""
    c = factories.congress(app, delegates=len(choices) + 1, cards=cards or len(choices) + 2)
    poll_id = factories.open_motion(app, c.id, **poll)  # type: ignore[arg-type]
    driver.settle()
    for tag, choice in zip(c.tags, choices, strict=False):
        app.bus.handle(CastBallot(poll_id, tag, (choice,)))
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    return c, poll_id
