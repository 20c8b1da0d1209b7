"""Read side of the congress workflow: roster, attendance, positions, agenda, paper ballots."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from governance.adapters.congress_repositories import nomination_from_row, position_from_row
from governance.adapters.correction_repositories import correction_from_row
from governance.adapters.tables import (
    agenda_items,
    ballots,
    congresses,
    corrections,
    delegates,
    identity_cards,
    nominations,
    paper_batches,
    polls,
    positions,
    voting_cards,
)
from governance.domain.corrections import Correction, Discrepancy, discrepancy
from governance.domain.delegates import Delegate
from governance.domain.polls import Poll, PollStatus
from governance.domain.positions import Nomination, Position
from governance.domain.rules import Rules


@dataclass(frozen=True)
class Attendance:
    entitled: int
    present: int
    accredited: int


@dataclass(frozen=True)
class AgendaView:
    session: str
    kind: str
    title: str


@dataclass(frozen=True)
class BatchView:
    id: str
    entered_by: str
    confirmed_by: str | None
    status: str
    count: int


@dataclass(frozen=True)
class Reconciliation:
    """Cards issued against ballots cast electronically and on paper (counts only)."""

    cards_issued: int
    electronic: int
    paper: int
    pending_batches: int

    @property
    def total(self) -> int:
        return self.electronic + self.paper


class WorkflowQueries:
    engine: Engine

    def delegates(self, congress_id: str) -> list[Delegate]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(delegates)
                .where(delegates.c.congress_id == congress_id)
                .order_by(delegates.c.number)
            ).all()
        return [Delegate(**r._asdict()) for r in rows]

    def delegates_page(
        self, congress_id: str, search: str, offset: int, limit: int
    ) -> tuple[list[Delegate], int]:
        """One page of the roster by number, filtered by alias or number; and the match count.

        The check-in desk of a 5,000-delegate congress shows a page, not the whole list.
        """
        where = [delegates.c.congress_id == congress_id]
        if search.isascii() and search.isdigit():
            where.append(delegates.c.number == int(search))
        elif search:
            pattern = "%" + search.replace("\\", "").replace("%", "").replace("_", "") + "%"
            where.append(delegates.c.alias.ilike(pattern))
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).where(*where)).scalar_one()
            rows = conn.execute(
                sa.select(delegates)
                .where(*where)
                .order_by(delegates.c.number)
                .offset(offset)
                .limit(limit)
            ).all()
        return [Delegate(**r._asdict()) for r in rows], int(total)

    def delegate(self, delegate_id: str) -> Delegate | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(delegates).where(delegates.c.id == delegate_id)).first()
        return Delegate(**row._asdict()) if row else None

    def voting_cards(self, congress_id: str) -> int:
        """Voting cards registered and not revoked (counts only: cards are anonymous)."""
        with self.engine.connect() as conn:
            query = sa.select(sa.func.count()).where(
                voting_cards.c.congress_id == congress_id, voting_cards.c.revoked.is_(False)
            )
            return int(conn.execute(query).scalar_one())

    def attendance(self, congress_id: str) -> Attendance:
        people = self.delegates(congress_id)
        voters = [d for d in people if d.voting_right]
        return Attendance(len(voters), sum(d.present for d in voters), len(people))

    def rules(self, congress_id: str) -> tuple[Rules, bool]:
        """The rules in force, and whether they were adopted (False: defaults)."""
        with self.engine.connect() as conn:
            data = conn.execute(
                sa.select(congresses.c.rules).where(congresses.c.id == congress_id)
            ).scalar()
        return Rules.from_dict(data), bool(data)

    def positions(self, congress_id: str) -> list[Position]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(positions)
                .where(positions.c.congress_id == congress_id)
                .order_by(positions.c.ordinal)
            ).all()
        return [position_from_row(r) for r in rows]

    def position(self, position_id: str) -> Position | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(positions).where(positions.c.id == position_id)).first()
        return position_from_row(row) if row else None

    def nominations(self, position_id: str) -> list[Nomination]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(nominations)
                .where(nominations.c.position_id == position_id)
                .order_by(nominations.c.ordinal)
            ).all()
        return [nomination_from_row(r) for r in rows]

    def nomination(self, nomination_id: str) -> Nomination | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(nominations).where(nominations.c.id == nomination_id)
            ).first()
        return nomination_from_row(row) if row else None

    def delegates_with_card(self, congress_id: str) -> set[str]:
        """The delegates (ids) who hold an identity card, revoked or not."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(identity_cards.c.delegate_id).where(
                    identity_cards.c.congress_id == congress_id,
                    identity_cards.c.delegate_id.is_not(None),
                )
            )
            return {str(d) for (d,) in rows}

    def identity_numbers(self, congress_id: str) -> set[int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(identity_cards.c.number).where(
                    identity_cards.c.congress_id == congress_id
                )
            )
            return {int(n) for (n,) in rows}

    def agenda(self, congress_id: str) -> list[AgendaView]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(agenda_items)
                .where(agenda_items.c.congress_id == congress_id)
                .order_by(agenda_items.c.ordinal)
            ).all()
        return [AgendaView(r.session, r.kind, r.title) for r in rows]

    def batches(self, poll_id: str) -> list[BatchView]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(paper_batches).where(paper_batches.c.poll_id == poll_id)
            ).all()
        return [
            BatchView(r.id, r.entered_by, r.confirmed_by, r.status, int(r._mapping["count"]))
            for r in rows
        ]

    def reconciliation(self, congress_id: str, poll_id: str) -> Reconciliation:
        with self.engine.connect() as conn:
            cards = conn.execute(
                sa.select(sa.func.count()).where(
                    voting_cards.c.congress_id == congress_id, voting_cards.c.revoked.is_(False)
                )
            ).scalar_one()
            total = conn.execute(
                sa.select(sa.func.count()).where(ballots.c.poll_id == poll_id)
            ).scalar_one()
        batches = self.batches(poll_id)
        paper = sum(b.count for b in batches if b.status == "confirmed")
        pending = sum(1 for b in batches if b.status == "entered")  # voided ones never count
        return Reconciliation(int(cards), int(total) - paper, paper, pending)

    def corrections(self, poll_id: str) -> list[Correction]:
        """A poll's corrections, proposed and decided, in the order they were proposed."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(corrections)
                .where(corrections.c.poll_id == poll_id)
                .order_by(corrections.c.ordinal)
            ).all()
        return [correction_from_row(r) for r in rows]

    def congress_corrections(self, congress_id: str) -> list[tuple[str, Correction]]:
        """(poll title, correction) for every correction in a congress, for the action log."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(polls.c.title, corrections)
                .join(polls, polls.c.id == corrections.c.poll_id)
                .where(corrections.c.congress_id == congress_id)
                .order_by(polls.c.position, corrections.c.ordinal)
            ).all()
        return [(r.title, correction_from_row(r)) for r in rows]

    def paper_discrepancy(self, poll: Poll) -> tuple[Discrepancy | None, dict[str, Discrepancy]]:
        """The poll's ballots beyond the delegates present or the cards issued (counts only),
        and for each batch not yet confirmed, the discrepancy its confirmation would bring."""
        if poll.status is PollStatus.CLOSED:
            closed = poll.closed_snapshot
            found = discrepancy(
                int(closed.get("ballots", 0)),
                int(closed.get("paper_ballots", 0)),
                poll.opened_snapshot,
                closed,
            )
            return found, {}
        if poll.status is not PollStatus.OPEN:
            return None, {}
        rec = self.reconciliation(poll.congress_id, poll.id)
        now = {
            "present": self.attendance(poll.congress_id).present,
            "cards_issued": rec.cards_issued,
        }
        waiting: dict[str, Discrepancy] = {}
        for batch in self.batches(poll.id):
            if batch.status == "entered":
                beyond = discrepancy(
                    rec.total + batch.count, rec.paper + batch.count, poll.opened_snapshot, now
                )
                if beyond is not None:
                    waiting[batch.id] = beyond
        return discrepancy(rec.total, rec.paper, poll.opened_snapshot, now), waiting
