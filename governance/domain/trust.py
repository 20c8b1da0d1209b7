"""Signed checkpoints of the event log: what the congress key (and observers) sign."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("open", "close", "periodic")


@dataclass(frozen=True)
class Checkpoint:
    """The log's head at a moment, signed; a closing one also fixes the poll's board."""

    id: str
    congress_id: str
    poll_id: str | None
    kind: str
    seq: int
    head: str
    board_sha256: str | None
    ballots: int | None
    signed_at: str
    signature: str

    @property
    def unique_key(self) -> str | None:
        # One opening and one closing checkpoint per poll, however often the actor runs.
        return f"{self.poll_id}:{self.kind}" if self.poll_id and self.kind != "periodic" else None

    def signed_fields(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("id")
        data.pop("signature")
        return data

    def public(self) -> dict[str, Any]:
        return asdict(self)
