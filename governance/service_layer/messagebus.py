"""The message bus: one entry point that routes each command to its one handler."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from governance.adart.commands import PublishDocument
from governance.domain import commands
from governance.domain.documents import SetDocumentSettings
from governance.service_layer import (
    adart,
    cards,
    casting,
    corrections,
    elections,
    handlers,
    plenary,
    procedure,
    roster,
    trust,
)
from governance.service_layer.audit import Actor, audited
from governance.service_layer.documents import publish_document, set_document_settings
from governance.service_layer.open_polls import OpenPolls
from governance.service_layer.ports import CodeHasher, UnitOfWorkFactory


class MessageBus:
    """Dispatches commands to handlers with their dependencies already bound."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        secret_key: str,
        clock: handlers.Clock = handlers.utcnow,
        hasher: CodeHasher | None = None,
        min_group: int = 5,
        open_polls: OpenPolls | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.open_polls = open_polls if open_polls is not None else OpenPolls()
        self.handlers: dict[type[commands.Command], Callable[..., Any]] = {
            commands.CreatePoll: partial(handlers.create_poll, uow_factory=uow_factory),
            commands.OpenPoll: partial(handlers.open_poll, uow_factory=uow_factory),
            commands.ClosePoll: partial(handlers.close_poll, uow_factory=uow_factory),
            commands.CastBallot: partial(
                casting.cast_ballot,
                uow_factory=uow_factory,
                secret_key=secret_key,
                open_polls=self.open_polls,
            ),
            commands.TallyPoll: partial(handlers.tally_poll, uow_factory=uow_factory, clock=clock),
            commands.PublishResult: partial(
                handlers.publish_result, uow_factory=uow_factory, clock=clock
            ),
            commands.RecordTallyFailure: partial(
                handlers.record_tally_failure, uow_factory=uow_factory
            ),
            commands.CheckInDelegate: partial(handlers.check_in_delegate, uow_factory=uow_factory),
            commands.SignCheckpoint: partial(
                trust.sign_checkpoint,
                uow_factory=uow_factory,
                secret_key=secret_key,
                clock=clock,
                min_group=min_group,
            ),
            commands.SignPeriodicCheckpoints: partial(
                trust.sign_periodic_checkpoints,
                uow_factory=uow_factory,
                secret_key=secret_key,
                clock=clock,
            ),
            commands.RegisterObserver: partial(trust.register_observer, uow_factory=uow_factory),
            commands.AddCosignature: partial(trust.add_cosignature, uow_factory=uow_factory),
            commands.PurgeCongress: partial(trust.purge_congress, uow_factory=uow_factory),
            commands.SetProjectorNames: partial(
                handlers.set_projector_names, uow_factory=uow_factory
            ),
        }
        later: dict[type[commands.Command], Callable[..., Any]] = {
            commands.ImportDelegates: roster.import_delegates,
            commands.SaveDelegate: roster.save_delegate,
            commands.RemoveDelegate: roster.remove_delegate,
            commands.CreatePosition: elections.create_position,
            commands.Nominate: elections.nominate,
            commands.SecondNomination: elections.second_nomination,
            commands.AnswerNomination: elections.answer_nomination,
            commands.WithdrawNomination: elections.withdraw_nomination,
            commands.OpenPosition: elections.open_position,
            commands.AddAgendaItem: elections.add_agenda_item,
            commands.EnterPaperBatch: elections.enter_paper_batch,
            commands.ConfirmPaperBatch: elections.confirm_paper_batch,
        }
        for command, handler in later.items():
            self.handlers[command] = partial(handler, uow_factory=uow_factory)
        self.handlers[commands.RevokeVotingCard] = partial(
            cards.revoke_voting_card, uow_factory=uow_factory, secret_key=secret_key
        )
        self.handlers[commands.RegisterVotingCards] = partial(
            cards.register_voting_cards, uow_factory=uow_factory
        )
        if hasher is not None:
            self.handlers[commands.ReissueIdentityCard] = partial(
                cards.reissue_identity_card, uow_factory=uow_factory, hasher=hasher
            )
            self.handlers[commands.ReissueOfficialCard] = partial(
                cards.reissue_official_card, uow_factory=uow_factory, hasher=hasher
            )
            self.handlers[commands.IssueIdentityCards] = partial(
                cards.issue_identity_cards, uow_factory=uow_factory, hasher=hasher
            )
        self.handlers.update(adart.adart_handlers(uow_factory))
        self.handlers.update(plenary.plenary_handlers(uow_factory, clock))
        self.handlers.update(corrections.correction_handlers(uow_factory))
        self.handlers.update(procedure.procedure_handlers(uow_factory))
        self.handlers[PublishDocument] = partial(
            publish_document,
            uow_factory=uow_factory,
            clock=clock,
            min_group=min_group,
            secret_key=secret_key,
        )
        self.handlers[SetDocumentSettings] = partial(set_document_settings, uow_factory=uow_factory)

    def handle(self, command: commands.Command, by: Actor | None = None) -> Any:
        """Run the command's handler in its own transaction and return what it returns.

        `by` names the chair or secretariat card acting; the audit entry then commits in the
        same transaction as the action, so the log can neither miss nor invent one.
        """
        handler = self.handlers[type(command)]
        if by is not None:
            handler = partial(handler, uow_factory=audited(self.uow_factory, by, command))
        return handler(command)
