"""Handlers for motions from the floor: fetch the congress's motions (locked), ask, commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from governance.domain import plenary_commands as c
from governance.domain.delegates import Delegate
from governance.domain.errors import DelegateNotFound, InvalidInput
from governance.domain.floor_motions import Floor
from governance.domain.plenary_errors import AgendaItemNotFound, FloorMotionNotFound
from governance.domain.polls import Poll
from governance.domain.rules import adopted_rule
from governance.service_layer.elections import attendance
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory

YES_NO_ABSTAIN = ("yes", "no", "abstain")


def _settle(uow: UnitOfWork, floor: Floor) -> None:
    """Take in every published outcome first, so each step sees the floor as it stands."""
    for poll_id, motion_id in floor.pending_polls().items():
        result = uow.results.get(poll_id)
        if result is not None and result.is_published:
            floor.settle(motion_id, result.outcome)


def _floor(uow: UnitOfWork, congress_id: str) -> Floor:
    floor = uow.floor.for_congress(congress_id)
    _settle(uow, floor)
    return floor


def _of_motion(uow: UnitOfWork, motion_id: str) -> Floor:
    congress_id = uow.floor.congress_of(motion_id)
    if congress_id is None:
        raise FloorMotionNotFound()
    return _floor(uow, congress_id)


def _delegate(uow: UnitOfWork, congress_id: str, delegate_id: str) -> Delegate:
    found = uow.delegates.get(delegate_id)
    if found is None or found.congress_id != congress_id:
        raise DelegateNotFound()
    return found


def _done(uow: UnitOfWork, floor: Floor) -> None:
    uow.floor.save(floor)
    uow.commit()


def table_motion(cmd: c.TableMotion, uow_factory: UnitOfWorkFactory) -> str:
    """A delegate tables a motion or an amendment; returns its id."""
    with uow_factory() as uow:
        floor = _floor(uow, cmd.congress_id)
        proposer = _delegate(uow, cmd.congress_id, cmd.delegate_id)
        motion = floor.table(
            proposer, cmd.title, cmd.text, cmd.reason, cmd.procedural, cmd.amends, cmd.kind
        )
        _done(uow, floor)
        return motion.id


def second_motion(cmd: c.SecondMotion, uow_factory: UnitOfWorkFactory) -> None:
    """Another delegate seconds a motion."""
    with uow_factory() as uow:
        floor = _of_motion(uow, cmd.motion_id)
        floor.second(cmd.motion_id, _delegate(uow, floor.congress_id, cmd.delegate_id))
        _done(uow, floor)


def withdraw_motion(cmd: c.WithdrawMotion, uow_factory: UnitOfWorkFactory) -> None:
    """The proposer withdraws a motion (and its amendments go with it)."""
    with uow_factory() as uow:
        floor = _of_motion(uow, cmd.motion_id)
        floor.withdraw(cmd.motion_id, cmd.delegate_id)
        _done(uow, floor)


def admit_motion(cmd: c.AdmitMotion, uow_factory: UnitOfWorkFactory) -> str:
    """The chair admits a seconded motion to an item (the current one by default)."""
    with uow_factory() as uow:
        floor = _of_motion(uow, cmd.motion_id)
        item_id = cmd.item_id or uow.sittings.get(floor.congress_id).current_item_id
        if item_id is None:
            raise InvalidInput("no agenda item is current: choose the item")
        item = uow.agenda.get(item_id)
        if item is None or item.congress_id != floor.congress_id:
            raise AgendaItemNotFound()
        required = uow.rules.get(floor.congress_id).motion_seconders
        floor.admit(cmd.motion_id, item.id, required)
        _done(uow, floor)
        return item.id


def record_motion_deliberation(
    cmd: c.RecordMotionDeliberation, uow_factory: UnitOfWorkFactory
) -> None:
    """Minute the musyawarah on a motion and its amendments."""
    with uow_factory() as uow:
        floor = _of_motion(uow, cmd.motion_id)
        floor.deliberate(cmd.motion_id, cmd.consensus, cmd.note, cmd.accepted)
        _done(uow, floor)


def open_motion_vote(cmd: c.OpenMotionVote, uow_factory: UnitOfWorkFactory) -> str:
    """Create and open the poll on a motion or an amendment, under the rules in force; it goes
    on the motion's agenda item. Refused without quorum or during a suspension."""
    with uow_factory() as uow:
        floor = _of_motion(uow, cmd.motion_id)
        title, text = floor.vote_on(cmd.motion_id, cmd.named)
        motion = floor.motion(cmd.motion_id)
        poll = Poll.create(
            floor.congress_id, title, "yes-no-abstain", YES_NO_ABSTAIN, text, named=cmd.named
        )
        rules = uow.rules.get(floor.congress_id)
        poll.open(attendance(uow, floor.congress_id), adopted_rule(rules))
        uow.polls.add(poll)
        if motion.item_id is not None:
            uow.agenda.attach_poll(motion.item_id, poll.id)
        floor.voting(cmd.motion_id, poll.id)
        _done(uow, floor)
        return poll.id


HANDLERS: dict[type, Callable[..., Any]] = {
    c.TableMotion: table_motion,
    c.SecondMotion: second_motion,
    c.WithdrawMotion: withdraw_motion,
    c.AdmitMotion: admit_motion,
    c.RecordMotionDeliberation: record_motion_deliberation,
    c.OpenMotionVote: open_motion_vote,
}
