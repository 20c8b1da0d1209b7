"""Policies: reactions to stored events, run by workers through the same bus."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from governance.domain.commands import PublishResult, RecordTallyFailure, SignCheckpoint, TallyPoll
from governance.domain.errors import CosignaturesMissing, PollNotClosed
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


CHECKPOINT_KINDS = {
    "poll.opened": "open",
    "poll.closed": "close",
    "result.computed": "close",
    "result.published": "close",
    "tally.failed": "close",
}


def checkpoint_poll(event_id: str, events: EventReader, bus: MessageBus) -> bool:
    """When a poll opens, or its close is counted and published (and the event is in the
    log), sign the log's head."""
    found = events.payload(event_id)
    if found is None or found[0] not in CHECKPOINT_KINDS:
        return False
    kind = CHECKPOINT_KINDS[found[0]]
    done: bool = bus.handle(SignCheckpoint(poll_id=str(found[1]["poll_id"]), kind=kind))
    return done


def publish_computed_result(
    event_id: str, events: EventReader, polls: PollSettings, bus: MessageBus
) -> bool:
    """When a result is computed, or an observer co-signed, publish if the poll's rules allow."""
    found = events.payload(event_id)
    if found is None or found[0] not in ("result.computed", "checkpoint.cosigned"):
        return False
    poll_id = str(found[1]["poll_id"])
    if not polls.auto_publish(poll_id):
        return False
    try:
        done: bool = bus.handle(PublishResult(poll_id=poll_id))
    except CosignaturesMissing:
        return False  # the next co-signature event tries again
    except PollNotClosed:
        if found[0] == "result.computed":
            raise
        return False  # co-signed before the count finished; result.computed publishes
    return done


def record_failed_tally(event_id: str, events: EventReader, bus: MessageBus, reason: str) -> bool:
    """When counting a closed poll has failed for good, say so (never a partial result)."""
    found = events.payload(event_id)
    if found is None or found[0] != "poll.closed":
        return False
    done: bool = bus.handle(RecordTallyFailure(str(found[1]["poll_id"]), reason))
    return done
