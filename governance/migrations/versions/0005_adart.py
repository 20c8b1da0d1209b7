"""AD/ART: poll rules and named votes, statutes, documents

Revision ID: 0005
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(sa.Column("rule", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("named", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "statutes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_statutes_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statutes")),
        sa.UniqueConstraint("congress_id", name=op.f("uq_statutes_congress_id")),
    )
    op.create_table(
        "named_votes",
        sa.Column("poll_id", sa.String(length=32), nullable=False),
        sa.Column("delegate_id", sa.String(length=32), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegate_id"], ["delegates.id"], name=op.f("fk_named_votes_delegate_id_delegates")
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_named_votes_poll_id_polls")
        ),
        sa.PrimaryKeyConstraint("poll_id", "delegate_id", name=op.f("pk_named_votes")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("congress_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("html_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["congress_id"], ["congresses.id"], name=op.f("fk_documents_congress_id_congresses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "congress_id", "kind", "number", "language", name=op.f("uq_documents_number")
        ),
    )
    op.create_index(op.f("ix_documents_congress_id"), "documents", ["congress_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_congress_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_table("named_votes")
    op.drop_table("statutes")
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("named")
        batch.drop_column("rule")
