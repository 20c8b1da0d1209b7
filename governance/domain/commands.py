"""Commands: what someone asks for, imperative, frozen."""

from __future__ import annotations

from dataclasses import dataclass

from governance.tally import MajorityRule


@dataclass(frozen=True)
class Command:
    """Base of every command."""


@dataclass(frozen=True)
class CreatePoll(Command):
    """Draft a motion or election in a congress."""

    congress_id: str
    title: str
    description: str = ""
    method: str = "yes-no-abstain"
    options: tuple[str, ...] = ("yes", "no", "abstain")
    seats: int = 1
    auto_publish: bool = True
    required_cosignatures: int = 0
    rule: MajorityRule | None = None
    named: bool = False
    about_person: bool = False


@dataclass(frozen=True)
class OpenPoll(Command):
    """Open a drafted poll for ballots; fixes options, electorate and tie-break seed."""

    poll_id: str


@dataclass(frozen=True)
class ClosePoll(Command):
    """Stop accepting ballots and freeze the closing snapshot."""

    poll_id: str


@dataclass(frozen=True)
class CastBallot(Command):
    """A voting card's ballot: the card tag is an HMAC, never the printed code."""

    poll_id: str
    card_tag: str
    choices: tuple[int, ...]


@dataclass(frozen=True)
class TallyPoll(Command):
    """Count a closed poll from its frozen snapshot (idempotent)."""

    poll_id: str


@dataclass(frozen=True)
class RecordTallyFailure(Command):
    """The count of a closed poll failed for good: record it so observers are told."""

    poll_id: str
    reason: str


@dataclass(frozen=True)
class PublishResult(Command):
    """Make a computed result public (idempotent)."""

    poll_id: str


@dataclass(frozen=True)
class CheckInDelegate(Command):
    """Mark a delegate present; attendance counts toward quorum from then on."""

    congress_id: str
    delegate_id: str


@dataclass(frozen=True)
class SignCheckpoint(Command):
    """Sign the event log's head for a poll: kind "open" or "close" (idempotent)."""

    poll_id: str
    kind: str


@dataclass(frozen=True)
class SignPeriodicCheckpoints(Command):
    """Sign the head for each congress with an open poll, if the last one is old enough."""

    every_s: float


@dataclass(frozen=True)
class RegisterObserver(Command):
    """Register an observer's Ed25519 public key (hex) under a public label."""

    congress_id: str
    label: str
    public_key: str


@dataclass(frozen=True)
class AddCosignature(Command):
    """An observer's signature over a poll's closing checkpoint."""

    poll_id: str
    public_key: str
    signature: str


@dataclass(frozen=True)
class PurgeCongress(Command):
    """After the congress: remove identity, card and nullifier data; records stay verifiable."""

    congress_id: str


@dataclass(frozen=True)
class SetProjectorNames(Command):
    """Show or hide candidates' names on the projector (hidden by default)."""

    congress_id: str
    show: bool
