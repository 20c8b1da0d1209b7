"""Positions to fill and the nominations for them: eligibility, seconders, consent.

A position collects nominations while it is `nominating`. When the chair opens it, the
accepted and sufficiently seconded candidates either fill it by acclamation (as many as
seats, when the rules allow) or become the options of a poll with the regional bounds frozen
into it. The poll's result fills the position.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from governance.domain.codes import new_id
from governance.domain.deciding import deciding_tie, runoff_names
from governance.domain.delegates import Delegate
from governance.domain.election_errors import (
    AmongUndecided,
    ElectionStep,
    ExclusivePending,
    HoldsExclusive,
    LotSeedFirst,
    NotProposer,
    NotSessionChair,
    PositionInUse,
)
from governance.domain.election_events import (
    LotDrawn,
    LotSeedShown,
    MusyawarahRecorded,
    PositionDeleted,
    PositionEdited,
    PositionUndecided,
    RatificationRejected,
)
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
from governance.domain.polls import METHODS, SINGLE_CHOICE
from governance.domain.roster import MEMBERSHIP_CLASSES, REGIONS
from governance.domain.rules import Rules
from governance.tally import GroupConstraint, InfeasibleConstraints, check_constraints
from governance.tally.ties import lot_ticket

RATIFICATION = "yes-no-abstain"


class PositionStatus(StrEnum):
    NOMINATING = "nominating"
    POLLING = "polling"
    ACCLAIMED = "acclaimed"
    DECIDED = "decided"
    # A count finished without deciding: a runoff or a tie's next step waits (issue 14).
    UNDECIDED = "undecided"


FILLED = (PositionStatus.DECIDED, PositionStatus.ACCLAIMED)


class NominationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    # A ratification vote rejected this candidate: another person is proposed instead.
    REJECTED = "rejected"


@dataclass(frozen=True)
class Eligibility:
    """Who may stand: membership classes and regions (empty = any), the voting right, and
    optionally only those elected to another position (the chair among the presidium)."""

    membership_classes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    voting_right: bool = True
    among: str | None = None
    # Only those elected to this position propose a candidate (the board chair proposes the
    # secretary, treasurer and coordinator for ratification); None: anyone nominates.
    proposed_by: str | None = None

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
            "proposed_by": self.proposed_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Eligibility:
        return cls(
            tuple(data.get("membership_classes", ())),
            tuple(data.get("regions", ())),
            bool(data.get("voting_right", True)),
            data.get("among"),
            data.get("proposed_by"),
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
        if self.status in (
            NominationStatus.WITHDRAWN,
            NominationStatus.DECLINED,
            NominationStatus.REJECTED,
        ):
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
    # Issue 14: an exclusive position (chair, vice-chair: one person holds one of them), a
    # position whose elected get the chair's role (the session chair), how many polls ran,
    # what waits while undecided (a runoff, a tie's next step), who a ratification rejected.
    exclusive: bool = False
    grants_chair: bool = False
    round: int = 1
    pending: dict[str, Any] | None = None
    rejected_ids: tuple[str, ...] = ()
    handed_over: bool = False
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
        *,
        exclusive: bool = False,
        grants_chair: bool = False,
    ) -> Position:
        _check(title, seats, method, region_minimum)
        position = cls(new_id(), congress_id, title.strip(), seats, method, eligibility)
        position.region_minimum = region_minimum
        position.exclusive = exclusive
        position.grants_chair = grants_chair
        position.events.append(
            PositionCreated(congress_id, position.id, position.title, seats, method)
        )
        return position

    @property
    def filled(self) -> bool:
        return self.status in FILLED

    def require_unused(self, nominations: Sequence[Nomination]) -> None:
        """Edits and deletion only before the first nomination (and before any poll)."""
        if (
            self.status is not PositionStatus.NOMINATING
            or nominations
            or self.poll_id is not None
            or self.round != 1
        ):
            raise PositionInUse()

    def edit(
        self,
        nominations: Sequence[Nomination],
        title: str,
        seats: int,
        method: str,
        eligibility: Eligibility,
        region_minimum: int = 0,
        *,
        exclusive: bool = False,
        grants_chair: bool = False,
    ) -> None:
        self.require_unused(nominations)
        _check(title, seats, method, region_minimum)
        self.title, self.seats, self.method = title.strip(), seats, method
        self.eligibility, self.region_minimum = eligibility, region_minimum
        self.exclusive, self.grants_chair = exclusive, grants_chair
        self.events.append(
            PositionEdited(self.congress_id, self.id, self.title, self.seats, self.method)
        )

    def delete(self, nominations: Sequence[Nomination]) -> None:
        self.require_unused(nominations)
        self.events.append(PositionDeleted(self.congress_id, self.id))

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
        *,
        others: Sequence[Position] = (),
        rules: Rules | None = None,
    ) -> Nomination:
        """Nominate a delegate (oneself or another); the candidate must still consent.

        `others` are the congress's other positions: the one candidates are chosen among is
        decided first, a proposing position (the board chair) proposes, and under the rules
        of procedure nobody holding an exclusive position stands for another one.
        """
        self.require_nominating()
        by_id = {p.id: p for p in others}
        among = by_id.get(self.eligibility.among or "")
        if among is not None:
            if not among.filled:
                raise AmongUndecided(among.title)
            among_elected = among.elected_ids
        proposer = by_id.get(self.eligibility.proposed_by or "")
        if proposer is not None:
            if not proposer.filled:
                raise AmongUndecided(proposer.title)
            if nominator_id is not None and nominator_id not in proposer.elected_ids:
                raise NotProposer(proposer.title)
        held = self.exclusive_held(candidate.id, others, rules)
        if held is not None:
            raise HoldsExclusive(candidate.alias, held.title)
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

    def exclusive_held(
        self, delegate_id: str, others: Iterable[Position], rules: Rules | None
    ) -> Position | None:
        """The other exclusive position this delegate holds, when the rules forbid a second."""
        if not self.exclusive or (rules is not None and not rules.exclusive_offices):
            return None
        return next(
            (
                o
                for o in others
                if o.id != self.id and o.exclusive and o.filled and delegate_id in o.elected_ids
            ),
            None,
        )

    def check_exclusive(
        self, people: Sequence[Delegate], others: Sequence[Position], rules: Rules
    ) -> None:
        """Before a poll opens: no candidate holds, or still stands for, another exclusive
        position (two polls at once could otherwise elect one person to both)."""
        if not self.exclusive or not rules.exclusive_offices:
            return
        for person in people:
            held = self.exclusive_held(person.id, others, rules)
            if held is not None:
                raise HoldsExclusive(person.alias, held.title)
            for other in others:
                running = other.status in (PositionStatus.POLLING, PositionStatus.UNDECIDED)
                rival = other.id != self.id and other.exclusive and running
                if rival and person.id in other.candidate_ids:
                    raise ExclusivePending(person.alias, other.title)

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
        if self.poll_id is not None:
            self.round += 1
        self.status = PositionStatus.POLLING
        self.poll_id = poll_id
        self.candidate_ids = tuple(p.id for p in people)

    def fill(
        self,
        elected_indices: list[int],
        outcome: str,
        data: Mapping[str, Any] | None = None,
        options: Sequence[str] = (),
        steps: Sequence[str] = ("revote", "musyawarah", "lot"),
    ) -> None:
        """Record what the poll decided. A ratification rejected leaves the position open
        for another proposal; a two-round poll without a majority waits for its runoff; a
        tie that decides a seat waits for the next step of the rules' tie cascade."""
        data = data or {}
        if self.method == RATIFICATION:
            if outcome == "adopted":
                self._decide(self.candidate_ids)
            elif outcome == "rejected":
                self._rejected()
            else:  # no quorum: nobody was ratified nor rejected; the chair opens it again
                self.status = PositionStatus.NOMINATING
            return
        ids = dict(zip(options, self.candidate_ids, strict=False))
        before = self.pending or {}
        carried = tuple(before.get("kept", ()))
        if outcome == "runoff":
            names = runoff_names(data, options)
            self._undecided("runoff", "runoff", tuple(ids[n] for n in names if n in ids), 1, ())
            return
        tie = deciding_tie(data, options)
        if tie is not None and steps:
            attempt = int(before.get("attempt", -1)) + 1 if before.get("kind") == "tie" else 0
            kept = carried + tuple(ids[n] for n in tie.kept if n in ids)
            tied = tuple(ids[n] for n in tie.tied if n in ids)
            self._undecided("tie", _step(steps, attempt), tied, tie.seats, kept, attempt)
            return
        self._decide(carried + tuple(self.candidate_ids[i] for i in elected_indices))

    def _decide(self, elected: tuple[str, ...]) -> None:
        self.status = PositionStatus.DECIDED
        self.elected_ids = elected
        self.pending = None
        self.events.append(
            PositionFilled(self.congress_id, self.id, self.poll_id or "", self.elected_ids)
        )

    def _undecided(
        self,
        kind: str,
        step: str,
        candidates: tuple[str, ...],
        seats: int,
        kept: tuple[str, ...],
        attempt: int = -1,
    ) -> None:
        self.status = PositionStatus.UNDECIDED
        self.elected_ids = ()
        self.pending = {
            "kind": kind,
            "step": step,
            "candidates": list(candidates),
            "seats": seats,
            "kept": list(kept),
            "attempt": attempt,
            "seed": "",
        }
        self.events.append(
            PositionUndecided(
                self.congress_id, self.id, self.poll_id or "", kind, step, candidates, seats
            )
        )

    def _rejected(self) -> None:
        self.rejected_ids = (*self.rejected_ids, *self.candidate_ids)
        self.events.append(
            RatificationRejected(self.congress_id, self.id, self.poll_id or "", self.candidate_ids)
        )
        self.status = PositionStatus.NOMINATING
        self.candidate_ids = ()
        self.elected_ids = ()

    @property
    def step(self) -> str:
        """What the position waits for while undecided ("" otherwise)."""
        if self.status is not PositionStatus.UNDECIDED or not self.pending:
            return ""
        return str(self.pending.get("step", ""))

    def next_round(self) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
        """The runoff or re-vote the chair opens: its candidates, seats, and the elected
        that the tie did not touch."""
        if self.step not in ("runoff", "revote") or not self.pending:
            raise ElectionStep()
        return (
            tuple(self.pending["candidates"]),
            int(self.pending["seats"]),
            tuple(self.pending.get("kept", ())),
        )

    def round_method(self) -> str:
        """A runoff or re-vote of a single-choice position is one vote, most votes wins."""
        return "plurality" if self.method in SINGLE_CHOICE else self.method

    def record_musyawarah(
        self,
        chosen: tuple[str, ...] | None,
        steps: Sequence[str] = ("revote", "musyawarah", "lot"),
    ) -> None:
        """Consensus on who takes the tied seats, or none (the cascade's next step)."""
        if self.step != "musyawarah" or not self.pending:
            raise ElectionStep()
        candidates = tuple(self.pending["candidates"])
        if chosen is None:
            self.events.append(MusyawarahRecorded(self.congress_id, self.id, False))
            attempt = int(self.pending.get("attempt", 0)) + 1
            self.pending = {**self.pending, "step": _step(steps, attempt), "attempt": attempt}
            return
        if len(set(chosen)) != int(self.pending["seats"]) or not set(chosen) <= set(candidates):
            raise InvalidInput("choose as many of the tied candidates as the seats")
        self.events.append(MusyawarahRecorded(self.congress_id, self.id, True, chosen))
        ordered = tuple(c for c in candidates if c in chosen)
        self._decide(tuple(self.pending.get("kept", ())) + ordered)

    def show_lot_seed(self) -> str:
        """Draw and show the lot's seed; the draw uses it later, in front of the hall."""
        if self.step != "lot" or not self.pending:
            raise ElectionStep()
        if not self.pending.get("seed"):
            seed = secrets.token_hex(16)
            self.pending = {**self.pending, "seed": seed}
            self.events.append(LotSeedShown(self.congress_id, self.id, seed))
        return str(self.pending["seed"])

    def draw_lot(self, aliases: Mapping[str, str]) -> tuple[str, ...]:
        """The smallest tickets sha256("<seed>|lot|<index>|<alias>") take the tied seats."""
        if self.step != "lot" or not self.pending:
            raise ElectionStep()
        seed = str(self.pending.get("seed") or "")
        if not seed:
            raise LotSeedFirst()
        candidates = tuple(self.pending["candidates"])
        tickets = {
            c: lot_ticket(seed, "lot", i, aliases.get(c, c)) for i, c in enumerate(candidates)
        }
        chosen = tuple(sorted(candidates, key=lambda c: tickets[c])[: int(self.pending["seats"])])
        self.events.append(
            LotDrawn(
                self.congress_id,
                self.id,
                seed,
                tuple((c, tickets[c]) for c in candidates),
                chosen,
            )
        )
        ordered = tuple(c for c in candidates if c in chosen)
        self._decide(tuple(self.pending.get("kept", ())) + ordered)
        return chosen

    def hand_over(self) -> None:
        """The session chair's role goes to the elected, once."""
        if not self.grants_chair or not self.filled or not self.elected_ids or self.handed_over:
            raise NotSessionChair()
        self.handed_over = True


def _check(title: str, seats: int, method: str, region_minimum: int) -> None:
    if not title.strip() or method not in METHODS or not 1 <= seats <= 50:
        raise InvalidInput("position")
    if method == RATIFICATION and seats != 1:
        raise InvalidInput("a ratification fills one seat")
    if region_minimum < 0 or region_minimum * len(REGIONS) > seats:
        raise InvalidInput("region minimum")


def _step(steps: Sequence[str], attempt: int) -> str:
    """The cascade's step for this attempt; the last step repeats when the cascade ends."""
    return steps[min(max(attempt, 0), len(steps) - 1)]


def _groups(constraints: tuple[dict[str, Any], ...]) -> list[GroupConstraint]:
    return [
        GroupConstraint(c["name"], frozenset(c["members"]), c["minimum"], c["maximum"])
        for c in constraints
    ]
