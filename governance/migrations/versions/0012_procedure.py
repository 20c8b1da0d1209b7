"""election procedure: exclusive positions, the session chair's role, runoffs and ties

Revision ID: 0012_procedure
Revises: 0011_document_settings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_procedure"
down_revision = "0012_paper"  # re-chained at merge
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("positions") as batch:
        batch.add_column(sa.Column("exclusive", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("grants_chair", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("pending", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("rejected_ids", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("handed_over", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("positions") as batch:
        for column in ("handed_over", "rejected_ids", "pending", "round", "grants_chair", "exclusive"):
            batch.drop_column(column)
