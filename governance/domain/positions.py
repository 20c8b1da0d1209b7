"""Positions to fill and the nominations for them: eligibility, seconders, consent.

A position collects nominations while it is `nominating`. When the chair opens it, the
accepted and sufficiently seconded candidates either fill it by acclamation (as many as
seats, when the rules allow) or become the options of a poll with the regional bounds frozen
into it. The poll's result fills the position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from governance.domain.codes import new_id
from governance.domain.delegates import Delegate
from governance.domain.errors import (
    AlreadyNominated,
    AlreadySeconded,
    ConstraintsInfeasible,
    InvalidInput,
    NominationsClosed,
    NotEligible,
    OwnNomination,
    TooFewCandidates,
    TooFewSeconders,
)
from governance.domain.events import (
    Event,
    NominationChanged,
    PositionAcclaimed,
    PositionCreated,
    PositionFilled,
)
from governance.domain.polls import METHODS
from governance.domain.roster import MEMBERSHIP_CLASSES, REGIONS
from governance.domain.rules import Rules
from governance.tally import GroupConstraint, InfeasibleConstraints, check_constraints

RATIFICATION = "yes-no-abstain"


class PositionStatus(StrEnum):
    NOMINATING = "nominating"
    POLLING = "polling"
    ACCLAIMED = "acclaimed"
    DECIDED = "decided"


class NominationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Eligibility:
    """Who may stand: membership classes and regions (empty = any), the voting right, and
    optionally only those elected to another position (the chair among the presidium)."""

    membership_classes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    voting_right: bool = True
    among: str | None = None

    def __post_init__(self) -> None:
        if any(c not in MEMBERSHIP_CLASSES for c in self.membership_classes):
            raise InvalidInput("membership class")
        if any(r not in REGIONS for r in self.regions):
            raise InvalidInput("region")

    def refusal(self, delegate: Delegate, among_elected: tuple[str, ...]) -> str | None:
        """Why this delegate may not stand, or None."""
        if self.membership_classes and delegate.membership_class not in self.membership_classes:
            return "membership class"
        if self.regions and delegate.region not in self.regions:
            return "region"
        if self.voting_right and not delegate.voting_right:
            return "voting right"
        if self.among is not None and delegate.id not in among_elected:
            return "not elected to the required position"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "membership_classes": list(self.membership_classes),
            "regions": list(self.regions),
            "voting_right": self.voting_right,
            "among": self.among,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Eligibility:
        return cls(
            tuple(data.get("membership_classes", ())),
            tuple(data.get("regions", ())),
            bool(data.get("voting_right", True)),
            data.get("among"),
        )


@dataclass
class Nomination:
    """One candidate for one position; seconders are delegate ids."""

    id: str
    position_id: str
    candidate_id: str
    nominator_id: str | None
    seconders: tuple[str, ...] = ()
    status: NominationStatus = NominationStatus.PENDING
    written_consent: bool = False
    ordinal: int = 0

    def second(self, seconder_id: str) -> None:
        if seconder_id in (self.candidate_id, self.nominator_id):
            raise OwnNomination()
        if seconder_id in self.seconders:
            raise AlreadySeconded()
        self._live()
        self.seconders = (*self.seconders, seconder_id)

    def answer(self, accept: bool, written: bool = False) -> None:
        """The candidate's consent (or refusal); `written` when the secretariat records it."""
        self._live()
        self.status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
        self.written_consent = written and accept

    def withdraw(self) -> None:
        self._live()
        self.status = NominationStatus.WITHDRAWN

    def _live(self) -> None:
        if self.status in (NominationStatus.WITHDRAWN, NominationStatus.DECLINED):
            raise NominationsClosed("this nomination is no longer standing")


@dataclass
class Position:
    """An office with seats, a counting method and eligibility rules."""

    id: str
    congress_id: str
    title: str
    seats: int
    method: str
    eligibility: Eligibility = field(default_factory=Eligibility)
    region_minimum: int = 0
    status: PositionStatus = PositionStatus.NOMINATING
    poll_id: str | None = None
    candidate_ids: tuple[str, ...] = ()
    elected_ids: tuple[str, ...] = ()
    ordinal: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        congress_id: str,
        title: str,
        seats: int,
        method: str,
        eligibility: Eligibility,
        region_minimum: int = 0,
    ) -> Position:
        if not title.strip() or method not in METHODS or not 1 <= seats <= 50:
            raise InvalidInput("position")
        if method == RATIFICATION and seats != 1:
            raise InvalidInput("a ratification fills one seat")
        if region_minimum < 0 or region_minimum * len(REGIONS) > seats:
            raise InvalidInput("region minimum")
        position = cls(new_id(), congress_id, title.strip(), seats, method, eligibility)
        position.region_minimum = region_minimum
        position.events.append(
            PositionCreated(congress_id, position.id, position.title, seats, method)
        )
        return position

    def _changed(self, nomination: Nomination, change: str) -> None:
        self.events.append(NominationChanged(self.congress_id, self.id, nomination.id, change))

    def require_nominating(self) -> None:
        if self.status is not PositionStatus.NOMINATING:
            raise NominationsClosed()

    def nominate(
        self,
        candidate: Delegate,
        nominator_id: str | None,
        existing: list[Nomination],
        among_elected: tuple[str, ...] = (),
    ) -> Nomination:
        """Nominate a delegate (oneself or another); the candidate must still consent."""
        self.require_nominating()
        why = self.eligibility.refusal(candidate, among_elected)
        if why is not None or candidate.congress_id != self.congress_id:
            raise NotEligible(why or "congress")
        if any(n.candidate_id == candidate.id for n in existing):
            raise AlreadyNominated()
        nomination = Nomination(new_id(), self.id, candidate.id, nominator_id)
        nomination.ordinal = len(existing) + 1
        if nominator_id == candidate.id:
            nomination.status = NominationStatus.ACCEPTED  # nominating oneself is consent
        self._changed(nomination, "nominated")
        return nomination

    def second(self, nomination: Nomination, seconder_id: str) -> None:
        self.require_nominating()
        nomination.second(seconder_id)
        self._changed(nomination, "seconded")

    def answer(self, nomination: Nomination, accept: bool, written: bool = False) -> None:
        self.require_nominating()
        nomination.answer(accept, written)
        self._changed(nomination, "accepted" if accept else "declined")

    def withdraw(self, nomination: Nomination) -> None:
        """Withdrawal is possible only before the poll opens."""
        self.require_nominating()
        nomination.withdraw()
        self._changed(nomination, "withdrawn")

    def standing(
        self, nominations: list[Nomination], candidates: dict[str, Delegate], rules: Rules
    ) -> list[Delegate]:
        """The consenting, seconded candidates, after the feasibility check; else refuse."""
        self.require_nominating()
        accepted = [n for n in nominations if n.status is NominationStatus.ACCEPTED]
        for n in accepted:
            if len(n.seconders) < rules.seconders:
                raise TooFewSeconders(candidates[n.candidate_id].alias)
        people = [candidates[n.candidate_id] for n in sorted(accepted, key=lambda n: n.ordinal)]
        if len(people) < (1 if self.method == RATIFICATION else self.seats):
            raise TooFewCandidates(f"{len(people)} of {self.seats}")
        if self.method == RATIFICATION and len(people) != 1:
            raise InvalidInput("a ratification vote has exactly one candidate")
        try:
            check_constraints(
                [p.alias for p in people], self.seats, _groups(self.constraints_for(people))
            )
        except InfeasibleConstraints as error:
            raise ConstraintsInfeasible(str(error)) from error
        return people

    def constraints_for(self, people: list[Delegate]) -> tuple[dict[str, Any], ...]:
        """At least `region_minimum` winners from each region, as option indices."""
        if not self.region_minimum:
            return ()
        return tuple(
            {
                "name": region,
                "members": [i for i, p in enumerate(people) if p.region == region],
                "minimum": self.region_minimum,
                "maximum": None,
            }
            for region in REGIONS
        )

    def acclaims(self, people: list[Delegate], rules: Rules) -> bool:
        return rules.acclamation and self.method != RATIFICATION and len(people) == self.seats

    def acclaim(self, people: list[Delegate]) -> None:
        self.status = PositionStatus.ACCLAIMED
        self.candidate_ids = tuple(p.id for p in people)
        self.elected_ids = self.candidate_ids
        self.events.append(PositionAcclaimed(self.congress_id, self.id, self.elected_ids))

    def poll_opened(self, poll_id: str, people: list[Delegate]) -> None:
        self.status = PositionStatus.POLLING
        self.poll_id = poll_id
        self.candidate_ids = tuple(p.id for p in people)

    def fill(self, elected_indices: list[int], outcome: str) -> None:
        """Record who the poll elected; a rejected ratification elects nobody."""
        if self.method == RATIFICATION:
            elected = self.candidate_ids if outcome == "adopted" else ()
        else:
            elected = tuple(self.candidate_ids[i] for i in elected_indices)
        self.status = PositionStatus.DECIDED
        self.elected_ids = elected
        self.events.append(
            PositionFilled(self.congress_id, self.id, self.poll_id or "", self.elected_ids)
        )


def _groups(constraints: tuple[dict[str, Any], ...]) -> list[GroupConstraint]:
    return [
        GroupConstraint(c["name"], frozenset(c["members"]), c["minimum"], c["maximum"])
        for c in constraints
    ]
