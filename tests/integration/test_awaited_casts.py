"""The event loop's cast path (awaited on PostgreSQL, direct on SQLite): the same rules as the
unit of work's."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa

from governance.adapters.awaited_casts import PostgresAwaitedCasts
from governance.adapters.sqlite_casts import SqliteLoopCasts
from governance.adapters.tables import ballots, events
from governance.bootstrap import Suara, bootstrap
from governance.domain.commands import CastBallot, ClosePoll, RevokeVotingCard
from governance.domain.errors import BallotAlreadyCast, InvalidCredentials, PollNotOpen
from governance.domain.polls import Ballot
from governance.service_layer.casting import cast_ballot_awaited
from governance.service_layer.ports import AsyncCastStore, StorageUnavailable
from tests import factories
from tests.conftest import FAST_HASHER, make_settings

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: the browser tests leave a loop on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def pg_app(tmp_path: Path, pg_url: str) -> Iterator[Suara]:
    suara = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    assert isinstance(suara.awaited_casts, PostgresAwaitedCasts)
    yield suara
    suara.dispose()


@pytest.fixture
def loop_app(app: Suara) -> Suara:
    """Either backend's store (the `app` fixture runs each test on SQLite and PostgreSQL)."""
    assert isinstance(app.awaited_casts, PostgresAwaitedCasts | SqliteLoopCasts)
    return app


def awaited(app: Suara, command: CastBallot) -> Ballot:
    assert app.awaited_casts is not None
    ballot = run(
        cast_ballot_awaited(command, app.awaited_casts, app.settings.secret_key, app.open_polls)
    )
    assert ballot is not None
    return ballot


def stored(app: Suara, poll_id: str) -> list[str]:
    """Receipts in the poll's ballot rows."""
    with app.engine.connect() as conn:
        rows = conn.execute(sa.select(ballots.c.receipt).where(ballots.c.poll_id == poll_id))
        return [r for (r,) in rows]


def logged_text(app: Suara) -> str:
    with app.engine.connect() as conn:
        return " ".join(p for (p,) in conn.execute(sa.select(events.c.payload)))


def remember(app: Suara, poll_id: str) -> None:
    """What the ballot page does first: the poll's definition is kept in memory."""
    poll = app.queries.poll(poll_id)
    assert poll is not None
    app.open_polls.remember(poll)


def open_poll(app: Suara, cards: int = 8) -> tuple[factories.Congress, str, AsyncCastStore]:
    """A congress, an open motion already in memory, and the app's loop store."""
    c = factories.congress(app, delegates=cards, cards=cards)
    poll_id = factories.open_motion(app, c.id)
    remember(app, poll_id)
    assert app.awaited_casts is not None
    return c, poll_id, app.awaited_casts


def test_without_the_definition_in_memory_the_caller_takes_the_other_path(loop_app: Suara) -> None:
    c = factories.congress(loop_app)
    poll_id = factories.open_motion(loop_app, c.id)
    assert loop_app.awaited_casts is not None
    found = run(
        cast_ballot_awaited(
            CastBallot(poll_id, c.tags[0], (0,)),
            loop_app.awaited_casts,
            loop_app.settings.secret_key,
            loop_app.open_polls,
        )
    )
    assert found is None
    assert stored(loop_app, poll_id) == []


def test_a_ballot_is_stored_without_an_event_and_a_repeat_is_refused_on_both_paths(
    loop_app: Suara,
) -> None:
    c = factories.congress(loop_app)
    poll_id = factories.open_motion(loop_app, c.id)
    remember(loop_app, poll_id)
    first = awaited(loop_app, CastBallot(poll_id, c.tags[0], (1,)))
    with pytest.raises(BallotAlreadyCast):
        awaited(loop_app, CastBallot(poll_id, c.tags[0], (1,)))
    # The unit of work's path refuses the same way: one rule, two paths.
    with pytest.raises(BallotAlreadyCast):
        loop_app.bus.handle(CastBallot(poll_id, c.tags[0], (1,)))
    assert stored(loop_app, poll_id) == [first.receipt]
    assert first.receipt not in logged_text(loop_app)
    with pytest.raises(BallotAlreadyCast):
        awaited(loop_app, CastBallot(poll_id, c.tags[0], (0,)))
    with pytest.raises(InvalidCredentials):
        awaited(loop_app, CastBallot(poll_id, "0" * 64, (0,)))
    assert stored(loop_app, poll_id) == [first.receipt]


def test_twenty_concurrent_identical_submissions_store_one_ballot(loop_app: Suara) -> None:
    c, poll_id, store = open_poll(loop_app)

    async def twenty() -> list[Ballot | BaseException | None]:
        command = CastBallot(poll_id, c.tags[0], (2,))
        key = loop_app.settings.secret_key
        return await asyncio.gather(
            *(cast_ballot_awaited(command, store, key, loop_app.open_polls) for _ in range(20)),
            return_exceptions=True,
        )

    answers = run(twenty())
    assert len([a for a in answers if isinstance(a, Ballot)]) == 1
    assert all(isinstance(a, (Ballot, BallotAlreadyCast)) for a in answers)
    assert len(stored(loop_app, poll_id)) == 1


def test_a_close_just_before_the_insert_stores_nothing(pg_app: Suara) -> None:
    c, poll_id, store = open_poll(pg_app)
    ballot = Ballot("b" * 32, poll_id, (0,), "r" * 20, "n" * 64)

    async def close_then_insert() -> bool:
        async with store.transaction() as tx:
            # The chair closes now, while the cast holds its connection but no lock.
            await asyncio.to_thread(pg_app.bus.handle, ClosePoll(poll_id))
            return await tx.add_if_allowed(ballot, c.tags[0])

    assert run(close_then_insert()) is False
    assert stored(pg_app, poll_id) == []
    with pytest.raises(PollNotOpen):  # and the cast says why
        awaited(pg_app, CastBallot(poll_id, c.tags[1], (0,)))


def test_a_revoked_or_foreign_card_stores_nothing(loop_app: Suara) -> None:
    c = factories.congress(loop_app)
    other = factories.congress(loop_app)
    poll_id = factories.open_motion(loop_app, c.id)
    remember(loop_app, poll_id)
    loop_app.bus.handle(RevokeVotingCard(c.id, c.voting_codes[0]))
    for tag in (c.tags[0], other.tags[0]):
        with pytest.raises(InvalidCredentials):
            awaited(loop_app, CastBallot(poll_id, tag, (0,)))
    assert stored(loop_app, poll_id) == []


def test_closing_while_awaited_ballots_arrive_counts_every_acknowledged_one(
    loop_app: Suara,
) -> None:
    c, poll_id, store = open_poll(loop_app, cards=40)
    key = loop_app.settings.secret_key

    async def vote(tag: str) -> str | None:
        try:
            found = await cast_ballot_awaited(
                CastBallot(poll_id, tag, (0,)), store, key, loop_app.open_polls
            )
        except PollNotOpen:
            return None
        return found.receipt if found is not None else None

    async def race() -> tuple[list[str | None], dict[str, int]]:
        voting = asyncio.gather(*(vote(tag) for tag in c.tags))
        await asyncio.sleep(0.01)
        snapshot = await asyncio.to_thread(loop_app.bus.handle, ClosePoll(poll_id))
        return await voting, snapshot

    answers, snapshot = run(race())
    acknowledged = sorted(a for a in answers if a is not None)
    assert snapshot["ballots"] == len(acknowledged)
    assert sorted(stored(loop_app, poll_id)) == acknowledged
    assert [r for r, _ in loop_app.queries.board(poll_id)] == acknowledged


def test_an_unreachable_database_is_storage_unavailable(pg_app: Suara) -> None:
    c = factories.congress(pg_app)
    poll_id = factories.open_motion(pg_app, c.id)
    remember(pg_app, poll_id)
    nowhere = PostgresAwaitedCasts("postgresql://postgres@127.0.0.1:1/none")
    with pytest.raises(StorageUnavailable):
        run(
            cast_ballot_awaited(
                CastBallot(poll_id, c.tags[0], (0,)), nowhere, "k" * 64, pg_app.open_polls
            )
        )
    assert stored(pg_app, poll_id) == []


def test_no_free_connection_in_time_is_storage_unavailable(
    pg_app: Suara, monkeypatch: pytest.MonkeyPatch
) -> None:
    c, poll_id, _ = open_poll(pg_app)
    monkeypatch.setattr("governance.adapters.awaited_casts.WRITER_WAIT_S", 0.2)
    one = PostgresAwaitedCasts(pg_app.settings.database_url, size=1)
    key = pg_app.settings.secret_key

    async def while_the_only_connection_is_held() -> None:
        async with one.transaction():
            await cast_ballot_awaited(
                CastBallot(poll_id, c.tags[0], (0,)), one, key, pg_app.open_polls
            )

    try:
        with pytest.raises(StorageUnavailable):
            run(while_the_only_connection_is_held())
    finally:
        one.close()
    assert stored(pg_app, poll_id) == []
