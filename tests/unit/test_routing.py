"""The relay's routing table and the policies agree on which events bring a checkpoint."""

from __future__ import annotations

from governance.service_layer.policies import CHECKPOINT_KINDS
from workers.routing import ROUTES, actors_for


def test_every_event_that_brings_a_checkpoint_is_routed_to_the_checkpoint_actor() -> None:
    routed = {event for event, actors in ROUTES.items() if "checkpoint_poll" in actors}
    assert routed == set(CHECKPOINT_KINDS)


def test_a_closed_poll_is_counted_and_a_computed_result_published() -> None:
    assert "tally_poll" in actors_for("poll.closed")
    assert "publish_result" in actors_for("result.computed")
    assert "publish_result" in actors_for("checkpoint.cosigned")
    assert actors_for("ballot.cast") == ()  # secret ballots have no event to route
