"""Which actors each stored event type goes to; the relay and the sweeper read this table."""

from __future__ import annotations

ROUTES: dict[str, tuple[str, ...]] = {
    "poll.opened": ("checkpoint_poll",),
    "poll.closed": ("tally_poll", "checkpoint_poll"),
    "result.computed": ("publish_result",),
    "checkpoint.cosigned": ("publish_result",),
}


def actors_for(event_type: str) -> tuple[str, ...]:
    return ROUTES.get(event_type, ())
