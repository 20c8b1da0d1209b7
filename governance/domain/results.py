"""A poll's computed result: what the tally found, and whether it is public yet."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from governance.domain.errors import CosignaturesMissing
from governance.domain.events import Event, ResultComputed, ResultPublished


def canonical_json(data: Any) -> str:
    """The one serialisation that hashes and signatures are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class PollResult:
    """The outcome and transcript of one poll; `data` is the tally's JSON form."""

    poll_id: str
    congress_id: str
    outcome: str
    data: dict[str, Any]
    digest: str
    computed_at: datetime
    published_at: datetime | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def computed(
        cls, poll_id: str, congress_id: str, outcome: str, data: dict[str, Any], now: datetime
    ) -> PollResult:
        digest = hashlib.sha256(canonical_json(data).encode()).hexdigest()
        result = cls(poll_id, congress_id, outcome, data, digest, now)
        result.events.append(
            ResultComputed(congress_id=congress_id, poll_id=poll_id, outcome=outcome, digest=digest)
        )
        return result

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publish(self, now: datetime, cosigned: int = 0, required: int = 0) -> bool:
        """Make the result public; False when it already was (publishing is idempotent).

        A poll may require k observers to have co-signed its closing checkpoint first.
        """
        if self.is_published:
            return False
        if cosigned < required:
            raise CosignaturesMissing(f"{cosigned} of {required} observer signatures")
        self.published_at = now
        self.events.append(
            ResultPublished(congress_id=self.congress_id, poll_id=self.poll_id, digest=self.digest)
        )
        return True
