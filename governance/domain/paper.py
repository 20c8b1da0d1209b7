"""Paper ballots entered by the secretariat in batches, counted once a second person confirms.

A batch holds choices only, never who voted; once confirmed its ballots become ordinary
ballot rows (random id, receipt and nullifier), indistinguishable from electronic ones.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from governance.domain.codes import new_id
from governance.domain.corrections import (
    CorrectionNotPossible,
    PaperBeyondBound,
    PaperOnNamedVote,
    discrepancy,
)
from governance.domain.errors import (
    BatchAlreadyConfirmed,
    InvalidInput,
    PollNotOpen,
    SameConfirmer,
)
from governance.domain.polls import Ballot, Poll

MAX_BATCH = 200


@dataclass
class PaperBatch:
    """Choices typed in from paper ballots, waiting for a second person's confirmation."""

    id: str
    poll_id: str
    entered_by: str
    pending: tuple[tuple[int, ...], ...]
    count: int
    status: str = "entered"
    confirmed_by: str | None = None

    @classmethod
    def enter(cls, poll: Poll, entered_by: str, choices: list[tuple[int, ...]]) -> PaperBatch:
        """Check every ballot against the poll before anything is stored."""
        if not poll.is_open:
            raise PollNotOpen()
        if poll.named:
            # An open vote is recorded by name: an anonymous paper ballot has no place in it.
            raise PaperOnNamedVote()
        if not 1 <= len(choices) <= MAX_BATCH:
            raise InvalidInput(f"a batch holds 1 to {MAX_BATCH} ballots")
        canonical = tuple(poll.canonical_choices(c) for c in choices)
        return cls(new_id(), poll.id, entered_by, canonical, len(canonical))

    def check_bound(self, poll: Poll, ballots: int, paper: int, now: dict[str, int]) -> None:
        """Refuse a confirmation that takes the poll beyond the delegates present or the
        voting cards issued (`ballots` and `paper`: already stored, before this batch)."""
        found = discrepancy(ballots + self.count, paper + self.count, poll.opened_snapshot, now)
        if found is not None:
            raise PaperBeyondBound(found.ballots, found.present, found.cards)

    def void(self) -> None:
        """Voided before it counted (by two officials: see corrections.py)."""
        if self.status != "entered":
            raise CorrectionNotPossible("only a batch not yet confirmed is voided")
        self.status = "voided"
        self.pending = ()

    def confirm(self, poll: Poll, confirmed_by: str) -> list[Ballot]:
        """A second person confirms: the ballots join the poll like electronic ones."""
        if self.status != "entered":
            raise BatchAlreadyConfirmed()
        if confirmed_by == self.entered_by:
            raise SameConfirmer()
        # A random nullifier of the same shape as a card's: a stored paper ballot cannot be
        # told apart from an electronic one.
        ballots = [poll.cast(secrets.token_hex(32), c, None) for c in self.pending]
        self.status = "confirmed"
        self.confirmed_by = confirmed_by
        self.pending = ()
        return ballots
