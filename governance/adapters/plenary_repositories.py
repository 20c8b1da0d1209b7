"""Repositories of the plenary: the sitting, the lists of speakers, the motions from the floor.

Changes to one list of speakers take turns on its agenda item's row; changes to a congress's
motions (and its sitting) on the congress's row, taken `FOR NO KEY UPDATE` on PostgreSQL so
that rows referring to the congress can still be written meanwhile. SQLite has one writer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from governance.adapters.tables import congresses, floor_motions, sittings, speakers
from governance.domain.floor_motions import Floor, FloorMotion, MotionStatus
from governance.domain.sittings import Sitting
from governance.domain.speakers import Speaker, SpeakerKind, SpeakersList, SpeakerStatus


def aware(moment: datetime | None) -> datetime | None:
    """SQLite returns stored UTC moments without a zone; PostgreSQL with one."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class _Repository:
    def __init__(self, conn: Connection, seen: list[Any]) -> None:
        self.conn = conn
        self.seen = seen

    def _lock_congress(self, congress_id: str) -> None:
        self.conn.execute(
            sa.select(congresses.c.id)
            .where(congresses.c.id == congress_id)
            .with_for_update(key_share=True)
        )


def sitting_from_row(congress_id: str, row: Any) -> Sitting:
    if row is None:
        return Sitting(congress_id)
    return Sitting(
        congress_id,
        row.current_item_id,
        aware(row.suspended_at),
        aware(row.resume_at),
        row.reason,
    )


class SqlSittingRepository(_Repository):
    def get(self, congress_id: str, *, lock: bool = False) -> Sitting:
        """The congress's sitting (a fresh one before the chair ever acted)."""
        if lock:
            self._lock_congress(congress_id)
        row = self.conn.execute(
            sa.select(sittings).where(sittings.c.congress_id == congress_id)
        ).first()
        sitting = sitting_from_row(congress_id, row)
        if lock:
            self.seen.append(sitting)
        return sitting

    def save(self, sitting: Sitting) -> None:
        values = {
            "current_item_id": sitting.current_item_id,
            "suspended_at": sitting.suspended_at,
            "resume_at": sitting.resume_at,
            "reason": sitting.reason,
        }
        updated = self.conn.execute(
            sittings.update().where(sittings.c.congress_id == sitting.congress_id).values(values)
        ).rowcount
        if not updated:
            self.conn.execute(sittings.insert().values(congress_id=sitting.congress_id, **values))


def speaker_from_row(row: Any) -> Speaker:
    return Speaker(
        id=row.id,
        congress_id=row.congress_id,
        item_id=row.item_id,
        delegate_id=row.delegate_id,
        caucus=row.caucus,
        kind=SpeakerKind(row.kind),
        ordinal=row.ordinal,
        status=SpeakerStatus(row.status),
        added_by=row.added_by,
        started_at=aware(row.started_at),
        ended_at=aware(row.ended_at),
        limit_seconds=row.limit_seconds,
    )


def _speaker_values(s: Speaker) -> dict[str, Any]:
    return {
        "congress_id": s.congress_id,
        "item_id": s.item_id,
        "delegate_id": s.delegate_id,
        "caucus": s.caucus,
        "kind": s.kind.value,
        "ordinal": s.ordinal,
        "status": s.status.value,
        "added_by": s.added_by,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "limit_seconds": s.limit_seconds,
    }


class SqlSpeakersRepository(_Repository):
    def for_item(self, congress_id: str, item_id: str) -> SpeakersList:
        """The whole list of an item; the caller has locked the item's row."""
        rows = self.conn.execute(
            sa.select(speakers).where(speakers.c.item_id == item_id).order_by(speakers.c.ordinal)
        ).all()
        found = SpeakersList(congress_id, item_id, [speaker_from_row(r) for r in rows])
        self.seen.append(found)
        return found

    def item_of(self, speaker_id: str) -> tuple[str, str] | None:
        """(congress, item) of a request for the floor."""
        row = self.conn.execute(
            sa.select(speakers.c.congress_id, speakers.c.item_id).where(speakers.c.id == speaker_id)
        ).first()
        return (row.congress_id, row.item_id) if row else None

    def save(self, listed: SpeakersList) -> None:
        stored = {
            r.id
            for r in self.conn.execute(
                sa.select(speakers.c.id).where(speakers.c.item_id == listed.item_id)
            )
        }
        for entry in listed.entries:
            values = _speaker_values(entry)
            if entry.id in stored:
                self.conn.execute(speakers.update().where(speakers.c.id == entry.id).values(values))
            else:
                self.conn.execute(speakers.insert().values(id=entry.id, **values))


def motion_from_row(row: Any) -> FloorMotion:
    return FloorMotion(
        id=row.id,
        congress_id=row.congress_id,
        number=row.number,
        proposer_id=row.proposer_id,
        title=row.title,
        text=row.text,
        reason=row.reason,
        procedural=row.procedural,
        kind=row.kind,
        parent_id=row.parent_id,
        seconders=tuple(row.seconders),
        status=MotionStatus(row.status),
        item_id=row.item_id,
        how=row.how,
        deliberation=row.deliberation,
        poll_id=row.poll_id,
        current_text=row.current_text,
    )


def _motion_values(m: FloorMotion) -> dict[str, Any]:
    return {
        "congress_id": m.congress_id,
        "number": m.number,
        "proposer_id": m.proposer_id,
        "title": m.title,
        "text": m.text,
        "reason": m.reason,
        "procedural": m.procedural,
        "kind": m.kind,
        "parent_id": m.parent_id,
        "seconders": list(m.seconders),
        "status": m.status.value,
        "item_id": m.item_id,
        "how": m.how,
        "deliberation": m.deliberation,
        "poll_id": m.poll_id,
        "current_text": m.current_text,
    }


def floor_from_rows(congress_id: str, rows: list[Any]) -> Floor:
    return Floor(congress_id, {r.id: motion_from_row(r) for r in rows})


class SqlFloorRepository(_Repository):
    def for_congress(self, congress_id: str) -> Floor:
        """Every motion of the congress, its row locked: motions change one at a time."""
        self._lock_congress(congress_id)
        rows = self.conn.execute(
            sa.select(floor_motions)
            .where(floor_motions.c.congress_id == congress_id)
            .order_by(floor_motions.c.number)
        ).all()
        floor = floor_from_rows(congress_id, list(rows))
        self.seen.append(floor)
        return floor

    def congress_of(self, motion_id: str) -> str | None:
        return self.conn.execute(
            sa.select(floor_motions.c.congress_id).where(floor_motions.c.id == motion_id)
        ).scalar()

    def save(self, floor: Floor) -> None:
        stored = {
            r.id
            for r in self.conn.execute(
                sa.select(floor_motions.c.id).where(
                    floor_motions.c.congress_id == floor.congress_id
                )
            )
        }
        for motion in floor.motions.values():
            values = _motion_values(motion)
            if motion.id in stored:
                self.conn.execute(
                    floor_motions.update().where(floor_motions.c.id == motion.id).values(values)
                )
            else:
                self.conn.execute(floor_motions.insert().values(id=motion.id, **values))
