"""Read side of the plenary: the agenda with its time plan, the sitting, lists of speakers,
motions from the floor. Finished data for pages and the projector."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from governance.adapters.congress_repositories import agenda_item_from_row
from governance.adapters.plenary_repositories import (
    floor_from_rows,
    sitting_from_row,
    speaker_from_row,
)
from governance.adapters.repositories import poll_from_row
from governance.adapters.tables import (
    agenda_items,
    agenda_polls,
    congresses,
    delegates,
    floor_motions,
    polls,
    results,
    sittings,
    speakers,
)
from governance.domain.agenda import AgendaItem, time_plan
from governance.domain.floor_motions import Floor
from governance.domain.polls import Poll
from governance.domain.rules import Rules
from governance.domain.sittings import Quorum, Sitting
from governance.domain.speakers import Speaker, SpeakersList


@dataclass(frozen=True)
class ItemView:
    item: AgendaItem
    starts: str
    ends: str
    current: bool

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class Person:
    """How a speaker or proposer is shown: the number always, the alias to members only."""

    number: int
    alias: str
    voting_right: bool


@dataclass(frozen=True)
class SpeakerView:
    entry: Speaker
    person: Person | None  # None: the delegate was removed since


@dataclass(frozen=True)
class ListView:
    """An item's list of speakers: who has the floor (and for how long), who waits, who spoke."""

    current: SpeakerView | None
    remaining: int | None
    queue: list[SpeakerView]
    spoken: list[SpeakerView]


@dataclass(frozen=True)
class SittingView:
    sitting: Sitting
    quorum: Quorum
    current: ItemView | None


@dataclass
class FloorView:
    floor: Floor
    people: dict[str, Person] = field(default_factory=dict)


class PlenaryQueries:
    """Read-only queries of the plenary; each opens its own short connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _rules(self, conn: Connection, congress_id: str) -> Rules:
        data = conn.execute(
            sa.select(congresses.c.rules).where(congresses.c.id == congress_id)
        ).scalar()
        return Rules.from_dict(data)

    def _people(self, conn: Connection, ids: set[str]) -> dict[str, Person]:
        if not ids:
            return {}
        d = delegates.c
        query = sa.select(d.id, d.number, d.alias, d.voting_right).where(d.id.in_(list(ids)))
        rows = conn.execute(query).all()
        return {r.id: Person(r.number, r.alias, r.voting_right) for r in rows}

    def agenda(self, congress_id: str) -> list[ItemView]:
        """Every item in order, with its planned start and end and whether it is current."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(agenda_items)
                .where(agenda_items.c.congress_id == congress_id)
                .order_by(agenda_items.c.ordinal)
            ).all()
            current = conn.execute(
                sa.select(sittings.c.current_item_id).where(sittings.c.congress_id == congress_id)
            ).scalar()
        items = [agenda_item_from_row(r) for r in rows]
        plan = time_plan(items)
        return [ItemView(i, plan[i.id].starts, plan[i.id].ends, i.id == current) for i in items]

    def item(self, item_id: str) -> ItemView | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(agenda_items).where(agenda_items.c.id == item_id)).first()
        if row is None:
            return None
        return next((v for v in self.agenda(row.congress_id) if v.id == item_id), None)

    def sitting(self, congress_id: str) -> SittingView:
        """The sitting, attendance against the quorum, and the current item."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(sittings).where(sittings.c.congress_id == congress_id)
            ).first()
            rules = self._rules(conn, congress_id)
            voters = conn.execute(
                sa.select(delegates.c.present).where(
                    delegates.c.congress_id == congress_id, delegates.c.voting_right.is_(True)
                )
            ).all()
        sitting = sitting_from_row(congress_id, row)
        quorum = Quorum.of(rules, len(voters), sum(1 for v in voters if v.present))
        current = self.item(sitting.current_item_id) if sitting.current_item_id else None
        return SittingView(sitting, quorum, current)

    def speakers(self, congress_id: str, item_id: str, now: datetime) -> ListView:
        with self.engine.connect() as conn:
            query = sa.select(speakers).where(speakers.c.item_id == item_id)
            rows = conn.execute(query.order_by(speakers.c.ordinal)).all()
            rules = self._rules(conn, congress_id)
            listed = SpeakersList(congress_id, item_id, [speaker_from_row(r) for r in rows])
            people = self._people(conn, {s.delegate_id for s in listed.entries})

        def view(entry: Speaker) -> SpeakerView:
            return SpeakerView(entry, people.get(entry.delegate_id))

        current = listed.current
        return ListView(
            view(current) if current else None,
            current.remaining(now) if current else None,
            [view(s) for s in listed.queue(rules)],
            [view(s) for s in listed.spoken() if s is not current],
        )

    def item_polls(self, item_id: str) -> list[Poll]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(polls)
                .join(agenda_polls, agenda_polls.c.poll_id == polls.c.id)
                .where(agenda_polls.c.item_id == item_id)
                .order_by(polls.c.position)
            ).all()
        return [poll_from_row(r) for r in rows]

    def polls_on_items(self, congress_id: str) -> set[str]:
        """The polls of a congress already put on an agenda item."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(agenda_polls.c.poll_id)
                .join(polls, polls.c.id == agenda_polls.c.poll_id)
                .where(polls.c.congress_id == congress_id)
            )
            return {r.poll_id for r in rows}

    def floor(self, congress_id: str) -> FloorView:
        """Every motion from the floor, with published outcomes taken in (as the next command
        will do for real), and the people who tabled and seconded them."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(floor_motions)
                .where(floor_motions.c.congress_id == congress_id)
                .order_by(floor_motions.c.number)
            ).all()
            floor = floor_from_rows(congress_id, list(rows))
            pending = floor.pending_polls()
            published = conn.execute(
                sa.select(results.c.poll_id, results.c.outcome).where(
                    results.c.poll_id.in_(list(pending)), results.c.published_at.is_not(None)
                )
            ).all()
            for poll_id, outcome in published:
                floor.settle(pending[poll_id], outcome)
            ids = {m.proposer_id for m in floor.motions.values()}
            ids |= {s for m in floor.motions.values() for s in m.seconders}
            people = self._people(conn, ids)
        floor.events.clear()  # a read: nothing happened
        return FloorView(floor, people)

    def motion_congress(self, motion_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(floor_motions.c.congress_id).where(floor_motions.c.id == motion_id)
            ).scalar()

    def speaker_item(self, speaker_id: str) -> tuple[str, str] | None:
        """(congress, item) of a request for the floor."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(speakers.c.congress_id, speakers.c.item_id).where(
                    speakers.c.id == speaker_id
                )
            ).first()
        return (row.congress_id, row.item_id) if row else None
