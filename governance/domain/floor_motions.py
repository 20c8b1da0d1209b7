"""Motions from the floor and their amendments: tabled, seconded, admitted, deliberated, voted.

The order the tata tertib sets: a delegate tables a motion (or an amendment to one); other
delegates second it until the rules' number is reached; the chair admits it to an agenda item;
musyawarah untuk mufakat comes first, and the secretariat minutes it: consensus decides the
motion (with the amendments it takes up); otherwise the amendments are voted, then the motion
as amended. Observers (peninjau) speak, but never table, second or vote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from governance.domain.codes import new_id
from governance.domain.delegates import Delegate
from governance.domain.errors import InvalidInput, NotAllowed
from governance.domain.events import Event
from governance.domain.plenary_errors import (
    AmendmentsPending,
    FloorMotionNotFound,
    MotionAlreadySeconded,
    MotionNotOpen,
    MotionUnseconded,
    MusyawarahFirst,
    NamedVoteNotProcedural,
    NotPresent,
    NoVotingRight,
    OwnMotion,
)
from governance.domain.plenary_events import FloorMotionChanged
from governance.domain.text import clean_text

MOTION = "motion"
AMENDMENT_KINDS = ("replace", "add")  # a new wording of the motion, or a paragraph added


class MotionStatus(StrEnum):
    TABLED = "tabled"  # gathering seconders
    ADMITTED = "admitted"  # on an agenda item, musyawarah to come
    NO_CONSENSUS = "no_consensus"  # musyawarah minuted without consensus: to be voted
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"  # an amendment never admitted before its motion was deliberated

    @property
    def decided(self) -> bool:
        return self in _CLOSED


_CLOSED = frozenset(
    {MotionStatus.ADOPTED, MotionStatus.REJECTED, MotionStatus.WITHDRAWN, MotionStatus.LAPSED}
)


@dataclass
class FloorMotion:
    """A motion (kind "motion") or an amendment to one (`parent_id`, kind replace or add)."""

    id: str
    congress_id: str
    number: int
    proposer_id: str
    title: str
    text: str
    reason: str = ""
    procedural: bool = False
    kind: str = MOTION
    parent_id: str | None = None
    seconders: tuple[str, ...] = ()
    status: MotionStatus = MotionStatus.TABLED
    item_id: str | None = None
    how: str = ""  # "consensus" or "vote"
    deliberation: str = ""
    poll_id: str | None = None
    current_text: str = ""  # the motion as amended so far

    @property
    def is_amendment(self) -> bool:
        return self.parent_id is not None


def _voter(delegate: Delegate, congress_id: str) -> None:
    if delegate.congress_id != congress_id:
        raise NotAllowed("another congress")
    if not delegate.voting_right:
        raise NoVotingRight()
    if not delegate.present:
        raise NotPresent()


@dataclass
class Floor:
    """Every motion from the floor of one congress: the aggregate their rules live in."""

    congress_id: str
    motions: dict[str, FloorMotion] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def _changed(self, motion: FloorMotion, change: str) -> None:
        self.events.append(FloorMotionChanged(self.congress_id, motion.id, change))

    def motion(self, motion_id: str) -> FloorMotion:
        if motion_id not in self.motions:
            raise FloorMotionNotFound()
        return self.motions[motion_id]

    def amendments_of(self, motion_id: str) -> list[FloorMotion]:
        found = [m for m in self.motions.values() if m.parent_id == motion_id]
        return sorted(found, key=lambda m: m.number)

    # -- tabling and seconding -------------------------------------------------------------
    def table(
        self,
        proposer: Delegate,
        title: str,
        text: str,
        reason: str = "",
        procedural: bool = False,
        amends: str | None = None,
        kind: str = MOTION,
    ) -> FloorMotion:
        _voter(proposer, self.congress_id)
        text = clean_text(text, field="text", max_length=5000, multiline=True)
        reason = clean_text(reason, field="reason", max_length=2000, multiline=True, required=False)
        if amends is None:
            if kind != MOTION:
                raise InvalidInput("a motion's kind")
            title = clean_text(title, field="title", max_length=300)
        else:
            parent = self.motion(amends)
            if parent.is_amendment:
                raise InvalidInput("an amendment amends a motion, not another amendment")
            if parent.status not in (MotionStatus.TABLED, MotionStatus.ADMITTED):
                raise MotionNotOpen("the motion is no longer open to amendments")
            if kind not in AMENDMENT_KINDS:
                raise InvalidInput("an amendment replaces the wording or adds a paragraph")
            procedural = parent.procedural
            title = parent.title
        motion = FloorMotion(
            id=new_id(),
            congress_id=self.congress_id,
            number=1 + max((m.number for m in self.motions.values()), default=0),
            proposer_id=proposer.id,
            title=title,
            text=text,
            reason=reason,
            procedural=procedural,
            kind=kind,
            parent_id=amends,
            current_text=text,
        )
        self.motions[motion.id] = motion
        self._changed(motion, "tabled")
        return motion

    def second(self, motion_id: str, seconder: Delegate) -> None:
        motion = self.motion(motion_id)
        _voter(seconder, self.congress_id)
        if motion.status is not MotionStatus.TABLED:
            raise MotionNotOpen("this motion no longer gathers seconders")
        if seconder.id == motion.proposer_id:
            raise OwnMotion()
        if seconder.id in motion.seconders:
            raise MotionAlreadySeconded()
        motion.seconders = (*motion.seconders, seconder.id)
        self._changed(motion, "seconded")

    def withdraw(self, motion_id: str, by: str | None) -> None:
        """The proposer (or the secretariat: `by` None) withdraws before musyawarah."""
        motion = self.motion(motion_id)
        if by is not None and by != motion.proposer_id:
            raise NotAllowed("only the proposer withdraws a motion")
        if motion.status not in (MotionStatus.TABLED, MotionStatus.ADMITTED):
            raise MotionNotOpen("the motion can no longer be withdrawn")
        for each in [motion, *self.amendments_of(motion.id)]:
            if not each.status.decided:
                each.status = MotionStatus.WITHDRAWN
                self._changed(each, "withdrawn")

    # -- the chair and the secretariat -----------------------------------------------------
    def admit(self, motion_id: str, item_id: str, required: int) -> None:
        """The chair puts a seconded motion on an agenda item (an amendment on its motion's)."""
        motion = self.motion(motion_id)
        if motion.status is not MotionStatus.TABLED:
            raise MotionNotOpen("this motion is not waiting to be admitted")
        if len(motion.seconders) < required:
            raise MotionUnseconded(len(motion.seconders), required)
        if motion.parent_id is not None:
            parent = self.motion(motion.parent_id)
            if parent.status is not MotionStatus.ADMITTED:
                raise MotionNotOpen("the motion itself is not on the agenda, or was deliberated")
            item_id = str(parent.item_id)
        motion.status, motion.item_id = MotionStatus.ADMITTED, item_id
        self._changed(motion, "admitted")

    def deliberate(
        self, motion_id: str, consensus: bool, note: str, accepted: tuple[str, ...] = ()
    ) -> None:
        """Minute the musyawarah on a motion and its amendments (mufakat, or a vote)."""
        motion = self.motion(motion_id)
        if motion.is_amendment:
            raise InvalidInput("musyawarah is minuted on the motion, with its amendments")
        if motion.status is MotionStatus.TABLED:
            raise MotionNotOpen("the chair has not admitted this motion yet")
        if motion.status is not MotionStatus.ADMITTED:
            raise MotionNotOpen("musyawarah on this motion was already minuted")
        amendments = self.amendments_of(motion.id)
        admitted = {a.id for a in amendments if a.status is MotionStatus.ADMITTED}
        if not set(accepted) <= admitted:
            raise InvalidInput("consensus can only take up admitted amendments")
        motion.deliberation = clean_text(
            note, field="note", max_length=2000, multiline=True, required=False
        )
        for amendment in amendments:
            if amendment.status is MotionStatus.TABLED:
                self._decide(amendment, MotionStatus.LAPSED, "")
            elif amendment.status is MotionStatus.ADMITTED:
                if not consensus:
                    amendment.status = MotionStatus.NO_CONSENSUS
                    continue
                adopted = amendment.id in accepted
                outcome = MotionStatus.ADOPTED if adopted else MotionStatus.REJECTED
                self._decide(amendment, outcome, "consensus")
        if consensus:
            self._decide(motion, MotionStatus.ADOPTED, "consensus")
        else:
            motion.status = MotionStatus.NO_CONSENSUS
            self._changed(motion, "no_consensus")

    def vote_on(self, motion_id: str, named: bool) -> tuple[str, str]:
        """Check that the motion (or amendment) may be voted now: its poll's title and text."""
        motion = self.motion(motion_id)
        if named and not motion.procedural:
            raise NamedVoteNotProcedural()
        if motion.status is MotionStatus.ADMITTED:
            raise MusyawarahFirst()
        if motion.status is not MotionStatus.NO_CONSENSUS:
            raise MotionNotOpen("this motion is not waiting for a vote")
        # Titles are in Indonesian, the congress's language: they go into the decisions.
        if motion.parent_id is not None:
            parent = self.motion(motion.parent_id)
            return (
                f"Usul perubahan {motion.number} atas usul {parent.number}: {parent.title}",
                motion.text,
            )
        pending = [
            a.number
            for a in self.amendments_of(motion.id)
            if a.status in (MotionStatus.NO_CONSENSUS, MotionStatus.VOTING)
        ]
        if pending:
            raise AmendmentsPending(pending)
        return f"Usul {motion.number}: {motion.title}", motion.current_text

    def voting(self, motion_id: str, poll_id: str) -> None:
        motion = self.motion(motion_id)
        motion.status, motion.poll_id = MotionStatus.VOTING, poll_id
        self._changed(motion, "voting")

    def pending_polls(self) -> dict[str, str]:
        """Polls whose published outcome the floor still has to take in: poll id -> motion."""
        return {
            str(m.poll_id): m.id
            for m in self.motions.values()
            if m.status is MotionStatus.VOTING and m.poll_id
        }

    def settle(self, motion_id: str, outcome: str) -> None:
        """Take in a published result; no quorum decides nothing and the motion waits again."""
        motion = self.motion(motion_id)
        if outcome == "no_quorum":
            motion.status, motion.poll_id = MotionStatus.NO_CONSENSUS, None
            self._changed(motion, "no_quorum")
            return
        outcome_status = MotionStatus.ADOPTED if outcome == "adopted" else MotionStatus.REJECTED
        self._decide(motion, outcome_status, "vote")

    def _decide(self, motion: FloorMotion, status: MotionStatus, how: str) -> None:
        motion.status, motion.how = status, how
        if status is MotionStatus.ADOPTED and motion.parent_id is not None:
            parent = self.motion(motion.parent_id)
            if motion.kind == "replace":
                parent.current_text = motion.text
            else:
                parent.current_text = f"{parent.current_text}\n\n{motion.text}"
        self._changed(motion, status.value)
