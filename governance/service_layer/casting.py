"""Casting a secret ballot: one ballot per card and poll; any later submission is refused alike.

The decision is the same on both paths: the unit of work's (a thread, or SQLite on the event
loop) and the awaited one (PostgreSQL on the event loop, where waiting for the database must not
hold up other voters).
"""

from __future__ import annotations

from dataclasses import replace

from governance.domain import codes
from governance.domain.commands import CastBallot
from governance.domain.errors import InvalidCredentials, PollNotFound
from governance.domain.polls import Ballot, Poll, PollStatus
from governance.service_layer.open_polls import OpenPolls
from governance.service_layer.ports import (
    AsyncCastStore,
    CastContext,
    ConcurrentWrite,
    UnitOfWorkFactory,
)

ATTEMPTS = 3


def _accept(
    cmd: CastBallot,
    nullifier: str,
    context: CastContext | None,
    definition: Poll | None,
    known: OpenPolls,
) -> Ballot:
    """The new ballot to store; a card that already voted is refused (BallotAlreadyCast)."""
    if context is None or definition is None:
        known.forget(cmd.poll_id)
        raise PollNotFound()
    if known.get(cmd.poll_id) is None or context.status is not PollStatus.OPEN:
        known.remember(replace(definition, status=context.status))
    poll = replace(definition, status=context.status, events=[])
    if not context.card_active:
        raise InvalidCredentials()
    return poll.cast(nullifier, cmd.choices, context.previous)


def cast_ballot(
    cmd: CastBallot,
    uow_factory: UnitOfWorkFactory,
    secret_key: str,
    open_polls: OpenPolls | None = None,
) -> Ballot:
    """Store a secret ballot once per card and poll; a repeat is refused whatever its choice."""
    known = open_polls if open_polls is not None else OpenPolls()
    nullifier = codes.nullifier(secret_key, cmd.card_tag, cmd.poll_id)
    for attempt in range(ATTEMPTS):
        try:
            with uow_factory() as uow:
                # One read for status (locked against a close), card and an earlier ballot.
                context = uow.ballots.cast_context(
                    cmd.poll_id, cmd.card_tag, nullifier, cmd.session
                )
                definition = known.get(cmd.poll_id)
                if definition is None and context is not None:
                    definition = uow.polls.get(cmd.poll_id)
                ballot = _accept(cmd, nullifier, context, definition, known)
                if not uow.ballots.add_if_allowed(ballot, cmd.card_tag, cmd.session):
                    raise ConcurrentWrite("another request stored this card's ballot")
                uow.commit()
                return ballot
        except ConcurrentWrite:
            # Another request stored this card's ballot first: the re-read decides.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def cast_ballot_awaited(
    cmd: CastBallot, store: AsyncCastStore, secret_key: str, open_polls: OpenPolls
) -> Ballot | None:
    """The same cast, awaited; None when the poll's definition is not in memory yet (the
    caller then takes the unit of work's path once, which reads and keeps it).

    Most casts are a card's first ballot in an open poll: the ballot is decided as if that held
    and stored only where it does, in one statement. When nothing was stored, the read says
    why (the card already voted, a closed poll, a revoked card) and decides.
    """
    definition = open_polls.get(cmd.poll_id)
    if definition is None:
        return None
    nullifier = codes.nullifier(secret_key, cmd.card_tag, cmd.poll_id)
    first_ballot = CastContext(PollStatus.OPEN, card_active=True, previous=None)
    for _ in range(ATTEMPTS):
        async with store.transaction() as tx:
            ballot = _accept(cmd, nullifier, first_ballot, definition, open_polls)
            if await tx.add_if_allowed(ballot, cmd.card_tag, cmd.session):
                return ballot
            context = await tx.cast_context(cmd.poll_id, cmd.card_tag, nullifier, cmd.session)
            _accept(cmd, nullifier, context, definition, open_polls)  # refuses why it failed
        # The read allowed a new ballot after all (a racing insert of this card rolled back):
        # decide again from the start.
    raise ConcurrentWrite("the ballot could not be stored")
