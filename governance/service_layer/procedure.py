"""Handlers of the election procedure (issue 14): what happens to a position after a count.

A two-round poll without a majority waits for the chair to open the runoff, a new poll of
the same position (same electorate and rules, the runoff's candidates only). A tie that
decides a seat waits for the step the rules of procedure name: a re-vote among the tied (a
new poll again), musyawarah recorded by the secretariat, or a lot drawn in front of the hall
whose seed is shown first. A rejected ratification leaves the position open for the next
proposal. An elected session chair takes the chair's role from the temporary chair.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from governance.domain.commands import Command
from governance.domain.delegates import Role
from governance.domain.election_commands import (
    DeletePosition,
    DrawLot,
    EditPosition,
    HandOverChair,
    OpenNextRound,
    RecordTieMusyawarah,
    ShowLotSeed,
)
from governance.domain.election_errors import PositionReferenced
from governance.domain.election_events import ChairHandedOver
from governance.domain.errors import NotAllowed, QuorumNotMet
from governance.domain.polls import Poll
from governance.domain.positions import (
    RATIFICATION,
    Eligibility,
    NominationStatus,
    Position,
    PositionStatus,
)
from governance.domain.rules import adopted_rule
from governance.domain.rules_json import quorum_required
from governance.service_layer.elections import _delegate, _position, attendance, check_references
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory


def after_fill(uow: UnitOfWork, position: Position) -> None:
    """In the count's transaction: a rejected ratification's nomination is marked rejected,
    so the candidate no longer stands and another person is proposed."""
    if position.method != RATIFICATION or position.status is not PositionStatus.NOMINATING:
        return
    for nomination in uow.positions.nominations(position.id):
        rejected = nomination.candidate_id in position.rejected_ids
        if rejected and nomination.status is NominationStatus.ACCEPTED:
            nomination.status = NominationStatus.REJECTED
            uow.positions.save_nomination(nomination)


def edit_position(cmd: EditPosition, uow_factory: UnitOfWorkFactory) -> None:
    eligibility = Eligibility(
        cmd.membership_classes, cmd.regions, cmd.voting_right, cmd.among, cmd.proposed_by
    )
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        check_references(uow, position.congress_id, eligibility, own_id=position.id)
        position.edit(
            uow.positions.nominations(position.id),
            cmd.title,
            cmd.seats,
            cmd.method,
            eligibility,
            cmd.region_minimum,
            exclusive=cmd.exclusive,
            grants_chair=cmd.grants_chair,
        )
        uow.positions.save(position)
        uow.commit()


def delete_position(cmd: DeletePosition, uow_factory: UnitOfWorkFactory) -> str:
    """Delete a position nobody was nominated for; returns its congress id."""
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        position.delete(uow.positions.nominations(position.id))
        for other in uow.positions.for_congress(position.congress_id):
            if position.id in (other.eligibility.among, other.eligibility.proposed_by):
                raise PositionReferenced(other.title)
        uow.positions.delete(position)
        uow.commit()
        return position.congress_id


def open_next_round(cmd: OpenNextRound, uow_factory: UnitOfWorkFactory) -> str:
    """Open the runoff or the re-vote among the tied as a new poll; returns its id."""
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        candidates, seats, kept = position.next_round()
        people = [_delegate(uow, position.congress_id, c) for c in candidates]
        previous = uow.polls.get(position.poll_id) if position.poll_id else None
        method = position.round_method()
        constraints = _remaining_bounds(position, people, kept, uow)
        poll = Poll.create(
            position.congress_id,
            f"{position.title} ({position.round + 1})",
            method,
            tuple(p.alias for p in people),
            seats=seats,
            constraints=constraints,
            position_id=position.id,
            auto_publish=previous.auto_publish if previous else True,
            required_cosignatures=previous.required_cosignatures if previous else 0,
        )
        rules = uow.rules.get(position.congress_id)
        snapshot = attendance(uow, position.congress_id)
        # As the first round: the quorum of the rules of procedure, and no poll in skorsing.
        required = quorum_required(rules.majority_rule(), snapshot["entitled"])
        if required is not None and snapshot["present"] < required:
            raise QuorumNotMet(snapshot["present"], required, snapshot["entitled"])
        poll.open(snapshot, adopted_rule(rules))
        uow.polls.add(poll)
        position.poll_opened(poll.id, people)
        uow.positions.save(position)
        uow.commit()
        return poll.id


def _remaining_bounds(
    position: Position, people: list[Any], kept: tuple[str, ...], uow: UnitOfWork
) -> tuple[dict[str, Any], ...]:
    """A re-vote's regional bounds: what the tie's seats must still bring to each region."""
    if not position.region_minimum:
        return ()
    kept_regions = [_delegate(uow, position.congress_id, k).region for k in kept]
    bounds = []
    for c in position.constraints_for(people):
        still = int(c["minimum"]) - kept_regions.count(str(c["name"]))
        if still > 0 and c["members"]:
            bounds.append({**c, "minimum": still})
    return tuple(bounds)


def record_tie_musyawarah(cmd: RecordTieMusyawarah, uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        steps = uow.rules.get(position.congress_id).tie_steps()
        position.record_musyawarah(cmd.chosen, steps)
        uow.positions.save(position)
        uow.commit()


def show_lot_seed(cmd: ShowLotSeed, uow_factory: UnitOfWorkFactory) -> str:
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        seed = position.show_lot_seed()
        uow.positions.save(position)
        uow.commit()
        return seed


def draw_lot(cmd: DrawLot, uow_factory: UnitOfWorkFactory) -> tuple[str, ...]:
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        candidates = position.pending["candidates"] if position.pending else []
        aliases = {c: _delegate(uow, position.congress_id, c).alias for c in candidates}
        chosen = position.draw_lot(aliases)
        uow.positions.save(position)
        uow.commit()
        return chosen


def hand_over_chair(cmd: HandOverChair, uow_factory: UnitOfWorkFactory) -> tuple[int, ...]:
    """The elected session chairs' identity cards get the chair's role; the handing card
    gives it up (a delegate's card becomes a delegate's again, an official's is revoked)."""
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        congress_id = position.congress_id
        giver = uow.cards.identity_card(congress_id, cmd.from_card)
        if giver is None or giver.revoked or giver.role is not Role.CHAIR:
            raise NotAllowed("only the sitting chair hands over")
        position.hand_over()
        receivers: list[int] = []
        for delegate_id in position.elected_ids:
            for card in uow.cards.identity_cards_of(congress_id, delegate_id):
                uow.cards.set_identity_role(congress_id, card.number, Role.CHAIR)
                receivers.append(card.number)
        if not receivers:
            raise NotAllowed("the elected session chair has no identity card")
        if giver.number not in receivers:
            if giver.delegate_id is not None:
                uow.cards.set_identity_role(congress_id, giver.number, Role.DELEGATE)
            else:
                uow.cards.replace_identity_code(congress_id, giver.number, None)
        uow.record(ChairHandedOver(congress_id, position.id, giver.number, tuple(receivers)))
        uow.positions.save(position)
        uow.commit()
        return tuple(receivers)


def procedure_handlers(uow_factory: UnitOfWorkFactory) -> dict[type[Command], Callable[..., Any]]:
    """The bus entries of this module, dependencies bound."""
    table: dict[type[Command], Callable[..., Any]] = {
        EditPosition: edit_position,
        DeletePosition: delete_position,
        OpenNextRound: open_next_round,
        RecordTieMusyawarah: record_tie_musyawarah,
        ShowLotSeed: show_lot_seed,
        DrawLot: draw_lot,
        HandOverChair: hand_over_chair,
    }
    return {k: partial(v, uow_factory=uow_factory) for k, v in table.items()}
