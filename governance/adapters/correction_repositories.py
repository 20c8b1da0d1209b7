"""Storage of corrections (issue 14): proposals and their co-signatures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from governance.adapters.repositories import _Repository
from governance.adapters.tables import corrections, documents, paper_batches, polls
from governance.domain.corrections import Correction, Kind


def correction_from_row(row: Any) -> Correction:
    return Correction(
        id=row.id,
        congress_id=row.congress_id,
        poll_id=row.poll_id,
        kind=Kind(row.kind),
        reason=row.reason,
        proposed_role=row.proposed_role,
        proposed_card=int(row.proposed_card),
        batch_id=row.batch_id,
        status=row.status,
        cosigned_role=row.cosigned_role,
        cosigned_card=row.cosigned_card,
    )


class SqlCorrectionRepository(_Repository):
    def add(self, correction: Correction) -> None:
        ordinal = self.conn.execute(
            sa.select(sa.func.count()).where(corrections.c.poll_id == correction.poll_id)
        ).scalar_one()
        self.conn.execute(
            corrections.insert().values(
                id=correction.id,
                congress_id=correction.congress_id,
                poll_id=correction.poll_id,
                kind=correction.kind.value,
                batch_id=correction.batch_id,
                reason=correction.reason,
                status=correction.status,
                proposed_role=correction.proposed_role,
                proposed_card=correction.proposed_card,
                ordinal=int(ordinal) + 1,
            )
        )
        self.seen.append(correction)

    def get(self, correction_id: str) -> Correction | None:
        row = self.conn.execute(
            sa.select(corrections).where(corrections.c.id == correction_id).with_for_update()
        ).first()
        if row is None:
            return None
        correction = correction_from_row(row)
        self.seen.append(correction)
        return correction

    def save(self, correction: Correction) -> None:
        self.conn.execute(
            corrections.update()
            .where(corrections.c.id == correction.id)
            .values(
                status=correction.status,
                cosigned_role=correction.cosigned_role,
                cosigned_card=correction.cosigned_card,
            )
        )

    def open_for(self, poll_id: str) -> list[Correction]:
        rows = self.conn.execute(
            sa.select(corrections).where(
                corrections.c.poll_id == poll_id, corrections.c.status == "proposed"
            )
        ).all()
        found = [correction_from_row(r) for r in rows]
        self.seen.extend(found)
        return found

    def entered_batches(self, poll_id: str) -> list[str]:
        """Ids of the poll's batches not yet confirmed (voided with an annulment)."""
        rows = self.conn.execute(
            sa.select(paper_batches.c.id).where(
                paper_batches.c.poll_id == poll_id, paper_batches.c.status == "entered"
            )
        )
        return [r for (r,) in rows]

    def annulment(self, poll_id: str) -> Correction | None:
        """The co-signed annulment of a poll, if it was annulled."""
        row = self.conn.execute(
            sa.select(corrections).where(
                corrections.c.poll_id == poll_id,
                corrections.c.kind == Kind.ANNUL.value,
                corrections.c.status == "done",
            )
        ).first()
        return correction_from_row(row) if row is not None else None

    def annulled_polls(self, congress_id: str) -> list[tuple[str, str]]:
        """(title, reason) of the congress's annulled polls, in agenda order, for the minutes."""
        rows = self.conn.execute(
            sa.select(polls.c.title, polls.c.annulled)
            .where(polls.c.congress_id == congress_id, polls.c.annulled.is_not(None))
            .order_by(polls.c.position)
        ).all()
        return [(r.title, r.annulled) for r in rows]

    def documents_on(
        self, congress_id: str, poll_id: str, kind: str
    ) -> dict[str, tuple[str, int, datetime | None]]:
        """Documents of a kind on a poll: language -> (id, number, published at)."""
        rows = self.conn.execute(
            sa.select(
                documents.c.id, documents.c.number, documents.c.language, documents.c.published_at
            ).where(
                documents.c.congress_id == congress_id,
                documents.c.kind == kind,
                documents.c.poll_id == poll_id,
            )
        ).all()
        return {r.language: (r.id, int(r.number), r.published_at) for r in rows}
