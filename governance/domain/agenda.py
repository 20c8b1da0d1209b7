"""The agenda: sessions (plenary or commission) and the items discussed in them."""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.codes import new_id
from governance.domain.errors import InvalidInput

SESSION_KINDS = ("plenary", "commission")


@dataclass(frozen=True)
class AgendaItem:
    """One item of one session."""

    id: str
    congress_id: str
    session: str
    kind: str
    title: str

    @classmethod
    def create(cls, congress_id: str, session: str, kind: str, title: str) -> AgendaItem:
        if kind not in SESSION_KINDS or not session.strip() or not title.strip():
            raise InvalidInput("agenda item")
        return cls(new_id(), congress_id, session.strip(), kind, title.strip())
