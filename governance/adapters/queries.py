"""Read side: finished data for pages and the API, straight from the state tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine

from governance.adapters import event_log
from governance.adapters.adart_queries import AdartQueries
from governance.adapters.driver_sql import DriverStatement
from governance.adapters.plenary_queries import PlenaryQueries
from governance.adapters.repositories import poll_from_row
from governance.adapters.tables import (
    ballots,
    congresses,
    display_settings,
    document_settings,
    events,
    log_head,
    polls,
    results,
)
from governance.adapters.workflow_queries import WorkflowQueries
from governance.domain.documents import DocumentSettings
from governance.domain.polls import Poll
from governance.service_layer.ports import StorageUnavailable


@dataclass(frozen=True)
class CongressView:
    id: str
    slug: str
    name: str


@dataclass(frozen=True)
class ResultView:
    poll_id: str
    outcome: str
    data: dict[str, Any]
    digest: str
    published: bool
    published_at: datetime | None = None


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns stored UTC moments without a zone; PostgreSQL with one."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class AuditEntry:
    at: str
    role: str
    card_number: int
    action: str
    target: str


_IDENTITY_SESSION = DriverStatement(
    "SELECT code_hash, session_version, revoked FROM identity_cards"
    " WHERE congress_id = :cid AND number = :number"
)
_VOTING_SESSION = DriverStatement(
    "SELECT session_version FROM voting_cards"
    " WHERE tag = :tag AND congress_id = :cid AND NOT revoked"
)


class Queries(WorkflowQueries):
    """Read-only queries; each opens its own short connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.adart = AdartQueries(engine)
        self.plenary = PlenaryQueries(engine)

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """A read connection; an unreachable or locked database is `StorageUnavailable` (503)."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except (exc.OperationalError, exc.InterfaceError) as error:
            raise StorageUnavailable(str(error.orig)) from error

    def identity_session(self, congress_id: str, number: int) -> tuple[str, int] | None:
        """An identity card's code hash and session version; None when revoked or unknown.

        Read on every request of a signed-in session: one hand-written primary-key read on
        the read connection (never the writer's lock)."""
        with self._connect() as conn:
            row = _IDENTITY_SESSION.run(conn, {"cid": congress_id, "number": number}).first()
        if row is None:
            return None
        code_hash, version, revoked = tuple(row)
        return None if revoked else (str(code_hash), int(version))

    def voting_session(self, congress_id: str, tag: str) -> int | None:
        """A voting card's session version while it is active in this congress, else None."""
        with self._connect() as conn:
            row = _VOTING_SESSION.run(conn, {"cid": congress_id, "tag": tag}).first()
        return int(row[0]) if row is not None else None

    def congresses(
        self, *, listed_only: bool = False, shown_to: str | None = None
    ) -> list[CongressView]:
        """Every congress; or, `listed_only`, the listed ones and `shown_to` (a visitor's)."""
        query = sa.select(congresses)
        if listed_only:
            query = query.where(
                sa.or_(congresses.c.listed.is_(True), congresses.c.id == (shown_to or ""))
            )
        with self._connect() as conn:
            rows = conn.execute(query.order_by(congresses.c.name)).all()
        return [CongressView(r.id, r.slug, r.name) for r in rows]

    def congress(self, congress_id: str) -> CongressView | None:
        with self._connect() as conn:
            r = conn.execute(sa.select(congresses).where(congresses.c.id == congress_id)).first()
        return CongressView(r.id, r.slug, r.name) if r else None

    def polls(self, congress_id: str) -> list[Poll]:
        with self._connect() as conn:
            rows = conn.execute(
                sa.select(polls)
                .where(polls.c.congress_id == congress_id)
                .order_by(polls.c.position)
            ).all()
        return [poll_from_row(r) for r in rows]

    def poll(self, poll_id: str) -> Poll | None:
        with self._connect() as conn:
            row = conn.execute(sa.select(polls).where(polls.c.id == poll_id)).first()
        return poll_from_row(row) if row else None

    def has_ballot(self, poll_id: str, nullifier: str) -> bool:
        """Whether a card (by its nullifier in this poll) has voted: for its own phone only."""
        with self._connect() as conn:
            query = sa.select(ballots.c.poll_id).where(
                ballots.c.poll_id == poll_id, ballots.c.nullifier == nullifier
            )
            return conn.execute(query.limit(1)).first() is not None

    def turnout(self, poll_id: str) -> int:
        with self._connect() as conn:
            query = sa.select(sa.func.count()).where(ballots.c.poll_id == poll_id)
            return int(conn.execute(query).scalar_one())

    def result(self, poll_id: str) -> ResultView | None:
        with self._connect() as conn:
            row = conn.execute(sa.select(results).where(results.c.poll_id == poll_id)).first()
        if row is None:
            return None
        return ResultView(
            row.poll_id,
            row.outcome,
            json.loads(row.data),
            row.digest,
            row.published_at is not None,
            _aware(row.published_at),
        )

    def board(self, poll_id: str) -> list[tuple[str, str]]:
        """The bulletin board: (receipt, choices) sorted by receipt."""
        with self._connect() as conn:
            rows = conn.execute(
                sa.select(ballots.c.receipt, ballots.c.choices)
                .where(ballots.c.poll_id == poll_id)
                .order_by(ballots.c.receipt)
            ).all()
        return [(r.receipt, r.choices) for r in rows]

    def events(self, after: int = 0, limit: int = 500) -> list[event_log.StoredEvent]:
        with self._connect() as conn:
            return event_log.read_after(conn, after, limit)

    def audit(self, congress_id: str, limit: int = 1000) -> list[AuditEntry]:
        """Chair and secretariat actions in this congress, newest first."""
        query = (
            sa.select(events.c.occurred_at, events.c.payload)
            .where(events.c.congress_id == congress_id, events.c.type == "action.recorded")
            .order_by(events.c.occurred_at.desc())
            .limit(limit)
        )
        with self._connect() as conn:
            rows = conn.execute(query).all()
        entries = []
        for at, payload in rows:
            data = json.loads(payload)
            entries.append(
                AuditEntry(
                    at or "", data["role"], int(data["card_number"]), data["action"], data["target"]
                )
            )
        return entries

    def congress_events(
        self, congress_id: str, after: int, limit: int = 200
    ) -> list[event_log.StoredEvent]:
        """One congress's sequenced events after a position (for the live event stream)."""
        with self.engine.connect() as conn:
            return event_log.read_after(conn, after, limit, congress_id=congress_id)

    def log_position(self) -> int:
        """The last sequenced position of the whole log (positions are shared by congresses)."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(log_head.c.seq)).scalar() or 0)

    def latest_published(self, congress_id: str) -> ResultView | None:
        """The result published last in a congress: what the projector reveals."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(results.c.poll_id)
                .where(results.c.congress_id == congress_id, results.c.published_at.is_not(None))
                .order_by(results.c.published_at.desc())
                .limit(1)
            ).first()
        return self.result(row.poll_id) if row else None

    def projector_names(self, congress_id: str) -> bool:
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(display_settings.c.projector_names).where(
                    display_settings.c.congress_id == congress_id
                )
            ).scalar()
        return bool(value)

    def document_settings(self, congress_id: str) -> DocumentSettings:
        table = document_settings
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.congress_id == congress_id)).first()
        if row is None:
            return DocumentSettings(congress_id)
        return DocumentSettings(congress_id, row.organisation, row.place, row.venue)

    def ping(self) -> bool:
        with self._connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar() == 1
