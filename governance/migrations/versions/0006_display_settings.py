"""display settings: whether the projector shows candidates' names

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0003"  # re-chained after 0003 (trust) when merging issue-8
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "display_settings",
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("projector_names", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_display_settings_congress_id_congresses"),
        ),
        sa.PrimaryKeyConstraint("congress_id", name=op.f("pk_display_settings")),
    )


def downgrade() -> None:
    op.drop_table("display_settings")
