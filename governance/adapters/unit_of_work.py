"""The SQL unit of work: one connection, one transaction, state and events committed together."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine

from governance.adapters import compaction, event_log
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
from governance.adapters.correction_repositories import SqlCorrectionRepository
from governance.adapters.plenary_repositories import (
    SqlFloorRepository,
    SqlSittingRepository,
    SqlSpeakersRepository,
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
from governance.service_layer.ports import (
    WRITER_WAIT_S,
    ConcurrentWrite,
    StorageUnavailable,
)


class WriterGate:
    """SQLite has one writer at a time: this process's writers queue on a lock, instead of
    each spinning in SQLite's sleep-and-retry busy handler. A caller that must not block (the
    web's event loop) only takes it when it is free and no thread is waiting for it, so the
    relay and the worker are never starved by a stream of ballots."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._count = threading.Lock()
        self._waiting = 0

    def try_enter(self) -> bool:
        return self._waiting == 0 and self._lock.acquire(blocking=False)

    def enter(self, timeout: float) -> bool:
        with self._count:
            self._waiting += 1
        try:
            return self._lock.acquire(timeout=timeout)
        finally:
            with self._count:
                self._waiting -= 1

    def leave(self) -> None:
        self._lock.release()


_SQLITE_WRITERS: dict[str, WriterGate] = {}


def writer_gate(engine: Engine) -> WriterGate | None:
    if engine.dialect.name != "sqlite":
        return None
    return _SQLITE_WRITERS.setdefault(str(engine.url), WriterGate())


# Made on first use: a ballot needs one of these, not all of them.
_REPOSITORIES: dict[str, type[Any]] = {
    "congresses": SqlCongressRepository,
    "delegates": SqlDelegateRepository,
    "cards": SqlCardRepository,
    "polls": SqlPollRepository,
    "ballots": SqlBallotRepository,
    "results": SqlResultRepository,
    "roster": SqlRosterRepository,
    "rules": SqlRulesRepository,
    "positions": SqlPositionRepository,
    "agenda": SqlAgendaRepository,
    "paper": SqlPaperRepository,
    "trust": SqlTrustRepository,
    "statutes": SqlStatuteRepository,
    "named_votes": SqlNamedVoteRepository,
    "documents": SqlDocumentRepository,
    "sittings": SqlSittingRepository,
    "speakers": SqlSpeakersRepository,
    "floor": SqlFloorRepository,
    "corrections": SqlCorrectionRepository,
}


class SqlUnitOfWork:
    """Opens a transaction on enter; commit writes the seen aggregates' events first."""

    conn: Connection
    congresses: SqlCongressRepository
    delegates: SqlDelegateRepository
    cards: SqlCardRepository
    polls: SqlPollRepository
    ballots: SqlBallotRepository
    results: SqlResultRepository
    roster: SqlRosterRepository
    rules: SqlRulesRepository
    positions: SqlPositionRepository
    agenda: SqlAgendaRepository
    paper: SqlPaperRepository
    trust: SqlTrustRepository
    statutes: SqlStatuteRepository
    named_votes: SqlNamedVoteRepository
    documents: SqlDocumentRepository
    sittings: SqlSittingRepository
    speakers: SqlSpeakersRepository
    floor: SqlFloorRepository
    corrections: SqlCorrectionRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._seen: list[Any] = []
        self._extra: list[Event] = []
        self._lock = writer_gate(engine)

    def __enter__(self) -> SqlUnitOfWork:
        if self._lock is not None and not self._lock.enter(WRITER_WAIT_S):
            raise StorageUnavailable("the database is busy")
        conn = None
        try:
            conn = self.engine.connect()
            conn.begin()
        except exc.OperationalError as error:
            self._close(conn)
            raise StorageUnavailable(str(error.orig)) from error
        except BaseException:
            self._close(conn)
            raise
        self.conn = conn
        self._seen = []
        self._extra = []
        for name in _REPOSITORIES:  # a re-entered unit of work starts with fresh repositories
            self.__dict__.pop(name, None)
        return self

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set yet: build the repository on first use.
        factory = _REPOSITORIES.get(name)
        if factory is None or "conn" not in self.__dict__:
            raise AttributeError(name)
        repository = factory(self.conn, self._seen)
        setattr(self, name, repository)
        return repository

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.leave()

    def _close(self, conn: Connection | None) -> None:
        try:
            if conn is not None:
                conn.close()
        finally:
            self._release()

    def __exit__(self, exc_type: object, error: object, tb: object) -> None:
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self._close(self.conn)
        if isinstance(error, exc.IntegrityError):
            raise ConcurrentWrite(str(error.orig)) from error
        if isinstance(error, exc.OperationalError | exc.InterfaceError):
            raise StorageUnavailable(str(error.orig)) from error

    def record(self, *events: Event) -> None:
        self._extra.extend(events)

    def compact(self, *tables: str) -> None:
        """Outside the transaction: nothing of the tables' deleted or replaced rows left
        readable in the database's files (governance/adapters/compaction.py)."""
        if self.engine.dialect.name != "sqlite":
            compaction.rewrite_tables(self.engine, tables)
            return
        if self._lock is not None and not self._lock.enter(WRITER_WAIT_S):
            raise StorageUnavailable("the database is busy")
        try:
            compaction.vacuum_sqlite(self.engine)
        finally:
            self._release()
        compaction.cut_write_ahead_log(self.engine)  # between other writers, not before them

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
