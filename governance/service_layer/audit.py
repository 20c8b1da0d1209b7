"""The audit log of chair and secretariat actions, written in the action's own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
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
    """The ids the command names (poll, delegate, ...), except the congress itself, and the
    identity card it acts on (`card 901`)."""
    ids = [
        str(getattr(command, f.name))
        for f in fields(command)
        if f.name.endswith("_id") and f.name != "congress_id"
    ]
    ids += [f"card {getattr(command, f.name)}" for f in fields(command) if f.name == "number"]
    return ",".join(ids)


class _AuditedUnitOfWork:
    """Records the action when the transaction commits; it commits or rolls back with it.

    The handler may add what it learns on the way (`note_target`): the cards it issued, the
    card that entered a paper batch being confirmed.
    """

    def __init__(self, inner: UnitOfWork, entry: ActionRecorded) -> None:
        self.inner = inner
        self.entry = entry
        self._uow: UnitOfWork | None = None
        self._notes: list[str] = []
        self._recorded = False

    def __enter__(self) -> UnitOfWork:
        self._uow = self.inner.__enter__()
        self._notes = []
        self._recorded = False
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)

    def note(self, text: str) -> None:
        self._notes.append(text)

    def commit(self) -> None:
        uow: UnitOfWork = self._uow  # type: ignore[assignment]  # set by __enter__
        if not self._recorded:
            target = ",".join(t for t in (self.entry.target, *self._notes) if t)
            uow.record(replace(self.entry, target=target))
            self._recorded = True
        uow.commit()

    def __exit__(self, *args: Any) -> None:
        self.inner.__exit__(*args)


def note_target(uow: UnitOfWork, text: str) -> None:
    """Add to the audit entry of the action running in `uow` (nothing when not audited)."""
    if isinstance(uow, _AuditedUnitOfWork):
        uow.note(text)


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
        return _AuditedUnitOfWork(uow_factory(), entry)

    return factory
