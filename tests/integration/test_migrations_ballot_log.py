"""Migrations 0008 (no event per ballot) and 0009 (SQLite ballots kept in id order) on data."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.migrations.runner import upgrade
from tests.conftest import _admin


def _poll_and_ballots(conn: sa.Connection, ids: list[str]) -> None:
    conn.execute(sa.text("INSERT INTO congresses (id, slug, name) VALUES ('c', 'c', 'Congress')"))
    conn.execute(
        sa.text(
            "INSERT INTO polls (id, congress_id, title, method, options, status, seed,"
            " opened_snapshot, closed_snapshot, position)"
            " VALUES ('p', 'c', 'Motion', 'yes-no-abstain', '[]', 'open', '', '{}', '{}', 1)"
        )
    )
    for i in ids:
        conn.execute(
            sa.text("INSERT INTO ballots VALUES (:id, 'p', '0', :r, :n)"),
            {"id": i, "r": f"R{i[:8]}", "n": f"N{i}"},
        )


def _event(conn: sa.Connection, id: str, type: str, seq: int | None) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO events (id, seq, congress_id, type, version, payload, poll_id)"
            " VALUES (:id, :seq, 'c', :type, 1, '{}', 'p')"
        ),
        {"id": id, "seq": seq, "type": type},
    )


def _check_0008(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _poll_and_ballots(conn, ["b1", "b2"])
        _event(conn, "e1", "ballot.cast", 1)  # an older log's sequenced ballot event stays
        _event(conn, "e2", "ballot.cast", None)  # waiting ones are dropped
        _event(conn, "e3", "poll.closed", None)  # other waiting events stay
    upgrade(url)
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT id FROM events ORDER BY id")).scalars().all()
        ballots = conn.execute(sa.text("SELECT count(*) FROM ballots")).scalar_one()
    engine.dispose()
    assert kept == ["e1", "e3"]
    assert ballots == 2


def test_0008_drops_only_waiting_ballot_events_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0007")
    _check_0008(url)


def test_0008_drops_only_waiting_ballot_events_on_postgresql(pg_admin_url: str) -> None:
    name = f"suara_mig_{secrets.token_hex(4)}"
    _admin(pg_admin_url, f'CREATE DATABASE "{name}"')
    try:
        url = sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
        upgrade(url, "0007")
        _check_0008(url)
    finally:
        _admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_0009_keeps_sqlite_ballots_and_stores_them_in_id_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0008")
    cast_order = [secrets.token_hex(16) for _ in range(50)]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _poll_and_ballots(conn, cast_order)
        before = conn.execute(sa.text("SELECT id FROM ballots NOT INDEXED")).scalars().all()
    assert before == cast_order  # a rowid table: its scan follows the order of casting
    upgrade(url)
    with engine.connect() as conn:
        after = conn.execute(sa.text("SELECT id FROM ballots NOT INDEXED")).scalars().all()
        with pytest.raises(sa.exc.OperationalError, match="rowid"):
            conn.execute(sa.text("SELECT rowid FROM ballots"))
    engine.dispose()
    assert after == sorted(cast_order)
