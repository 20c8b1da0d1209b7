"""Handlers for the delegate list: CSV import (dry run, then apply) and single edits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from governance.domain import codes
from governance.domain.commands import ImportDelegates, RemoveDelegate, SaveDelegate
from governance.domain.delegates import Delegate
from governance.domain.errors import (
    CongressNotFound,
    DelegateInUse,
    DelegateNotFound,
    RosterInvalid,
)
from governance.domain.events import DelegateChanged, DelegatesImported
from governance.domain.roster import Problem, RosterRow, clean_text, free_numbers, parse_roster
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class ImportReport:
    """What an import would change (dry run) or changed."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    applied: bool


def _fields(row: RosterRow) -> dict[str, object]:
    return {
        "alias": row.alias,
        "province": row.province,
        "region": row.region,
        "caucus": row.caucus,
        "membership_class": row.membership_class,
        "voting_right": row.voting_right,
        "legal_name": row.legal_name,
    }


def _congress(uow: UnitOfWork, congress_id: str) -> None:
    if uow.congresses.get(congress_id) is None:
        raise CongressNotFound()


def _free_numbers(uow: UnitOfWork, congress_id: str, listed: list[Delegate]) -> Iterator[int]:
    """Numbers for new delegates: after the last one, never a number a card already has."""
    taken = {c.number for c in uow.cards.identity_cards(congress_id)}
    taken |= {d.number for d in listed}
    return free_numbers(uow.roster.next_number(congress_id), taken)


def import_delegates(cmd: ImportDelegates, uow_factory: UnitOfWorkFactory) -> ImportReport:
    """Match rows to delegates by alias: add new ones, update changed ones, all or nothing."""
    rows = parse_roster(cmd.text)
    with uow_factory() as uow:
        _congress(uow, cmd.congress_id)
        listed = uow.roster.list(cmd.congress_id)
        existing = {d.alias.casefold(): d for d in listed}
        numbers = _free_numbers(uow, cmd.congress_id, listed)
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        for row in rows:
            found = existing.get(row.alias.casefold())
            if found is None:
                delegate = Delegate(
                    codes.new_id(),
                    cmd.congress_id,
                    next(numbers),
                    **_fields(row),  # type: ignore[arg-type]
                )
                added.append(row.alias)
                if not cmd.dry_run:
                    uow.delegates.add(delegate)
            elif replace(found, **_fields(row)) != found:  # type: ignore[arg-type]
                updated.append(row.alias)
                if not cmd.dry_run:
                    uow.roster.update(replace(found, **_fields(row)))  # type: ignore[arg-type]
            else:
                unchanged += 1
        if not cmd.dry_run:
            uow.record(DelegatesImported(congress_id=cmd.congress_id, count=len(added)))
            uow.commit()
        return ImportReport(tuple(added), tuple(updated), unchanged, not cmd.dry_run)


def _checked_row(cmd: SaveDelegate) -> RosterRow:
    """The form goes through the same checks as a file line (line 0 = the form)."""
    problems: list[Problem] = []
    alias = clean_text(cmd.alias, "alias", 0, problems)
    if problems:
        raise RosterInvalid(list(problems))
    text = (
        "alias,province,region,caucus,membership_class,voting_right,legal_name\n"
        + ",".join(
            _quote(v)
            for v in (
                alias,
                cmd.province,
                cmd.region,
                cmd.caucus,
                cmd.membership_class,
                "yes" if cmd.voting_right else "no",
                cmd.legal_name,
            )
        )
        + "\n"
    )
    return parse_roster(text)[0]


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def save_delegate(cmd: SaveDelegate, uow_factory: UnitOfWorkFactory) -> str:
    """Add or edit one delegate; an alias must stay unique in the congress."""
    row = _checked_row(cmd)
    with uow_factory() as uow:
        _congress(uow, cmd.congress_id)
        others = [d for d in uow.roster.list(cmd.congress_id) if d.id != cmd.delegate_id]
        if any(d.alias.casefold() == row.alias.casefold() for d in others):
            raise RosterInvalid([Problem(0, "alias", "another delegate has this alias")])
        if cmd.delegate_id is None:
            delegate = Delegate(
                codes.new_id(),
                cmd.congress_id,
                next(_free_numbers(uow, cmd.congress_id, others)),
                **_fields(row),  # type: ignore[arg-type]
            )
            uow.delegates.add(delegate)
            change = "added"
        else:
            found = uow.delegates.get(cmd.delegate_id)
            if found is None or found.congress_id != cmd.congress_id:
                raise DelegateNotFound()
            delegate = replace(found, **_fields(row))  # type: ignore[arg-type]
            uow.roster.update(delegate)
            change = "edited"
        uow.record(DelegateChanged(cmd.congress_id, delegate.id, change))
        uow.commit()
        return delegate.id


def remove_delegate(cmd: RemoveDelegate, uow_factory: UnitOfWorkFactory) -> None:
    """Remove a delegate; someone already nominated stays on the record."""
    with uow_factory() as uow:
        found = uow.delegates.get(cmd.delegate_id)
        if found is None or found.congress_id != cmd.congress_id:
            raise DelegateNotFound()
        if uow.roster.nominated(found.id):
            raise DelegateInUse()
        uow.roster.remove(found.id)
        uow.record(DelegateChanged(cmd.congress_id, found.id, "removed"))
        uow.commit()
