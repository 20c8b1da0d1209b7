"""The stored event log: append in the writer's transaction, sequence and hash in batches.

Writers only insert rows without a position, so no writer waits on a single chain head.
A sequencer later gives committed rows their positions and chains their hashes, in time order.
Secret ballots have no events (see `governance.domain.events.Event`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from governance.adapters.driver_sql import DriverStatement
from governance.adapters.tables import WAITING_FOR_SEQUENCE, events, log_head, relay_cursors
from governance.domain.codes import new_id
from governance.domain.events import Event
from governance.domain.results import canonical_json
from governance.records.canon import GENESIS, chain_hash, chain_step, json_text


@dataclass(frozen=True)
class StoredEvent:
    """One row of the log as it is hashed, published and relayed."""

    id: str
    seq: int
    congress_id: str | None
    type: str
    version: int
    payload: dict[str, Any]
    occurred_at: str | None
    prev_hash: str
    hash: str


def event_row(event: Event, now: datetime) -> dict[str, Any]:
    payload = event.payload()
    return {
        "id": new_id(),
        "seq": None,
        "congress_id": payload.get("congress_id"),
        "type": event.type,
        "version": event.version,
        "payload": canonical_json(payload),
        "occurred_at": now.isoformat(timespec="microseconds"),
        "poll_id": payload.get("poll_id"),
    }


INSERT_EVENT = DriverStatement(
    "INSERT INTO events (id, seq, congress_id, type, version, payload, occurred_at, poll_id)"
    " VALUES (:id, :seq, :congress_id, :type, :version, :payload, :occurred_at, :poll_id)"
)


def append(conn: Connection, items: Sequence[Event], now: datetime | None = None) -> None:
    """Store events in the caller's transaction (the outbox)."""
    if items:
        moment = now or datetime.now(UTC)
        append_rows(conn, [event_row(e, moment) for e in items])


def append_rows(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    INSERT_EVENT.run(conn, rows[0] if len(rows) == 1 else rows)


def hashed_record(
    seq: int,
    id: str,
    congress_id: str | None,
    type: str,
    version: int,
    payload: str,
    occurred_at: str | None,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "id": id,
        "congress_id": congress_id,
        "type": type,
        "version": version,
        "payload": json.loads(payload),
        "occurred_at": occurred_at,
    }


def _batch_order(rows: Sequence[Any]) -> list[Any]:
    """Time order; rows of the same moment by id."""
    return sorted(rows, key=lambda r: (r.occurred_at or "", r.id))


def _ready(conn: Connection, limit: int) -> list[Any]:
    """Committed rows that may be sequenced now."""
    return list(conn.execute(sa.select(events).where(_WAITING).order_by(events.c.id).limit(limit)))


# Written exactly as the partial index ix_events_waiting is, so both databases use it.
_WAITING = WAITING_FOR_SEQUENCE


def has_ready(conn: Connection) -> bool:
    """A cheap read: is there anything the sequencer would take?"""
    return conn.execute(sa.select(events.c.id).where(_WAITING).limit(1)).first() is not None


def sequence_batch(conn: Connection, limit: int = 2000) -> int:
    """Give positions and chained hashes to committed events that have none; returns how many."""
    head = conn.execute(sa.select(log_head).where(log_head.c.id == 1).with_for_update()).first()
    if head is None:
        conn.execute(log_head.insert().values(id=1, seq=0, hash=GENESIS))
        head = conn.execute(sa.select(log_head).where(log_head.c.id == 1).with_for_update()).one()
    rows = _ready(conn, limit)
    if not rows:
        return 0
    seq, prev = int(head.seq), str(head.hash)
    ids: list[str] = []
    seqs: list[int] = []
    prevs: list[str] = []
    hashes: list[str] = []
    for row in _batch_order(rows):
        seq += 1
        text = record_json(
            seq, row.id, row.congress_id, row.type, row.version, row.payload, row.occurred_at
        )
        digest = chain_step(prev, text)
        ids.append(row.id)
        seqs.append(seq)
        prevs.append(prev)
        hashes.append(digest)
        prev = digest
    if conn.dialect.name == "postgresql" and all(i.isalnum() for i in ids):
        # One statement for the whole batch. Ids and hashes are hex and positions digits, so
        # a space- and line-separated text carries them safely; cheaper to send than arrays.
        lines = "\n".join(
            f"{i} {n} {p} {h}" for i, n, p, h in zip(ids, seqs, prevs, hashes, strict=True)
        )
        _POSITION_ALL.run(conn, {"lines": lines})
    else:
        _POSITION_ONE.run(
            conn,
            [
                {"id": i, "seq": n, "prev": p, "hash": h}
                for i, n, p, h in zip(ids, seqs, prevs, hashes, strict=True)
            ],
        )
    conn.execute(log_head.update().where(log_head.c.id == 1).values(seq=seq, hash=prev))
    return len(ids)


_POSITION_ALL = DriverStatement(
    "UPDATE events SET seq = v.seq, prev_hash = v.prev, hash = v.hash FROM ("
    " SELECT split_part(line, ' ', 1) AS id, CAST(split_part(line, ' ', 2) AS bigint) AS seq,"
    " split_part(line, ' ', 3) AS prev, split_part(line, ' ', 4) AS hash"
    " FROM string_to_table(:lines, chr(10)) AS line) AS v WHERE events.id = v.id"
)
_POSITION_ONE = DriverStatement(
    "UPDATE events SET seq = :seq, prev_hash = :prev, hash = :hash WHERE id = :id"
)


def record_json(
    seq: int,
    id: str,
    congress_id: str | None,
    type: str,
    version: int,
    payload: str,
    occurred_at: str | None,
) -> str:
    """canonical_json(hashed_record(...)) without parsing the payload and writing it again.

    The stored payload is already canonical JSON (`event_row` writes it so), and the keys
    below are in sorted order, so splicing gives the same text; a property test holds the
    two equal.
    """
    return (
        f'{{"congress_id":{_text(congress_id)},"id":{_text(id)},'
        f'"occurred_at":{_text(occurred_at)},"payload":{payload},"seq":{int(seq)},'
        f'"type":{_text(type)},"version":{int(version)}}}'
    )


def _text(value: str | None) -> str:
    return "null" if value is None else json_text(value)


def to_stored(row: Any) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        seq=int(row.seq),
        congress_id=row.congress_id,
        type=row.type,
        version=row.version,
        payload=json.loads(row.payload),
        occurred_at=row.occurred_at,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def read_after(
    conn: Connection, seq: int, limit: int = 500, congress_id: str | None = None
) -> list[StoredEvent]:
    """Sequenced events after a position, in log order."""
    query = sa.select(events).where(events.c.seq > seq)
    if congress_id is not None:
        query = query.where(events.c.congress_id == congress_id)
    rows = conn.execute(query.order_by(events.c.seq).limit(limit)).all()
    return [to_stored(r) for r in rows]


def cursor(conn: Connection, name: str) -> int:
    value = conn.execute(
        sa.select(relay_cursors.c.seq).where(relay_cursors.c.name == name)
    ).scalar()
    return int(value or 0)


def advance_cursor(conn: Connection, name: str, seq: int) -> None:
    updated = conn.execute(
        relay_cursors.update().where(relay_cursors.c.name == name).values(seq=seq)
    ).rowcount
    if not updated:
        conn.execute(relay_cursors.insert().values(name=name, seq=seq))


def verify_chain(stored: Sequence[StoredEvent], start_hash: str = GENESIS) -> list[str]:
    """Recompute the chain; return a description of each break (empty when intact)."""
    problems: list[str] = []
    prev = start_hash
    for item in stored:
        record = hashed_record(
            item.seq,
            item.id,
            item.congress_id,
            item.type,
            item.version,
            canonical_json(item.payload),
            item.occurred_at,
        )
        if item.prev_hash != prev:
            problems.append(f"event {item.seq}: previous hash does not match")
        if chain_hash(prev, record) != item.hash:
            problems.append(f"event {item.seq}: hash does not match its content")
        prev = item.hash
    return problems
