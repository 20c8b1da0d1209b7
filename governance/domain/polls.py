"""Polls: the aggregate that decides whether a ballot is accepted, and records it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from governance.domain.codes import new_id, new_receipt
from governance.domain.corrections import Discrepancy, PollAnnulled, PollHeld
from governance.domain.errors import (
    BallotAlreadyCast,
    InvalidChoice,
    InvalidInput,
    NotAllowed,
    PollAlreadyOpen,
    PollNotClosed,
    PollNotOpen,
    QuorumNotMet,
    RankingDuplicate,
    TooFewChoices,
    TooManyChoices,
)
from governance.domain.events import (
    Event,
    NamedVoteCast,
    PollClosed,
    PollCreated,
    PollOpened,
    TallyFailed,
)
from governance.domain.plenary_errors import SittingIsSuspended
from governance.domain.rules_json import quorum_required, rule_to_json
from governance.domain.text import clean_text
from governance.tally import MajorityRule

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
    required_cosignatures: int = 0
    rule: MajorityRule | None = None
    named: bool = False
    opened_snapshot: dict[str, Any] = field(default_factory=dict)
    closed_snapshot: dict[str, Any] = field(default_factory=dict)
    # Group bounds [{name, members (option indices), minimum, maximum}], frozen at creation.
    constraints: tuple[dict[str, Any], ...] = ()
    min_selections: int = 0
    max_selections: int | None = None
    # Rules of procedure that this motion adopts when it passes.
    proposed_rules: dict[str, Any] | None = None
    position_id: str | None = None
    tally_error: str = ""
    # Issue 18: closed with more ballots than delegates present or cards issued (not counted).
    held: bool = False
    # Issue 14: the reason of an annulment co-signed by the chair and an observer.
    annulled: str = ""
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
        required_cosignatures: int = 0,
        rule: MajorityRule | None = None,
        named: bool = False,
        about_person: bool = False,
        *,
        constraints: tuple[dict[str, Any], ...] = (),
        min_selections: int = 0,
        max_selections: int | None = None,
        proposed_rules: dict[str, Any] | None = None,
        position_id: str | None = None,
    ) -> Poll:
        if method not in METHODS:
            raise InvalidInput(f"unknown counting method: {method}")
        title = clean_text(title, field="title", max_length=300)
        description = clean_text(
            description, field="description", max_length=5000, multiline=True, required=False
        )
        options = tuple(clean_text(o, field="option", max_length=200) for o in options)
        if len(options) < 2 or len(set(options)) != len(options):
            raise InvalidInput("a poll needs at least two distinct options")
        if not 1 <= seats < len(options) + (1 if method in SINGLE_CHOICE else 0):
            raise InvalidInput("seats must be at least 1 and fewer than the candidates")
        if not 0 <= required_cosignatures <= 50:
            raise InvalidInput("required observer signatures must be between 0 and 50")
        if (rule is not None or named) and method != "yes-no-abstain":
            raise InvalidInput("a majority rule or a named vote is only for yes-no-abstain motions")
        if named and about_person:
            # Votes on persons are always secret: a named vote would record who chose whom.
            raise InvalidInput("votes on persons are always secret")
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
            required_cosignatures=required_cosignatures,
            rule=rule,
            named=named,
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
                rule=rule_to_json(rule),
                named=named,
                constraints=poll.constraints,
                min_selections=min_selections,
                max_selections=max_selections,
                required_cosignatures=required_cosignatures,
            )
        )
        return poll

    @property
    def is_open(self) -> bool:
        return self.status is PollStatus.OPEN

    def open(self, snapshot: dict[str, Any], rule: MajorityRule | None = None) -> None:
        """Fix the electorate and draw the tie-break seed that is published with the poll.

        A motion created without a rule takes `rule` (from the adopted rules of procedure).
        A poll whose rule carries a quorum does not open without it: the numbers are shown.
        No poll opens while the sitting is suspended (the snapshot says so).
        """
        if self.status is not PollStatus.DRAFT:
            raise PollAlreadyOpen()
        if snapshot.get("suspended"):
            # Skorsing: nothing opens until the chair reconvenes the sitting.
            raise SittingIsSuspended()
        if self.method == "yes-no-abstain" and self.rule is None:
            self.rule = rule
        required = quorum_required(self.rule, int(snapshot.get("entitled", 0)))
        present = int(snapshot.get("present", 0))
        if required is not None and present < required:
            raise QuorumNotMet(present, required, int(snapshot.get("entitled", 0)))
        self.status = PollStatus.OPEN
        self.seed = secrets.token_hex(16)
        self.opened_snapshot = dict(snapshot)
        self.events.append(
            PollOpened(
                congress_id=self.congress_id,
                poll_id=self.id,
                seed=self.seed,
                snapshot=snapshot,
                rule=rule_to_json(self.rule),
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

    def hold(self, found: Discrepancy) -> None:
        """Closed beyond the bound: the poll is not counted until two officials annul it."""
        if self.status is not PollStatus.CLOSED:
            raise PollNotOpen("only a closed poll is held")
        self.held = True
        self.events.append(
            PollHeld(self.congress_id, self.id, found.ballots, found.paper, found.present,
                     found.cards)
        )  # fmt: skip

    def annul(self, reason: str, correction_id: str, proposed_by: str, cosigned_by: str) -> None:
        """Annulled: the ballots stay sealed in the record; no result of it holds."""
        if self.status is not PollStatus.CLOSED or self.annulled:
            raise PollNotClosed("only a closed poll is annulled, once")
        self.annulled = reason
        self.events.append(
            PollAnnulled(self.congress_id, self.id, reason, correction_id, proposed_by,
                         cosigned_by)
        )  # fmt: skip

    @property
    def counts(self) -> bool:
        """Whether its count may run and its result be published (not held, not annulled)."""
        return not self.held and not self.annulled

    def tally_failed(self, reason: str) -> bool:
        """Mark the count as failed for observers to see; False when it already was."""
        if self.status is not PollStatus.CLOSED:
            raise PollNotOpen("only a closed poll is counted")
        if self.tally_error:
            return False
        self.tally_error = reason[:200] or "failed"
        self.events.append(
            TallyFailed(congress_id=self.congress_id, poll_id=self.id, reason=self.tally_error)
        )
        return True

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

    def cast_named(self, delegate_id: str, choice: int, previous: int | None) -> bool:
        """An open vote: True when newly recorded, False for an identical retry."""
        if not self.named:
            raise NotAllowed("this poll is secret: vote with your anonymous voting card")
        if not self.is_open:
            raise PollNotOpen()
        (canonical,) = self.canonical_choices((choice,))
        if previous is not None:
            if previous == canonical:
                return False
            raise BallotAlreadyCast()
        self.events.append(
            NamedVoteCast(self.congress_id, self.id, delegate_id, self.options[canonical])
        )
        return True

    def cast(self, nullifier: str, choices: tuple[int, ...], previous: Ballot | None) -> Ballot:
        """Accept a card's first ballot; refuse any later one the same way, whatever its choice.

        Answering an identical repeat with the first receipt and another choice with a refusal
        told anyone holding the card how it had voted while the poll was open (issue 18): the
        receipt is shown once, with the first ballot.
        """
        if self.named:
            # An open vote is recorded by name, never as an anonymous ballot beside it.
            raise NotAllowed("this is an open (named) vote")
        if not self.is_open:
            raise PollNotOpen()
        canonical = self.canonical_choices(choices)
        if previous is not None:
            raise BallotAlreadyCast()
        ballot = Ballot(
            id=new_id(),
            poll_id=self.id,
            choices=canonical,
            receipt=new_receipt(),
            nullifier=nullifier,
        )
        # No event per ballot: the board is the ballot box, and the close logs a digest of
        # its receipts (a log position or event per ballot would say when it was cast).
        return ballot
