"""events.poll_id and a partial index of events waiting for the sequencer

The relay asks several times a second whether any non-ballot event waits for a position, and
checkpoints ask whether a poll's opening or close is in the log. Both used to read every
waiting ballot (or every poll's events) and parse their JSON; a column and two indexes
answer them directly, however many ballots a congress holds.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-27 23:40:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

WAITING = sa.text("seq IS NULL AND type <> 'ballot.cast'")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("poll_id", sa.String(length=32), nullable=True))
    conn = op.get_bind()
    events = sa.table(
        "events", sa.column("id", sa.String), sa.column("payload", sa.Text),
        sa.column("poll_id", sa.String),
    )  # fmt: skip
    rows = conn.execute(sa.select(events.c.id, events.c.payload)).all()
    updates = [
        {"b_id": row.id, "b_poll": json.loads(row.payload).get("poll_id")} for row in rows
    ]
    updates = [u for u in updates if u["b_poll"]]
    if updates:
        conn.execute(
            events.update()
            .where(events.c.id == sa.bindparam("b_id"))
            .values(poll_id=sa.bindparam("b_poll")),
            updates,
        )
    op.create_index("ix_events_poll_id", "events", ["poll_id"])
    op.create_index(
        "ix_events_waiting", "events", ["id"], postgresql_where=WAITING, sqlite_where=WAITING
    )


def downgrade() -> None:
    op.drop_index("ix_events_waiting", table_name="events")
    op.drop_index("ix_events_poll_id", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("poll_id")
