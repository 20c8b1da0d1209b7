"""Handlers for positions, nominations, the agenda and paper ballots."""

from __future__ import annotations

from governance.domain.agenda import AgendaItem
from governance.domain.commands import (
    AddAgendaItem,
    AnswerNomination,
    ConfirmPaperBatch,
    CreatePosition,
    EnterPaperBatch,
    Nominate,
    OpenPosition,
    SecondNomination,
    WithdrawNomination,
)
from governance.domain.delegates import Delegate
from governance.domain.errors import (
    BatchNotFound,
    CongressNotFound,
    DelegateNotFound,
    NominationNotFound,
    NotAllowed,
    PollNotFound,
    PositionNotFound,
    QuorumNotMet,
)
from governance.domain.events import PaperBatchConfirmed, PaperBatchEntered
from governance.domain.paper import PaperBatch
from governance.domain.plenary_events import AgendaItemAdded
from governance.domain.polls import Poll
from governance.domain.positions import RATIFICATION, Eligibility, Nomination, Position
from governance.domain.rules import adopted_rule
from governance.domain.rules_json import quorum_required
from governance.domain.text import clean_name
from governance.service_layer.audit import note_target
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory


def attendance(uow: UnitOfWork, congress_id: str) -> dict[str, int]:
    """The electorate snapshot frozen into a poll when it opens and closes.

    During a suspension (skorsing) it says so, and `Poll.open` refuses it: every path that
    opens a poll takes this snapshot, so none can open one while the sitting is suspended.
    """
    snapshot = {
        "entitled": uow.delegates.count_entitled(congress_id),
        "present": uow.delegates.count_present(congress_id),
        "cards_issued": uow.cards.count_voting_cards(congress_id),
    }
    if uow.sittings.get(congress_id).suspended:
        snapshot["suspended"] = 1
    return snapshot


def create_position(cmd: CreatePosition, uow_factory: UnitOfWorkFactory) -> str:
    """Create a position; returns its id."""
    eligibility = Eligibility(
        cmd.membership_classes, cmd.regions, cmd.voting_right, cmd.among, cmd.proposed_by
    )
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise CongressNotFound()
        check_references(uow, cmd.congress_id, eligibility)
        title = clean_name(cmd.title, field="title", max_length=200)
        position = Position.create(
            cmd.congress_id,
            title,
            cmd.seats,
            cmd.method,
            eligibility,
            cmd.region_minimum,
            exclusive=cmd.exclusive,
            grants_chair=cmd.grants_chair,
        )
        uow.positions.add(position)
        uow.commit()
        return position.id


def check_references(
    uow: UnitOfWork, congress_id: str, eligibility: Eligibility, own_id: str = ""
) -> None:
    """The positions named by "among those elected to" and "proposed by" exist here."""
    for other_id in (eligibility.among, eligibility.proposed_by):
        if other_id is None:
            continue
        other = uow.positions.get(other_id)
        if other is None or other.congress_id != congress_id or other.id == own_id:
            raise PositionNotFound()


def _position(uow: UnitOfWork, position_id: str) -> Position:
    position = uow.positions.get(position_id)
    if position is None:
        raise PositionNotFound()
    return position


def _delegate(uow: UnitOfWork, congress_id: str, delegate_id: str) -> Delegate:
    delegate = uow.delegates.get(delegate_id)
    if delegate is None or delegate.congress_id != congress_id:
        raise DelegateNotFound()
    return delegate


def _nomination(uow: UnitOfWork, nomination_id: str) -> tuple[Position, Nomination]:
    found = uow.positions.nomination(nomination_id)
    if found is None:
        raise NominationNotFound()
    # Lock the position first, then read the nomination again: concurrent seconds or
    # answers on one position take turns instead of overwriting each other.
    position = _position(uow, found.position_id)
    fresh = uow.positions.nomination(nomination_id)
    if fresh is None:
        raise NominationNotFound()
    return position, fresh


def nominate(cmd: Nominate, uow_factory: UnitOfWorkFactory) -> str:
    """Nominate a delegate for a position; returns the nomination id."""
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        candidate = _delegate(uow, position.congress_id, cmd.candidate_id)
        if cmd.nominator_id is not None:
            _delegate(uow, position.congress_id, cmd.nominator_id)
        others = uow.positions.for_congress(position.congress_id)
        existing = uow.positions.nominations(position.id)
        nomination = position.nominate(
            candidate,
            cmd.nominator_id,
            existing,
            others=others,
            rules=uow.rules.get(position.congress_id),
        )
        uow.positions.add_nomination(nomination)
        uow.commit()
        return nomination.id


def second_nomination(cmd: SecondNomination, uow_factory: UnitOfWorkFactory) -> None:
    """Second a nomination (not one's own)."""
    with uow_factory() as uow:
        position, nomination = _nomination(uow, cmd.nomination_id)
        _delegate(uow, position.congress_id, cmd.seconder_id)
        position.second(nomination, cmd.seconder_id)
        uow.positions.save_nomination(nomination)
        uow.commit()


def answer_nomination(cmd: AnswerNomination, uow_factory: UnitOfWorkFactory) -> None:
    """Record the candidate's consent or refusal (in the app, or written via the secretariat)."""
    with uow_factory() as uow:
        position, nomination = _nomination(uow, cmd.nomination_id)
        if cmd.by is not None and cmd.by != nomination.candidate_id:
            raise NotAllowed("only the candidate answers")
        position.answer(nomination, cmd.accept, written=cmd.by is None)
        uow.positions.save_nomination(nomination)
        uow.commit()


def withdraw_nomination(cmd: WithdrawNomination, uow_factory: UnitOfWorkFactory) -> None:
    """Withdraw before the poll opens; only the candidate, the nominator or the secretariat."""
    with uow_factory() as uow:
        position, nomination = _nomination(uow, cmd.nomination_id)
        if cmd.by is not None and cmd.by not in (nomination.candidate_id, nomination.nominator_id):
            raise NotAllowed("only the candidate or the nominator withdraws")
        position.withdraw(nomination)
        uow.positions.save_nomination(nomination)
        uow.commit()


def open_position(cmd: OpenPosition, uow_factory: UnitOfWorkFactory) -> str | None:
    """Acclaim, or create and open the poll; returns the poll id (None when acclaimed)."""
    with uow_factory() as uow:
        position = _position(uow, cmd.position_id)
        rules = uow.rules.get(position.congress_id)
        nominations = uow.positions.nominations(position.id)
        people = {
            n.candidate_id: _delegate(uow, position.congress_id, n.candidate_id)
            for n in nominations
        }
        standing = position.standing(nominations, people, rules)
        position.check_exclusive(standing, uow.positions.for_congress(position.congress_id), rules)
        snapshot = attendance(uow, position.congress_id)
        # An election needs the quorum of the rules of procedure, as a motion does.
        required = quorum_required(rules.majority_rule(), snapshot["entitled"])
        if required is not None and snapshot["present"] < required:
            raise QuorumNotMet(snapshot["present"], required, snapshot["entitled"])
        if position.acclaims(standing, rules):
            position.acclaim(standing)
            uow.positions.save(position)
            uow.commit()
            return None
        poll = _position_poll(position, standing)
        poll.open(snapshot, adopted_rule(rules))
        uow.polls.add(poll)
        position.poll_opened(poll.id, standing)
        uow.positions.save(position)
        uow.commit()
        return poll.id


def _position_poll(position: Position, standing: list[Delegate]) -> Poll:
    """Options are the standing candidates' aliases; a ratification is a yes/no motion."""
    if position.method == RATIFICATION:
        return Poll.create(
            position.congress_id,
            f"{position.title}: {standing[0].alias}",
            RATIFICATION,
            ("yes", "no", "abstain"),
            position_id=position.id,
        )
    return Poll.create(
        position.congress_id,
        position.title,
        position.method,
        tuple(p.alias for p in standing),
        seats=position.seats,
        constraints=position.constraints_for(standing),
        position_id=position.id,
    )


def add_agenda_item(cmd: AddAgendaItem, uow_factory: UnitOfWorkFactory) -> str:
    """Add an agenda item; returns its id."""
    item = AgendaItem.create(
        cmd.congress_id, cmd.session, cmd.kind, cmd.title, cmd.starts_at, cmd.minutes
    )
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise CongressNotFound()
        uow.agenda.add(item)
        uow.record(AgendaItemAdded(cmd.congress_id, item.id, item.title))
        uow.commit()
    return item.id


def enter_paper_batch(cmd: EnterPaperBatch, uow_factory: UnitOfWorkFactory) -> str:
    """Store a batch of paper ballots, checked, waiting for confirmation; returns its id."""
    with uow_factory() as uow:
        poll = uow.polls.get(cmd.poll_id, lock_shared=True)
        if poll is None:
            raise PollNotFound()
        batch = PaperBatch.enter(poll, cmd.entered_by, list(cmd.choices))
        uow.paper.add(batch)
        uow.record(PaperBatchEntered(poll.congress_id, poll.id, batch.id, batch.count))
        uow.commit()
        return batch.id


def confirm_paper_batch(cmd: ConfirmPaperBatch, uow_factory: UnitOfWorkFactory) -> None:
    """A second person confirms: the batch's ballots are stored like electronic ones.

    Not beyond the delegates present or the voting cards issued (issue 18): the poll row is
    locked, so two confirmations (or a ballot) cannot both pass the check.
    """
    with uow_factory() as uow:
        batch = uow.paper.get(cmd.batch_id)
        if batch is None or cmd.poll_id not in (None, batch.poll_id):
            raise BatchNotFound()
        poll = uow.polls.get_for_update(batch.poll_id)
        if poll is None:
            raise PollNotFound()
        if batch.status == "entered" and poll.is_open:
            stored = len(uow.ballots.receipts(poll.id))
            paper = uow.paper.confirmed_ballots(poll.id)
            batch.check_bound(poll, stored, paper, attendance(uow, poll.congress_id))
        for ballot in batch.confirm(poll, cmd.confirmed_by):
            uow.ballots.add(ballot)
        uow.paper.save(batch)
        uow.record(PaperBatchConfirmed(poll.congress_id, poll.id, batch.id, batch.count))
        note_target(uow, f"entered by {batch.entered_by}")  # the action log names both cards
        uow.commit()
