"""Policies: reactions to stored events, run by workers through the same bus."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from governance.domain.commands import PublishResult, RecordTallyFailure, TallyPoll
from governance.service_layer.messagebus import MessageBus


class EventReader(Protocol):
    def payload(self, event_id: str) -> tuple[str, Mapping[str, Any]] | None: ...


class PollSettings(Protocol):
    def auto_publish(self, poll_id: str) -> bool: ...


def tally_closed_poll(event_id: str, events: EventReader, bus: MessageBus) -> bool:
    """When a poll has closed, count it (a no-op when the result exists)."""
    found = events.payload(event_id)
    if found is None or found[0] != "poll.closed":
        return False
    done: bool = bus.handle(TallyPoll(poll_id=str(found[1]["poll_id"])))
    return done


def publish_computed_result(
    event_id: str, events: EventReader, polls: PollSettings, bus: MessageBus
) -> bool:
    """When a result is computed and the poll publishes automatically, publish it."""
    found = events.payload(event_id)
    if found is None or found[0] != "result.computed":
        return False
    poll_id = str(found[1]["poll_id"])
    if not polls.auto_publish(poll_id):
        return False
    done: bool = bus.handle(PublishResult(poll_id=poll_id))
    return done


def record_failed_tally(event_id: str, events: EventReader, bus: MessageBus, reason: str) -> bool:
    """When counting a closed poll has failed for good, say so (never a partial result)."""
    found = events.payload(event_id)
    if found is None or found[0] != "poll.closed":
        return False
    done: bool = bus.handle(RecordTallyFailure(str(found[1]["poll_id"]), reason))
    return done
