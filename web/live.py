"""Server-Sent Events for a congress: public changes only, resumable by `Last-Event-ID`.

The stream tails the stored event log by sequence number for status changes (opened,
closed, published), each reduced to the poll it concerns, and for the plenary's changes,
each reduced to the bare fact that something changed. Secret ballots have no events;
turnout is read from the ballot count of each open poll and sent when it changes, and only as
a number when it reaches the minimum group size.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from governance.adapters.event_log import StoredEvent
from governance.bootstrap import Suara
from governance.domain.disclosure import shown_count
from governance.domain.polls import Poll, PollStatus
from web.pages.common import call

# Event type -> whether it may be streamed; payloads are never forwarded, only the poll id.
STATUS_EVENTS = frozenset({"poll.opened", "poll.closed", "result.published"})
# The plenary's changes (agenda, speakers, skorsing, motions, attendance) reach live pages as
# one "plenary" message with no data at all: the page reloads and reads the state itself.
PLENARY_EVENTS = frozenset(
    {
        "agenda.item_added",
        "agenda.current_set",
        "agenda.poll_attached",
        "speakers.changed",
        "sitting.suspended",
        "sitting.resumed",
        "floor_motion.changed",
        "delegate.checked_in",
        # The election procedure (issue 14): a lot's seed shown, the lot drawn.
        "position.lot_seed",
        "position.lot_drawn",
    }
)
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


def public_messages(stored: Sequence[StoredEvent]) -> list[Message]:
    """What the public may see of a batch of events, in log order."""
    messages: list[Message] = []
    for event in stored:
        if event.type in STATUS_EVENTS:
            data: dict[str, object] = {"poll_id": str(event.payload.get("poll_id", ""))}
            messages.append(Message(event.seq, event.type, data))
        elif event.type in PLENARY_EVENTS:
            messages.append(Message(event.seq, "plenary", {}))
    return messages


def turnout_messages(
    position: int, counts: dict[str, int | None], previous: dict[str, int | None]
) -> list[Message]:
    """A message per open poll whose shown turnout changed since the last look."""
    return [
        Message(position, "turnout", {"poll_id": poll_id, "turnout": count})
        for poll_id, count in sorted(counts.items())
        if poll_id not in previous or previous[poll_id] != count
    ]


async def poll_turnout(app: Suara, poll: Poll) -> int | None:
    """The ballots (or named votes) of a poll so far, or None below the minimum group size."""
    count = app.queries.adart.named_turnout if poll.named else app.queries.turnout
    return shown_count(await call(count, poll.id), app.settings.min_group)


async def open_turnout(app: Suara, congress_id: str) -> dict[str, int | None]:
    polls = await call(app.queries.polls, congress_id)
    return {p.id: await poll_turnout(app, p) for p in polls if p.status is PollStatus.OPEN}


def resume_position(last_event_id: str | None) -> int | None:
    """The position a reconnecting browser asks for; None when absent or malformed."""
    text = (last_event_id or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


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
    shown: dict[str, int | None] = {}
    while time.monotonic() - started < lifetime:
        batch = await call(app.queries.congress_events, congress_id, after)
        if batch:
            after = batch[-1].seq
        counts = await open_turnout(app, congress_id)
        for message in public_messages(batch) + turnout_messages(after, counts, shown):
            yield message.encode()
            last_sent = time.monotonic()
        shown = counts
        if time.monotonic() - last_sent >= KEEPALIVE_S:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()
        if len(batch) < 200:
            await asyncio.sleep(interval)
