"""One handler per command: fetch, ask the aggregate, commit state and events together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from governance.domain.commands import (
    CheckInDelegate,
    ClosePoll,
    CreatePoll,
    OpenPoll,
    PublishResult,
    RecordTallyFailure,
    SetProjectorNames,
    TallyPoll,
)
from governance.domain.corrections import discrepancy
from governance.domain.counting import count_poll
from governance.domain.errors import (
    BatchesPending,
    NotFound,
    PollNotClosed,
    PollNotFound,
)
from governance.domain.events import DelegateCheckedIn, RulesAdopted
from governance.domain.polls import Poll, PollStatus
from governance.domain.results import PollResult
from governance.domain.rules import Rules, adopted_rule
from governance.records import canon
from governance.service_layer import procedure
from governance.service_layer.elections import attendance
from governance.service_layer.ports import ConcurrentWrite, UnitOfWork, UnitOfWorkFactory

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def _retrying(attempts: int, action: Callable[[], Any]) -> Any:
    """Run an action again when a concurrent writer won a unique key; the re-read decides."""
    for attempt in range(attempts):
        try:
            return action()
        except ConcurrentWrite:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _poll(uow: UnitOfWork, poll_id: str, **kwargs: bool) -> Poll:
    poll = uow.polls.get(poll_id, **kwargs)
    if poll is None:
        raise PollNotFound()
    return poll


def create_poll(cmd: CreatePoll, uow_factory: UnitOfWorkFactory) -> str:
    """Draft a poll in a congress; returns its id."""
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise NotFound("congress")
        poll = Poll.create(
            cmd.congress_id,
            cmd.title,
            cmd.method,
            cmd.options,
            description=cmd.description,
            seats=cmd.seats,
            auto_publish=cmd.auto_publish,
            min_selections=cmd.min_selections,
            max_selections=cmd.max_selections,
            proposed_rules=None if cmd.proposed_rules is None else _rules(cmd.proposed_rules),
            required_cosignatures=cmd.required_cosignatures,
            rule=cmd.rule,
            named=cmd.named,
            about_person=cmd.about_person,
        )
        uow.polls.add(poll)
        uow.commit()
        return poll.id


# The AD/ART handlers (service_layer/adart.py) take the attendance snapshot under this name.
_attendance = attendance


def _rules(proposed: dict[str, Any]) -> dict[str, Any]:
    """Validate proposed rules of procedure now, so a bad text never reaches a vote."""
    return Rules.from_dict(proposed).to_dict()


def open_poll(cmd: OpenPoll, uow_factory: UnitOfWorkFactory) -> None:
    """Open a drafted poll, freezing the electorate it is counted against."""
    with uow_factory() as uow:
        poll = uow.polls.get_for_update(cmd.poll_id)
        if poll is None:
            raise PollNotFound()
        rules = uow.rules.get(poll.congress_id)
        poll.open(attendance(uow, poll.congress_id), adopted_rule(rules))
        uow.polls.save_state(poll)
        uow.commit()


def closing_snapshot(uow: UnitOfWork, poll: Poll) -> dict[str, int | str]:
    """What the close freezes: attendance, the ballot count and the digest of the receipts."""
    snapshot: dict[str, int | str] = dict(attendance(uow, poll.congress_id))
    if poll.named:
        snapshot["ballots"] = uow.named_votes.count(poll.id)
    else:
        # Secret ballots have no events of their own: the log holds the closing count
        # and a digest of the receipts, which the record's board must match.
        receipts = uow.ballots.receipts(poll.id)
        snapshot["ballots"] = len(receipts)
        snapshot["receipts_sha256"] = canon.receipts_sha256(receipts)
    snapshot["paper_ballots"] = uow.paper.confirmed_ballots(poll.id)
    return snapshot


def close_poll(cmd: ClosePoll, uow_factory: UnitOfWorkFactory) -> dict[str, int | str]:
    """Close a poll; the lock waits for ballots in flight, so every accepted one is counted.

    Beyond the delegates present or the cards issued (paper ballots), the poll is held.
    """
    with uow_factory() as uow:
        poll = uow.polls.get_for_update(cmd.poll_id)
        if poll is None:
            raise PollNotFound()
        if uow.paper.pending_count(poll.id):
            raise BatchesPending()
        snapshot = closing_snapshot(uow, poll)
        poll.close(snapshot)
        found = discrepancy(
            int(snapshot["ballots"]), int(snapshot["paper_ballots"]), poll.opened_snapshot, snapshot
        )
        if found is not None:
            poll.hold(found)
        uow.polls.save_state(poll)
        # The ballot rows are rewritten in random order and the storage compacted before
        # the close checkpoint, beside the count rather than in front of it (see
        # trust.sign_checkpoint).
        uow.commit()
        return snapshot


def tally_poll(cmd: TallyPoll, uow_factory: UnitOfWorkFactory, clock: Clock = utcnow) -> bool:
    """Count a closed poll once; False when a result already exists."""

    def attempt() -> bool:
        with uow_factory() as uow:
            poll = _poll(uow, cmd.poll_id)
            if poll.status is not PollStatus.CLOSED:
                raise PollNotClosed()
            if uow.results.get(poll.id) is not None or poll.tally_error or not poll.counts:
                # Counted, failed for good (observers were told), held beyond the bound or
                # annulled: no count, no retry loop.
                return False
            box = uow.named_votes if poll.named else uow.ballots
            outcome, data = count_poll(poll, box.choices(poll.id))
            result = PollResult.computed(poll.id, poll.congress_id, outcome, data, clock())
            uow.results.add(result)
            _apply_outcome(uow, poll, outcome, data)
            uow.commit()
            return True

    done: bool = _retrying(3, attempt)
    return done


def _apply_outcome(uow: UnitOfWork, poll: Poll, outcome: str, data: dict[str, Any]) -> None:
    """What a result decides, in the same transaction: adopted rules, a filled position."""
    if poll.proposed_rules is not None and outcome == "adopted":
        uow.rules.adopt(poll.congress_id, Rules.from_dict(poll.proposed_rules))
        uow.record(RulesAdopted(poll.congress_id, poll.id, dict(poll.proposed_rules)))
    if poll.position_id is not None:
        position = uow.positions.get(poll.position_id)
        # Only the position's current poll decides it (a runoff replaces the first round).
        if position is not None and position.poll_id in (None, poll.id):
            index = {name: i for i, name in enumerate(poll.options)}
            elected = [index[str(e["name"])] for e in data.get("elected", [])]
            steps = uow.rules.get(poll.congress_id).tie_steps()
            position.fill(elected, outcome, data, poll.options, steps)
            procedure.after_fill(uow, position)
            uow.positions.save(position)


def record_tally_failure(cmd: RecordTallyFailure, uow_factory: UnitOfWorkFactory) -> bool:
    """Record `tally.failed` once, unless a result exists after all (then nothing failed)."""
    with uow_factory() as uow:
        poll = uow.polls.get_for_update(cmd.poll_id)
        if poll is None:
            raise PollNotFound()
        if uow.results.get(poll.id) is not None or not poll.tally_failed(cmd.reason):
            return False
        uow.polls.save_state(poll)
        uow.commit()
        return True


def publish_result(
    cmd: PublishResult, uow_factory: UnitOfWorkFactory, clock: Clock = utcnow
) -> bool:
    """Publish a computed result once; False when it was already public."""
    with uow_factory() as uow:
        # Lock the poll before reading the result: two workers handed the same message (the
        # sweeper's re-send, a co-signature) would otherwise both see it unpublished and each
        # record `result.published`. The second now waits, then reads it published.
        poll = uow.polls.get_for_update(cmd.poll_id)
        if poll is None:
            raise PollNotFound()
        result = uow.results.get(cmd.poll_id)
        if result is None:
            raise PollNotClosed("no result yet")
        if poll.annulled:
            return False  # an annulled poll's result is never published
        cosigned = uow.trust.cosignature_count(poll.id)
        changed = result.publish(clock(), cosigned, poll.required_cosignatures)
        if changed:
            uow.results.mark_published(result)
            uow.commit()
        return changed


def check_in_delegate(cmd: CheckInDelegate, uow_factory: UnitOfWorkFactory) -> None:
    """Mark a delegate present or absent (idempotent)."""
    with uow_factory() as uow:
        delegate = uow.delegates.get(cmd.delegate_id)
        if delegate is None or delegate.congress_id != cmd.congress_id:
            raise NotFound("delegate")
        if delegate.present != cmd.present:
            uow.delegates.set_present(delegate.id, cmd.present)
            uow.record(
                DelegateCheckedIn(
                    congress_id=cmd.congress_id, delegate_id=delegate.id, present=cmd.present
                )
            )
            uow.commit()


def set_projector_names(cmd: SetProjectorNames, uow_factory: UnitOfWorkFactory) -> None:
    """Show or hide candidates' names on the projector."""
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise NotFound("congress")
        settings = uow.congresses.display(cmd.congress_id)
        settings.show_names_on_projector(cmd.show)
        uow.congresses.save_display(settings)
        uow.commit()
