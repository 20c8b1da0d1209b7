"""Commands of the plenary: the agenda's current item, the list of speakers, skorsing, and
motions from the floor. Imperative, frozen, one handler each (service_layer/plenary.py)."""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.commands import Command


@dataclass(frozen=True)
class SetCurrentItem(Command):
    """The chair moves the plenary to an agenda item; the projector shows it."""

    congress_id: str
    item_id: str


@dataclass(frozen=True)
class AttachPoll(Command):
    """Put a poll on an agenda item (a poll belongs to one item at most)."""

    item_id: str
    poll_id: str


@dataclass(frozen=True)
class AddSpeaker(Command):
    """A delegate asks for the floor on an item, or the secretariat puts them on the list."""

    item_id: str
    delegate_id: str
    kind: str = "speech"
    added_by: str = "self"


@dataclass(frozen=True)
class WithdrawSpeaker(Command):
    """Leave the list; `delegate_id` None when the chair or secretariat takes someone off."""

    speaker_id: str
    delegate_id: str | None = None


@dataclass(frozen=True)
class NextSpeaker(Command):
    """The current speech ends; the first in the queue takes the floor, on the clock."""

    item_id: str


@dataclass(frozen=True)
class EndSpeech(Command):
    """The chair ends the current speech without calling the next speaker."""

    item_id: str


@dataclass(frozen=True)
class SuspendSitting(Command):
    """Skorsing: suspend the sitting for `minutes` (None: what the rules give)."""

    congress_id: str
    reason: str = ""
    minutes: int | None = None


@dataclass(frozen=True)
class ResumeSitting(Command):
    """The chair reconvenes the suspended sitting."""

    congress_id: str


@dataclass(frozen=True)
class TableMotion(Command):
    """A delegate tables a motion from the floor, or (`amends`) an amendment to one."""

    congress_id: str
    delegate_id: str
    title: str
    text: str
    reason: str = ""
    procedural: bool = False
    amends: str | None = None
    kind: str = "motion"


@dataclass(frozen=True)
class SecondMotion(Command):
    """Another delegate seconds a tabled motion or amendment."""

    motion_id: str
    delegate_id: str


@dataclass(frozen=True)
class WithdrawMotion(Command):
    """The proposer withdraws (`delegate_id` None: the secretariat records it)."""

    motion_id: str
    delegate_id: str | None = None


@dataclass(frozen=True)
class AdmitMotion(Command):
    """The chair admits a seconded motion to an agenda item (None: the current item)."""

    motion_id: str
    item_id: str | None = None


@dataclass(frozen=True)
class RecordMotionDeliberation(Command):
    """The secretariat minutes the musyawarah: consensus (with the amendments it takes up)."""

    motion_id: str
    consensus: bool
    note: str = ""
    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenMotionVote(Command):
    """Open the vote on an amendment or a motion; a procedural one may be a named vote."""

    motion_id: str
    named: bool = False
