"""Events of the election procedure (issue 14): what happened to a position after a count.

They carry ids (and, for a lot, its public seed and tickets), never a ballot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from governance.domain.events import Event


@dataclass(frozen=True)
class PositionUndecided(Event):
    """A count did not decide the position: `step` says what comes next (runoff, revote,
    musyawarah, lot); `candidates` are those still in contention, `seats` what they fill."""

    type: ClassVar[str] = "position.undecided"
    congress_id: str
    position_id: str
    poll_id: str
    kind: str
    step: str
    candidates: tuple[str, ...]
    seats: int


@dataclass(frozen=True)
class PositionEdited(Event):
    type: ClassVar[str] = "position.edited"
    congress_id: str
    position_id: str
    title: str
    seats: int
    method: str


@dataclass(frozen=True)
class PositionDeleted(Event):
    type: ClassVar[str] = "position.deleted"
    congress_id: str
    position_id: str


@dataclass(frozen=True)
class RatificationRejected(Event):
    """The hall did not ratify the proposed person; the position stays open."""

    type: ClassVar[str] = "position.ratification_rejected"
    congress_id: str
    position_id: str
    poll_id: str
    rejected: tuple[str, ...]


@dataclass(frozen=True)
class MusyawarahRecorded(Event):
    """The secretariat recorded the deliberation on a tie: agreed on `chosen`, or not."""

    type: ClassVar[str] = "position.musyawarah"
    congress_id: str
    position_id: str
    agreed: bool
    chosen: tuple[str, ...] = ()


@dataclass(frozen=True)
class LotSeedShown(Event):
    """The seed of the hall's lot, shown before the draw."""

    type: ClassVar[str] = "position.lot_seed"
    congress_id: str
    position_id: str
    seed: str


@dataclass(frozen=True)
class LotDrawn(Event):
    """The lot in front of the hall: each candidate's ticket, and who it chose."""

    type: ClassVar[str] = "position.lot_drawn"
    congress_id: str
    position_id: str
    seed: str
    tickets: tuple[tuple[str, str], ...]
    chosen: tuple[str, ...]


@dataclass(frozen=True)
class ChairHandedOver(Event):
    """The temporary chair handed the chair's role to the elected session chair(s)."""

    type: ClassVar[str] = "position.chair_handed_over"
    congress_id: str
    position_id: str
    from_card: int
    to_cards: tuple[int, ...]
