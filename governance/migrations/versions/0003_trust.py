"""trust: signed checkpoints, observer keys, co-signatures, k-of-n publishing

Revision ID: 0003
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0005"  # re-chained after 0005 (AD/ART) when merging main
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(
            sa.Column("required_cosignatures", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("poll_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("board_sha256", sa.String(length=64), nullable=True),
        sa.Column("ballots", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("unique_key", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_checkpoints_congress_id_congresses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
        sa.UniqueConstraint("unique_key", name=op.f("uq_checkpoints_unique_key")),
    )
    op.create_index(op.f("ix_checkpoints_congress_id"), "checkpoints", ["congress_id"])
    op.create_table(
        "observer_keys",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_observer_keys_congress_id_congresses"),
        ),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_observer_keys")),
    )
    op.create_index(op.f("ix_observer_keys_congress_id"), "observer_keys", ["congress_id"])
    op.create_table(
        "cosignatures",
        sa.Column("checkpoint_id", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_cosignatures_checkpoint_id_checkpoints"),
        ),
        sa.ForeignKeyConstraint(
            ["fingerprint"],
            ["observer_keys.fingerprint"],
            name=op.f("fk_cosignatures_fingerprint_observer_keys"),
        ),
        sa.PrimaryKeyConstraint("checkpoint_id", "fingerprint", name=op.f("pk_cosignatures")),
    )


def downgrade() -> None:
    op.drop_table("cosignatures")
    op.drop_index(op.f("ix_observer_keys_congress_id"), table_name="observer_keys")
    op.drop_table("observer_keys")
    op.drop_index(op.f("ix_checkpoints_congress_id"), table_name="checkpoints")
    op.drop_table("checkpoints")
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("required_cosignatures")
