"""voting-card serials: a number printed on each voting card, not linked to any person (the
card is drawn from a box), by which a lost card is revoked (issue 18 item 6)

Revision ID: 0012_officials
Revises: 0011_document_settings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_officials"
down_revision = "0012_sessions"  # re-chained at merge
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Cards registered before have no serial (NULL): they are revoked by their code as before.
    with op.batch_alter_table("voting_cards") as batch:
        batch.add_column(sa.Column("serial", sa.String(length=20), nullable=True))
    op.create_index(
        "uq_voting_cards_congress_serial", "voting_cards", ["congress_id", "serial"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_voting_cards_congress_serial", table_name="voting_cards")
    with op.batch_alter_table("voting_cards") as batch:
        batch.drop_column("serial")
