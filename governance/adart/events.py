"""Events of the AD/ART procedure; stable type strings, stored with the statute's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from governance.domain.events import Event


@dataclass(frozen=True)
class DraftImported(Event):
    type: ClassVar[str] = "adart.draft_imported"
    congress_id: str
    statute_id: str
    chapters: int
    articles: int
    sha256: str


@dataclass(frozen=True)
class ChapterAssigned(Event):
    type: ClassVar[str] = "adart.chapter_assigned"
    congress_id: str
    chapter: str
    commission: str


@dataclass(frozen=True)
class AmendmentProposed(Event):
    type: ClassVar[str] = "adart.amendment_proposed"
    congress_id: str
    amendment_id: str
    article: str
    kind: str


@dataclass(frozen=True)
class AmendmentSupported(Event):
    type: ClassVar[str] = "adart.amendment_supported"
    congress_id: str
    amendment_id: str
    supporters: int


@dataclass(frozen=True)
class AmendmentRecommended(Event):
    type: ClassVar[str] = "adart.amendment_recommended"
    congress_id: str
    amendment_id: str
    commission: str
    recommendation: str


@dataclass(frozen=True)
class DeliberationRecorded(Event):
    """Musyawarah on an article: consensus adopts it by acclamation, otherwise a vote opens."""

    type: ClassVar[str] = "adart.deliberation_recorded"
    congress_id: str
    article: str
    consensus: bool
    note: str


@dataclass(frozen=True)
class VoteOpened(Event):
    type: ClassVar[str] = "adart.vote_opened"
    congress_id: str
    subject: str
    poll_id: str


@dataclass(frozen=True)
class ItemDecided(Event):
    """An amendment, an article or the whole text was decided (by vote, consensus or lapse)."""

    type: ClassVar[str] = "adart.item_decided"
    congress_id: str
    subject: str
    outcome: str
    how: str
