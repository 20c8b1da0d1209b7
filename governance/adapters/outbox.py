"""The outbox side of the event log: what the relay and the sweeper ask the database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from governance.adapters import event_log
from governance.adapters.db import SQLITE_BUSY_TIMEOUT_MS
from governance.adapters.tables import checkpoints, cosignatures, events, polls, results

# Up to this size an idle write-ahead log is emptied at once (about 10 ms to cut 64 MB here).
WAL_CUT_MAX_BYTES = 64 << 20


class Outbox:
    """Sequencing, relay cursors and the sweeper's look for effects that never happened.

    Reads go to the read engine: on SQLite the writer engine starts every transaction with
    BEGIN IMMEDIATE, and a sweep reading through it held the single writer (and every ballot)
    for as long as its queries ran.
    """

    def __init__(self, engine: Engine, read_engine: Engine | None = None) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine

    def sequence(self) -> int:
        # Look before taking the write lock: on SQLite an idle pass would otherwise make
        # every ballot wait behind the relay several times a second.
        with self.read_engine.connect() as conn:
            if not event_log.has_ready(conn):
                return 0
        with self.engine.begin() as conn:
            return event_log.sequence_batch(conn)

    def copy_wal_back(self) -> None:
        """SQLite: copy committed pages from the write-ahead log into the database file,
        without waiting for or blocking writers (a passive checkpoint); nothing elsewhere.

        Then, when everything was copied and the log is small, empty it: its frames are page
        images in commit order, that is in the order the ballots were cast, and SQLite
        otherwise reuses the file and keeps them until overwritten. Only when no one writes
        or reads the log at that moment (no waiting), and never on the event loop: cutting a
        file costs about 0.16 ms per MB, so a log grown large under sustained load is left
        for the next quiet moment below the bound.
        """
        database = self.read_engine.url.database
        if self.read_engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
            return
        with self.read_engine.connect() as conn:
            # On the driver's connection: through SQLAlchemy it would start a transaction.
            raw: Any = conn.connection.driver_connection
            busy, frames, copied = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if busy or frames <= 0 or copied < frames:
                return
            wal = Path(f"{database}-wal")
            if not wal.exists() or wal.stat().st_size > WAL_CUT_MAX_BYTES:
                return
            raw.execute("PRAGMA busy_timeout=0")
            try:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError:
                pass  # someone writes or reads the log: next time
            finally:
                raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")

    def pending(self, name: str, limit: int = 500) -> list[event_log.StoredEvent]:
        with self.read_engine.connect() as conn:
            return event_log.read_after(conn, event_log.cursor(conn, name), limit)

    def behind(self, name: str) -> int:
        """How many sequenced events the named cursor (the relay's) has yet to pass."""
        with self.read_engine.connect() as conn:
            head = conn.execute(sa.select(sa.func.max(events.c.seq))).scalar()
            return max(int(head or 0) - event_log.cursor(conn, name), 0)

    def advance(self, name: str, seq: int) -> None:
        with self.engine.begin() as conn:
            event_log.advance_cursor(conn, name, seq)

    def payload(self, event_id: str) -> tuple[str, Mapping[str, Any]] | None:
        with self.read_engine.connect() as conn:
            row = conn.execute(
                sa.select(events.c.type, events.c.payload).where(events.c.id == event_id)
            ).first()
        return (row.type, json.loads(row.payload)) if row else None

    def auto_publish(self, poll_id: str) -> bool:
        with self.read_engine.connect() as conn:
            value = conn.execute(
                sa.select(polls.c.auto_publish).where(polls.c.id == poll_id)
            ).scalar()
        return bool(value)

    def missing_effects(
        self, older_than_s: float, now: datetime | None = None
    ) -> list[tuple[str, str]]:
        """(event type, event id) of relayed events whose effect is still missing."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(seconds=older_than_s)).isoformat(
            timespec="microseconds"
        )
        # events.poll_id answers "which poll" without parsing every event's JSON each sweep.
        closed_without_result = sa.select(events.c.type, events.c.id, events.c.poll_id).where(
            events.c.type == "poll.closed", events.c.seq.is_not(None), events.c.occurred_at < cutoff
        )
        computed_not_published = sa.select(events.c.type, events.c.id, events.c.poll_id).where(
            events.c.type == "result.computed",
            events.c.seq.is_not(None),
            events.c.occurred_at < cutoff,
        )
        opened = sa.select(events.c.type, events.c.id, events.c.poll_id).where(
            events.c.type == "poll.opened", events.c.seq.is_not(None), events.c.occurred_at < cutoff
        )
        missing: list[tuple[str, str]] = []
        with self.read_engine.connect() as conn:
            signed = {
                (p, k)
                for p, k in conn.execute(sa.select(checkpoints.c.poll_id, checkpoints.c.kind))
            }
            have_result = {r for (r,) in conn.execute(sa.select(results.c.poll_id))}
            # A count that failed for good is not retried forever; observers see the failure.
            have_result |= {
                r
                for (r,) in conn.execute(
                    sa.select(polls.c.id).where(
                        polls.c.tally_error.is_not(None)
                        | polls.c.held.is_(True)
                        | polls.c.annulled.is_not(None)
                    )
                )
            }
            cosigned: dict[str, int] = dict(
                conn.execute(
                    sa.select(checkpoints.c.poll_id, sa.func.count())
                    .select_from(cosignatures.join(checkpoints))
                    .group_by(checkpoints.c.poll_id)
                ).all()
            )
            unpublished = {
                r
                for (r,) in conn.execute(
                    sa.select(results.c.poll_id)
                    .join(polls, polls.c.id == results.c.poll_id)
                    .where(
                        results.c.published_at.is_(None),
                        polls.c.auto_publish.is_(True),
                        polls.c.annulled.is_(None),
                    )
                )
            }
            waiting = {
                poll_id
                for poll_id, required in conn.execute(
                    sa.select(polls.c.id, polls.c.required_cosignatures).where(
                        polls.c.required_cosignatures > 0
                    )
                )
                if cosigned.get(poll_id, 0) < required
            }
            unpublished -= waiting
            for row in conn.execute(opened):
                if (row.poll_id, "open") not in signed:
                    missing.append((row.type, row.id))
            for row in conn.execute(closed_without_result):
                if row.poll_id not in have_result or (row.poll_id, "close") not in signed:
                    missing.append((row.type, row.id))
            for row in conn.execute(computed_not_published):
                if row.poll_id in unpublished:
                    missing.append((row.type, row.id))
        return missing
