"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 20:22:47.269482
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "congresses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_congresses")),
        sa.UniqueConstraint("slug", name=op.f("uq_congresses_slug")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("congress_id", sa.String(length=32), nullable=True),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.String(length=32), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_events_seq")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_congress_id"), ["congress_id"], unique=False)

    op.create_table(
        "log_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_head")),
    )
    op.create_table(
        "relay_cursors",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_relay_cursors")),
    )
    op.create_table(
        "delegates",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=50), nullable=False),
        sa.Column("caucus", sa.String(length=50), server_default="", nullable=False),
        sa.Column(
            "membership_class", sa.String(length=30), server_default="ordinary", nullable=False
        ),
        sa.Column("voting_right", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=True),
        sa.Column("present", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_delegates_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegates")),
        sa.UniqueConstraint("congress_id", "alias", name="uq_delegates_congress_alias"),
        sa.UniqueConstraint("congress_id", "number", name="uq_delegates_congress_number"),
    )
    op.create_table(
        "polls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("seats", sa.Integer(), server_default="1", nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("seed", sa.String(length=64), server_default="", nullable=False),
        sa.Column("auto_publish", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("opened_snapshot", sa.JSON(), nullable=False),
        sa.Column("closed_snapshot", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_polls_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_polls_congress_id"), ["congress_id"], unique=False)

    op.create_table(
        "voting_cards",
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_voting_cards_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("tag", name=op.f("pk_voting_cards")),
    )
    with op.batch_alter_table("voting_cards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_cards_congress_id"), ["congress_id"], unique=False
        )

    op.create_table(
        "ballots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("poll_id", sa.String(length=32), nullable=False),
        sa.Column("choices", sa.String(length=400), nullable=False),
        sa.Column("receipt", sa.String(length=24), nullable=False),
        sa.Column("nullifier", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name=op.f("fk_ballots_poll_id_polls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("poll_id", "nullifier", name="uq_ballots_poll_nullifier"),
        sa.UniqueConstraint("poll_id", "receipt", name="uq_ballots_poll_receipt"),
    )
    op.create_table(
        "identity_cards",
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("delegate_id", sa.String(length=32), nullable=True),
        sa.Column("label", sa.String(length=100), server_default="", nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"],
            ["congresses.id"],
            name=op.f("fk_identity_cards_congress_id_congresses"),
        ),
        sa.ForeignKeyConstraint(
            ["delegate_id"], ["delegates.id"], name=op.f("fk_identity_cards_delegate_id_delegates")
        ),
        sa.PrimaryKeyConstraint("congress_id", "number", name=op.f("pk_identity_cards")),
    )
    op.create_table(
        "results",
        sa.Column("poll_id", sa.String(length=32), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name=op.f("fk_results_poll_id_polls")),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_results")),
    )


def downgrade() -> None:

    op.drop_table("results")
    op.drop_table("identity_cards")
    op.drop_table("ballots")
    with op.batch_alter_table("voting_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_cards_congress_id"))

    op.drop_table("voting_cards")
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polls_congress_id"))

    op.drop_table("polls")
    op.drop_table("delegates")
    op.drop_table("relay_cursors")
    op.drop_table("log_head")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_congress_id"))

    op.drop_table("events")
    op.drop_table("congresses")
