"""Handlers of the plenary: the current item, polls on items, the list of speakers, skorsing."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from governance.domain import plenary_commands as c
from governance.domain.agenda import AgendaItem
from governance.domain.delegates import Delegate
from governance.domain.errors import DelegateNotFound, InvalidInput, PollNotFound
from governance.domain.plenary_errors import AgendaItemNotFound, SpeakerNotFound
from governance.domain.plenary_events import PollAttached
from governance.domain.sittings import Quorum
from governance.domain.speakers import SpeakerKind
from governance.service_layer import floor_motions
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory

Clock = Callable[[], Any]


def item(
    uow: UnitOfWork, item_id: str, congress_id: str | None = None, lock: bool = False
) -> AgendaItem:
    """An agenda item (of `congress_id`, when given); its row locked with `lock`."""
    found = uow.agenda.get(item_id, lock=lock)
    if found is None or (congress_id is not None and found.congress_id != congress_id):
        raise AgendaItemNotFound()
    return found


def delegate(uow: UnitOfWork, congress_id: str, delegate_id: str) -> Delegate:
    found = uow.delegates.get(delegate_id)
    if found is None or found.congress_id != congress_id:
        raise DelegateNotFound()
    return found


def quorum(uow: UnitOfWork, congress_id: str) -> Quorum:
    """Attendance now against the quorum of the rules in force."""
    rules = uow.rules.get(congress_id)
    entitled = uow.delegates.count_entitled(congress_id)
    return Quorum.of(rules, entitled, uow.delegates.count_present(congress_id))


def set_current_item(cmd: c.SetCurrentItem, uow_factory: UnitOfWorkFactory) -> None:
    """Move the plenary to an item (idempotent)."""
    with uow_factory() as uow:
        found = item(uow, cmd.item_id, cmd.congress_id)
        sitting = uow.sittings.get(cmd.congress_id, lock=True)
        if sitting.set_current(found.id):
            uow.sittings.save(sitting)
            uow.commit()


def attach_poll(cmd: c.AttachPoll, uow_factory: UnitOfWorkFactory) -> None:
    """Put a poll of the same congress on an item; a poll already on one stays where it is."""
    with uow_factory() as uow:
        found = item(uow, cmd.item_id)
        poll = uow.polls.get(cmd.poll_id)
        if poll is None or poll.congress_id != found.congress_id:
            raise PollNotFound()
        if uow.agenda.attach_poll(found.id, poll.id):
            uow.record(PollAttached(found.congress_id, found.id, poll.id))
            uow.commit()


def add_speaker(cmd: c.AddSpeaker, uow_factory: UnitOfWorkFactory) -> str:
    """Put a delegate on an item's list of speakers; returns the request's id."""
    if cmd.kind not in tuple(SpeakerKind) or cmd.added_by not in ("self", "secretariat"):
        raise InvalidInput("kind")
    with uow_factory() as uow:
        found = item(uow, cmd.item_id, lock=True)
        person = delegate(uow, found.congress_id, cmd.delegate_id)
        listed = uow.speakers.for_item(found.congress_id, found.id)
        speaker = listed.add(person, SpeakerKind(cmd.kind), cmd.added_by)
        uow.speakers.save(listed)
        uow.commit()
        return speaker.id


def withdraw_speaker(cmd: c.WithdrawSpeaker, uow_factory: UnitOfWorkFactory) -> str:
    """Take a request off the list; returns its item."""
    with uow_factory() as uow:
        where = uow.speakers.item_of(cmd.speaker_id)
        if where is None:
            raise SpeakerNotFound()
        congress_id, item_id = where
        item(uow, item_id, lock=True)
        listed = uow.speakers.for_item(congress_id, item_id)
        listed.withdraw(cmd.speaker_id, cmd.delegate_id)
        uow.speakers.save(listed)
        uow.commit()
        return item_id


def next_speaker(cmd: c.NextSpeaker, uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    """Give the floor to the first in the queue; returns their request's id."""
    with uow_factory() as uow:
        found = item(uow, cmd.item_id, lock=True)
        rules = uow.rules.get(found.congress_id)
        listed = uow.speakers.for_item(found.congress_id, found.id)
        speaker = listed.call_next(clock(), rules)
        uow.speakers.save(listed)
        uow.commit()
        return speaker.id


def end_speech(cmd: c.EndSpeech, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    """End the current speech."""
    with uow_factory() as uow:
        found = item(uow, cmd.item_id, lock=True)
        listed = uow.speakers.for_item(found.congress_id, found.id)
        listed.end_speech(clock())
        uow.speakers.save(listed)
        uow.commit()


def suspend_sitting(cmd: c.SuspendSitting, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    """Skorsing, for the minutes asked for or those of the rules of procedure."""
    with uow_factory() as uow:
        sitting = uow.sittings.get(cmd.congress_id, lock=True)
        minutes = cmd.minutes or uow.rules.get(cmd.congress_id).suspension_minutes
        sitting.suspend(clock(), cmd.reason, minutes, quorum(uow, cmd.congress_id))
        uow.sittings.save(sitting)
        uow.commit()


def resume_sitting(cmd: c.ResumeSitting, uow_factory: UnitOfWorkFactory) -> None:
    """Reconvene the sitting."""
    with uow_factory() as uow:
        sitting = uow.sittings.get(cmd.congress_id, lock=True)
        sitting.resume(quorum(uow, cmd.congress_id))
        uow.sittings.save(sitting)
        uow.commit()


def plenary_handlers(
    uow_factory: UnitOfWorkFactory, clock: Clock
) -> dict[type, Callable[..., Any]]:
    """The plenary's commands for the message bus."""
    timed: dict[type, Callable[..., Any]] = {
        c.NextSpeaker: next_speaker,
        c.EndSpeech: end_speech,
        c.SuspendSitting: suspend_sitting,
    }
    plain: dict[type, Callable[..., Any]] = {
        c.SetCurrentItem: set_current_item,
        c.AttachPoll: attach_poll,
        c.AddSpeaker: add_speaker,
        c.WithdrawSpeaker: withdraw_speaker,
        c.ResumeSitting: resume_sitting,
        **floor_motions.HANDLERS,
    }
    table: dict[type, Callable[..., Any]] = {k: partial(h, clock=clock) for k, h in timed.items()}
    table.update(plain)
    return {command: partial(h, uow_factory=uow_factory) for command, h in table.items()}
