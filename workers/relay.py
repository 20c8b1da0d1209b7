"""The relay: sequence committed events, hand them to actors in log order, sweep for losses."""

from __future__ import annotations

import logging
import threading
import time

from governance.bootstrap import Suara
from governance.domain.commands import SignPeriodicCheckpoints
from workers.actors import Actors
from workers.routing import actors_for

log = logging.getLogger(__name__)

CURSOR = "relay"


class Relay:
    """Moves stored events to the broker; at-least-once, so actors must be idempotent."""

    def __init__(self, app: Suara, actors: Actors) -> None:
        self.app = app
        self.actors = actors
        self._last_sweep = 0.0
        self._last_checkpoint = 0.0

    def run_once(self) -> int:
        """One pass: sequence, relay what is new, advance the cursor after each send."""
        self.app.outbox.sequence()
        sent = 0
        unsaved: int | None = None
        for event in self.app.outbox.pending(CURSOR):
            names = actors_for(event.type)
            for name in names:
                self.actors.by_name(name).send(event.id)
                sent += 1
            if names:
                self.app.outbox.advance(CURSOR, event.seq)
                unsaved = None
            else:
                # Most events (every ballot.cast) go to no actor: one cursor write per batch,
                # not one per event, or a backlog of ballots delays the close behind it.
                unsaved = event.seq
        if unsaved is not None:
            self.app.outbox.advance(CURSOR, unsaved)
        return sent

    def sweep(self) -> int:
        """Re-send events whose effect is missing (lost messages, dead workers)."""
        resent = 0
        for event_type, event_id in self.app.outbox.missing_effects(
            self.app.settings.sweep_after_s
        ):
            for name in actors_for(event_type):
                self.actors.by_name(name).send(event_id)
                resent += 1
        if resent:
            log.warning("sweeper re-sent %d messages", resent)
        return resent

    def loop(self, stop: threading.Event) -> None:
        """Run until stopped; a failed pass (database or broker down) is retried next tick."""
        interval = self.app.settings.relay_interval_s
        while not stop.is_set():
            try:
                self.run_once()
                now = time.monotonic()
                if now - self._last_checkpoint >= 1.0:  # the handler decides; ask once a second
                    self._last_checkpoint = now
                    self.app.bus.handle(
                        SignPeriodicCheckpoints(self.app.settings.checkpoint_every_s)
                    )
                if now - self._last_sweep >= self.app.settings.sweep_after_s:
                    self._last_sweep = now
                    self.sweep()
            except Exception:  # the relay must outlive outages of its dependencies
                log.exception("relay pass failed; retrying")
                stop.wait(min(5.0, interval * 10))
            stop.wait(interval)
