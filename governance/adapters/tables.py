"""SQLAlchemy tables: current state, the ballot box, and the event log.

The ballots table deliberately has no delegate, card, time or autoincrement column.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = sa.String(32)

congresses = sa.Table(
    "congresses",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    # The adopted rules of procedure (tata tertib); NULL means the defaults still apply.
    sa.Column("rules", sa.JSON, nullable=True),
    # Shown by name on the home page to anonymous visitors only when listed (issue 18).
    sa.Column("listed", sa.Boolean, nullable=False, server_default=sa.false()),
)

delegates = sa.Table(
    "delegates",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("alias", sa.String(100), nullable=False),
    sa.Column("province", sa.String(100), nullable=False),
    sa.Column("region", sa.String(50), nullable=False),
    sa.Column("caucus", sa.String(50), nullable=False, server_default=""),
    sa.Column("membership_class", sa.String(30), nullable=False, server_default="ordinary"),
    sa.Column("voting_right", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("legal_name", sa.String(200), nullable=True),
    sa.Column("present", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("congress_id", "number", name="uq_delegates_congress_number"),
    sa.UniqueConstraint("congress_id", "alias", name="uq_delegates_congress_alias"),
)

identity_cards = sa.Table(
    "identity_cards",
    metadata,
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("code_hash", sa.String(200), nullable=False),
    sa.Column("delegate_id", ID, sa.ForeignKey("delegates.id"), nullable=True),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    # Moved by sign-out: every session of the card made before it stops working.
    sa.Column("session_version", sa.Integer, nullable=False, server_default="0"),
)

voting_cards = sa.Table(
    "voting_cards",
    metadata,
    sa.Column("tag", sa.String(64), primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("session_version", sa.Integer, nullable=False, server_default="0"),
    # Printed on the card beside its code; not linked to any person (the card is drawn from a
    # box). The secretariat revokes a lost card by it. NULL for cards registered before.
    sa.Column("serial", sa.String(20), nullable=True),
    sa.Index("uq_voting_cards_congress_serial", "congress_id", "serial", unique=True),
)

polls = sa.Table(
    "polls",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("method", sa.String(30), nullable=False),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("seats", sa.Integer, nullable=False, server_default="1"),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("seed", sa.String(64), nullable=False, server_default=""),
    sa.Column("auto_publish", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("opened_snapshot", sa.JSON, nullable=False),
    sa.Column("closed_snapshot", sa.JSON, nullable=False),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    # Frozen when the poll is created or opened: group bounds, approval limits, majority rule.
    sa.Column("constraints", sa.JSON, nullable=True),
    sa.Column("min_selections", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_selections", sa.Integer, nullable=True),
    # Set when the count failed for good (a poison event): observers see it, the sweeper stops.
    sa.Column("tally_error", sa.String(200), nullable=True),
    sa.Column("required_cosignatures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rule", sa.JSON, nullable=True),
    sa.Column("named", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("proposed_rules", sa.JSON, nullable=True),
    sa.Column("position_id", ID, nullable=True),
    # Issue 18: closed beyond the delegates present or the cards issued; never counted.
    sa.Column("held", sa.Boolean, nullable=False, server_default=sa.false()),
    # Issue 14: the reason of the annulment (chair and observer), when annulled.
    sa.Column("annulled", sa.Text, nullable=True),
)

positions = sa.Table(
    "positions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("method", sa.String(30), nullable=False),
    sa.Column("eligibility", sa.JSON, nullable=False),
    sa.Column("region_minimum", sa.Integer, nullable=False, server_default="0"),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("poll_id", ID, nullable=True),
    sa.Column("candidate_ids", sa.JSON, nullable=False),
    sa.Column("elected_ids", sa.JSON, nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"),
    # Issue 14 (migration 0012_procedure): exclusive positions, the session chair's role,
    # rounds (runoff, re-votes), what waits while undecided, rejected ratifications.
    sa.Column("exclusive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("grants_chair", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("round", sa.Integer, nullable=False, server_default="1"),
    sa.Column("pending", sa.JSON, nullable=True),
    sa.Column("rejected_ids", sa.JSON, nullable=True),
    sa.Column("handed_over", sa.Boolean, nullable=False, server_default=sa.false()),
)

nominations = sa.Table(
    "nominations",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("position_id", ID, sa.ForeignKey("positions.id"), nullable=False, index=True),
    sa.Column("candidate_id", ID, sa.ForeignKey("delegates.id"), nullable=False),
    sa.Column("nominator_id", ID, nullable=True),
    sa.Column("seconders", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("written_consent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("position_id", "candidate_id", name="uq_nominations_position_candidate"),
)

agenda_items = sa.Table(
    "agenda_items",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("session", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"),
    # The time plan: a planned start ("09:00", the congress's clock; "" follows the item
    # before) and the minutes planned.
    sa.Column("starts_at", sa.String(5), nullable=False, server_default=""),
    sa.Column("minutes", sa.Integer, nullable=False, server_default="0"),
)

# A batch of paper ballots waits here, unlinked to anyone who voted, until a second person
# confirms it; then its ballots join the ballots table exactly like electronic ones.
paper_batches = sa.Table(
    "paper_batches",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("poll_id", ID, sa.ForeignKey("polls.id"), nullable=False, index=True),
    sa.Column("entered_by", sa.String(50), nullable=False),
    sa.Column("confirmed_by", sa.String(50), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("pending", sa.JSON, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
)

ballots = sa.Table(
    "ballots",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("poll_id", ID, sa.ForeignKey("polls.id"), nullable=False),
    sa.Column("choices", sa.String(400), nullable=False),
    sa.Column("receipt", sa.String(24), nullable=False),
    sa.Column("nullifier", sa.String(64), nullable=False),
    sa.UniqueConstraint("poll_id", "nullifier", name="uq_ballots_poll_nullifier"),
    sa.UniqueConstraint("poll_id", "receipt", name="uq_ballots_poll_receipt"),
    # On SQLite the rows themselves are kept in random-id order, never in the order of casting
    # (migration 0009); PostgreSQL rewrites a poll's rows in that order at its close.
    sqlite_with_rowid=False,
)

results = sa.Table(
    "results",
    metadata,
    sa.Column("poll_id", ID, sa.ForeignKey("polls.id"), primary_key=True),
    sa.Column("congress_id", ID, nullable=False),
    sa.Column("outcome", sa.String(30), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=True, unique=True),
    sa.Column("congress_id", ID, nullable=True, index=True),
    sa.Column("type", sa.String(50), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("occurred_at", sa.String(32), nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=True),
    sa.Column("hash", sa.String(64), nullable=True),
    # The poll an event is about, copied from its payload so lookups need not parse JSON.
    sa.Column("poll_id", ID, nullable=True, index=True),
)
# What the sequencer may take now: a small partial index, however long the log grows.
WAITING_FOR_SEQUENCE = sa.text("seq IS NULL")
sa.Index(
    "ix_events_waiting",
    events.c.id,
    postgresql_where=WAITING_FOR_SEQUENCE,
    sqlite_where=WAITING_FOR_SEQUENCE,
)

log_head = sa.Table(
    "log_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

relay_cursors = sa.Table(
    "relay_cursors",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)

# Signed checkpoints of the event log: at poll open, at close (with the board's digest) and
# periodically while a poll is open. The signing key is derived from the server secret.
checkpoints = sa.Table(
    "checkpoints",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("poll_id", ID, nullable=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("head", sa.String(64), nullable=False),
    sa.Column("board_sha256", sa.String(64), nullable=True),
    sa.Column("ballots", sa.Integer, nullable=True),
    sa.Column("signed_at", sa.String(32), nullable=False),
    sa.Column("signature", sa.String(128), nullable=False),
    sa.Column("unique_key", sa.String(80), nullable=True, unique=True),
)

# Observers' public keys, registered by the secretariat at the opening session.
observer_keys = sa.Table(
    "observer_keys",
    metadata,
    # Per congress (issue 18): one congress registering a key cannot block another's observer.
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), primary_key=True, index=True),
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("public_key", sa.String(64), nullable=False),
)

# Observers' signatures over a poll's closing checkpoint.
cosignatures = sa.Table(
    "cosignatures",
    metadata,
    sa.Column("checkpoint_id", ID, sa.ForeignKey("checkpoints.id"), primary_key=True),
    # The observer's key in the checkpoint's congress (checked before a signature is stored).
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("signature", sa.String(128), nullable=False),
)

# How public screens show a congress; a row exists only once the secretariat changed something.
display_settings = sa.Table(
    "display_settings",
    metadata,
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), primary_key=True),
    sa.Column("projector_names", sa.Boolean, nullable=False, server_default=sa.false()),
)

# What the published documents print: the organisation, the place ("Ditetapkan di ...") and venue.
document_settings = sa.Table(
    "document_settings",
    metadata,
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), primary_key=True),
    sa.Column("organisation", sa.String(200), nullable=False, server_default=""),
    sa.Column("place", sa.String(100), nullable=False, server_default=""),
    sa.Column("venue", sa.String(200), nullable=False, server_default=""),
)

# AD/ART: one statute per congress, its whole procedure state as one JSON document.
statutes = sa.Table(
    "statutes",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, unique=True),
    sa.Column("state", sa.Text, nullable=False),
)

# Named (open) votes: who voted what, by design public. Kept apart from the secret ballots.
named_votes = sa.Table(
    "named_votes",
    metadata,
    sa.Column("poll_id", ID, sa.ForeignKey("polls.id"), primary_key=True),
    sa.Column("delegate_id", ID, sa.ForeignKey("delegates.id"), primary_key=True),
    sa.Column("choice", sa.Integer, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("poll_id", ID, nullable=True),
    sa.Column("language", sa.String(5), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Column("html_sha256", sa.String(64), nullable=False),
    sa.Column("pdf_sha256", sa.String(64), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("congress_id", "kind", "number", "language", name="uq_documents_number"),
)


# The plenary (issue 14). One row per congress once the chair has acted: the current agenda
# item and a suspension (skorsing) with its planned end.
sittings = sa.Table(
    "sittings",
    metadata,
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), primary_key=True),
    sa.Column("current_item_id", ID, nullable=True),
    sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("resume_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reason", sa.String(300), nullable=False, server_default=""),
)

# Polls put on an agenda item (one item per poll).
agenda_polls = sa.Table(
    "agenda_polls",
    metadata,
    sa.Column("poll_id", ID, sa.ForeignKey("polls.id"), primary_key=True),
    sa.Column("item_id", ID, sa.ForeignKey("agenda_items.id"), nullable=False, index=True),
)

# The list of speakers: requests for the floor on an agenda item. Speaking is public; nothing
# here concerns a ballot.
speakers = sa.Table(
    "speakers",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False),
    sa.Column("item_id", ID, sa.ForeignKey("agenda_items.id"), nullable=False, index=True),
    # No foreign key to delegates: removing a delegate, or purging the congress, leaves the
    # list as it was spoken (an id without a name), as the nominations' seconders do.
    sa.Column("delegate_id", ID, nullable=False),
    sa.Column("caucus", sa.String(50), nullable=False, server_default=""),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("added_by", sa.String(20), nullable=False, server_default="self"),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("limit_seconds", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("item_id", "ordinal", name="uq_speakers_item_ordinal"),
)

# Motions from the floor and their amendments (`parent_id`), numbered per congress.
floor_motions = sa.Table(
    "floor_motions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False, index=True),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("proposer_id", ID, nullable=False),  # no foreign key: see speakers
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("procedural", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("parent_id", ID, nullable=True),
    sa.Column("seconders", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("item_id", ID, nullable=True),
    sa.Column("how", sa.String(20), nullable=False, server_default=""),
    sa.Column("deliberation", sa.Text, nullable=False, server_default=""),
    sa.Column("poll_id", ID, nullable=True),
    sa.Column("current_text", sa.Text, nullable=False),
    sa.UniqueConstraint("congress_id", "number", name="uq_floor_motions_congress_number"),
)


# Corrections of a poll (issue 14): proposed by one official, co-signed by a second of
# another role; roles and card numbers only, never a name.
corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("congress_id", ID, sa.ForeignKey("congresses.id"), nullable=False),
    sa.Column("poll_id", ID, sa.ForeignKey("polls.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("batch_id", ID, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("proposed_role", sa.String(20), nullable=False),
    sa.Column("proposed_card", sa.Integer, nullable=False),
    sa.Column("cosigned_role", sa.String(20), nullable=True),
    sa.Column("cosigned_card", sa.Integer, nullable=True),
    sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"),
)
