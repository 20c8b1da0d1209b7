"""Repositories for the congress workflow: roster edits, rules, positions, nominations,
agenda items and paper batches."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from governance.adapters.tables import (
    agenda_items,
    agenda_polls,
    congresses,
    delegates,
    identity_cards,
    nominations,
    paper_batches,
    positions,
)
from governance.domain.agenda import AgendaItem
from governance.domain.delegates import Delegate
from governance.domain.paper import PaperBatch
from governance.domain.positions import (
    Eligibility,
    Nomination,
    NominationStatus,
    Position,
    PositionStatus,
)
from governance.domain.rules import Rules


class _Repository:
    def __init__(self, conn: Connection, seen: list[Any]) -> None:
        self.conn = conn
        self.seen = seen


class SqlRosterRepository(_Repository):
    """The delegate list as a whole: lookups by alias, edits and removal."""

    def list(self, congress_id: str) -> list[Delegate]:
        rows = self.conn.execute(
            sa.select(delegates)
            .where(delegates.c.congress_id == congress_id)
            .order_by(delegates.c.number)
        ).all()
        return [Delegate(**row._asdict()) for row in rows]

    def next_number(self, congress_id: str) -> int:
        query = sa.select(sa.func.max(delegates.c.number)).where(
            delegates.c.congress_id == congress_id
        )
        return int(self.conn.execute(query).scalar() or 0) + 1

    def update(self, delegate: Delegate) -> None:
        values = {k: v for k, v in vars(delegate).items() if k not in ("id", "congress_id")}
        self.conn.execute(delegates.update().where(delegates.c.id == delegate.id).values(values))

    def remove(self, delegate_id: str) -> None:
        # The identity card stays (for the record) but can no longer sign in.
        self.conn.execute(
            identity_cards.update()
            .where(identity_cards.c.delegate_id == delegate_id)
            .values(delegate_id=None, revoked=True)
        )
        self.conn.execute(delegates.delete().where(delegates.c.id == delegate_id))

    def nominated(self, delegate_id: str) -> bool:
        query = sa.select(sa.func.count()).where(nominations.c.candidate_id == delegate_id)
        return int(self.conn.execute(query).scalar_one()) > 0


class SqlRulesRepository(_Repository):
    def get(self, congress_id: str) -> Rules:
        data = self.conn.execute(
            sa.select(congresses.c.rules).where(congresses.c.id == congress_id)
        ).scalar()
        return Rules.from_dict(data)

    def adopt(self, congress_id: str, rules: Rules) -> None:
        self.conn.execute(
            congresses.update().where(congresses.c.id == congress_id).values(rules=rules.to_dict())
        )


def position_from_row(row: Any) -> Position:
    return Position(
        id=row.id,
        congress_id=row.congress_id,
        title=row.title,
        seats=row.seats,
        method=row.method,
        eligibility=Eligibility.from_dict(row.eligibility),
        region_minimum=row.region_minimum,
        status=PositionStatus(row.status),
        poll_id=row.poll_id,
        candidate_ids=tuple(row.candidate_ids),
        elected_ids=tuple(row.elected_ids),
        ordinal=row.ordinal,
        exclusive=bool(row.exclusive),
        grants_chair=bool(row.grants_chair),
        round=int(row.round or 1),
        pending=dict(row.pending) if row.pending else None,
        rejected_ids=tuple(row.rejected_ids or ()),
        handed_over=bool(row.handed_over),
    )


def nomination_from_row(row: Any) -> Nomination:
    return Nomination(
        id=row.id,
        position_id=row.position_id,
        candidate_id=row.candidate_id,
        nominator_id=row.nominator_id,
        seconders=tuple(row.seconders),
        status=NominationStatus(row.status),
        written_consent=row.written_consent,
        ordinal=row.ordinal,
    )


class SqlPositionRepository(_Repository):
    def add(self, position: Position) -> None:
        # The highest ordinal, not the count: a deleted position leaves a gap, never a twin.
        count = self.conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(positions.c.ordinal), 0)).where(
                positions.c.congress_id == position.congress_id
            )
        ).scalar_one()
        position.ordinal = int(count) + 1
        self.conn.execute(positions.insert().values({**self._values(position), "id": position.id}))
        self.seen.append(position)

    def _values(self, p: Position) -> dict[str, Any]:
        return {
            "congress_id": p.congress_id,
            "title": p.title,
            "seats": p.seats,
            "method": p.method,
            "eligibility": p.eligibility.to_dict(),
            "region_minimum": p.region_minimum,
            "status": p.status.value,
            "poll_id": p.poll_id,
            "candidate_ids": list(p.candidate_ids),
            "elected_ids": list(p.elected_ids),
            "ordinal": p.ordinal,
            "exclusive": p.exclusive,
            "grants_chair": p.grants_chair,
            "round": p.round,
            "pending": p.pending,
            "rejected_ids": list(p.rejected_ids),
            "handed_over": p.handed_over,
        }

    def get(self, position_id: str) -> Position | None:
        row = self.conn.execute(
            sa.select(positions).where(positions.c.id == position_id).with_for_update()
        ).first()
        if row is None:
            return None
        position = position_from_row(row)
        self.seen.append(position)
        return position

    def by_poll(self, poll_id: str) -> Position | None:
        row = self.conn.execute(sa.select(positions.c.id).where(positions.c.poll_id == poll_id))
        found = row.first()
        return self.get(found.id) if found else None

    def for_congress(self, congress_id: str) -> list[Position]:
        """Every position of a congress, in the order created (read only, no lock)."""
        rows = self.conn.execute(
            sa.select(positions)
            .where(positions.c.congress_id == congress_id)
            .order_by(positions.c.ordinal)
        ).all()
        return [position_from_row(r) for r in rows]

    def save(self, position: Position) -> None:
        self.conn.execute(
            positions.update().where(positions.c.id == position.id).values(self._values(position))
        )

    def delete(self, position: Position) -> None:
        """Remove a position that has no nomination and no poll (its events stay logged)."""
        self.conn.execute(positions.delete().where(positions.c.id == position.id))

    def nominations(self, position_id: str) -> list[Nomination]:
        rows = self.conn.execute(
            sa.select(nominations)
            .where(nominations.c.position_id == position_id)
            .order_by(nominations.c.ordinal)
        ).all()
        return [nomination_from_row(r) for r in rows]

    def nomination(self, nomination_id: str) -> Nomination | None:
        row = self.conn.execute(
            sa.select(nominations).where(nominations.c.id == nomination_id)
        ).first()
        return nomination_from_row(row) if row else None

    def add_nomination(self, n: Nomination) -> None:
        self.conn.execute(
            nominations.insert().values(
                id=n.id,
                position_id=n.position_id,
                candidate_id=n.candidate_id,
                nominator_id=n.nominator_id,
                seconders=list(n.seconders),
                status=n.status.value,
                written_consent=n.written_consent,
                ordinal=n.ordinal,
            )
        )

    def save_nomination(self, n: Nomination) -> None:
        self.conn.execute(
            nominations.update()
            .where(nominations.c.id == n.id)
            .values(
                seconders=list(n.seconders),
                status=n.status.value,
                written_consent=n.written_consent,
            )
        )


class SqlAgendaRepository(_Repository):
    def add(self, item: AgendaItem) -> None:
        count = self.conn.execute(
            sa.select(sa.func.count()).where(agenda_items.c.congress_id == item.congress_id)
        ).scalar_one()
        self.conn.execute(
            agenda_items.insert().values(
                id=item.id,
                congress_id=item.congress_id,
                session=item.session,
                kind=item.kind,
                title=item.title,
                ordinal=int(count) + 1,
                starts_at=item.starts_at,
                minutes=item.minutes,
            )
        )

    def get(self, item_id: str, *, lock: bool = False) -> AgendaItem | None:
        """An item; `lock` takes its row, so changes to its list of speakers take turns."""
        query = sa.select(agenda_items).where(agenda_items.c.id == item_id)
        row = self.conn.execute(query.with_for_update(key_share=True) if lock else query).first()
        return agenda_item_from_row(row) if row else None

    def attach_poll(self, item_id: str, poll_id: str) -> bool:
        """Put a poll on an item; False when it already is on one (an item per poll)."""
        found = self.conn.execute(
            sa.select(agenda_polls.c.item_id).where(agenda_polls.c.poll_id == poll_id)
        ).first()
        if found is not None:
            return False
        self.conn.execute(agenda_polls.insert().values(poll_id=poll_id, item_id=item_id))
        return True


def agenda_item_from_row(row: Any) -> AgendaItem:
    return AgendaItem(
        row.id,
        row.congress_id,
        row.session,
        row.kind,
        row.title,
        row.starts_at,
        row.minutes,
        row.ordinal,
    )


class SqlPaperRepository(_Repository):
    def add(self, batch: PaperBatch) -> None:
        self.conn.execute(
            paper_batches.insert().values(
                id=batch.id,
                poll_id=batch.poll_id,
                entered_by=batch.entered_by,
                confirmed_by=batch.confirmed_by,
                status=batch.status,
                pending=[list(c) for c in batch.pending],
                count=batch.count,
            )
        )

    def get(self, batch_id: str) -> PaperBatch | None:
        row = self.conn.execute(
            sa.select(paper_batches).where(paper_batches.c.id == batch_id).with_for_update()
        ).first()
        if row is None:
            return None
        return PaperBatch(
            id=row.id,
            poll_id=row.poll_id,
            entered_by=row.entered_by,
            confirmed_by=row.confirmed_by,
            status=row.status,
            pending=tuple(tuple(c) for c in row.pending),
            count=int(row._mapping["count"]),  # `row.count` is the tuple method
        )

    def save(self, batch: PaperBatch) -> None:
        self.conn.execute(
            paper_batches.update()
            .where(paper_batches.c.id == batch.id)
            .values(
                confirmed_by=batch.confirmed_by,
                status=batch.status,
                pending=[list(c) for c in batch.pending],
            )
        )

    def pending_count(self, poll_id: str) -> int:
        query = sa.select(sa.func.count()).where(
            paper_batches.c.poll_id == poll_id, paper_batches.c.status == "entered"
        )
        return int(self.conn.execute(query).scalar_one())

    def confirmed_ballots(self, poll_id: str) -> int:
        query = sa.select(sa.func.coalesce(sa.func.sum(paper_batches.c.count), 0)).where(
            paper_batches.c.poll_id == poll_id, paper_batches.c.status == "confirmed"
        )
        return int(self.conn.execute(query).scalar_one())
