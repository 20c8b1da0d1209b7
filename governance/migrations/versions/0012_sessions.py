"""sessions: a session version per card (sign-out and revocation end copied cookies),
whether a congress is listed on the home page, and observer keys registered per congress

Revision ID: 0012_sessions
Revises: 0011_document_settings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_sessions"
down_revision = "0011_document_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("identity_cards", "voting_cards"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("session_version", sa.Integer, nullable=False, server_default="0")
            )
    with op.batch_alter_table("congresses") as batch:
        batch.add_column(sa.Column("listed", sa.Boolean, nullable=False, server_default=sa.false()))
    # An observer's key is registered per congress: one congress could block another's.
    with op.batch_alter_table("cosignatures") as batch:
        batch.drop_constraint("fk_cosignatures_fingerprint_observer_keys", type_="foreignkey")
    with op.batch_alter_table("observer_keys") as batch:
        batch.drop_constraint("pk_observer_keys", type_="primary")
        batch.create_primary_key("pk_observer_keys", ["congress_id", "fingerprint"])


def downgrade() -> None:
    with op.batch_alter_table("observer_keys") as batch:
        batch.drop_constraint("pk_observer_keys", type_="primary")
        batch.create_primary_key("pk_observer_keys", ["fingerprint"])
    with op.batch_alter_table("cosignatures") as batch:
        batch.create_foreign_key(
            "fk_cosignatures_fingerprint_observer_keys",
            "observer_keys",
            ["fingerprint"],
            ["fingerprint"],
        )
    with op.batch_alter_table("congresses") as batch:
        batch.drop_column("listed")
    for table in ("voting_cards", "identity_cards"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("session_version")
