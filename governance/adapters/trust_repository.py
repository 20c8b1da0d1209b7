"""Checkpoints, observer keys and co-signatures, inside the unit of work's transaction."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from governance.adapters.repositories import decode_choices
from governance.adapters.tables import (
    ballots,
    checkpoints,
    cosignatures,
    delegates,
    events,
    identity_cards,
    log_head,
    named_votes,
    nominations,
    observer_keys,
    polls,
    positions,
    voting_cards,
)
from governance.domain.trust import Checkpoint

GENESIS = "0" * 64
# Every table with a foreign key to delegates: a purge removes their rows first.
PURGED_WITH_DELEGATES = ("named_votes", "nominations", "identity_cards")


def checkpoint_from_row(row: Any) -> Checkpoint:
    return Checkpoint(
        id=row.id,
        congress_id=row.congress_id,
        poll_id=row.poll_id,
        kind=row.kind,
        seq=int(row.seq),
        head=row.head,
        board_sha256=row.board_sha256,
        ballots=row.ballots,
        signed_at=row.signed_at,
        signature=row.signature,
    )


class SqlTrustRepository:
    def __init__(self, conn: Connection, seen: list[Any]) -> None:
        self.conn = conn

    def head(self) -> tuple[int, str]:
        row = self.conn.execute(sa.select(log_head).where(log_head.c.id == 1)).first()
        return (int(row.seq), str(row.hash)) if row else (0, GENESIS)

    def sequenced(self, poll_id: str, event_type: str) -> bool:
        query = sa.select(events.c.id).where(
            events.c.poll_id == poll_id, events.c.type == event_type, events.c.seq.is_not(None)
        )
        return self.conn.execute(query.limit(1)).first() is not None

    def board(self, poll_id: str) -> list[tuple[str, tuple[int, ...]]]:
        rows = self.conn.execute(
            sa.select(ballots.c.receipt, ballots.c.choices)
            .where(ballots.c.poll_id == poll_id)
            .order_by(ballots.c.receipt)
        ).all()  # one fetch of all rows, not one call per row
        return [(receipt, decode_choices(choices)) for receipt, choices in rows]

    def checkpoint(self, unique_key: str) -> Checkpoint | None:
        row = self.conn.execute(
            sa.select(checkpoints).where(checkpoints.c.unique_key == unique_key)
        ).first()
        return checkpoint_from_row(row) if row else None

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        values = checkpoint.public() | {"unique_key": checkpoint.unique_key}
        self.conn.execute(checkpoints.insert().values(**values))

    def latest_checkpoint(self, congress_id: str) -> Checkpoint | None:
        row = self.conn.execute(
            sa.select(checkpoints)
            .where(checkpoints.c.congress_id == congress_id)
            .order_by(checkpoints.c.seq.desc(), checkpoints.c.signed_at.desc())
            .limit(1)
        ).first()
        return checkpoint_from_row(row) if row else None

    def congresses_with_open_polls(self) -> list[str]:
        query = sa.select(polls.c.congress_id).where(polls.c.status == "open").distinct()
        return sorted(r for (r,) in self.conn.execute(query))

    def observer_key(self, congress_id: str, fingerprint: str) -> str | None:
        row = self.conn.execute(
            sa.select(observer_keys.c.public_key).where(
                observer_keys.c.fingerprint == fingerprint,
                observer_keys.c.congress_id == congress_id,
            )
        ).first()
        return str(row.public_key) if row else None

    def observer_label(self, congress_id: str, fingerprint: str) -> str | None:
        row = self.conn.execute(
            sa.select(observer_keys.c.label).where(
                observer_keys.c.fingerprint == fingerprint,
                observer_keys.c.congress_id == congress_id,
            )
        ).first()
        return str(row.label) if row else None

    def add_observer(self, congress_id: str, label: str, public_key: str, fp: str) -> None:
        self.conn.execute(
            observer_keys.insert().values(
                fingerprint=fp, congress_id=congress_id, label=label, public_key=public_key
            )
        )

    def add_cosignature(self, checkpoint_id: str, fingerprint: str, signature: str) -> bool:
        exists = self.conn.execute(
            sa.select(cosignatures.c.signature).where(
                cosignatures.c.checkpoint_id == checkpoint_id,
                cosignatures.c.fingerprint == fingerprint,
            )
        ).first()
        if exists:
            return False
        self.conn.execute(
            cosignatures.insert().values(
                checkpoint_id=checkpoint_id, fingerprint=fingerprint, signature=signature
            )
        )
        return True

    def cosignature_count(self, poll_id: str) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(cosignatures.join(checkpoints))
            .where(checkpoints.c.poll_id == poll_id, checkpoints.c.kind == "close")
        )
        return int(self.conn.execute(query).scalar_one())

    def purge_identity(self, congress_id: str) -> dict[str, int]:
        poll_ids = sa.select(polls.c.id).where(polls.c.congress_id == congress_id)
        position_ids = sa.select(positions.c.id).where(positions.c.congress_id == congress_id)
        removed = {
            # The rows that name a delegate (PURGED_WITH_DELEGATES) go first. The roll calls
            # and nominations stay in the published minutes and as events in the log.
            "named_votes": self.conn.execute(
                named_votes.delete().where(named_votes.c.poll_id.in_(poll_ids))
            ).rowcount,
            "nominations": self.conn.execute(
                nominations.delete().where(nominations.c.position_id.in_(position_ids))
            ).rowcount,
            "identity_cards": self.conn.execute(
                identity_cards.delete().where(identity_cards.c.congress_id == congress_id)
            ).rowcount,
            "voting_cards": self.conn.execute(
                voting_cards.delete().where(voting_cards.c.congress_id == congress_id)
            ).rowcount,
            "delegates": self.conn.execute(
                delegates.delete().where(delegates.c.congress_id == congress_id)
            ).rowcount,
        }
        # A nullifier plus the server secret and a kept card code would find a card's
        # ballots; after the congress nothing needs them, so each becomes random.
        ids = [
            r
            for (r,) in self.conn.execute(
                sa.select(ballots.c.id).where(ballots.c.poll_id.in_(poll_ids))
            )
        ]
        if ids:
            self.conn.execute(
                ballots.update()
                .where(ballots.c.id == sa.bindparam("b_id"))
                .values(nullifier=sa.bindparam("b_null")),
                [{"b_id": i, "b_null": secrets.token_hex(32)} for i in ids],
            )
        removed["nullifiers"] = len(ids)
        return removed
