"""Read side for trust: boards, checkpoints, observers and co-signatures."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from governance.adapters.repositories import decode_choices
from governance.adapters.tables import (
    ballots,
    checkpoints,
    cosignatures,
    observer_keys,
    polls,
)
from governance.adapters.trust_repository import checkpoint_from_row
from governance.domain.trust import Checkpoint
from governance.records import canon


@dataclass(frozen=True)
class Board:
    """A closed poll's board: the exact bytes every reader gets, and their sha256."""

    poll_id: str
    body: bytes
    sha256: str
    rows: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Observer:
    label: str
    public_key: str
    fingerprint: str


@dataclass(frozen=True)
class Cosignature:
    checkpoint_id: str
    label: str
    fingerprint: str
    signature: str


class TrustQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def board(self, poll_id: str) -> Board | None:
        """The board of a closed poll (None while it is open: no partial boards)."""
        with self.engine.connect() as conn:
            status = conn.execute(sa.select(polls.c.status).where(polls.c.id == poll_id)).scalar()
            if status != "closed":
                return None
            found = conn.execute(
                sa.select(ballots.c.receipt, ballots.c.choices)
                .where(ballots.c.poll_id == poll_id)
                .order_by(ballots.c.receipt)
            ).all()
        rows = tuple((r.receipt, decode_choices(r.choices)) for r in found)
        body = canon.board_bytes(poll_id, rows)
        return Board(poll_id, body, canon.sha256_hex(body), rows)

    def checkpoints(self, congress_id: str, poll_id: str | None = None) -> list[Checkpoint]:
        query = sa.select(checkpoints).where(checkpoints.c.congress_id == congress_id)
        if poll_id is not None:
            query = query.where(checkpoints.c.poll_id == poll_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(checkpoints.c.seq, checkpoints.c.signed_at)).all()
        return [checkpoint_from_row(r) for r in rows]

    def observers(self, congress_id: str) -> list[Observer]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(observer_keys)
                .where(observer_keys.c.congress_id == congress_id)
                .order_by(observer_keys.c.label)
            ).all()
        return [Observer(r.label, r.public_key, r.fingerprint) for r in rows]

    def cosignatures(self, congress_id: str, poll_id: str | None = None) -> list[Cosignature]:
        query = (
            sa.select(cosignatures, observer_keys.c.label)
            .select_from(
                cosignatures.join(checkpoints).join(
                    observer_keys,
                    sa.and_(
                        observer_keys.c.fingerprint == cosignatures.c.fingerprint,
                        observer_keys.c.congress_id == checkpoints.c.congress_id,
                    ),
                )
            )
            .where(checkpoints.c.congress_id == congress_id)
        )
        if poll_id is not None:
            query = query.where(checkpoints.c.poll_id == poll_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(observer_keys.c.label)).all()
        return [Cosignature(r.checkpoint_id, r.label, r.fingerprint, r.signature) for r in rows]
