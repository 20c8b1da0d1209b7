"""Commands of the election procedure (issue 14): positions edited or deleted before their
nominations, runoffs and re-votes, a tie's musyawarah and lot, the session chair's handover."""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.commands import Command


@dataclass(frozen=True)
class EditPosition(Command):
    """Change a position before anyone is nominated (same fields as when created)."""

    position_id: str
    title: str
    seats: int = 1
    method: str = "irv"
    membership_classes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    voting_right: bool = True
    among: str | None = None
    region_minimum: int = 0
    exclusive: bool = False
    grants_chair: bool = False
    proposed_by: str | None = None


@dataclass(frozen=True)
class DeletePosition(Command):
    """Delete a position before anyone is nominated."""

    position_id: str


@dataclass(frozen=True)
class OpenNextRound(Command):
    """The chair opens the runoff (or a tie's re-vote) as a new poll of the same position."""

    position_id: str


@dataclass(frozen=True)
class RecordTieMusyawarah(Command):
    """The secretariat records the deliberation on a tie: the agreed candidates, or none."""

    position_id: str
    chosen: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ShowLotSeed(Command):
    """The chair draws the lot's seed and shows it to the hall (returns it)."""

    position_id: str


@dataclass(frozen=True)
class DrawLot(Command):
    """The chair draws the lot with the seed shown before."""

    position_id: str


@dataclass(frozen=True)
class HandOverChair(Command):
    """The temporary chair (card `from_card`) hands the chair's role to the elected session
    chair(s): their identity cards get the chair's role; the handing card gives it up."""

    position_id: str
    from_card: int
