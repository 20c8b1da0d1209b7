"""Paper ballots are bounded by the delegates present and the voting cards issued (issue 18.4).

A batch that would take the ballots beyond either is not confirmed; a poll that closes beyond
either is held: no count, no result, the discrepancy shown until two officials annul it.
"""

from __future__ import annotations

import pytest

from governance.bootstrap import Suara
from governance.domain.commands import (
    ClosePoll,
    ConfirmPaperBatch,
    EnterPaperBatch,
    PublishResult,
    TallyPoll,
)
from governance.domain.corrections import PaperBeyondBound
from governance.domain.errors import BatchesPending, NotAllowed
from tests import factories


def _enter_and_confirm(app: Suara, poll_id: str, ballots: int) -> None:
    done = 0
    while done < ballots:
        size = min(200, ballots - done)
        batch = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((0,),) * size))
        app.bus.handle(ConfirmPaperBatch(batch, "card 903"))
        done += size


def test_paper_batches_beyond_the_delegates_present_are_never_published(app: Suara) -> None:
    """The attack: 400 paper ballots in a congress with 6 present and 8 voting cards.

    Before issue 18 every batch was confirmed and the 400 ballots were published.
    """
    congress = factories.congress(app, delegates=6, cards=8)
    poll_id = factories.open_motion(app, congress.id)
    for _ in range(2):
        batch = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((0,),) * 200))
        with pytest.raises(PaperBeyondBound):
            app.bus.handle(ConfirmPaperBatch(batch, "card 903"))
    rec = app.queries.reconciliation(congress.id, poll_id)
    assert (rec.paper, rec.pending_batches) == (0, 2)
    with pytest.raises(BatchesPending):
        app.bus.handle(ClosePoll(poll_id))
    assert app.queries.result(poll_id) is None


def test_a_batch_that_fits_is_confirmed_and_one_ballot_more_is_refused(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=8, present=5)
    poll_id = factories.open_motion(app, congress.id)
    _enter_and_confirm(app, poll_id, 5)
    extra = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((1,),)))
    with pytest.raises(PaperBeyondBound) as refused:
        app.bus.handle(ConfirmPaperBatch(extra, "card 903"))
    assert refused.value.params == {"ballots": 6, "present": 5, "cards": 8}
    assert app.queries.reconciliation(congress.id, poll_id).paper == 5


def test_a_poll_closed_beyond_the_bound_is_held_and_never_counted(app: Suara) -> None:
    """Paper first, then electronic ballots: together more than the delegates present."""
    congress = factories.congress(app, delegates=6, cards=8, present=4)
    poll_id = factories.open_motion(app, congress.id)
    _enter_and_confirm(app, poll_id, 3)
    for tag in congress.tags[:3]:
        from governance.domain.commands import CastBallot

        app.bus.handle(CastBallot(poll_id, tag, (1,)))
    snapshot = app.bus.handle(ClosePoll(poll_id))
    assert snapshot["ballots"] == 6 and snapshot["present"] == 4
    assert app.bus.handle(TallyPoll(poll_id)) is False
    assert app.queries.result(poll_id) is None
    poll = app.queries.poll(poll_id)
    assert poll is not None and poll.held
    with pytest.raises(Exception):  # noqa: B017 - no result to publish
        app.bus.handle(PublishResult(poll_id))


def test_paper_ballots_are_refused_on_a_named_vote(app: Suara) -> None:
    congress = factories.congress(app)
    from governance.domain.commands import CreatePoll, OpenPoll

    poll_id = app.bus.handle(CreatePoll(congress.id, "Prosedur", named=True))
    app.bus.handle(OpenPoll(poll_id))
    with pytest.raises(NotAllowed):
        app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((0,),)))
    assert app.queries.batches(poll_id) == []
