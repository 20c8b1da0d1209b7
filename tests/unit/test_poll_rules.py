from __future__ import annotations

import pytest

from governance.adart.model import AD_RULE
from governance.domain.errors import InvalidInput, NotAllowed, QuorumNotMet
from governance.domain.polls import Poll, PollStatus

YNA = ("yes", "no", "abstain")


def test_a_poll_with_a_quorum_rule_does_not_open_without_it() -> None:
    poll = Poll.create("c", "Pasal 1", "yes-no-abstain", YNA, rule=AD_RULE)
    with pytest.raises(QuorumNotMet) as caught:
        poll.open({"entitled": 52, "present": 34, "cards_issued": 52})
    assert caught.value.params == {"present": 34, "required": 35, "entitled": 52}
    assert poll.status is PollStatus.DRAFT and len(poll.events) == 1
    poll.open({"entitled": 52, "present": 35, "cards_issued": 52})
    assert poll.is_open


def test_the_rule_travels_in_the_creation_event_as_exact_fractions() -> None:
    poll = Poll.create("c", "Pasal 1", "yes-no-abstain", YNA, rule=AD_RULE)
    payload = poll.events[0].payload()
    assert payload["rule"]["fraction"] == "2/3" and payload["rule"]["quorum"] == "2/3"
    assert payload["named"] is False


def test_rules_and_named_votes_are_for_motions_only() -> None:
    with pytest.raises(InvalidInput):
        Poll.create("c", "Chair", "irv", ("A", "B", "C"), rule=AD_RULE)
    with pytest.raises(InvalidInput):
        Poll.create("c", "Chair", "plurality", ("A", "B"), named=True)
    with pytest.raises(InvalidInput):
        Poll.create("c", "Treasurer", "yes-no-abstain", YNA, named=True, about_person=True)


def test_named_and_secret_polls_take_only_their_own_kind_of_vote() -> None:
    named = Poll.create("c", "Agenda", "yes-no-abstain", YNA, named=True)
    named.open({"entitled": 3, "present": 3})
    with pytest.raises(NotAllowed):
        named.cast("nullifier", (0,), None)
    assert named.cast_named("d1", 0, None) is True
    assert named.cast_named("d1", 0, 0) is False
    secret = Poll.create("c", "Motion", "yes-no-abstain", YNA)
    secret.open({"entitled": 3, "present": 3})
    with pytest.raises(NotAllowed):
        secret.cast_named("d1", 0, None)
