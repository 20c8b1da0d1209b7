"""Polls: the aggregate that decides whether a ballot is accepted, and records it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from governance.domain.codes import new_id, new_receipt
from governance.domain.errors import (
    BallotAlreadyCast,
    InvalidChoice,
    InvalidInput,
    PollAlreadyOpen,
    PollNotOpen,
    RankingDuplicate,
    TooFewChoices,
    TooManyChoices,
)
from governance.domain.events import BallotCast, Event, PollClosed, PollCreated, PollOpened

SINGLE_CHOICE = frozenset({"yes-no-abstain", "plurality", "two-round"})
RANKED = frozenset({"irv", "scottish-stv", "meek-stv", "schulze"})
APPROVAL = frozenset({"approval"})
METHODS = SINGLE_CHOICE | RANKED | APPROVAL


class PollStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Ballot:
    """A secret ballot: random id and receipt, canonical choices, and the card's nullifier.

    No delegate, no card, no time and no sequence number: nothing that links it to a person.
    """

    id: str
    poll_id: str
    choices: tuple[int, ...]
    receipt: str
    nullifier: str


@dataclass
class Poll:
    """A motion or election, from draft to closed; results live in their own table."""

    id: str
    congress_id: str
    title: str
    method: str
    options: tuple[str, ...]
    description: str = ""
    seats: int = 1
    status: PollStatus = PollStatus.DRAFT
    seed: str = ""
    auto_publish: bool = True
    opened_snapshot: dict[str, Any] = field(default_factory=dict)
    closed_snapshot: dict[str, Any] = field(default_factory=dict)
    # Group bounds [{name, members (option indices), minimum, maximum}], frozen at creation.
    constraints: tuple[dict[str, Any], ...] = ()
    min_selections: int = 0
    max_selections: int | None = None
    # The majority rule of a motion, frozen from the rules of procedure when it opens.
    rule: dict[str, Any] | None = None
    # Rules of procedure that this motion adopts when it passes.
    proposed_rules: dict[str, Any] | None = None
    position_id: str | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        congress_id: str,
        title: str,
        method: str,
        options: tuple[str, ...],
        description: str = "",
        seats: int = 1,
        auto_publish: bool = True,
        *,
        constraints: tuple[dict[str, Any], ...] = (),
        min_selections: int = 0,
        max_selections: int | None = None,
        proposed_rules: dict[str, Any] | None = None,
        position_id: str | None = None,
    ) -> Poll:
        if method not in METHODS:
            raise InvalidInput(f"unknown counting method: {method}")
        if not title.strip():
            raise InvalidInput("a poll needs a title")
        if len(options) < 2 or len(set(options)) != len(options):
            raise InvalidInput("a poll needs at least two distinct options")
        if not 1 <= seats < len(options) + (1 if method in SINGLE_CHOICE else 0):
            raise InvalidInput("seats must be at least 1 and fewer than the candidates")
        top = max_selections if max_selections is not None else len(options)
        if method in APPROVAL and not 0 <= min_selections <= top <= len(options):
            raise InvalidInput("approval limits must satisfy 0 <= minimum <= maximum")
        if proposed_rules is not None and method != "yes-no-abstain":
            raise InvalidInput("rules of procedure are adopted by a yes/no motion")
        poll = cls(
            id=new_id(),
            congress_id=congress_id,
            title=title.strip(),
            method=method,
            options=tuple(options),
            description=description,
            seats=seats,
            auto_publish=auto_publish,
            constraints=tuple(constraints),
            min_selections=min_selections,
            max_selections=max_selections,
            proposed_rules=proposed_rules,
            position_id=position_id,
        )
        poll.events.append(
            PollCreated(
                congress_id=congress_id,
                poll_id=poll.id,
                title=poll.title,
                method=method,
                options=poll.options,
            )
        )
        return poll

    @property
    def is_open(self) -> bool:
        return self.status is PollStatus.OPEN

    def open(self, snapshot: dict[str, Any], rule: dict[str, Any] | None = None) -> None:
        """Fix the electorate, the majority rule and the tie-break seed published with the poll."""
        if self.status is not PollStatus.DRAFT:
            raise PollAlreadyOpen()
        if self.method == "yes-no-abstain" and self.rule is None:
            self.rule = rule
        self.status = PollStatus.OPEN
        self.seed = secrets.token_hex(16)
        self.opened_snapshot = dict(snapshot)
        self.events.append(
            PollOpened(
                congress_id=self.congress_id, poll_id=self.id, seed=self.seed, snapshot=snapshot
            )
        )

    def close(self, snapshot: dict[str, Any]) -> None:
        if self.status is not PollStatus.OPEN:
            raise PollNotOpen()
        self.status = PollStatus.CLOSED
        self.closed_snapshot = dict(snapshot)
        self.events.append(
            PollClosed(congress_id=self.congress_id, poll_id=self.id, snapshot=snapshot)
        )

    def canonical_choices(self, choices: tuple[int, ...]) -> tuple[int, ...]:
        """Check a ballot's choices against this poll's method; return the stored form."""
        if any(not 0 <= c < len(self.options) for c in choices):
            raise InvalidChoice("a choice is not on the ballot")
        if len(set(choices)) != len(choices):
            raise RankingDuplicate("the same option is chosen twice")
        if self.method in SINGLE_CHOICE:
            if len(choices) != 1:
                raise InvalidChoice("choose exactly one option")
            return choices
        if self.method in APPROVAL:
            if len(choices) < self.min_selections:
                raise TooFewChoices(str(self.min_selections))
            if self.max_selections is not None and len(choices) > self.max_selections:
                raise TooManyChoices(str(self.max_selections))
            return tuple(sorted(choices))
        if not choices:
            raise InvalidChoice("rank at least one candidate")
        return choices

    def cast(self, nullifier: str, choices: tuple[int, ...], previous: Ballot | None) -> Ballot:
        """Accept a ballot, or return the earlier identical one (a retry), or refuse."""
        if not self.is_open:
            raise PollNotOpen()
        canonical = self.canonical_choices(choices)
        if previous is not None:
            if previous.choices == canonical:
                return previous
            raise BallotAlreadyCast()
        ballot = Ballot(
            id=new_id(),
            poll_id=self.id,
            choices=canonical,
            receipt=new_receipt(),
            nullifier=nullifier,
        )
        self.events.append(
            BallotCast(congress_id=self.congress_id, poll_id=self.id, receipt=ballot.receipt)
        )
        return ballot
