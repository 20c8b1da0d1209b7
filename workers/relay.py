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
MAX_BACKOFF_S = 300.0


class Relay:
    """Moves stored events to the broker; at-least-once, so actors must be idempotent."""

    def __init__(self, app: Suara, actors: Actors) -> None:
        self.app = app
        self.actors = actors
        self._last_sweep = 0.0
        self._last_checkpoint = 0.0
        # event id -> (when last sent, times re-sent): a busy worker is not a lost message,
        # so each event waits longer before every re-send instead of being sent every sweep.
        self._sent: dict[str, tuple[float, int]] = {}

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
                self._sent[event.id] = (time.monotonic(), 0)
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

    def sweep(self, now: float | None = None) -> int:
        """Re-send events whose effect is missing (lost messages, dead workers).

        An event is re-sent only once it has waited `sweep_after_s` since it was last sent,
        doubling after each re-send (at most MAX_BACKOFF_S): a long count keeps its message
        instead of being queued again behind itself.
        """
        moment = time.monotonic() if now is None else now
        base = self.app.settings.sweep_after_s
        resent = 0
        missing = self.app.outbox.missing_effects(base)
        for event_type, event_id in missing:
            last, tries = self._sent.get(event_id, (None, 0))
            if last is not None and moment - last < min(base * 2**tries, MAX_BACKOFF_S):
                continue
            for name in actors_for(event_type):
                self.actors.by_name(name).send(event_id)
                resent += 1
            self._sent[event_id] = (moment, tries + 1 if last is not None else 0)
        # Forget events whose effect is done, once no late answer can be expected.
        waiting = {event_id for _, event_id in missing}
        self._sent = {
            k: v for k, v in self._sent.items() if k in waiting or moment - v[0] < MAX_BACKOFF_S
        }
        if resent:
            log.warning("sweeper re-sent %d messages", resent)
        return resent

    def loop(self, stop: threading.Event) -> None:
        """Run until stopped; a failed pass (database or broker down) is retried next tick."""
        interval = self.app.settings.relay_interval_s
        while not stop.is_set():
            sent = 0
            try:
                sent = self.run_once()
                now = time.monotonic()
                if now - self._last_checkpoint >= 1.0:  # the handler decides; ask once a second
                    self._last_checkpoint = now
                    self.app.outbox.copy_wal_back()
                    self.app.bus.handle(
                        SignPeriodicCheckpoints(self.app.settings.checkpoint_every_s)
                    )
                if now - self._last_sweep >= self.app.settings.sweep_after_s:
                    self._last_sweep = now
                    self.sweep()
            except Exception:  # the relay must outlive outages of its dependencies
                log.exception("relay pass failed; retrying")
                stop.wait(min(5.0, interval * 10))
            # Work just handed out brings more soon (a count brings its result): look again
            # at once instead of after a full interval.
            stop.wait(0.01 if sent else interval)
