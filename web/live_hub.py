"""One poller per web process and congress feeds every open event stream (issue 16).

Before, each stream read the log and the turnout once a second: 2,000 streams meant 2,000 reads
a second and a close reached the last of them after 17 s. Now the first stream of a congress
starts a watcher that reads once a second for everyone; streams wait on it and take from its
buffer what they have not yet sent. A stream that connects (or resumes with Last-Event-ID)
behind the buffer catches up from the log once, by itself. The watcher stops when its last
stream ends. A per-address cap keeps one client from holding every stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from governance.bootstrap import Suara
from web.live import (
    KEEPALIVE_S,
    LIFETIME_S,
    POLL_INTERVAL_S,
    RETRY_MS,
    Message,
    open_turnout,
    public_messages,
    turnout_messages,
)
from web.pages.common import call

log = logging.getLogger(__name__)

BUFFER = 2_000  # public messages kept per congress for streams that fall a little behind
STREAMS_PER_ADDRESS = 300  # a hall behind one hotel NAT still fits; one client cannot take all


class TooManyStreams(Exception):
    """This address holds as many streams as it may."""


@dataclass
class Watcher:
    """The single reader of one congress's public changes in this process."""

    app: Suara
    congress_id: str
    position: int
    interval: float
    messages: deque[Message] = field(default_factory=lambda: deque(maxlen=BUFFER))
    counts: dict[str, int | None] = field(default_factory=dict)
    subscribers: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    reads: int = 0  # database reads so far (the benchmark and the tests look at it)

    @property
    def oldest(self) -> int:
        """Messages after this position are all in the buffer."""
        return self.messages[0].id - 1 if self.messages else self.position

    async def run(self) -> None:
        while self.subscribers > 0:
            try:
                await self.tick()
            except Exception:  # a busy database: the streams wait, the watcher retries
                log.warning("live updates: reading the log failed; retrying")
            await asyncio.sleep(self.interval)

    async def tick(self) -> None:
        while True:
            batch = await call(self.app.queries.congress_events, self.congress_id, self.position)
            self.reads += 1
            if batch:
                self.messages.extend(public_messages(batch))
                self.position = batch[-1].seq
            if len(batch) < 200:
                break
        self.counts = await open_turnout(self.app, self.congress_id)
        self.reads += 1
        # Wake every waiting stream at once; the next ones wait on a fresh event.
        self.changed.set()
        self.changed = asyncio.Event()


class LiveHub:
    """The watchers of this web process, and how many streams each address holds."""

    def __init__(self, app: Suara, interval: float = POLL_INTERVAL_S) -> None:
        self.app = app
        self.interval = interval
        self.watchers: dict[str, Watcher] = {}
        self.per_address: dict[str, int] = {}
        self.cap = STREAMS_PER_ADDRESS

    def admit(self, address: str) -> None:
        if self.per_address.get(address, 0) >= self.cap:
            raise TooManyStreams()
        self.per_address[address] = self.per_address.get(address, 0) + 1

    def release(self, address: str) -> None:
        left = self.per_address.get(address, 0) - 1
        if left > 0:
            self.per_address[address] = left
        else:
            self.per_address.pop(address, None)

    async def _watcher(self, congress_id: str, after: int) -> Watcher:
        watcher = self.watchers.get(congress_id)
        if watcher is None or watcher.task is None or watcher.task.done():
            watcher = Watcher(self.app, congress_id, after, self.interval)
            await watcher.tick()  # its first state, before anyone waits on it
            self.watchers[congress_id] = watcher
        watcher.subscribers += 1
        if watcher.task is None or watcher.task.done():
            watcher.task = asyncio.get_running_loop().create_task(watcher.run())
        return watcher

    async def stream(
        self, congress_id: str, after: int, address: str, *, lifetime: float = LIFETIME_S
    ) -> AsyncIterator[str]:
        """Encoded messages after `after` until the lifetime is over (the cap is checked first)."""
        watcher = await self._watcher(congress_id, after)
        try:
            yield f"retry: {RETRY_MS}\n\n"
            started = last_sent = time.monotonic()
            shown: dict[str, int | None] = {}
            while time.monotonic() - started < lifetime:
                # Behind the buffer (an old Last-Event-ID): catch up from the log by itself.
                while after < watcher.oldest:
                    batch = await call(self.app.queries.congress_events, congress_id, after)
                    oldest = watcher.oldest
                    for message in public_messages(batch):
                        if message.id <= oldest:
                            yield message.encode()
                            last_sent = time.monotonic()
                    caught_up = not batch or batch[-1].seq >= oldest
                    after = oldest if caught_up else batch[-1].seq
                position = max(after, watcher.position)
                fresh = [m for m in watcher.messages if m.id > after]
                for message in fresh + turnout_messages(position, watcher.counts, shown):
                    yield message.encode()
                    last_sent = time.monotonic()
                after, shown = position, dict(watcher.counts)
                if time.monotonic() - last_sent >= KEEPALIVE_S:
                    yield ": keep-alive\n\n"
                    last_sent = time.monotonic()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watcher.changed.wait(), KEEPALIVE_S)
        finally:
            watcher.subscribers -= 1
            self.release(address)
