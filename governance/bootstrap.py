"""Composition root: engines, unit of work, bus and queries, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy.engine import Engine

from governance.adapters.awaited_casts import PostgresAwaitedCasts
from governance.adapters.db import make_engine
from governance.adapters.hashing import Argon2CodeHasher
from governance.adapters.outbox import Outbox
from governance.adapters.queries import Queries
from governance.adapters.sqlite_casts import SqliteLoopCasts
from governance.adapters.trust_queries import TrustQueries
from governance.adapters.unit_of_work import SqlUnitOfWork
from governance.config import Settings, settings_from_env
from governance.service_layer.messagebus import MessageBus
from governance.service_layer.open_polls import OpenPolls
from governance.service_layer.ports import AsyncCastStore, CodeHasher, UnitOfWorkFactory


@dataclass
class Suara:
    """Everything a process needs, wired together."""

    settings: Settings
    engine: Engine
    read_engine: Engine
    uow_factory: UnitOfWorkFactory
    bus: MessageBus
    queries: Queries
    outbox: Outbox
    hasher: CodeHasher
    trust: TrustQueries
    open_polls: OpenPolls
    # Casts on the event loop (awaited on PostgreSQL, direct on SQLite), not in a thread.
    awaited_casts: AsyncCastStore | None = None

    @property
    def reads_inline(self) -> bool:
        """SQLite reads a row in microseconds and, in WAL mode, never waits for a writer."""
        return self.settings.is_sqlite

    def dispose(self) -> None:
        if self.awaited_casts is not None:
            self.awaited_casts.close()
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def _loop_casts(settings: Settings, engine: Engine) -> AsyncCastStore | None:
    """The store that casts on the web's event loop (SUARA_INLINE_CASTS, on by default)."""
    if not settings.inline_casts:
        return None
    if settings.is_sqlite:
        # A database in memory is private to its connection: casts take the unit of work.
        memory = engine.url.database in (None, "", ":memory:")
        return None if memory else SqliteLoopCasts(engine)
    return PostgresAwaitedCasts(settings.database_url)


def bootstrap(settings: Settings | None = None, hasher: CodeHasher | None = None) -> Suara:
    """Build the application object; tests pass their own settings or hasher."""
    settings = settings or settings_from_env()
    if settings.is_sqlite:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    read_engine = make_engine(settings.database_url, writer=False) if settings.is_sqlite else engine
    uow_factory: UnitOfWorkFactory = partial(SqlUnitOfWork, engine)
    hasher = hasher or Argon2CodeHasher()
    open_polls = OpenPolls()
    return Suara(
        settings=settings,
        engine=engine,
        read_engine=read_engine,
        uow_factory=uow_factory,
        bus=MessageBus(
            uow_factory,
            settings.secret_key,
            min_group=settings.min_group,
            hasher=hasher,
            open_polls=open_polls,
        ),
        queries=Queries(read_engine),
        outbox=Outbox(engine, read_engine),
        hasher=hasher,
        trust=TrustQueries(read_engine),
        open_polls=open_polls,
        awaited_casts=_loop_casts(settings, engine),
    )
