from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.domain.errors import (
    BallotAlreadyCast,
    InvalidChoice,
    InvalidInput,
    PollAlreadyOpen,
    PollNotOpen,
)
from governance.domain.events import PollClosed, PollOpened
from governance.domain.polls import Poll, PollStatus


def motion(
    method: str = "yes-no-abstain", options: tuple[str, ...] = ("yes", "no", "abstain")
) -> Poll:
    return Poll.create("c", "Adopt the agenda", method, options)


def opened(poll: Poll) -> Poll:
    poll.open({"entitled": 10, "present": 8, "cards_issued": 10})
    return poll


def test_a_ballot_on_a_draft_poll_is_refused() -> None:
    with pytest.raises(PollNotOpen):
        motion().cast("n", (0,), None)


def test_a_ballot_on_a_closed_poll_is_refused() -> None:
    poll = opened(motion())
    poll.close({"ballots": 0})
    with pytest.raises(PollNotOpen):
        poll.cast("n", (0,), None)


def test_opening_freezes_the_electorate_and_draws_a_seed() -> None:
    poll = opened(motion())
    assert poll.status is PollStatus.OPEN
    assert poll.opened_snapshot["entitled"] == 10
    assert len(poll.seed) == 32
    assert isinstance(poll.events[-1], PollOpened)
    with pytest.raises(PollAlreadyOpen):
        poll.open({})


def test_closing_records_the_snapshot() -> None:
    poll = opened(motion())
    poll.close({"ballots": 3})
    assert isinstance(poll.events[-1], PollClosed)
    assert poll.events[-1].snapshot == {"ballots": 3}


def test_a_secret_ballot_records_no_event() -> None:
    # An event per ballot would give it a time and a log position to line up with who was
    # seen voting; the close logs the count and a digest of the receipts instead.
    poll = opened(motion())
    before = list(poll.events)
    ballot = poll.cast("nullifier", (1,), None)
    assert ballot.receipt and ballot.nullifier == "nullifier"
    assert poll.events == before


def test_an_identical_repeat_is_refused_like_another_choice_and_records_nothing() -> None:
    poll = opened(motion())
    first = poll.cast("n", (0,), None)
    before = len(poll.events)
    with pytest.raises(BallotAlreadyCast):
        poll.cast("n", (0,), first)  # the receipt is not handed out twice (issue 18)
    assert len(poll.events) == before


def test_a_different_choice_on_the_same_card_is_refused() -> None:
    poll = opened(motion())
    first = poll.cast("n", (0,), None)
    with pytest.raises(BallotAlreadyCast):
        poll.cast("n", (1,), first)


@pytest.mark.parametrize("choices", [(), (3,), (-1,), (0, 1)])
def test_single_choice_ballots_need_exactly_one_listed_option(choices: tuple[int, ...]) -> None:
    with pytest.raises(InvalidChoice):
        opened(motion()).cast("n", choices, None)


def test_ranked_ballots_refuse_duplicates() -> None:
    poll = opened(motion("irv", ("A", "B", "C")))
    with pytest.raises(InvalidChoice):
        poll.cast("n", (0, 0), None)


@given(st.lists(st.integers(0, 4), unique=True, min_size=0, max_size=5))
def test_approval_choices_are_stored_in_one_canonical_order(choices: list[int]) -> None:
    poll = opened(motion("approval", ("A", "B", "C", "D", "E")))
    ballot = poll.cast("n", tuple(choices), None)
    assert ballot.choices == tuple(sorted(choices))


@pytest.mark.parametrize(
    ("method", "options", "seats"),
    [
        ("nope", ("a", "b"), 1),
        ("irv", ("a",), 1),
        ("irv", ("a", "a"), 1),
        ("scottish-stv", ("a", "b"), 2),
    ],
)
def test_polls_that_cannot_be_counted_are_refused_at_creation(
    method: str, options: tuple[str, ...], seats: int
) -> None:
    with pytest.raises(InvalidInput):
        Poll.create("c", "Title", method, options, seats=seats)
