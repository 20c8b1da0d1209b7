"""Commands of the AD/ART procedure: imperative, frozen, one handler each."""

from __future__ import annotations

from dataclasses import dataclass

from governance.adart.model import DEFAULT_RULES, AdartRules
from governance.domain.commands import Command


@dataclass(frozen=True)
class ImportDraft(Command):
    """Read a Markdown draft AD/ART into a congress (once)."""

    congress_id: str
    source: str
    rules: AdartRules = DEFAULT_RULES


@dataclass(frozen=True)
class AssignChapter(Command):
    """Give a chapter to a commission for discussion."""

    congress_id: str
    chapter: str
    commission: str


@dataclass(frozen=True)
class ProposeAmendment(Command):
    """A delegate proposes to replace, insert or delete text of an article, with a reason."""

    congress_id: str
    article: str
    kind: str
    target: str
    text: str
    reason: str
    delegate_id: str


@dataclass(frozen=True)
class SupportAmendment(Command):
    """A delegate supports an amendment (the rules say how many are needed)."""

    congress_id: str
    amendment_id: str
    delegate_id: str


@dataclass(frozen=True)
class RecommendAmendment(Command):
    """The chapter's commission recommends adopting or rejecting an amendment."""

    congress_id: str
    amendment_id: str
    commission: str
    recommendation: str


@dataclass(frozen=True)
class RecordDeliberation(Command):
    """Minute the musyawarah on an article: consensus (with the amendments it takes up) or not."""

    congress_id: str
    article: str
    consensus: bool
    note: str = ""
    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenAdartVote(Command):
    """Open the plenary vote on an amendment id, an article key, or "final" (the whole text)."""

    congress_id: str
    subject: str


@dataclass(frozen=True)
class SettleAdartVotes(Command):
    """Take the published outcomes of the statute's closed votes into the text."""

    congress_id: str


@dataclass(frozen=True)
class CastNamedVote(Command):
    """An open (named) vote by a signed-in delegate; only polls created as named accept it."""

    poll_id: str
    delegate_id: str
    choice: int


@dataclass(frozen=True)
class PublishDocument(Command):
    """Render, hash, number and publish a decision on a poll, or the minutes of a session."""

    congress_id: str
    kind: str
    language: str = "id"
    poll_id: str | None = None
    poll_ids: tuple[str, ...] = ()
    chair: str = ""
    secretary: str = ""
