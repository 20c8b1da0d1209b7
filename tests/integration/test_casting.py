from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from governance.adapters.tables import ballots, events
from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll
from governance.domain.errors import (
    BallotAlreadyCast,
    InvalidChoice,
    InvalidCredentials,
    PollNotOpen,
)
from tests import factories


def ballot_count(app: Suara, poll_id: str) -> int:
    with app.engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).where(ballots.c.poll_id == poll_id)
            ).scalar_one()
        )


def test_a_cast_ballot_is_stored_and_logs_no_event(app: Suara) -> None:
    c = factories.congress(app)
    poll_id = factories.open_motion(app, c.id)
    with app.engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    ballot = app.bus.handle(CastBallot(poll_id, c.tags[0], (0,)))
    with app.engine.connect() as conn:
        stored = conn.execute(sa.select(ballots).where(ballots.c.poll_id == poll_id)).one()
        after = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    assert stored.receipt == ballot.receipt
    assert after == before


def test_an_identical_repeat_is_refused_and_stores_nothing_new(app: Suara) -> None:
    c = factories.congress(app)
    poll_id = factories.open_motion(app, c.id)
    app.bus.handle(CastBallot(poll_id, c.tags[0], (1,)))
    with pytest.raises(BallotAlreadyCast):
        app.bus.handle(CastBallot(poll_id, c.tags[0], (1,)))
    assert ballot_count(app, poll_id) == 1


def test_another_choice_on_the_same_card_is_refused_and_the_first_stands(app: Suara) -> None:
    c = factories.congress(app)
    poll_id = factories.open_motion(app, c.id)
    app.bus.handle(CastBallot(poll_id, c.tags[0], (1,)))
    with pytest.raises(BallotAlreadyCast):
        app.bus.handle(CastBallot(poll_id, c.tags[0], (0,)))
    assert app.queries.board(poll_id)[0][1] == "1"


def test_unknown_cards_and_cards_of_another_congress_cannot_vote(app: Suara) -> None:
    c = factories.congress(app)
    other = factories.congress(app)
    poll_id = factories.open_motion(app, c.id)
    with pytest.raises(InvalidCredentials):
        app.bus.handle(CastBallot(poll_id, "0" * 64, (0,)))
    with pytest.raises(InvalidCredentials):
        app.bus.handle(CastBallot(poll_id, other.tags[0], (0,)))
    with pytest.raises(InvalidChoice):
        app.bus.handle(CastBallot(poll_id, c.tags[0], (5,)))
    assert ballot_count(app, poll_id) == 0


def test_twenty_concurrent_identical_submissions_store_one_ballot_with_one_receipt(
    app: Suara,
) -> None:
    c = factories.congress(app)
    poll_id = factories.open_motion(app, c.id)
    start = threading.Barrier(20)

    def submit(_: int) -> str | None:
        start.wait()
        try:
            receipt: str = app.bus.handle(CastBallot(poll_id, c.tags[0], (2,))).receipt
        except BallotAlreadyCast:
            return None
        return receipt

    with ThreadPoolExecutor(max_workers=20) as pool:
        receipts = list(pool.map(submit, range(20)))
    assert len([r for r in receipts if r is not None]) == 1, "one receipt, shown once"
    assert ballot_count(app, poll_id) == 1


def test_closing_while_ballots_arrive_counts_every_acknowledged_ballot(app: Suara) -> None:
    c = factories.congress(app, delegates=40, cards=40)
    poll_id = factories.open_motion(app, c.id)
    acknowledged: list[str] = []
    refused: list[str] = []

    def vote(tag: str) -> None:
        try:
            acknowledged.append(app.bus.handle(CastBallot(poll_id, tag, (0,))).receipt)
        except PollNotOpen:
            refused.append(tag)

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(vote, tag) for tag in c.tags]
        snapshot = app.bus.handle(ClosePoll(poll_id))
        for future in futures:
            future.result()
    assert len(acknowledged) + len(refused) == 40
    assert snapshot["ballots"] == len(acknowledged) == ballot_count(app, poll_id)
    assert sorted(acknowledged) == [r for r, _ in app.queries.board(poll_id)]
