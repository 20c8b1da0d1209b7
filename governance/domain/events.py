"""Events: what happened, past tense, with a stable type string and a version."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Base of every stored event; `timed` is False where a timestamp could link a ballot."""

    type: ClassVar[str] = "event"
    version: ClassVar[int] = 1
    timed: ClassVar[bool] = True

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


@dataclass(frozen=True)
class PollOpened(Event):
    type: ClassVar[str] = "poll.opened"
    congress_id: str
    poll_id: str
    seed: str
    snapshot: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BallotCast(Event):
    """Carries no time and no voter: only the poll and the receipt."""

    type: ClassVar[str] = "ballot.cast"
    timed: ClassVar[bool] = False
    congress_id: str
    poll_id: str
    receipt: str


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
