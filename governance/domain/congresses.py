"""The congress: the organisation's assembly that polls belong to."""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.domain.events import CongressCreated, Event


@dataclass
class Congress:
    """A congress with its name; delegates, cards and polls refer to it by id."""

    id: str
    slug: str
    name: str
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def create(cls, id: str, slug: str, name: str) -> Congress:
        congress = cls(id=id, slug=slug, name=name)
        congress.events.append(CongressCreated(congress_id=id, name=name))
        return congress
