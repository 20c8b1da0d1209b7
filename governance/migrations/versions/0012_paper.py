"""paper ballots bounded, corrections by two officials: held and annulled polls

Revision ID: 0012_paper
Revises: 0011_document_settings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_paper"
down_revision = "0012_officials"  # re-chained at merge
branch_labels = None
depends_on = None

ID = sa.String(length=32)


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(sa.Column("held", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("annulled", sa.Text(), nullable=True))
    op.create_table(
        "corrections",
        sa.Column("id", ID, nullable=False),
        sa.Column("congress_id", ID, nullable=False),
        sa.Column("poll_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("batch_id", ID, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_role", sa.String(length=20), nullable=False),
        sa.Column("proposed_card", sa.Integer(), nullable=False),
        sa.Column("cosigned_role", sa.String(length=20), nullable=True),
        sa.Column("cosigned_card", sa.Integer(), nullable=True),
        sa.Column("ordinal", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_corrections_congress_id_congresses")
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_corrections_poll_id_polls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(op.f("ix_corrections_poll_id"), "corrections", ["poll_id"])


def downgrade() -> None:
    op.drop_table("corrections")
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("annulled")
        batch.drop_column("held")
