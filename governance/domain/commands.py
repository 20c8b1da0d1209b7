"""Commands: what someone asks for, imperative, frozen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    min_selections: int = 0
    max_selections: int | None = None
    proposed_rules: dict[str, Any] | None = None
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


ANY_SESSION = -1  # a cast whose session version is not checked


@dataclass(frozen=True)
class CastBallot(Command):
    """A voting card's ballot: the card tag is an HMAC, never the printed code.

    `session` is the card's session version the web session was made in: a ballot from a
    session that sign-out ended is refused in the same statement that stores it. ANY_SESSION
    (the command line, tests) skips that check.
    """

    poll_id: str
    card_tag: str
    choices: tuple[int, ...]
    session: int = ANY_SESSION


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
    present: bool = True


@dataclass(frozen=True)
class ImportDelegates(Command):
    """Add or update delegates from a CSV file, all or nothing; a dry run changes nothing."""

    congress_id: str
    text: str
    dry_run: bool = True


@dataclass(frozen=True)
class SaveDelegate(Command):
    """Add a delegate (no id) or edit one (with id) from the secretariat's form."""

    congress_id: str
    alias: str
    province: str
    region: str
    caucus: str = ""
    membership_class: str = "ordinary"
    voting_right: bool = True
    legal_name: str = ""
    delegate_id: str | None = None


@dataclass(frozen=True)
class RemoveDelegate(Command):
    """Remove a delegate who has not been nominated; their identity card stops working."""

    congress_id: str
    delegate_id: str


@dataclass(frozen=True)
class CreatePosition(Command):
    """Create a position to fill, with its eligibility rules and regional bounds."""

    congress_id: str
    title: str
    seats: int = 1
    method: str = "irv"
    membership_classes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    voting_right: bool = True
    among: str | None = None
    region_minimum: int = 0
    # Issue 14: exclusive (one person holds one exclusive position), the session chair's
    # role for the elected, and the position whose elected propose the candidate.
    exclusive: bool = False
    grants_chair: bool = False
    proposed_by: str | None = None


@dataclass(frozen=True)
class Nominate(Command):
    """Nominate a delegate; `nominator_id` None when the secretariat records it."""

    position_id: str
    candidate_id: str
    nominator_id: str | None = None


@dataclass(frozen=True)
class SecondNomination(Command):
    """A delegate seconds someone else's nomination."""

    nomination_id: str
    seconder_id: str


@dataclass(frozen=True)
class AnswerNomination(Command):
    """The candidate accepts or declines; `by` None when the secretariat records paper."""

    nomination_id: str
    accept: bool
    by: str | None = None


@dataclass(frozen=True)
class WithdrawNomination(Command):
    """Withdraw a nomination before the poll opens (candidate, nominator or secretariat)."""

    nomination_id: str
    by: str | None = None


@dataclass(frozen=True)
class OpenPosition(Command):
    """Close nominations: fill by acclamation, or open a poll of the standing candidates."""

    position_id: str


@dataclass(frozen=True)
class AddAgendaItem(Command):
    """Add an item to a session of the agenda."""

    congress_id: str
    session: str
    kind: str
    title: str
    starts_at: str = ""
    minutes: int = 0


@dataclass(frozen=True)
class EnterPaperBatch(Command):
    """Paper ballots typed in by the secretariat; they count once confirmed."""

    poll_id: str
    entered_by: str
    choices: tuple[tuple[int, ...], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ConfirmPaperBatch(Command):
    """A second person confirms a batch of paper ballots."""

    batch_id: str
    confirmed_by: str
    poll_id: str | None = None


@dataclass(frozen=True)
class RevokeVotingCard(Command):
    """Revoke a lost or compromised voting card by the code printed on it, or by its serial
    (printed beside the code, linked to nobody: a lost card's code is gone with it)."""

    congress_id: str
    typed_code: str = ""
    serial: str = ""


@dataclass(frozen=True)
class ReissueIdentityCard(Command):
    """Revoke an identity card by its printed number, or give it a new code (re-issue)."""

    congress_id: str
    number: int
    reissue: bool = True


@dataclass(frozen=True)
class ReissueOfficialCard(Command):
    """The server's `suara cards reissue`: revoke or re-issue a chair's, secretariat's or
    observer's identity card. No web page sends it: the role that would benefit cannot."""

    congress_id: str
    number: int
    reissue: bool = True


@dataclass(frozen=True)
class IssueIdentityCards(Command):
    """Issue identity cards to every delegate who has none; returns (alias, printed code)."""

    congress_id: str


@dataclass(frozen=True)
class RegisterVotingCards(Command):
    """Store the HMAC tags of voting cards printed offline; returns the list's fingerprint."""

    congress_id: str
    tags: tuple[str, ...]
    serials: tuple[str, ...] = ()  # one a tag, or none (lists printed before serials)


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
