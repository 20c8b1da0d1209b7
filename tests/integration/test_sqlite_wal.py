"""SQLite's single writer is kept free for ballots: the write-ahead log is copied back by the
relay, never inside a ballot's commit, and the relay's reads never take the writer."""

from __future__ import annotations

import sqlite3
import threading
import time

import sqlalchemy as sa
from dramatiq.brokers.stub import StubBroker

from governance.bootstrap import Suara
from governance.domain.commands import CastBallot
from tests import factories
from workers.actors import declare_actors
from workers.relay import Relay


def ballots_in_database_file(app: Suara) -> int:
    """Ballots the main database file holds, ignoring the write-ahead log."""
    path = app.engine.url.database
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as direct:
        return int(direct.execute("SELECT count(*) FROM ballots").fetchone()[0])


def test_commits_do_not_copy_the_log_back_and_the_relay_step_does(sqlite_app: Suara) -> None:
    with sqlite_app.engine.connect() as conn:
        setting = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_autocheckpoint"
        ).fetchone()
    assert setting == (0,)
    c = factories.congress(sqlite_app, delegates=30, cards=30)
    sqlite_app.outbox.copy_wal_back()
    poll_id = factories.open_motion(sqlite_app, c.id)
    for tag in c.tags:
        sqlite_app.bus.handle(CastBallot(poll_id, tag, (0,)))
    assert ballots_in_database_file(sqlite_app) == 0  # all still in the log only

    sqlite_app.outbox.copy_wal_back()

    assert ballots_in_database_file(sqlite_app) == 30
    with sqlite_app.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM ballots")).scalar_one()
    assert stored == 30


def test_the_running_relay_copies_the_log_back(sqlite_app: Suara) -> None:
    c = factories.congress(sqlite_app, delegates=10, cards=10)
    poll_id = factories.open_motion(sqlite_app, c.id)
    for tag in c.tags:
        sqlite_app.bus.handle(CastBallot(poll_id, tag, (1,)))
    broker = StubBroker()
    broker.emit_after("process_boot")
    relay = Relay(sqlite_app, declare_actors(broker, sqlite_app))
    stop = threading.Event()
    runner = threading.Thread(target=relay.loop, args=(stop,))
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while ballots_in_database_file(sqlite_app) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join()
        broker.close()
    assert ballots_in_database_file(sqlite_app) == 10


def test_the_relays_reads_never_take_the_single_writer(sqlite_app: Suara) -> None:
    """On SQLite the writer engine begins with BEGIN IMMEDIATE: a sweep reading through it
    held every ballot back for as long as its queries ran."""
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)
    sqlite_app.bus.handle(CastBallot(poll_id, c.tags[0], (0,)))
    sqlite_app.outbox.sequence()
    writes: list[str] = []

    def began(_: object) -> None:
        writes.append("begin")

    sa.event.listen(sqlite_app.engine, "begin", began)
    try:
        events = sqlite_app.outbox.pending("nobody")
        assert events  # the reads did real work
        assert sqlite_app.outbox.payload(events[0].id) is not None
        sqlite_app.outbox.auto_publish(poll_id)
        sqlite_app.outbox.missing_effects(0.0)
    finally:
        sa.event.remove(sqlite_app.engine, "begin", began)
    assert writes == []
