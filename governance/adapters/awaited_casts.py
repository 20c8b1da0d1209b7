"""Casts on PostgreSQL without a thread: psycopg's asyncio connections.

While one ballot's transaction waits for PostgreSQL (its read, then its insert and the commit's
flush to disk), the web process serves other voters instead of standing still; that wait is
most of a cast's time. (psycopg's pipeline mode would save two round trips but measured about
0.7 ms more Python per ballot, and this path is bound by the web process's CPU.)

Connections are kept in a plain list, not an asyncio queue, because the same app may be driven
from more than one event loop (test clients start one per request); a cast that finds none free
and the list full waits in short sleeps, as a busy SQLite writer is waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from governance.adapters.db import ended_by_server
from governance.adapters.driver_sql import DriverStatement
from governance.adapters.repositories import (
    BALLOT_IF_ALLOWED_POSTGRES,
    CAST_CONTEXT_SQL,
    ballot_if_allowed_params,
    cast_context_from_row,
    cast_context_params,
)
from governance.domain.polls import Ballot
from governance.service_layer.ports import (
    ANY_SESSION,
    WRITER_WAIT_S,
    CastContext,
    ConcurrentWrite,
    StorageUnavailable,
)

# No transaction around a cast here: each statement commits on its own (the guarded insert
# needs none, see BALLOT_IF_ALLOWED_POSTGRES). A new ballot, by far the most common cast, is one
# round trip; the read, without a lock, follows only when the insert did nothing.
_CONTEXT_SQL = DriverStatement(CAST_CONTEXT_SQL).text("postgresql")
_INSERT_SQL = BALLOT_IF_ALLOWED_POSTGRES.text("postgresql")


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as libpq takes it."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class _Transaction:
    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._conn = conn

    async def cast_context(
        self, poll_id: str, tag: str, nullifier: str, session: int = ANY_SESSION
    ) -> CastContext | None:
        cursor = await self._conn.execute(
            _CONTEXT_SQL, cast_context_params(poll_id, tag, nullifier, session), prepare=True
        )
        return cast_context_from_row(poll_id, nullifier, await cursor.fetchone())

    async def add_if_allowed(self, ballot: Ballot, tag: str, session: int = ANY_SESSION) -> bool:
        params = ballot_if_allowed_params(ballot, tag, session)
        cursor = await self._conn.execute(_INSERT_SQL, params, prepare=True)
        return await cursor.fetchone() is not None


def _ended(conn: psycopg.AsyncConnection[Any]) -> bool:
    if conn.closed or conn.broken:
        return True
    try:
        return ended_by_server(conn.pgconn.socket)
    except psycopg.Error:
        return True


class PostgresAwaitedCasts:
    """Up to `size` connections of this process, opened when first needed."""

    def __init__(self, database_url: str, size: int = 16) -> None:
        self._url = libpq_url(database_url)
        self._size = size
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._opened = 0
        self._lock = threading.Lock()

    async def _take(self) -> psycopg.AsyncConnection[Any]:
        deadline = time.monotonic() + WRITER_WAIT_S
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is not None:
                if not _ended(conn):
                    return conn
                await self._discard(conn)  # the server ended it (a restart): open another
                continue
            with self._lock:
                may_open = self._opened < self._size
                if may_open:
                    self._opened += 1
            if may_open:
                try:
                    return await psycopg.AsyncConnection.connect(self._url, autocommit=True)
                except psycopg.Error as error:
                    self._dropped()
                    raise StorageUnavailable(str(error)) from error
            if time.monotonic() >= deadline:
                raise StorageUnavailable("no database connection came free")
            await asyncio.sleep(0.001)

    def _dropped(self) -> None:
        with self._lock:
            self._opened -= 1

    def _give_back(self, conn: psycopg.AsyncConnection[Any]) -> None:
        with self._lock:
            self._idle.append(conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Transaction]:
        conn = await self._take()
        try:
            yield _Transaction(conn)
        except psycopg.IntegrityError as error:
            self._give_back(conn)
            raise ConcurrentWrite(str(error)) from error
        except (psycopg.OperationalError, psycopg.InterfaceError) as error:
            await self._discard(conn)
            # The others idle since before are likely dead too (the server is gone or was
            # restarted without a word): the retry, and every cast after it, gets a new one.
            await self._discard_idle()
            raise StorageUnavailable(str(error)) from error
        except BaseException:
            if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                await self._discard(conn)
            else:
                self._give_back(conn)
            raise
        else:
            self._give_back(conn)

    async def _discard_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            await self._discard(conn)

    async def _discard(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._dropped()
        with contextlib.suppress(psycopg.Error):  # already broken: nothing to close cleanly
            await conn.close()

    def close(self) -> None:
        """Close the idle connections (from synchronous code: the app's disposal)."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._opened -= len(idle)
        for conn in idle:
            # The libpq handle closes without an event loop; the Python object is then inert.
            conn.pgconn.finish()
