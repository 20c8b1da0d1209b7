"""Read side of the AD/ART and the documents: finished data for pages and exports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from governance.adapters.tables import (
    delegates,
    documents,
    identity_cards,
    named_votes,
    polls,
    results,
    statutes,
)
from governance.adart.statute import Statute
from governance.adart.storage import statute_from_state


@dataclass(frozen=True)
class DocumentView:
    id: str
    kind: str
    number: int
    language: str
    title: str
    poll_id: str | None
    html_sha256: str
    pdf_sha256: str
    published_at: datetime


@dataclass(frozen=True)
class NamedVoteView:
    alias: str
    choice: str


class AdartQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def statute(self, congress_id: str, *, settled: bool = False) -> Statute | None:
        """The stored statute; `settled` also shows published outcomes not yet taken in.

        Taking them in is deterministic and happens for real at the next command, so a page
        need not wait for someone to press a button to show what the plenary decided.
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(statutes.c.state).where(statutes.c.congress_id == congress_id)
            ).first()
            if row is None:
                return None
            statute = statute_from_state(json.loads(row.state))
            if settled:
                pending = statute.pending_polls()
                published = conn.execute(
                    sa.select(results.c.poll_id, results.c.outcome).where(
                        results.c.poll_id.in_(list(pending)), results.c.published_at.is_not(None)
                    )
                ).all()
                outcomes = {r.poll_id: r.outcome for r in published}
                for poll_id, subject in pending.items():
                    if poll_id in outcomes:
                        statute.settle(subject, outcomes[poll_id])
        return statute

    def named_turnout(self, poll_id: str) -> int:
        with self.engine.connect() as conn:
            query = sa.select(sa.func.count()).where(named_votes.c.poll_id == poll_id)
            return int(conn.execute(query).scalar_one())

    def documents(self, congress_id: str) -> list[DocumentView]:
        columns = [c for c in documents.c if c.name not in ("html", "pdf", "congress_id")]
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(*columns)
                .where(documents.c.congress_id == congress_id)
                .order_by(documents.c.kind, documents.c.number, documents.c.language)
            ).all()
        return [DocumentView(**row._asdict()) for row in rows]

    def document_body(self, document_id: str, kind: str) -> tuple[str, bytes] | None:
        """The stored bytes of a document as published ("html" or "pdf"), with its congress."""
        column = documents.c.pdf if kind == "pdf" else documents.c.html
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(documents.c.congress_id, column).where(documents.c.id == document_id)
            ).first()
        if row is None:
            return None
        body = row[1]
        return row.congress_id, body if isinstance(body, bytes) else str(body).encode()

    def named_votes(self, poll_id: str) -> list[NamedVoteView]:
        """An open vote's roll call; only polls created as named have any rows."""
        with self.engine.connect() as conn:
            options = conn.execute(sa.select(polls.c.options).where(polls.c.id == poll_id)).first()
            rows = conn.execute(
                sa.select(delegates.c.alias, named_votes.c.choice)
                .join(delegates, delegates.c.id == named_votes.c.delegate_id)
                .where(named_votes.c.poll_id == poll_id)
                .order_by(delegates.c.number)
            ).all()
        labels = list(options.options) if options else []
        return [NamedVoteView(r.alias, labels[r.choice]) for r in rows]

    def delegate_for_card(self, congress_id: str, number: int) -> str | None:
        """The delegate an identity card belongs to (named actions only: proposing, supporting)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(identity_cards.c.delegate_id).where(
                    identity_cards.c.congress_id == congress_id,
                    identity_cards.c.number == number,
                    identity_cards.c.revoked.is_(False),
                )
            ).first()
        return None if row is None else row.delegate_id
