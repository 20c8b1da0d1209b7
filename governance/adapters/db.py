"""Engines: SQLite in WAL mode with immediate write transactions, or PostgreSQL."""

from __future__ import annotations

import os
import select
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 5000
# Every connection that writes sets these (the engine's, and the casts' own in sqlite_casts).
SQLITE_WRITER_PRAGMAS = (
    # FULL: in WAL mode each commit syncs the log before it returns, so a ballot whose receipt
    # was shown survives a power cut or an OS crash (NORMAL syncs only at checkpoints).
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    # No automatic WAL checkpoint inside a commit: it copies and syncs ~4 MB about every
    # thousand ballots, 15-25 ms during which a cast on the event loop holds up every other
    # request. The relay copies the WAL back once a second, off the event loop
    # (Outbox.copy_wal_back); the last connection to close does it too.
    "PRAGMA wal_autocheckpoint=0",
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook decide how transactions start, not pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    for pragma in SQLITE_WRITER_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def private_sqlite_file(url: str) -> None:
    """Create the SQLite file (and its folder) readable by its owner only, before SQLite does.

    SQLite gives its -wal and -shm files the permissions of the database file, so all three
    stay 0600 whatever the umask; an existing file is made so too.
    """
    database = sa.make_url(url).database
    if not url.startswith("sqlite") or database in (None, "", ":memory:"):
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)


def make_engine(url: str, *, writer: bool = True, pool_size: int = 10) -> Engine:
    """Create an engine; on SQLite a writer takes the write lock at BEGIN, so it never deadlocks."""
    if url.startswith("sqlite"):
        private_sqlite_file(url)
        # Enough connections for the web threadpool (40) and the worker threads together.
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 5},
            pool_size=20,
            max_overflow=30,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        begin = "BEGIN IMMEDIATE" if writer else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    # No pre-ping, which costs a round trip per transaction: a pooled connection the server
    # ended (a restart, an administrator) is seen without one, on checkout, and replaced. One
    # that died unseen (a cable) fails its request with a 503 and SQLAlchemy then renews the
    # whole pool, so the retry gets a fresh connection.
    engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    event.listen(engine, "checkout", _replace_if_ended)
    return engine


def ended_by_server(fileno: int) -> bool:
    """Whether an idle connection's socket has something to read: the server's last words
    (a FATAL notice, then the end of the stream) when it ended the session. Nothing else
    arrives on an idle connection that listens to no channel. No round trip; a system call."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fileno, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fileno], [], [], 0)
    return bool(readable)


def _replace_if_ended(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    try:
        ended = ended_by_server(dbapi_connection.fileno())
    except Exception as error:  # already closed: no descriptor
        raise exc.DisconnectionError(str(error)) from error
    if ended:
        # The pool discards this connection and checks out a new one, up to three times.
        raise exc.DisconnectionError("the server ended this connection")
