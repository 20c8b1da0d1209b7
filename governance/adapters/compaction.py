"""Leave nothing of deleted or replaced rows readable in the database's files.

Used after a poll's close (the way its ballots were first written says in which order they
were cast) and after a purge (the removed identity data). SQLite: inside each B-tree page
a new cell is written below the ones before it, so cell offsets give the order of
insertion; deleted cells and freed pages keep their bytes; the write-ahead log holds old
page images in commit order. So the file is rebuilt (VACUUM) and the log emptied.
PostgreSQL: plain VACUUM marks dead row versions free but leaves their bytes in the pages
(issue 18: 20 of 52 first versions still readable 15 minutes after a close), so the tables
are rewritten into new files with VACUUM FULL, once no transaction that could still see the
dead versions is running (VACUUM keeps those).

What stays out of reach: PostgreSQL's write-ahead log segments (pg_wal) until they are
recycled, WAL archives and backups, and blocks the file system freed but did not overwrite.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Engine

from governance.adapters.db import SQLITE_BUSY_TIMEOUT_MS
from governance.adapters.tables import metadata
from governance.service_layer.ports import StorageUnavailable

# VACUUM FULL locks the table (casts wait behind it, a few milliseconds at a congress's
# size); given up after this, and for older transactions to end after HORIZON_WAIT_S.
LOCK_TIMEOUT = "2s"
HORIZON_WAIT_S = 10.0
# How long the log's emptying is tried before the caller is told to try again later.
WAL_CUT_WAIT_S = 10.0

_NEXT_XID = sa.text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")
# VACUUM keeps a dead row version while a transaction that may still read it runs: one
# older than `xid` anywhere on the server (VACUUM FULL's own snapshot starts at the oldest
# running transaction, whatever its database), or an older snapshot in this database.
_HORIZON_PASSED = sa.text(
    "SELECT pg_snapshot_xmin(pg_current_snapshot()) >= CAST(:xid AS xid8)"
    " AND NOT EXISTS (SELECT FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND age(backend_xmin) > age(CAST(:xid32 AS xid)))"
)
# After VACUUM FULL: the row versions it kept (pg_class.reltuples counts the dead ones it
# could not remove too) against the live rows.
_KEPT_DEAD = sa.text(
    "SELECT (SELECT reltuples FROM pg_class WHERE oid = CAST(:table AS regclass))"
    " - (SELECT count(*) FROM {table})"
)


def vacuum_sqlite(engine: Engine) -> None:
    """SQLite: rebuild the whole database file (the caller holds this process's writer).

    VACUUM copies every table and index in key order into fresh pages, so no page keeps
    cells in the order they were written, nor the bytes of deleted ones, and the freelist
    is empty; its working copy stays in memory (temp_store), not in a temporary file. It
    writes the new pages through the write-ahead log. A few tens of milliseconds at a
    congress's size, about a second at 100,000 ballots.
    """
    with engine.connect() as conn:
        # On the driver's connection: through SQLAlchemy it would start a transaction.
        raw: Any = conn.connection.driver_connection
        try:
            raw.execute("PRAGMA temp_store=MEMORY")
            raw.execute("VACUUM")
        except sqlite3.OperationalError as error:
            raise StorageUnavailable(str(error)) from error
        finally:
            raw.execute("PRAGMA temp_store=DEFAULT")


def cut_write_ahead_log(engine: Engine, within_s: float = WAL_CUT_WAIT_S) -> None:
    """SQLite: copy every frame of the log into the database file and cut the file to
    nothing, at a moment when no one reads or writes it.

    Each attempt waits for nobody (a checkpoint that waits for readers also holds every
    writer back meanwhile); they are repeated for up to `within_s`, between other requests'
    transactions, before giving up with StorageUnavailable (the caller tries again later).
    """
    deadline = time.monotonic() + within_s
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        raw.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                except sqlite3.OperationalError:
                    busy = 1
                if not busy:
                    return
                if time.monotonic() > deadline:
                    raise StorageUnavailable("readers keep the write-ahead log")
                time.sleep(0.002)
        finally:
            raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def rewrite_tables(engine: Engine, tables: tuple[str, ...]) -> None:
    """PostgreSQL: rewrite each table (none given: all of Suara's) into new files, without
    its dead row versions."""
    tables = tables or tuple(t.name for t in metadata.sorted_tables)
    for table in tables:
        if table not in metadata.tables:
            raise ValueError(f"no table {table}")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            _wait_for_older_transactions(conn)
            conn.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            try:
                for table in tables:
                    conn.exec_driver_sql(f"VACUUM (FULL) {table}")
                    kept = sa.text(_KEPT_DEAD.text.format(table=table))
                    if conn.execute(kept, {"table": table}).scalar_one() > 0:
                        raise StorageUnavailable(f"{table}: old row versions still kept")
            finally:
                conn.exec_driver_sql("RESET lock_timeout")
        except exc.OperationalError as error:
            raise StorageUnavailable(str(error.orig)) from error


def _wait_for_older_transactions(conn: sa.Connection) -> None:
    xid = conn.execute(_NEXT_XID).scalar_one()
    params = {"xid": xid, "xid32": str(int(xid) % (1 << 32))}
    deadline = time.monotonic() + HORIZON_WAIT_S
    while not conn.execute(_HORIZON_PASSED, params).scalar_one():
        if time.monotonic() > deadline:
            raise StorageUnavailable("a long transaction still sees the old row versions")
        time.sleep(0.02)
