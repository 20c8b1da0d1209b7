"""Repositories: translate between aggregates and rows inside one connection's transaction."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from governance.adapters.driver_sql import DriverStatement
from governance.adapters.tables import (
    ballots,
    congresses,
    delegates,
    display_settings,
    document_settings,
    identity_cards,
    polls,
    results,
    voting_cards,
)
from governance.domain.congresses import Congress
from governance.domain.delegates import Delegate, IdentityCard, Role
from governance.domain.display import DisplaySettings
from governance.domain.documents import DocumentSettings
from governance.domain.polls import Ballot, Poll, PollStatus
from governance.domain.results import PollResult, canonical_json
from governance.domain.rules_json import rule_from_json, rule_to_json
from governance.service_layer.ports import ANY_SESSION, CastContext


class _Repository:
    def __init__(self, conn: Connection, seen: list[Any]) -> None:
        self.conn = conn
        self.seen = seen


class SqlCongressRepository(_Repository):
    def add(self, congress: Congress) -> None:
        self.conn.execute(
            congresses.insert().values(id=congress.id, slug=congress.slug, name=congress.name)
        )
        self.seen.append(congress)

    def get(self, congress_id: str) -> Congress | None:
        row = self.conn.execute(sa.select(congresses).where(congresses.c.id == congress_id)).first()
        return Congress(id=row.id, slug=row.slug, name=row.name) if row else None

    def set_listed(self, congress_id: str, listed: bool) -> None:
        self.conn.execute(
            congresses.update().where(congresses.c.id == congress_id).values(listed=listed)
        )

    def display(self, congress_id: str) -> DisplaySettings:
        row = self.conn.execute(
            sa.select(display_settings).where(display_settings.c.congress_id == congress_id)
        ).first()
        return DisplaySettings(congress_id, bool(row.projector_names) if row else False)

    def save_display(self, settings: DisplaySettings) -> None:
        values = {"projector_names": settings.projector_names}
        updated = self.conn.execute(
            display_settings.update()
            .where(display_settings.c.congress_id == settings.congress_id)
            .values(**values)
        ).rowcount
        if not updated:
            self.conn.execute(
                display_settings.insert().values(congress_id=settings.congress_id, **values)
            )
        self.seen.append(settings)

    def document_settings(self, congress_id: str) -> DocumentSettings:
        row = self.conn.execute(
            sa.select(document_settings).where(document_settings.c.congress_id == congress_id)
        ).first()
        if row is None:
            return DocumentSettings(congress_id)
        return DocumentSettings(congress_id, row.organisation, row.place, row.venue)

    def save_document_settings(self, settings: DocumentSettings) -> None:
        values = {"organisation": settings.organisation, "place": settings.place}
        values["venue"] = settings.venue
        table = document_settings
        updated = self.conn.execute(
            table.update().where(table.c.congress_id == settings.congress_id).values(**values)
        ).rowcount
        if not updated:
            self.conn.execute(table.insert().values(congress_id=settings.congress_id, **values))
        self.seen.append(settings)


class SqlDelegateRepository(_Repository):
    def add(self, delegate: Delegate) -> None:
        self.conn.execute(delegates.insert().values(**vars(delegate)))

    def get(self, delegate_id: str) -> Delegate | None:
        row = self.conn.execute(sa.select(delegates).where(delegates.c.id == delegate_id)).first()
        return Delegate(**row._asdict()) if row else None

    def set_present(self, delegate_id: str, present: bool) -> None:
        self.conn.execute(
            delegates.update().where(delegates.c.id == delegate_id).values(present=present)
        )

    def count_entitled(self, congress_id: str) -> int:
        query = sa.select(sa.func.count()).where(
            delegates.c.congress_id == congress_id, delegates.c.voting_right.is_(True)
        )
        return int(self.conn.execute(query).scalar_one())

    def count_present(self, congress_id: str) -> int:
        query = sa.select(sa.func.count()).where(
            delegates.c.congress_id == congress_id,
            delegates.c.voting_right.is_(True),
            delegates.c.present.is_(True),
        )
        return int(self.conn.execute(query).scalar_one())


class SqlCardRepository(_Repository):
    def add_identity_card(self, card: IdentityCard) -> None:
        values = vars(card) | {"role": card.role.value}
        self.conn.execute(identity_cards.insert().values(**values))

    def identity_card(self, congress_id: str, number: int) -> IdentityCard | None:
        row = self.conn.execute(
            sa.select(identity_cards).where(
                identity_cards.c.congress_id == congress_id, identity_cards.c.number == number
            )
        ).first()
        if row is None:
            return None
        data = row._asdict()
        return IdentityCard(**(data | {"role": Role(data["role"])}))

    def identity_cards(self, congress_id: str) -> list[IdentityCard]:
        """Every identity card of the congress (delegates' and officials'), by number."""
        rows = self.conn.execute(
            sa.select(identity_cards)
            .where(identity_cards.c.congress_id == congress_id)
            .order_by(identity_cards.c.number)
        ).all()
        return [IdentityCard(**(r._asdict() | {"role": Role(r.role)})) for r in rows]

    def add_voting_cards(
        self, congress_id: str, tags: list[str], serials: list[str] | None = None
    ) -> None:
        if tags:
            numbered: list[str | None] = list(serials) if serials else [None] * len(tags)
            self.conn.execute(
                voting_cards.insert(),
                [
                    {"tag": t, "congress_id": congress_id, "serial": s}
                    for t, s in zip(tags, numbered, strict=True)
                ],
            )

    def voting_tag_by_serial(self, congress_id: str, serial: str) -> str | None:
        """The tag of the card printed with this serial, if it is active in this congress."""
        row = self.conn.execute(
            sa.select(voting_cards.c.tag).where(
                voting_cards.c.congress_id == congress_id,
                voting_cards.c.serial == serial,
                voting_cards.c.revoked.is_(False),
            )
        ).first()
        return None if row is None else str(row.tag)

    def voting_card_active(self, congress_id: str, tag: str) -> bool:
        row = self.conn.execute(
            sa.select(voting_cards.c.congress_id, voting_cards.c.revoked).where(
                voting_cards.c.tag == tag
            )
        ).first()
        return row is not None and row.congress_id == congress_id and not row.revoked

    def end_sessions(self, congress_id: str, number: int | None, tag: str | None) -> None:
        """Move a card's session version: every session made before stops working."""
        if number is not None:
            table = identity_cards
            where = sa.and_(table.c.congress_id == congress_id, table.c.number == number)
        elif tag is not None:
            table = voting_cards
            where = sa.and_(table.c.congress_id == congress_id, table.c.tag == tag)
        else:
            return
        self.conn.execute(
            table.update().where(where).values(session_version=table.c.session_version + 1)
        )

    def revoke_voting_card(self, tag: str) -> None:
        self.conn.execute(
            voting_cards.update().where(voting_cards.c.tag == tag).values(revoked=True)
        )

    def replace_identity_code(self, congress_id: str, number: int, code_hash: str | None) -> None:
        """A new code (re-issue) or none (revoke): the old printed code stops working."""
        values: dict[str, Any] = {"revoked": code_hash is None}
        if code_hash is not None:
            values["code_hash"] = code_hash
        self.conn.execute(
            identity_cards.update()
            .where(identity_cards.c.congress_id == congress_id, identity_cards.c.number == number)
            .values(values)
        )

    def identity_cards_of(self, congress_id: str, delegate_id: str) -> list[IdentityCard]:
        """A delegate's working identity cards (the session chair's handover, issue 14)."""
        rows = self.conn.execute(
            sa.select(identity_cards).where(
                identity_cards.c.congress_id == congress_id,
                identity_cards.c.delegate_id == delegate_id,
                identity_cards.c.revoked.is_(False),
            )
        ).all()
        return [IdentityCard(**(r._asdict() | {"role": Role(r.role)})) for r in rows]

    def set_identity_role(self, congress_id: str, number: int, role: Role) -> None:
        self.conn.execute(
            identity_cards.update()
            .where(identity_cards.c.congress_id == congress_id, identity_cards.c.number == number)
            .values(role=role.value)
        )

    def count_voting_cards(self, congress_id: str) -> int:
        query = sa.select(sa.func.count()).where(
            voting_cards.c.congress_id == congress_id, voting_cards.c.revoked.is_(False)
        )
        return int(self.conn.execute(query).scalar_one())


def poll_from_row(row: Any) -> Poll:
    return Poll(
        id=row.id,
        congress_id=row.congress_id,
        title=row.title,
        description=row.description,
        method=row.method,
        options=tuple(row.options),
        seats=row.seats,
        status=PollStatus(row.status),
        seed=row.seed,
        auto_publish=row.auto_publish,
        required_cosignatures=row.required_cosignatures,
        opened_snapshot=dict(row.opened_snapshot),
        closed_snapshot=dict(row.closed_snapshot),
        tally_error=row.tally_error or "",
        rule=rule_from_json(row.rule),
        named=bool(row.named),
        constraints=tuple(row.constraints or ()),
        min_selections=row.min_selections,
        max_selections=row.max_selections,
        proposed_rules=row.proposed_rules,
        position_id=row.position_id,
        held=bool(row.held),
        annulled=row.annulled or "",
    )


class SqlPollRepository(_Repository):
    def add(self, poll: Poll) -> None:
        position = self.conn.execute(
            sa.select(sa.func.count()).where(polls.c.congress_id == poll.congress_id)
        ).scalar_one()
        self.conn.execute(
            polls.insert().values(
                id=poll.id,
                congress_id=poll.congress_id,
                title=poll.title,
                description=poll.description,
                method=poll.method,
                options=list(poll.options),
                seats=poll.seats,
                status=poll.status.value,
                seed=poll.seed,
                auto_publish=poll.auto_publish,
                required_cosignatures=poll.required_cosignatures,
                opened_snapshot=poll.opened_snapshot,
                closed_snapshot=poll.closed_snapshot,
                position=int(position) + 1,
                rule=rule_to_json(poll.rule),
                named=poll.named,
                constraints=list(poll.constraints) or None,
                min_selections=poll.min_selections,
                max_selections=poll.max_selections,
                proposed_rules=poll.proposed_rules,
                position_id=poll.position_id,
            )
        )
        self.seen.append(poll)

    def _get(self, poll_id: str, lock: str | None) -> Poll | None:
        query = sa.select(polls).where(polls.c.id == poll_id)
        if lock == "share":
            query = query.with_for_update(read=True)
        elif lock == "update":
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            return None
        poll = poll_from_row(row)
        self.seen.append(poll)
        return poll

    def get(self, poll_id: str, *, lock_shared: bool = False) -> Poll | None:
        # FOR SHARE makes a ballot and a close of the same poll take turns in PostgreSQL.
        return self._get(poll_id, "share" if lock_shared else None)

    def get_for_update(self, poll_id: str) -> Poll | None:
        return self._get(poll_id, "update")

    def save_state(self, poll: Poll) -> None:
        self.conn.execute(
            polls.update()
            .where(polls.c.id == poll.id)
            .values(
                status=poll.status.value,
                seed=poll.seed,
                opened_snapshot=poll.opened_snapshot,
                closed_snapshot=poll.closed_snapshot,
                rule=rule_to_json(poll.rule),
                tally_error=poll.tally_error or None,
                held=poll.held,
                annulled=poll.annulled or None,
            )
        )


def encode_choices(choices: tuple[int, ...]) -> str:
    return ",".join(str(c) for c in choices)


def decode_choices(text: str) -> tuple[int, ...]:
    return tuple(map(int, text.split(","))) if text else ()


# Everything a cast must know, in one round trip: the poll's status (locked FOR SHARE on
# PostgreSQL, so a close waits for ballots in flight), the card's congress if it is not revoked,
# and the ballot this card already cast in this poll, if any.
CAST_CONTEXT_SQL = """
    SELECT p.status, p.congress_id,
           (SELECT v.congress_id FROM voting_cards v
             WHERE v.tag = :tag AND NOT v.revoked
               AND (:session < 0 OR v.session_version = :session)) AS card_congress,
           b.id AS ballot_id, b.choices, b.receipt
      FROM polls p
      LEFT JOIN ballots b ON b.poll_id = p.id AND b.nullifier = :nullifier
     WHERE p.id = :poll
    """
CAST_CONTEXT = DriverStatement(CAST_CONTEXT_SQL, postgres_suffix="FOR SHARE OF p")
# What CAST_CONTEXT reads, as one condition for a new ballot: the poll is open and the card is
# active in the poll's congress. (That the card has no ballot yet is the unique nullifier's.)
CAST_ALLOWED_SQL = (
    "SELECT p.id FROM polls p WHERE p.id = :poll_id AND p.status = 'open' AND EXISTS"
    " (SELECT 1 FROM voting_cards v WHERE v.tag = :tag AND NOT v.revoked"
    " AND v.congress_id = p.congress_id"
    " AND (:session < 0 OR v.session_version = :session))"
)
INSERT_BALLOT = DriverStatement(
    "INSERT INTO ballots (id, poll_id, choices, receipt, nullifier)"
    " VALUES (:id, :poll_id, :choices, :receipt, :nullifier)"
)


# A new ballot, stored only where CAST_ALLOWED holds and the card has none yet (the unique
# nullifier: ON CONFLICT DO NOTHING); a returned row says it was. Every cast path uses these.
# On PostgreSQL the poll row is read under a share lock (a close takes it FOR UPDATE), so the
# statement needs no transaction around it: a ballot either commits before the close and is
# counted, or inserts nothing. Built from constants only, never from input.
def _ballot_if_allowed(lock: str) -> DriverStatement:
    return DriverStatement(
        "INSERT INTO ballots (id, poll_id, choices, receipt, nullifier)"  # noqa: S608  # nosec B608
        f" SELECT :id, id, :choices, :receipt, :nullifier FROM ({CAST_ALLOWED_SQL}{lock})"
        " AS allowed WHERE true ON CONFLICT DO NOTHING RETURNING 1"
    )


BALLOT_IF_ALLOWED_POSTGRES = _ballot_if_allowed(" FOR SHARE OF p")
BALLOT_IF_ALLOWED_SQLITE = _ballot_if_allowed("")


def cast_context_params(
    poll_id: str, tag: str, nullifier: str, session: int = ANY_SESSION
) -> dict[str, str | int]:
    return {"poll": poll_id, "tag": tag, "nullifier": nullifier, "session": session}


def cast_context_from_row(poll_id: str, nullifier: str, row: Any) -> CastContext | None:
    """CAST_CONTEXT's row as the service layer's CastContext; None when the poll does not exist."""
    if row is None:
        return None
    status, congress_id, card_congress, ballot_id, choices, receipt = row
    previous = (
        Ballot(ballot_id, poll_id, decode_choices(choices), receipt, nullifier)
        if ballot_id is not None
        else None
    )
    return CastContext(PollStatus(status), card_congress == congress_id, previous)


def ballot_if_allowed_params(
    ballot: Ballot, tag: str, session: int = ANY_SESSION
) -> dict[str, str | int]:
    """The guarded insert's parameters: the ballot row, the card's tag and session version."""
    params: dict[str, str | int] = {"tag": tag, "session": session}
    params.update(ballot_row(ballot))
    return params


_SHUFFLE_POSTGRES = DriverStatement(
    "WITH gone AS (DELETE FROM ballots WHERE poll_id = :poll"
    " RETURNING id, poll_id, choices, receipt, nullifier)"
    " INSERT INTO ballots (id, poll_id, choices, receipt, nullifier)"
    " SELECT id, poll_id, choices, receipt, nullifier FROM gone ORDER BY id"
)


def ballot_row(ballot: Ballot) -> dict[str, str]:
    return {
        "id": ballot.id,
        "poll_id": ballot.poll_id,
        "choices": encode_choices(ballot.choices),
        "receipt": ballot.receipt,
        "nullifier": ballot.nullifier,
    }


class SqlBallotRepository(_Repository):
    def add(self, ballot: Ballot) -> None:
        INSERT_BALLOT.run(self.conn, ballot_row(ballot))

    def add_if_allowed(self, ballot: Ballot, tag: str, session: int = ANY_SESSION) -> bool:
        """The ballot, in the caller's transaction, only where the poll is open and the card
        active (in this session version) and without a ballot; False when nothing was stored."""
        statement = (
            BALLOT_IF_ALLOWED_POSTGRES
            if self.conn.dialect.name == "postgresql"
            else BALLOT_IF_ALLOWED_SQLITE
        )
        params = ballot_if_allowed_params(ballot, tag, session)
        return statement.run(self.conn, params).first() is not None

    def cast_context(
        self, poll_id: str, tag: str, nullifier: str, session: int = ANY_SESSION
    ) -> CastContext | None:
        """None when the poll does not exist."""
        params = cast_context_params(poll_id, tag, nullifier, session)
        row = CAST_CONTEXT.run(self.conn, params).first()
        return cast_context_from_row(poll_id, nullifier, row)

    def choices(self, poll_id: str) -> list[tuple[int, ...]]:
        rows = self.conn.execute(
            sa.select(ballots.c.choices)
            .where(ballots.c.poll_id == poll_id)
            .order_by(ballots.c.receipt)
        ).all()  # one fetch of all rows, not one call per row
        return [decode_choices(text) for (text,) in rows]

    def receipts(self, poll_id: str) -> list[str]:
        query = sa.select(ballots.c.receipt).where(ballots.c.poll_id == poll_id)
        return list(self.conn.execute(query).scalars())

    def rewrite_in_random_order(self, poll_id: str) -> None:
        """Write the poll's rows again, in the order of their random ids (PostgreSQL).

        PostgreSQL: copied inside the database (no round trip per ballot, which matters at
        a hundred thousand of them), so every row has the rewrite's version (xmin) and sits
        in id order; the first versions stay in the pages until UnitOfWork.compact. SQLite:
        the rows are in id order already (a WITHOUT ROWID table), and what their writing
        left in the pages (cell offsets in casting order) is erased by UnitOfWork.compact,
        which rebuilds the whole file.
        """
        if self.conn.dialect.name == "postgresql":
            _SHUFFLE_POSTGRES.run(self.conn, {"poll": poll_id})


class SqlResultRepository(_Repository):
    def add(self, result: PollResult) -> None:
        self.conn.execute(
            results.insert().values(
                poll_id=result.poll_id,
                congress_id=result.congress_id,
                outcome=result.outcome,
                data=canonical_json(result.data),
                digest=result.digest,
                computed_at=result.computed_at,
                published_at=result.published_at,
            )
        )
        self.seen.append(result)

    def get(self, poll_id: str) -> PollResult | None:
        row = self.conn.execute(sa.select(results).where(results.c.poll_id == poll_id)).first()
        if row is None:
            return None
        result = PollResult(
            poll_id=row.poll_id,
            congress_id=row.congress_id,
            outcome=row.outcome,
            data=json.loads(row.data),
            digest=row.digest,
            computed_at=row.computed_at,
            published_at=row.published_at,
        )
        self.seen.append(result)
        return result

    def mark_published(self, result: PollResult) -> None:
        self.conn.execute(
            results.update()
            .where(results.c.poll_id == result.poll_id)
            .values(published_at=result.published_at)
        )
