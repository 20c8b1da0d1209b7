"""Repositories for the AD/ART statute, named votes and published documents."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from governance.adapters.repositories import _Repository
from governance.adapters.tables import delegates, documents, named_votes, statutes
from governance.adart.statute import Statute
from governance.adart.storage import statute_from_state, statute_state
from governance.domain.documents import Document
from governance.domain.results import canonical_json


class SqlStatuteRepository(_Repository):
    def add(self, statute: Statute) -> None:
        state = canonical_json(statute_state(statute))
        self.conn.execute(
            statutes.insert().values(id=statute.id, congress_id=statute.congress_id, state=state)
        )
        self.seen.append(statute)

    def for_congress(self, congress_id: str, *, lock: bool = True) -> Statute | None:
        query = sa.select(statutes.c.state).where(statutes.c.congress_id == congress_id)
        # The row lock serialises every step of the procedure on one congress's statute.
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            return None
        statute = statute_from_state(json.loads(row.state))
        self.seen.append(statute)
        return statute

    def save(self, statute: Statute) -> None:
        self.conn.execute(
            statutes.update()
            .where(statutes.c.id == statute.id)
            .values(state=canonical_json(statute_state(statute)))
        )


class SqlNamedVoteRepository(_Repository):
    """Open votes record the delegate by design; the secret ballot tables never do."""

    def get(self, poll_id: str, delegate_id: str) -> int | None:
        row = self.conn.execute(
            sa.select(named_votes.c.choice).where(
                named_votes.c.poll_id == poll_id, named_votes.c.delegate_id == delegate_id
            )
        ).first()
        return None if row is None else int(row.choice)

    def add(self, poll_id: str, delegate_id: str, choice: int) -> None:
        self.conn.execute(
            named_votes.insert().values(poll_id=poll_id, delegate_id=delegate_id, choice=choice)
        )

    def choices(self, poll_id: str) -> list[tuple[int, ...]]:
        rows = self.conn.execute(
            sa.select(named_votes.c.choice).where(named_votes.c.poll_id == poll_id)
        )
        return [(int(choice),) for (choice,) in rows]

    def count(self, poll_id: str) -> int:
        query = sa.select(sa.func.count()).where(named_votes.c.poll_id == poll_id)
        return int(self.conn.execute(query).scalar_one())


class SqlDocumentRepository(_Repository):
    def next_number(self, congress_id: str, kind: str) -> int:
        query = sa.select(sa.func.max(documents.c.number)).where(
            documents.c.congress_id == congress_id, documents.c.kind == kind
        )
        return int(self.conn.execute(query).scalar() or 0) + 1

    def decisions_on(self, congress_id: str, poll_id: str) -> dict[str, tuple[str, int]]:
        """Decisions already published on a poll: language -> (document id, number)."""
        rows = self.conn.execute(
            sa.select(documents.c.id, documents.c.number, documents.c.language).where(
                documents.c.congress_id == congress_id,
                documents.c.kind == "decision",
                documents.c.poll_id == poll_id,
            )
        ).all()
        return {r.language: (r.id, int(r.number)) for r in rows}

    def attendance_by_region(self, congress_id: str) -> dict[str, tuple[int, int]]:
        """Region -> (entitled, present): counts only, so the minutes name nobody."""
        rows = self.conn.execute(
            sa.select(
                delegates.c.region,
                sa.func.count(),
                sa.func.sum(sa.case((delegates.c.present.is_(True), 1), else_=0)),
            )
            .where(delegates.c.congress_id == congress_id, delegates.c.voting_right.is_(True))
            .group_by(delegates.c.region)
            .order_by(delegates.c.region)
        ).all()
        return {str(r[0]): (int(r[1]), int(r[2] or 0)) for r in rows}

    def add(self, document: Document) -> None:
        self.conn.execute(documents.insert().values(**document.row()))
        self.seen.append(document)

    def published_at(self, document_id: str) -> datetime | None:
        row = self.conn.execute(
            sa.select(documents.c.published_at).where(documents.c.id == document_id)
        ).first()
        return None if row is None else row.published_at
