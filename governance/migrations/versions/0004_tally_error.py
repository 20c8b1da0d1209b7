"""polls.tally_error: a count that failed for good is visible and no longer re-sent

Revision ID: 0004
Revises: 0006
Create Date: 2026-11-27 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"  # re-chained after 0002 (congress workflow) when merging issue-7
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(sa.Column("tally_error", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("tally_error")
