"""Secret ballots have no events: the close logs a digest of the board's receipts instead

Ballot events used to wait, without a position, until their poll's close released them into
the log together; at 100,000 ballots that release alone took seconds. A poll open during the
upgrade loses its waiting ballot events here (its ballots stay), and its close will log the
receipts digest like any other. Events already in the log are kept: the chain is not rewritten.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 04:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_WAITING = sa.text("seq IS NULL AND type <> 'ballot.cast'")
WAITING = sa.text("seq IS NULL")


def upgrade() -> None:
    op.execute("DELETE FROM events WHERE seq IS NULL AND type = 'ballot.cast'")
    op.drop_index("ix_events_waiting", table_name="events")
    op.create_index(
        "ix_events_waiting", "events", ["id"], postgresql_where=WAITING, sqlite_where=WAITING
    )


def downgrade() -> None:
    # The deleted ballot events cannot come back; the ballots themselves were never touched.
    op.drop_index("ix_events_waiting", table_name="events")
    op.create_index(
        "ix_events_waiting", "events", ["id"], postgresql_where=OLD_WAITING, sqlite_where=OLD_WAITING
    )
