"""Refusals of the plenary (agenda, list of speakers, motions from the floor, skorsing).

Each has a stable code that web/errors.py maps to a status and an Indonesian message; the
numbers a reader needs (seconders required, amendments pending) travel in `params`.
"""

from __future__ import annotations

from governance.domain.errors import DomainError, NotFound


class AgendaItemNotFound(NotFound):
    code = "agenda_item_not_found"


class SpeakerNotFound(NotFound):
    code = "speaker_not_found"


class FloorMotionNotFound(NotFound):
    code = "floor_motion_not_found"


class AlreadyOnList(DomainError):
    """The delegate already waits to speak on this item (a point of order is still possible)."""

    code = "already_on_list"


class NoSpeakerWaiting(DomainError):
    code = "no_speaker_waiting"


class NotSpeaking(DomainError):
    """Nobody holds the floor on this item."""

    code = "not_speaking"


class NoVotingRight(DomainError):
    """Observers (peninjau) may speak, but never table, second or vote on a motion."""

    code = "no_voting_right"


class OwnMotion(DomainError):
    code = "own_motion"


class MotionAlreadySeconded(DomainError):
    code = "motion_already_seconded"


class MotionUnseconded(DomainError):
    """The chair cannot admit a motion that lacks the seconders the rules ask for."""

    code = "motion_unseconded"

    def __init__(self, count: int, required: int) -> None:
        super().__init__(f"{count} of {required} seconders")
        self.params = {"count": count, "required": required}


class MotionNotOpen(DomainError):
    """The motion is past the step asked for (admitted, being voted, decided or withdrawn)."""

    code = "motion_not_open"


class MusyawarahFirst(DomainError):
    """A vote opens only once the secretariat has minuted that musyawarah found no consensus."""

    code = "musyawarah_first"


class AmendmentsPending(DomainError):
    """The amendments to a motion are decided before the motion itself."""

    code = "amendments_pending"

    def __init__(self, numbers: list[int]) -> None:
        super().__init__(", ".join(str(n) for n in numbers))
        self.params = {"numbers": ", ".join(str(n) for n in numbers)}


class NamedVoteNotProcedural(DomainError):
    """A roll-call vote is for procedural motions only (and never for votes on persons)."""

    code = "named_not_procedural"


class NotPresent(DomainError):
    """Only a delegate checked in as present is put on the list of speakers."""

    code = "not_present"


class SittingIsSuspended(DomainError):
    """The sitting is suspended (skorsing): no poll opens until the chair reconvenes."""

    code = "sitting_suspended"


class SittingNotSuspended(DomainError):
    code = "sitting_not_suspended"
