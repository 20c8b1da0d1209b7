"""Secrecy: a database reader with the delegate list cannot link a delegate to a ballot.

The PostgreSQL tests look at what a dump or a live reader sees: row versions (xmin), the
physical order of rows, keys and times. The HTTP flow test captures every log record and
the whole database, and searches them for codes, receipts, choices and client addresses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.adapters import outbox
from governance.adapters.tables import (
    ballots,
    delegates,
    events,
    identity_cards,
    metadata,
    voting_cards,
)
from governance.bootstrap import Suara, bootstrap
from governance.domain.commands import CastBallot, CheckInDelegate, ClosePoll
from governance.records import canon
from tests import factories
from tests.conftest import FAST_HASHER, make_settings
from tests.e2e.flow import csrf
from tests.integration.test_awaited_casts import awaited, remember
from tests.trust.helpers import Driver
from web.app import create_app

CLIENT_IP = "198.51.100.23"
FORWARDED_IP = "203.0.113.7"


@pytest.fixture
def pg_app(pg_url: str, tmp_path: Path) -> Iterator[Suara]:
    suara = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    yield suara
    suara.dispose()


XMIN = sa.literal_column("xmin::text")
CTID = sa.literal_column("ctid")  # the physical order, as a dump lists the rows


def xmins(conn: sa.Connection, table: sa.Table, *where: sa.ColumnElement[bool]) -> set[str]:
    return {r for (r,) in conn.execute(sa.select(XMIN).select_from(table).where(*where))}


def test_ballot_rows_share_no_row_version_order_or_time_with_identity_rows(
    pg_app: Suara,
) -> None:
    app = pg_app
    c = factories.congress(app, delegates=8, cards=8, present=0)
    poll_id = factories.open_motion(app, c.id)
    cast_order = []
    # The worst case: each delegate is checked in and votes straight after, one by one.
    for delegate_id, tag in zip(c.delegate_ids, c.tags, strict=True):
        app.bus.handle(CheckInDelegate(c.id, delegate_id))
        cast_order.append(app.bus.handle(CastBallot(poll_id, tag, (0,))).id)
    app.bus.handle(ClosePoll(poll_id))
    driver = Driver(app)
    driver.settle()
    driver.close()
    with app.engine.connect() as conn:
        ballot_versions = xmins(conn, ballots, ballots.c.poll_id == poll_id)
        identity = xmins(conn, delegates) | xmins(conn, identity_cards) | xmins(conn, voting_cards)
        physical = list(conn.execute(sa.select(ballots.c.id).order_by(CTID)).scalars())
        # Nothing is logged per ballot: the poll's events are its own steps.
        logged = conn.execute(sa.select(events.c.type).where(events.c.poll_id == poll_id)).all()
        defaults = conn.execute(
            sa.text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'ballots' AND column_default IS NOT NULL"
            )
        ).all()
    # One row version for all of a poll's ballots (the close's rewrite), shared with no
    # identity row.
    assert len(ballot_versions) == 1
    assert not ballot_versions & identity
    # Stored in random-id order, not in the order they were cast; no time, no serial key.
    assert physical == sorted(cast_order)
    steps = ["poll.closed", "poll.created", "poll.opened", "result.computed", "result.published"]
    assert sorted(t for (t,) in logged) == steps
    assert defaults == []
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in cast_order)


@pytest.fixture
def file_app(sqlite_url: str, tmp_path: Path) -> Iterator[Suara]:
    """The embedded default: a SQLite file, whose write-ahead log sits beside it."""
    app = bootstrap(make_settings(tmp_path, sqlite_url), hasher=FAST_HASHER)
    yield app
    app.dispose()


def cast_in_a_new_poll(app: Suara, cards: int, path: str = "bus") -> tuple[str, list[str]]:
    """An open motion with `cards` ballots cast, through the bus or the event loop's path."""
    c = factories.congress(app, delegates=cards, cards=cards)
    poll_id = factories.open_motion(app, c.id)
    remember(app, poll_id)
    ids = []
    for tag in c.tags:
        command = CastBallot(poll_id, tag, (0,))
        ids.append((app.bus.handle(command) if path == "bus" else awaited(app, command)).id)
    return poll_id, ids


def test_sqlite_keeps_ballot_rows_in_random_id_order_from_the_first_write(file_app: Suara) -> None:
    _, cast_order = cast_in_a_new_poll(file_app, 12)
    with file_app.engine.connect() as conn:
        # The table's own order, as a copy of the file lists its rows (no index used).
        stored = conn.execute(sa.text("SELECT id FROM ballots NOT INDEXED")).scalars().all()
    assert cast_order != sorted(cast_order)
    assert stored == sorted(cast_order)


WAL_FRAME = 24 + 4096  # SQLite's write-ahead log: one page image and its header


def wal_size(app: Suara) -> int:
    return Path(f"{app.engine.url.database}-wal").stat().st_size


@pytest.mark.parametrize("path", ["bus", "event loop"])
def test_sqlite_write_ahead_log_is_emptied_by_the_relays_copy_back(
    file_app: Suara, path: str
) -> None:
    """The log's frames are page images in commit order: one ballot added per frame."""
    poll_id, _ = cast_in_a_new_poll(file_app, 40, path)
    assert wal_size(file_app) > 40 * WAL_FRAME  # a frame or more per cast
    file_app.outbox.copy_wal_back()  # as the relay does once a second
    assert wal_size(file_app) == 0
    assert file_app.queries.turnout(poll_id) == 40  # copied into the database, not lost


def test_a_reader_on_the_write_ahead_log_defers_the_emptying_without_an_error(
    file_app: Suara,
) -> None:
    poll_id, _ = cast_in_a_new_poll(file_app, 12)
    with file_app.read_engine.connect() as reader:  # a page being rendered, mid-read
        reader.execute(sa.text("SELECT count(*) FROM ballots")).scalar()  # opens its snapshot
        file_app.outbox.copy_wal_back()
        assert wal_size(file_app) > 0
        reader.commit()
    file_app.outbox.copy_wal_back()  # the next second's attempt
    assert wal_size(file_app) == 0
    assert file_app.queries.turnout(poll_id) == 12


def test_a_write_ahead_log_above_the_bound_is_left_for_a_quieter_moment(
    file_app: Suara, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast_in_a_new_poll(file_app, 12)
    size = wal_size(file_app)
    monkeypatch.setattr(outbox, "WAL_CUT_MAX_BYTES", size - 1)
    file_app.outbox.copy_wal_back()
    assert wal_size(file_app) == size
    with file_app.read_engine.connect() as conn:  # yet every frame is in the database file
        raw = conn.connection.driver_connection
        assert raw is not None
        busy, frames, copied = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert (busy, copied) == (0, frames)


def all_text(engine: sa.Engine) -> str:
    parts = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


def test_logs_and_database_hold_no_codes_receipts_choices_or_addresses(
    app: Suara, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    c = factories.congress(app, delegates=6, cards=6)
    poll_id = factories.open_motion(app, c.id)
    driver = Driver(app)
    receipts = []
    headers = {"x-forwarded-for": FORWARDED_IP, "x-real-ip": FORWARDED_IP}
    for code in c.voting_codes:
        with TestClient(
            create_app(app), client=(CLIENT_IP, 4242), headers=headers, follow_redirects=False
        ) as client:
            page = client.get(f"/congresses/{c.id}/voting-card")
            client.post(
                f"/congresses/{c.id}/voting-card",
                data={"csrf_token": csrf(page.text), "code": code},
            )
            token = csrf(client.get(f"/polls/{poll_id}").text)
            client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "1"})
            shown = client.get(f"/polls/{poll_id}/receipt").text
            receipts.append(re.search(r'id="receipt">([^<]+)<', shown).group(1))  # type: ignore[union-attr]
    with TestClient(create_app(app), client=(CLIENT_IP, 4242), follow_redirects=False) as chair:
        page = chair.get(f"/congresses/{c.id}/signin")
        chair.post(
            f"/congresses/{c.id}/signin",
            data={"csrf_token": csrf(page.text), "code": c.identity["chair"]},
        )
        token = csrf(chair.get(f"/polls/{poll_id}").text)
        assert chair.post(f"/polls/{poll_id}/close", data={"csrf_token": token}).status_code == 303
        driver.settle()
        assert chair.get(f"/polls/{poll_id}/board.json").status_code == 200
        chair.get(f"/polls/{poll_id}/audit")
        token = csrf(chair.get(f"/polls/{poll_id}/board").text)
        chair.post(f"/polls/{poll_id}/board", data={"csrf_token": token, "receipt": receipts[0]})
        assert receipts[0] in chair.get(f"/polls/{poll_id}/board").text
    driver.close()
    logs = "\n".join(
        f"{r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '')}" for r in caplog.records
    )
    secrets_ = (
        [*c.voting_codes, *c.tags, *receipts, c.identity["chair"], c.identity["delegate"]]
        + [code.replace("-", "") for code in c.voting_codes]
        + [r.replace("-", "") for r in receipts]
    )
    for secret in secrets_:
        assert secret not in logs
    assert "choice=" not in logs and '"choices"' not in logs
    stored = all_text(app.engine)
    for address in (CLIENT_IP, FORWARDED_IP, "testclient"):
        assert address not in stored and address not in logs
    assert not any(code in stored for code in c.voting_codes)


def test_ballots_leave_no_event_and_the_close_logs_their_receipts_digest(app: Suara) -> None:
    c = factories.congress(app, delegates=5, cards=5)
    poll_id = factories.open_motion(app, c.id)
    driver = Driver(app)
    receipts = []
    for tag in c.tags:
        receipts.append(app.bus.handle(CastBallot(poll_id, tag, (0,))).receipt)
        driver.relay.run_once()  # the relay passes between ballots, as it does live
    with app.engine.connect() as conn:
        stored = conn.execute(sa.select(events.c.type, events.c.payload)).all()
    assert all(r not in payload for r in receipts for _, payload in stored)
    assert "ballot.cast" not in {t for t, _ in stored}
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    driver.close()
    (closed,) = [e for e in app.queries.events(limit=1000) if e.type == "poll.closed"]
    assert closed.payload["snapshot"]["ballots"] == 5
    assert closed.payload["snapshot"]["receipts_sha256"] == canon.receipts_sha256(receipts)
    with app.engine.connect() as conn:
        stored = conn.execute(sa.select(events.c.payload)).all()
    assert not any(r in payload for r in receipts for (payload,) in stored)
