"""Corrections of a poll, each by two officials: voiding a paper batch, annulling a poll.

Paper ballots carry no credential, so they are bounded: a poll's ballots may not exceed the
delegates present nor the voting cards issued (issue 18). A batch that would go beyond is not
confirmed; a poll that closes beyond is held (never counted) until it is annulled.

No correction is made by one person: one official proposes it with a reason, a second of
another role co-signs it (an annulment: the chair and an observer). Both steps are audited;
what they decide is logged (`paper_batch.voided`, `poll.annulled`) and kept in the record.

A closed poll is never reopened: its closing count and receipts digest are in the log and
its board may already be signed and recounted. A mistaken close is corrected like any other
flawed poll, by annulment and a new poll (pemungutan suara ulang).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from governance.domain.codes import new_id
from governance.domain.commands import Command
from governance.domain.errors import DomainError, NotAllowed, NotFound
from governance.domain.events import Event
from governance.domain.text import clean_text

# ---------------------------------------------------------------- refusals


class PaperBeyondBound(DomainError):
    """Confirming this batch would give more ballots than delegates present or cards issued."""

    code = "paper_beyond_bound"

    def __init__(self, ballots: int, present: int, cards: int) -> None:
        super().__init__(f"{ballots} ballots, {present} present, {cards} cards")
        self.params = {"ballots": ballots, "present": present, "cards": cards}


class PaperOnNamedVote(NotAllowed):
    code = "paper_on_named_vote"


class CorrectionNotFound(NotFound):
    code = "correction_not_found"


class ReasonRequired(DomainError):
    code = "reason_required"


class SecondOfficialRequired(DomainError):
    """The co-signer is the proposer, or holds the same role, or not the role required."""

    code = "second_official_required"


class CorrectionNotPossible(DomainError):
    """The poll or batch is not (or no longer) in a state this correction applies to."""

    code = "correction_not_possible"


class CorrectionPending(DomainError):
    code = "correction_pending"


# ---------------------------------------------------------------- the bound


@dataclass(frozen=True)
class Discrepancy:
    """More ballots than delegates present (at the opening or the close) or cards issued."""

    ballots: int
    paper: int
    present: int
    cards: int

    def params(self) -> dict[str, int]:
        return {"ballots": self.ballots, "present": self.present, "cards": self.cards}


def ballot_bound(opened: dict[str, Any], now: dict[str, Any]) -> tuple[int, int]:
    """(present, cards): the larger count at the opening or now, so a delegate who voted and
    left, or arrived after the opening, is not held against the poll."""
    present = max(int(opened.get("present", 0)), int(now.get("present", 0)))
    cards = max(int(opened.get("cards_issued", 0)), int(now.get("cards_issued", 0)))
    return present, cards


def discrepancy(
    ballots: int, paper: int, opened: dict[str, Any], now: dict[str, Any]
) -> Discrepancy | None:
    """The discrepancy, when paper ballots take the poll beyond the delegates or the cards.

    Electronic ballots need a distinct voting card each, so alone they never exceed the
    cards; paper ballots carry no credential, and with them every ballot is accounted for.
    """
    if paper <= 0:
        return None
    present, cards = ballot_bound(opened, now)
    if ballots <= present and ballots <= cards:
        return None
    return Discrepancy(ballots, paper, present, cards)


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class PollHeld(Event):
    """The poll closed with more ballots than delegates present or cards issued: not counted."""

    type: ClassVar[str] = "poll.held"
    congress_id: str
    poll_id: str
    ballots: int
    paper: int
    present: int
    cards: int


@dataclass(frozen=True)
class CorrectionProposed(Event):
    type: ClassVar[str] = "correction.proposed"
    congress_id: str
    poll_id: str
    correction_id: str
    kind: str
    batch_id: str | None
    reason: str
    role: str
    card_number: int


@dataclass(frozen=True)
class CorrectionWithdrawn(Event):
    type: ClassVar[str] = "correction.withdrawn"
    congress_id: str
    poll_id: str
    correction_id: str


@dataclass(frozen=True)
class PaperBatchVoided(Event):
    """A batch voided before it counted: its count, the reason and both officials' roles."""

    type: ClassVar[str] = "paper_batch.voided"
    congress_id: str
    poll_id: str
    batch_id: str
    count: int
    reason: str
    correction_id: str
    proposed_by: str
    cosigned_by: str


@dataclass(frozen=True)
class PollAnnulled(Event):
    """The poll is annulled: its ballots stay sealed in the record, its result does not hold."""

    type: ClassVar[str] = "poll.annulled"
    congress_id: str
    poll_id: str
    reason: str
    correction_id: str
    proposed_by: str
    cosigned_by: str


# ---------------------------------------------------------------- commands


@dataclass(frozen=True)
class ProposeCorrection(Command):
    """An official proposes to void a batch (`batch_id`) or annul the poll, with a reason."""

    poll_id: str
    kind: str
    reason: str
    role: str
    card_number: int
    batch_id: str | None = None


@dataclass(frozen=True)
class CosignCorrection(Command):
    """A second official of another role co-signs: the correction takes effect."""

    correction_id: str
    role: str
    card_number: int
    poll_id: str | None = None


@dataclass(frozen=True)
class WithdrawCorrection(Command):
    """The proposer, or a second official, withdraws a proposal: nothing changes."""

    correction_id: str
    role: str
    card_number: int
    poll_id: str | None = None


# ---------------------------------------------------------------- the aggregate


class Kind(StrEnum):
    VOID_BATCH = "void_batch"
    ANNUL = "annul"


# Who may propose each kind, and who may co-sign it (always another card of another role).
PROPOSERS = {Kind.VOID_BATCH: ("secretariat", "chair"), Kind.ANNUL: ("chair",)}
COSIGNERS = {Kind.VOID_BATCH: ("chair", "observer"), Kind.ANNUL: ("observer",)}


def official(role: str, card_number: int) -> str:
    """How an official is named in the log and the record: the role and card, never a name."""
    return f"{role} {card_number}"


@dataclass
class Correction:
    id: str
    congress_id: str
    poll_id: str
    kind: Kind
    reason: str
    proposed_role: str
    proposed_card: int
    batch_id: str | None = None
    status: str = "proposed"
    cosigned_role: str | None = None
    cosigned_card: int | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def propose(
        cls,
        congress_id: str,
        poll_id: str,
        kind: str,
        reason: str,
        role: str,
        card_number: int,
        batch_id: str | None = None,
    ) -> Correction:
        try:
            chosen = Kind(kind)
        except ValueError:
            raise CorrectionNotPossible(kind) from None
        if not reason.strip():
            raise ReasonRequired()
        reason = clean_text(reason, field="reason", max_length=500)
        if role not in PROPOSERS[chosen]:
            raise NotAllowed(f"{role} cannot propose {kind}")
        if (chosen is Kind.VOID_BATCH) != (batch_id is not None):
            raise CorrectionNotPossible("a batch is named only when voiding it")
        correction = cls(
            new_id(), congress_id, poll_id, chosen, reason, role, card_number, batch_id
        )
        correction.events.append(
            CorrectionProposed(
                congress_id, poll_id, correction.id, chosen.value, batch_id, reason, role,
                card_number,
            )
        )  # fmt: skip
        return correction

    @property
    def proposed_by(self) -> str:
        return official(self.proposed_role, self.proposed_card)

    @property
    def cosigned_by(self) -> str:
        return official(self.cosigned_role or "", self.cosigned_card or 0)

    @property
    def is_open(self) -> bool:
        return self.status == "proposed"

    def cosign(self, role: str, card_number: int) -> None:
        """Never one alone: another card, of another role, of a role that may co-sign."""
        if not self.is_open:
            raise CorrectionNotPossible("this correction is already decided")
        if (
            card_number == self.proposed_card
            or role == self.proposed_role
            or role not in COSIGNERS[self.kind]
        ):
            raise SecondOfficialRequired()
        self.status = "done"
        self.cosigned_role, self.cosigned_card = role, card_number

    def withdraw(self, role: str, card_number: int) -> None:
        if not self.is_open:
            raise CorrectionNotPossible("this correction is already decided")
        if role not in {*PROPOSERS[self.kind], *COSIGNERS[self.kind]}:
            raise NotAllowed()
        self.status = "withdrawn"
        self.cosigned_role, self.cosigned_card = role, card_number
        self.events.append(CorrectionWithdrawn(self.congress_id, self.poll_id, self.id))
