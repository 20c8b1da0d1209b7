"""On SQLite, ballots are stored in the order of their random ids (a WITHOUT ROWID table)

A rowid table keeps rows in insertion order, which is the order of casting. The close
rewrote each poll's ballots in id order, but on SQLite that held the single writer for
seconds at 100,000 ballots, and the deleted rows stayed readable on free pages. A WITHOUT
ROWID table is a B-tree on the primary key itself: rows sit in random-id order from the
moment they are written, so there is nothing to rewrite. PostgreSQL keeps its rewrite.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = "id, poll_id, choices, receipt, nullifier"


def _rebuild(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "ballots_rebuilt",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("poll_id", sa.String(length=32), nullable=False),
        sa.Column("choices", sa.String(length=400), nullable=False),
        sa.Column("receipt", sa.String(length=24), nullable=False),
        sa.Column("nullifier", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name="fk_ballots_poll_id_polls"),
        sa.PrimaryKeyConstraint("id", name="pk_ballots"),
        sa.UniqueConstraint("poll_id", "nullifier", name="uq_ballots_poll_nullifier"),
        sa.UniqueConstraint("poll_id", "receipt", name="uq_ballots_poll_receipt"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        f"INSERT INTO ballots_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM ballots"  # noqa: S608  # nosec B608
    )
    op.drop_table("ballots")
    op.rename_table("ballots_rebuilt", "ballots")


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
