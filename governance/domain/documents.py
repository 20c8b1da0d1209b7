"""Published documents (decisions, minutes): numbered, hashed, and the hash is logged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from governance.domain.codes import new_id
from governance.domain.commands import Command
from governance.domain.events import Event

KINDS = ("decision", "minutes")


@dataclass(frozen=True)
class DocumentPublished(Event):
    """The sha256 of the HTML and of the PDF, so anyone can check a copy against the log."""

    type: ClassVar[str] = "document.published"
    congress_id: str
    document_id: str
    kind: str
    number: int
    language: str
    poll_id: str | None
    html_sha256: str
    pdf_sha256: str


@dataclass
class Document:
    id: str
    congress_id: str
    kind: str
    number: int
    poll_id: str | None
    language: str
    title: str
    html: str
    pdf: bytes
    html_sha256: str
    pdf_sha256: str
    published_at: datetime
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def publish(
        cls,
        congress_id: str,
        kind: str,
        number: int,
        poll_id: str | None,
        language: str,
        rendered: tuple[str, str, bytes],
        now: datetime,
    ) -> Document:
        title, html, pdf = rendered
        html_sha = hashlib.sha256(html.encode()).hexdigest()
        pdf_sha = hashlib.sha256(pdf).hexdigest()
        document = cls(
            new_id(),
            congress_id,
            kind,
            number,
            poll_id,
            language,
            title,
            html,
            pdf,
            html_sha,
            pdf_sha,
            now,
        )
        document.events.append(
            DocumentPublished(
                congress_id, document.id, kind, number, language, poll_id, html_sha, pdf_sha
            )
        )
        return document

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "congress_id": self.congress_id,
            "kind": self.kind,
            "number": self.number,
            "poll_id": self.poll_id,
            "language": self.language,
            "title": self.title,
            "html": self.html,
            "pdf": self.pdf,
            "html_sha256": self.html_sha256,
            "pdf_sha256": self.pdf_sha256,
            "published_at": self.published_at,
        }


@dataclass(frozen=True)
class DocumentSettingsSaved(Event):
    type: ClassVar[str] = "document.settings_saved"
    congress_id: str
    organisation: str
    place: str
    venue: str


@dataclass
class DocumentSettings:
    """What every document prints: the organisation, where it is established, the venue."""

    congress_id: str
    organisation: str = ""
    place: str = ""
    venue: str = ""
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def change(self, organisation: str, place: str, venue: str) -> None:
        values = (organisation.strip(), place.strip(), venue.strip())
        if values != (self.organisation, self.place, self.venue):
            self.organisation, self.place, self.venue = values
            self.events.append(DocumentSettingsSaved(self.congress_id, *values))


@dataclass(frozen=True)
class SetDocumentSettings(Command):
    congress_id: str
    organisation: str
    place: str
    venue: str
