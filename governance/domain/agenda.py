"""The agenda: sessions (plenary or commission), their items in order, and the time plan."""

from __future__ import annotations

import re
from dataclasses import dataclass

from governance.domain.codes import new_id
from governance.domain.errors import InvalidInput
from governance.domain.text import clean_text

SESSION_KINDS = ("plenary", "commission")
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[.:]([0-5]\d)$")
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class AgendaItem:
    """One item of one session: planned start ("09:00", the congress's clock) and minutes.

    An item without a start of its own starts when the one before it ends (the time plan).
    """

    id: str
    congress_id: str
    session: str
    kind: str
    title: str
    starts_at: str = ""
    minutes: int = 0
    ordinal: int = 0

    @classmethod
    def create(
        cls,
        congress_id: str,
        session: str,
        kind: str,
        title: str,
        starts_at: str = "",
        minutes: int = 0,
    ) -> AgendaItem:
        if kind not in SESSION_KINDS:
            raise InvalidInput("agenda item kind")
        session = clean_text(session, field="session", max_length=200)
        title = clean_text(title, field="title", max_length=300)
        if not 0 <= minutes <= MAX_MINUTES:
            raise InvalidInput("minutes")
        return cls(new_id(), congress_id, session, kind, title, clock(starts_at), minutes)


def clock(text: str) -> str:
    """A time of day as "HH:MM" ("9.30" and "09:30" both), or "" for none."""
    text = text.strip()
    if not text:
        return ""
    found = _CLOCK.match(text)
    if found is None:
        raise InvalidInput("a time of day is written 09:30")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(total: int) -> str:
    total %= MAX_MINUTES
    return f"{total // 60:02d}:{total % 60:02d}"


@dataclass(frozen=True)
class Planned:
    """An item's place in the time plan: "" where nothing before it says when it starts."""

    starts: str
    ends: str


def time_plan(items: list[AgendaItem]) -> dict[str, Planned]:
    """Each item's planned start and end, in agenda order: an item without a start follows
    the end of the one before it; one without minutes has no end (and the next no start)."""
    plan: dict[str, Planned] = {}
    previous_end: int | None = None
    for item in sorted(items, key=lambda i: i.ordinal):
        start = _minutes(item.starts_at) if item.starts_at else previous_end
        end = start + item.minutes if start is not None and item.minutes else None
        plan[item.id] = Planned(
            "" if start is None else _hhmm(start), "" if end is None else _hhmm(end)
        )
        previous_end = end
    return plan
