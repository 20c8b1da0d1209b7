"""Which actors each stored event type goes to; the relay and the sweeper read this table."""

from __future__ import annotations

ROUTES: dict[str, tuple[str, ...]] = {
    "poll.opened": ("checkpoint_poll",),
    # The close checkpoint waits for the count and the publication (trust._count_settled):
    # whichever of these events comes once they are settled signs it.
    "poll.closed": ("tally_poll", "checkpoint_poll"),
    "result.computed": ("publish_result", "checkpoint_poll"),
    "result.published": ("checkpoint_poll",),
    "tally.failed": ("checkpoint_poll",),
    "checkpoint.cosigned": ("publish_result",),
}


def actors_for(event_type: str) -> tuple[str, ...]:
    return ROUTES.get(event_type, ())
