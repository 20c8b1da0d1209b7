"""The SQL unit of work: one connection, one transaction, state and events committed together."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine

from governance.adapters import event_log
from governance.adapters.adart_repositories import (
    SqlDocumentRepository,
    SqlNamedVoteRepository,
    SqlStatuteRepository,
)
from governance.adapters.repositories import (
    SqlBallotRepository,
    SqlCardRepository,
    SqlCongressRepository,
    SqlDelegateRepository,
    SqlPollRepository,
    SqlResultRepository,
)
from governance.adapters.trust_repository import SqlTrustRepository
from governance.domain.events import Event
from governance.service_layer.ports import ConcurrentWrite, StorageUnavailable


class SqlUnitOfWork:
    """Opens a transaction on enter; commit writes the seen aggregates' events first."""

    conn: Connection

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._seen: list[Any] = []
        self._extra: list[Event] = []

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self.conn = self.engine.connect()
            self.conn.begin()
        except exc.OperationalError as error:
            raise StorageUnavailable(str(error.orig)) from error
        self._seen = []
        self._extra = []
        self.congresses = SqlCongressRepository(self.conn, self._seen)
        self.delegates = SqlDelegateRepository(self.conn, self._seen)
        self.cards = SqlCardRepository(self.conn, self._seen)
        self.polls = SqlPollRepository(self.conn, self._seen)
        self.ballots = SqlBallotRepository(self.conn, self._seen)
        self.results = SqlResultRepository(self.conn, self._seen)
        self.trust = SqlTrustRepository(self.conn, self._seen)
        self.statutes = SqlStatuteRepository(self.conn, self._seen)
        self.named_votes = SqlNamedVoteRepository(self.conn, self._seen)
        self.documents = SqlDocumentRepository(self.conn, self._seen)
        return self

    def __exit__(self, exc_type: object, error: object, tb: object) -> None:
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()
        if isinstance(error, exc.IntegrityError):
            raise ConcurrentWrite(str(error.orig)) from error
        if isinstance(error, exc.OperationalError | exc.InterfaceError):
            raise StorageUnavailable(str(error.orig)) from error

    def record(self, *events: Event) -> None:
        self._extra.extend(events)

    def _pending_events(self) -> list[Event]:
        pending: list[Event] = []
        for aggregate in self._seen:
            pending.extend(aggregate.events)
            aggregate.events.clear()
        pending.extend(self._extra)
        self._extra.clear()
        return pending

    def commit(self) -> None:
        event_log.append(self.conn, self._pending_events())
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()
