"""The audit log of chair and secretariat actions, written in the action's own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from governance.domain.commands import Command
from governance.domain.events import ActionRecorded
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class Actor:
    """Who acts: the identity card's role and number in a congress (no name is logged)."""

    congress_id: str
    role: str
    card_number: int


def action_name(command: Command) -> str:
    """`ClosePoll` -> `close_poll`: the stable name observers read in the log."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(command).__name__).lower()


def target_of(command: Command) -> str:
    """The ids the command names (poll, delegate, ...), except the congress itself."""
    ids = [
        str(getattr(command, f.name))
        for f in fields(command)
        if f.name.endswith("_id") and f.name != "congress_id"
    ]
    return ",".join(ids)


class _AuditedUnitOfWork:
    """Records the action as soon as the transaction opens; it commits or rolls back with it."""

    def __init__(self, inner: UnitOfWork, entry: ActionRecorded) -> None:
        self.inner = inner
        self.entry = entry

    def __enter__(self) -> UnitOfWork:
        uow = self.inner.__enter__()
        uow.record(self.entry)
        return uow

    def __exit__(self, *args: Any) -> None:
        self.inner.__exit__(*args)


def audited(uow_factory: UnitOfWorkFactory, actor: Actor, command: Command) -> UnitOfWorkFactory:
    """A unit-of-work factory whose every committed transaction carries the audit entry."""
    entry = ActionRecorded(
        congress_id=actor.congress_id,
        role=actor.role,
        card_number=actor.card_number,
        action=action_name(command),
        target=target_of(command),
    )

    def factory() -> UnitOfWork:
        return _AuditedUnitOfWork(uow_factory(), entry)  # type: ignore[return-value]

    return factory
