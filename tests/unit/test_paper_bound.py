"""The paper-ballot bound as an invariant (issue 18): confirmations never pass it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from governance.domain.corrections import PaperBeyondBound, discrepancy
from governance.domain.paper import PaperBatch
from governance.domain.polls import Poll


def _open_poll(present: int, cards: int) -> Poll:
    poll = Poll.create("c", "Motion", "yes-no-abstain", ("yes", "no", "abstain"))
    poll.open({"entitled": 100, "present": present, "cards_issued": cards})
    return poll


@given(
    present=st.integers(0, 30),
    cards=st.integers(0, 30),
    present_now=st.integers(0, 30),
    electronic=st.integers(0, 30),
    batches=st.lists(st.integers(1, 12), max_size=8),
)
def test_confirmed_paper_ballots_never_exceed_the_delegates_present_or_the_cards(
    present: int, cards: int, present_now: int, electronic: int, batches: list[int]
) -> None:
    poll = _open_poll(present, cards)
    now = {"present": present_now, "cards_issued": cards}
    electronic = min(electronic, cards)  # one electronic ballot per card
    paper = 0
    for size in batches:
        batch = PaperBatch.enter(poll, "card 902", [(0,)] * size)
        try:
            batch.check_bound(poll, electronic + paper, paper, now)
        except PaperBeyondBound as refused:
            assert refused.params["ballots"] == electronic + paper + size
            continue
        batch.confirm(poll, "card 903")
        paper += size
    total = electronic + paper
    if paper:
        assert total <= max(present, present_now) and total <= cards
    assert discrepancy(total, paper, poll.opened_snapshot, now) is None


def test_electronic_ballots_alone_are_bounded_by_their_cards_not_by_the_check_in() -> None:
    opened = {"present": 2, "cards_issued": 10}
    assert discrepancy(8, 0, opened, opened) is None  # check-in may lag; cards cannot
    found = discrepancy(8, 1, opened, opened)
    assert found is not None and found.params() == {"ballots": 8, "present": 2, "cards": 10}
    assert discrepancy(3, 1, opened, {"present": 3, "cards_issued": 10}) is None
