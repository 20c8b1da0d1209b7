"""Casts on SQLite from the web's event loop, on a sqlite3 connection of their own.

A ballot's transaction takes a fraction of a millisecond here, less than handing it to a thread
or going through SQLAlchemy's connection pool and execution layers costs, so it runs right on
the event loop. The loop never waits on the single writer: while this process's relay or worker
holds it or waits for it (the WriterGate), or another process holds SQLite's lock, the attempt
is repeated a millisecond later, other requests being served meanwhile; after WRITER_WAIT_S it
is "not recorded" (StorageUnavailable), as a busy database is anywhere else.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import Engine

from governance.adapters.db import SQLITE_WRITER_PRAGMAS
from governance.adapters.repositories import (
    BALLOT_IF_ALLOWED_SQLITE,
    CAST_CONTEXT,
    ballot_if_allowed_params,
    cast_context_from_row,
    cast_context_params,
)
from governance.adapters.unit_of_work import WriterGate, writer_gate
from governance.domain.polls import Ballot
from governance.service_layer.ports import (
    ANY_SESSION,
    WRITER_WAIT_S,
    CastContext,
    ConcurrentWrite,
    StorageUnavailable,
)

_CONTEXT_SQL = CAST_CONTEXT.text("sqlite")
_BALLOT_SQL = BALLOT_IF_ALLOWED_SQLITE.text("sqlite")


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def cast_context(
        self, poll_id: str, tag: str, nullifier: str, session: int = ANY_SESSION
    ) -> CastContext | None:
        params = cast_context_params(poll_id, tag, nullifier, session)
        row = self._conn.execute(_CONTEXT_SQL, params)
        return cast_context_from_row(poll_id, nullifier, row.fetchone())

    async def add_if_allowed(self, ballot: Ballot, tag: str, session: int = ANY_SESSION) -> bool:
        params = ballot_if_allowed_params(ballot, tag, session)
        return self._conn.execute(_BALLOT_SQL, params).fetchone() is not None


class SqliteLoopCasts:
    """One connection, used only while this process's writer gate is held."""

    def __init__(self, engine: Engine) -> None:
        gate = writer_gate(engine)
        if gate is None or engine.url.database is None:
            raise ValueError("SqliteLoopCasts needs a SQLite engine")
        self._gate: WriterGate = gate
        self._path = engine.url.database
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            # Never used by two threads at once: only under the gate.
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            for pragma in SQLITE_WRITER_PRAGMAS:  # as the engine's connections
                conn.execute(pragma)
            conn.execute("PRAGMA busy_timeout=0")  # a lock held elsewhere: retry, never block
            self._conn = conn
        return self._conn

    async def _begin(self) -> sqlite3.Connection:
        deadline = time.monotonic() + WRITER_WAIT_S
        while True:
            if self._gate.try_enter():
                try:
                    conn = self._connection()
                    conn.execute("BEGIN IMMEDIATE")
                    return conn
                except sqlite3.Error:
                    self._gate.leave()  # another process holds SQLite's lock
            if time.monotonic() >= deadline:
                raise StorageUnavailable("the database is busy")
            await asyncio.sleep(0.001)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Transaction]:
        conn = await self._begin()
        try:
            try:
                yield _Transaction(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as error:
            raise ConcurrentWrite(str(error)) from error
        except sqlite3.Error as error:
            raise StorageUnavailable(str(error)) from error
        finally:
            self._gate.leave()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
