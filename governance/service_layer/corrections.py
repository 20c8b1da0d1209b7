"""Corrections by two officials (issue 14): void a paper batch before it counts, annul a poll.

One official proposes with a reason (`ProposeCorrection`), a second of another role co-signs
(`CosignCorrection`) and only then does anything change; each step is a command, so each is
in the action log beside the events that say what it decided.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from governance.adart.commands import PublishDocument
from governance.documents import explain
from governance.documents.corrections import Annulment, correction_decision
from governance.documents.render import to_html, to_pdf
from governance.domain.corrections import (
    Correction,
    CorrectionNotFound,
    CorrectionNotPossible,
    CorrectionPending,
    CosignCorrection,
    Kind,
    PaperBatchVoided,
    ProposeCorrection,
    WithdrawCorrection,
)
from governance.domain.documents import Document
from governance.domain.errors import BatchNotFound, InvalidInput, PollNotFound
from governance.domain.paper import PaperBatch
from governance.domain.polls import Poll, PollStatus
from governance.service_layer.handlers import closing_snapshot
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory

ANNULLED_WITH_POLL = "poll annulled"


def _annulment_possible(uow: UnitOfWork, poll: Poll) -> None:
    """An annulment undoes no decision already taken from the result: rules adopted or a
    position filled stay (a new motion corrects those), so such a poll is not annulled."""
    if poll.status is PollStatus.DRAFT or poll.annulled:
        raise CorrectionNotPossible("only an open or closed poll, once")
    result = uow.results.get(poll.id)
    if result is None:
        return
    if poll.position_id is not None or (
        poll.proposed_rules is not None and result.outcome == "adopted"
    ):
        raise CorrectionNotPossible("the result has already taken effect")


def _batch(uow: UnitOfWork, poll: Poll, batch_id: str) -> PaperBatch:
    batch = uow.paper.get(batch_id)
    if batch is None or batch.poll_id != poll.id:
        raise BatchNotFound()
    return batch


def propose_correction(cmd: ProposeCorrection, uow_factory: UnitOfWorkFactory) -> str:
    """Record the proposal; nothing else changes until a second official co-signs it."""
    with uow_factory() as uow:
        poll = uow.polls.get_for_update(cmd.poll_id)
        if poll is None:
            raise PollNotFound()
        correction = Correction.propose(
            poll.congress_id, poll.id, cmd.kind, cmd.reason, cmd.role, cmd.card_number,
            cmd.batch_id,
        )  # fmt: skip
        if correction.kind is Kind.ANNUL:
            _annulment_possible(uow, poll)
        else:
            batch = _batch(uow, poll, str(cmd.batch_id))
            if batch.status != "entered":
                raise CorrectionNotPossible("only a batch not yet confirmed is voided")
        for other in uow.corrections.open_for(poll.id):
            if other.kind is correction.kind and other.batch_id == correction.batch_id:
                raise CorrectionPending()
        uow.corrections.add(correction)
        uow.commit()
        return correction.id


def _void(uow: UnitOfWork, poll: Poll, batch: PaperBatch, correction: Correction) -> None:
    batch.void()
    uow.paper.save(batch)
    uow.record(
        PaperBatchVoided(
            poll.congress_id, poll.id, batch.id, batch.count, correction.reason, correction.id,
            correction.proposed_by, correction.cosigned_by,
        )
    )  # fmt: skip


def _annul(uow: UnitOfWork, poll: Poll, correction: Correction) -> None:
    _annulment_possible(uow, poll)
    if poll.is_open:
        # Annulled while open (a disruption, a wrong ballot paper): it closes first, so its
        # ballots are sealed in the record; batches not yet confirmed are voided with it.
        for batch_id in uow.corrections.entered_batches(poll.id):
            _void(uow, poll, _batch(uow, poll, batch_id), correction)
        poll.close(closing_snapshot(uow, poll))
    poll.annul(correction.reason, correction.id, correction.proposed_by, correction.cosigned_by)
    uow.polls.save_state(poll)
    for other in uow.corrections.open_for(poll.id):
        if other.id != correction.id:  # nothing is left to void in an annulled poll
            other.withdraw(correction.cosigned_role or "", correction.cosigned_card or 0)
            uow.corrections.save(other)


def cosign_correction(cmd: CosignCorrection, uow_factory: UnitOfWorkFactory) -> str:
    """A second official of another role co-signs: the batch is voided or the poll annulled."""
    with uow_factory() as uow:
        correction = uow.corrections.get(cmd.correction_id)
        if correction is None or cmd.poll_id not in (None, correction.poll_id):
            raise CorrectionNotFound()
        poll = uow.polls.get_for_update(correction.poll_id)
        if poll is None:
            raise PollNotFound()
        correction.cosign(cmd.role, cmd.card_number)
        if correction.kind is Kind.ANNUL:
            _annul(uow, poll, correction)
        else:
            _void(uow, poll, _batch(uow, poll, str(correction.batch_id)), correction)
        uow.corrections.save(correction)
        uow.commit()
        return correction.kind.value


def withdraw_correction(cmd: WithdrawCorrection, uow_factory: UnitOfWorkFactory) -> None:
    """The proposal is withdrawn (or refused by the second official): nothing changes."""
    with uow_factory() as uow:
        correction = uow.corrections.get(cmd.correction_id)
        if correction is None or cmd.poll_id not in (None, correction.poll_id):
            raise CorrectionNotFound()
        correction.withdraw(cmd.role, cmd.card_number)
        uow.corrections.save(correction)
        uow.commit()


CORRECTION = "correction"


def publish_correction(
    cmd: PublishDocument, uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime]
) -> str:
    """Publish the correction decision on an annulled poll, once per language; returns its id.

    It names the decisions on the poll that it supersedes; they stay published and listed.
    """
    if not cmd.poll_id or cmd.language not in ("id", "en"):
        raise InvalidInput("a correction decision is on one annulled poll")
    now = clock()
    with uow_factory() as uow:
        poll = uow.polls.get(cmd.poll_id)
        if poll is None or poll.congress_id != cmd.congress_id:
            raise PollNotFound()
        annulment = uow.corrections.annulment(poll.id)
        if not poll.annulled or annulment is None:
            raise CorrectionNotPossible("only an annulled poll has a correction decision")
        existing = uow.corrections.documents_on(cmd.congress_id, poll.id, CORRECTION)
        if cmd.language in existing:
            return existing[cmd.language][0]
        number = (
            next(iter(existing.values()))[1]
            if existing
            else uow.documents.next_number(cmd.congress_id, CORRECTION)
        )
        decisions = uow.corrections.documents_on(cmd.congress_id, poll.id, "decision")
        years = {n: (at or now).year for _, n, at in decisions.values()}
        superseded = tuple(f"{n:02d}/KEP/KONGRES/{year}" for n, year in sorted(years.items()))
        settings = uow.congresses.document_settings(cmd.congress_id)
        code = f"{number:02d}/KEP-KOREKSI/KONGRES/{now.year}"
        content = correction_decision(
            code,
            Annulment(
                poll.title,
                poll.annulled,
                (annulment.proposed_role, annulment.proposed_card),
                (annulment.cosigned_role or "", annulment.cosigned_card or 0),
                superseded,
            ),
            cmd.language,
            (cmd.chair, cmd.secretary),
            explain.long_date(now.date(), cmd.language),
            place=settings.place,
        )
        rendered = (content.subject, to_html(content), to_pdf(content, now))
        document = Document.publish(
            cmd.congress_id, CORRECTION, number, poll.id, cmd.language, rendered, now
        )
        uow.documents.add(document)
        uow.commit()
        return document.id


def correction_handlers(uow_factory: UnitOfWorkFactory) -> dict[type, Callable[..., Any]]:
    return {
        ProposeCorrection: partial(propose_correction, uow_factory=uow_factory),
        CosignCorrection: partial(cosign_correction, uow_factory=uow_factory),
        WithdrawCorrection: partial(withdraw_correction, uow_factory=uow_factory),
    }
