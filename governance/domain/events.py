"""Events: what happened, past tense, with a stable type string and a version."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Base of every stored event. No event is stored per secret ballot: its time or position
    in the log could link it to a delegate seen voting (the close logs a digest instead)."""

    type: ClassVar[str] = "event"
    version: ClassVar[int] = 1

    def payload(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CongressCreated(Event):
    type: ClassVar[str] = "congress.created"
    congress_id: str
    name: str


@dataclass(frozen=True)
class DelegatesImported(Event):
    type: ClassVar[str] = "delegates.imported"
    congress_id: str
    count: int


@dataclass(frozen=True)
class VotingCardsRegistered(Event):
    type: ClassVar[str] = "voting_cards.registered"
    congress_id: str
    count: int
    fingerprint: str


@dataclass(frozen=True)
class DelegateCheckedIn(Event):
    type: ClassVar[str] = "delegate.checked_in"
    congress_id: str
    delegate_id: str
    present: bool = True


@dataclass(frozen=True)
class PollCreated(Event):
    type: ClassVar[str] = "poll.created"
    congress_id: str
    poll_id: str
    title: str
    method: str
    options: tuple[str, ...]
    rule: dict[str, Any] | None = None
    named: bool = False
    # Group bounds on the options (a regional minimum), for recounting from the record.
    constraints: tuple[dict[str, Any], ...] = ()
    min_selections: int = 0
    max_selections: int | None = None
    # Observer co-signatures its result needs before publication, for the verifier to check.
    required_cosignatures: int = 0


@dataclass(frozen=True)
class PollOpened(Event):
    type: ClassVar[str] = "poll.opened"
    congress_id: str
    poll_id: str
    seed: str
    snapshot: dict[str, Any] = field(default_factory=dict)
    # The majority rule in force when it opened (from the adopted rules of procedure).
    rule: dict[str, Any] | None = None


@dataclass(frozen=True)
class PollClosed(Event):
    type: ClassVar[str] = "poll.closed"
    congress_id: str
    poll_id: str
    snapshot: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultComputed(Event):
    type: ClassVar[str] = "result.computed"
    congress_id: str
    poll_id: str
    outcome: str
    digest: str


@dataclass(frozen=True)
class TallyFailed(Event):
    type: ClassVar[str] = "tally.failed"
    congress_id: str
    poll_id: str
    reason: str


@dataclass(frozen=True)
class ResultPublished(Event):
    type: ClassVar[str] = "result.published"
    congress_id: str
    poll_id: str
    digest: str


@dataclass(frozen=True)
class DelegateChanged(Event):
    type: ClassVar[str] = "delegate.changed"
    congress_id: str
    delegate_id: str
    change: str


@dataclass(frozen=True)
class RulesAdopted(Event):
    type: ClassVar[str] = "rules.adopted"
    congress_id: str
    poll_id: str
    rules: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PositionCreated(Event):
    type: ClassVar[str] = "position.created"
    congress_id: str
    position_id: str
    title: str
    seats: int
    method: str


@dataclass(frozen=True)
class NominationChanged(Event):
    """A nomination was made, seconded, answered or withdrawn (`change` says which)."""

    type: ClassVar[str] = "nomination.changed"
    congress_id: str
    position_id: str
    nomination_id: str
    change: str


@dataclass(frozen=True)
class PositionAcclaimed(Event):
    type: ClassVar[str] = "position.acclaimed"
    congress_id: str
    position_id: str
    elected: tuple[str, ...]


@dataclass(frozen=True)
class PositionFilled(Event):
    type: ClassVar[str] = "position.filled"
    congress_id: str
    position_id: str
    poll_id: str
    elected: tuple[str, ...]


@dataclass(frozen=True)
class PaperBatchEntered(Event):
    type: ClassVar[str] = "paper_batch.entered"
    congress_id: str
    poll_id: str
    batch_id: str
    count: int


@dataclass(frozen=True)
class PaperBatchConfirmed(Event):
    type: ClassVar[str] = "paper_batch.confirmed"
    congress_id: str
    poll_id: str
    batch_id: str
    count: int


@dataclass(frozen=True)
class VotingCardRevoked(Event):
    """Says only that a card was revoked: not which, so nothing can be linked to it."""

    type: ClassVar[str] = "voting_card.revoked"
    congress_id: str


@dataclass(frozen=True)
class ActionRecorded(Event):
    """The audit log: which card (role and number, never a name) did what, to what, and when."""

    type: ClassVar[str] = "action.recorded"
    congress_id: str
    role: str
    card_number: int
    action: str
    target: str


@dataclass(frozen=True)
class ObserverRegistered(Event):
    """An observer's public key, registered at the opening session; the label is public."""

    type: ClassVar[str] = "observer.registered"
    congress_id: str
    label: str
    public_key: str
    fingerprint: str


@dataclass(frozen=True)
class CheckpointCosigned(Event):
    """An observer signed a poll's closing checkpoint after recounting."""

    type: ClassVar[str] = "checkpoint.cosigned"
    congress_id: str
    poll_id: str
    fingerprint: str


@dataclass(frozen=True)
class CongressPurged(Event):
    """Identity, card and session data of a congress were removed; records stay."""

    type: ClassVar[str] = "congress.purged"
    congress_id: str


@dataclass(frozen=True)
class IdentityCardChanged(Event):
    type: ClassVar[str] = "identity_card.changed"
    congress_id: str
    number: int
    change: str


@dataclass(frozen=True)
class IdentityCardsIssued(Event):
    """How many identity cards were issued at once (their codes are never stored)."""

    type: ClassVar[str] = "identity_cards.issued"
    congress_id: str
    count: int


@dataclass(frozen=True)
class ProjectorNamesSet(Event):
    """The secretariat turned candidates' names on the projector on or off."""

    type: ClassVar[str] = "display.projector_names_set"
    congress_id: str
    show: bool


@dataclass(frozen=True)
class NamedVoteCast(Event):
    """An open vote: who voted what is public by design (never used for votes on persons)."""

    type: ClassVar[str] = "named_vote.cast"
    congress_id: str
    poll_id: str
    delegate_id: str
    choice: str
