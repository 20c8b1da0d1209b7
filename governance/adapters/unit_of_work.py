"""The SQL unit of work: one connection, one transaction, state and events committed together."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine

from governance.adapters import event_log
from governance.adapters.adart_repositories import (
    SqlDocumentRepository,
    SqlNamedVoteRepository,
    SqlStatuteRepository,
)
from governance.adapters.congress_repositories import (
    SqlAgendaRepository,
    SqlPaperRepository,
    SqlPositionRepository,
    SqlRosterRepository,
    SqlRulesRepository,
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

_SQLITE_WRITERS: dict[str, threading.RLock] = {}
WRITER_WAIT_S = 5.0


def _writer_lock(engine: Engine) -> threading.RLock | None:
    """SQLite has one writer at a time: queue this process's writers on a lock, first come
    first served, instead of letting each spin in SQLite's sleep-and-retry busy handler."""
    if engine.dialect.name != "sqlite":
        return None
    return _SQLITE_WRITERS.setdefault(str(engine.url), threading.RLock())


class SqlUnitOfWork:
    """Opens a transaction on enter; commit writes the seen aggregates' events first."""

    conn: Connection

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._seen: list[Any] = []
        self._extra: list[Event] = []
        self._lock = _writer_lock(engine)

    def __enter__(self) -> SqlUnitOfWork:
        if self._lock is not None and not self._lock.acquire(timeout=WRITER_WAIT_S):
            raise StorageUnavailable("the database is busy")
        try:
            self.conn = self.engine.connect()
            self.conn.begin()
        except exc.OperationalError as error:
            self._release()
            raise StorageUnavailable(str(error.orig)) from error
        except BaseException:
            self._release()
            raise
        self._seen = []
        self._extra = []
        self.congresses = SqlCongressRepository(self.conn, self._seen)
        self.delegates = SqlDelegateRepository(self.conn, self._seen)
        self.cards = SqlCardRepository(self.conn, self._seen)
        self.polls = SqlPollRepository(self.conn, self._seen)
        self.ballots = SqlBallotRepository(self.conn, self._seen)
        self.results = SqlResultRepository(self.conn, self._seen)
        self.roster = SqlRosterRepository(self.conn, self._seen)
        self.rules = SqlRulesRepository(self.conn, self._seen)
        self.positions = SqlPositionRepository(self.conn, self._seen)
        self.agenda = SqlAgendaRepository(self.conn, self._seen)
        self.paper = SqlPaperRepository(self.conn, self._seen)
        self.trust = SqlTrustRepository(self.conn, self._seen)
        self.statutes = SqlStatuteRepository(self.conn, self._seen)
        self.named_votes = SqlNamedVoteRepository(self.conn, self._seen)
        self.documents = SqlDocumentRepository(self.conn, self._seen)
        return self

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()

    def __exit__(self, exc_type: object, error: object, tb: object) -> None:
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()
            self._release()
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
