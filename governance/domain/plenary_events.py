"""Events of the plenary: what happened on the agenda, the list of speakers and the floor.

None of them concerns a ballot. They carry ids, never an alias: the live stream forwards only
that something changed, and the pages read the rest from the state tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from governance.domain.events import Event


@dataclass(frozen=True)
class AgendaItemAdded(Event):
    type: ClassVar[str] = "agenda.item_added"
    congress_id: str
    item_id: str
    title: str


@dataclass(frozen=True)
class CurrentItemSet(Event):
    """The chair moved the plenary to an agenda item."""

    type: ClassVar[str] = "agenda.current_set"
    congress_id: str
    item_id: str


@dataclass(frozen=True)
class PollAttached(Event):
    type: ClassVar[str] = "agenda.poll_attached"
    congress_id: str
    item_id: str
    poll_id: str


@dataclass(frozen=True)
class SpeakersChanged(Event):
    """Someone joined or left the list of speakers, or took or gave up the floor."""

    type: ClassVar[str] = "speakers.changed"
    congress_id: str
    item_id: str
    speaker_id: str
    change: str  # "added", "withdrawn", "speaking", "done"


@dataclass(frozen=True)
class SittingSuspended(Event):
    """Skorsing: the chair suspended the sitting, with the reason and the planned minutes."""

    type: ClassVar[str] = "sitting.suspended"
    congress_id: str
    reason: str
    minutes: int
    present: int
    required: int | None


@dataclass(frozen=True)
class SittingResumed(Event):
    type: ClassVar[str] = "sitting.resumed"
    congress_id: str
    present: int


@dataclass(frozen=True)
class FloorMotionChanged(Event):
    """A motion from the floor was tabled, seconded, admitted, deliberated, voted or decided."""

    type: ClassVar[str] = "floor_motion.changed"
    congress_id: str
    motion_id: str
    change: str
