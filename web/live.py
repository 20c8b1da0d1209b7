"""Server-Sent Events for a congress: public changes only, resumable by `Last-Event-ID`.

The stream tails the stored event log by sequence number. Only a few event types leave it,
each reduced to the poll it concerns; a ballot is never streamed as such (its event carries
the receipt, which would let someone beside a delegate link a receipt to a person), only the
poll's new ballot count, once per batch of ballots.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from governance.adapters.event_log import StoredEvent
from governance.bootstrap import Suara
from web.pages.common import call

# Event type -> whether it may be streamed; payloads are never forwarded, only the poll id.
STATUS_EVENTS = frozenset({"poll.opened", "poll.closed", "result.published"})
TURNOUT_EVENT = "ballot.cast"
POLL_INTERVAL_S = 1.0
KEEPALIVE_S = 15.0
# A stream ends after a while and the browser reconnects with Last-Event-ID: no task lives on
# for a phone that went to sleep without closing its connection.
LIFETIME_S = 300.0
RETRY_MS = 3000


@dataclass(frozen=True)
class Message:
    id: int
    event: str
    data: dict[str, object]

    def encode(self) -> str:
        body = json.dumps(self.data, separators=(",", ":"), sort_keys=True)
        return f"id: {self.id}\nevent: {self.event}\ndata: {body}\n\n"


def public_messages(stored: Sequence[StoredEvent], turnout: Callable[[str], int]) -> list[Message]:
    """What the public may see of a batch of events, in log order."""
    messages: list[Message] = []
    ballots: dict[str, int] = {}  # poll id -> sequence number of its last ballot in the batch
    for event in stored:
        poll_id = str(event.payload.get("poll_id", ""))
        if event.type == TURNOUT_EVENT:
            ballots[poll_id] = event.seq
        elif event.type in STATUS_EVENTS:
            messages.append(Message(event.seq, event.type, {"poll_id": poll_id}))
    for poll_id, seq in ballots.items():
        messages.append(Message(seq, "turnout", {"poll_id": poll_id, "turnout": turnout(poll_id)}))
    return sorted(messages, key=lambda m: m.id)


def resume_position(last_event_id: str | None) -> int | None:
    """The position a reconnecting browser asks for; None when absent or malformed."""
    text = (last_event_id or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


async def stream(
    app: Suara,
    congress_id: str,
    after: int,
    *,
    interval: float = POLL_INTERVAL_S,
    lifetime: float = LIFETIME_S,
) -> AsyncIterator[str]:
    """Yield encoded messages after `after` until the lifetime is over."""
    yield f"retry: {RETRY_MS}\n\n"
    started = last_sent = time.monotonic()
    while time.monotonic() - started < lifetime:
        batch = await call(app.queries.congress_events, congress_id, after)
        if batch:
            after = batch[-1].seq
            messages = await call(public_messages, batch, app.queries.turnout)
            for message in messages:
                yield message.encode()
                last_sent = time.monotonic()
        if time.monotonic() - last_sent >= KEEPALIVE_S:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()
        if len(batch) < 200:
            await asyncio.sleep(interval)
