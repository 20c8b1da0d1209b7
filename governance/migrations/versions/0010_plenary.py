"""the plenary: the agenda's time plan, the sitting, polls on items, speakers, floor motions

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ID = sa.String(length=32)


def upgrade() -> None:
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(sa.Column("starts_at", sa.String(length=5), server_default="", nullable=False))
        batch.add_column(sa.Column("minutes", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "sittings",
        sa.Column("congress_id", ID, nullable=False),
        sa.Column("current_item_id", ID, nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resume_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_sittings_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("congress_id", name=op.f("pk_sittings")),
    )
    op.create_table(
        "agenda_polls",
        sa.Column("poll_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["agenda_items.id"], name=op.f("fk_agenda_polls_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name=op.f("fk_agenda_polls_poll_id_polls")),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_agenda_polls")),
    )
    op.create_index(op.f("ix_agenda_polls_item_id"), "agenda_polls", ["item_id"])
    op.create_table(
        "speakers",
        sa.Column("id", ID, nullable=False),
        sa.Column("congress_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("delegate_id", ID, nullable=False),
        sa.Column("caucus", sa.String(length=50), server_default="", nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("added_by", sa.String(length=20), server_default="self", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("limit_seconds", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_speakers_congress_id_congresses")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["agenda_items.id"], name=op.f("fk_speakers_item_id_agenda_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
        sa.UniqueConstraint("item_id", "ordinal", name="uq_speakers_item_ordinal"),
    )
    op.create_index(op.f("ix_speakers_item_id"), "speakers", ["item_id"])
    op.create_table(
        "floor_motions",
        sa.Column("id", ID, nullable=False),
        sa.Column("congress_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("proposer_id", ID, nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("procedural", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("seconders", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("item_id", ID, nullable=True),
        sa.Column("how", sa.String(length=20), server_default="", nullable=False),
        sa.Column("deliberation", sa.Text(), server_default="", nullable=False),
        sa.Column("poll_id", ID, nullable=True),
        sa.Column("current_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_floor_motions_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floor_motions")),
        sa.UniqueConstraint("congress_id", "number", name="uq_floor_motions_congress_number"),
    )
    op.create_index(op.f("ix_floor_motions_congress_id"), "floor_motions", ["congress_id"])


def downgrade() -> None:
    op.drop_table("floor_motions")
    op.drop_table("speakers")
    op.drop_table("agenda_polls")
    op.drop_table("sittings")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("minutes")
        batch.drop_column("starts_at")
