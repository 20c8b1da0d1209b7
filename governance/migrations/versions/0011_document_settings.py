"""document settings: the organisation's name, the place and the venue printed on documents

Revision ID: 0011_document_settings
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_document_settings"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_settings",
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("organisation", sa.String(length=200), server_default="", nullable=False),
        sa.Column("place", sa.String(length=100), server_default="", nullable=False),
        sa.Column("venue", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_document_settings_congress_id_congresses"),
        ),
        sa.PrimaryKeyConstraint("congress_id", name=op.f("pk_document_settings")),
    )


def downgrade() -> None:
    op.drop_table("document_settings")
