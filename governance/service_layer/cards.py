"""Handlers for the card desk: issue identity cards, register voting cards printed offline,
revoke a voting card, revoke or re-issue an identity card."""

from __future__ import annotations

import re

from governance.domain import codes
from governance.domain.commands import (
    IssueIdentityCards,
    RegisterVotingCards,
    ReissueIdentityCard,
    ReissueOfficialCard,
    RevokeVotingCard,
)
from governance.domain.delegates import IdentityCard, Role
from governance.domain.errors import (
    CardsAlreadyIssued,
    CongressNotFound,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    OfficialCardOnServer,
    VotingCardsKnown,
)
from governance.domain.events import (
    IdentityCardChanged,
    IdentityCardsIssued,
    VotingCardRevoked,
    VotingCardsRegistered,
)
from governance.service_layer.ports import CodeHasher, ConcurrentWrite, UnitOfWorkFactory
from governance.service_layer.setup import card_list_fingerprint

_TAG = re.compile(r"[0-9a-f]{64}")
MAX_VOTING_CARDS = 5000


def issue_identity_cards(
    cmd: IssueIdentityCards, uow_factory: UnitOfWorkFactory, hasher: CodeHasher
) -> list[tuple[str, str]]:
    """Cards for the delegates who have none, all at once; the codes leave only in the answer."""
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise CongressNotFound()
        waiting = [
            d
            for d in uow.roster.list(cmd.congress_id)
            if uow.cards.identity_card(cmd.congress_id, d.number) is None
        ]
    if not waiting:
        raise CardsAlreadyIssued()
    # argon2 is slow on purpose: hash before the write transaction, not inside it. A card
    # issued meanwhile by someone else collides on its number and nothing is stored.
    printed = [(d, codes.new_identity_code(d.number)) for d in waiting]
    cards = [
        IdentityCard(
            cmd.congress_id,
            d.number,
            Role.DELEGATE,
            hasher.hash(codes.split_identity_code(code)[1]),
            d.id,
            d.alias,
        )
        for d, code in printed
    ]
    with uow_factory() as uow:
        for card in cards:
            uow.cards.add_identity_card(card)
        uow.record(IdentityCardsIssued(cmd.congress_id, len(cards)))
        uow.commit()
    return [(d.alias, code) for d, code in printed]


def register_voting_cards(cmd: RegisterVotingCards, uow_factory: UnitOfWorkFactory) -> str:
    """Store a list of tags once, whole; returns the fingerprint the secretariat publishes."""
    tags = list(cmd.tags)
    if not tags or len(tags) > MAX_VOTING_CARDS or any(not _TAG.fullmatch(t) for t in tags):
        raise InvalidInput("tags")
    if len(set(tags)) != len(tags):
        raise VotingCardsKnown("repeated in the list")
    fingerprint = card_list_fingerprint(tags)
    try:
        with uow_factory() as uow:
            if uow.congresses.get(cmd.congress_id) is None:
                raise CongressNotFound()
            uow.cards.add_voting_cards(cmd.congress_id, tags)
            uow.record(VotingCardsRegistered(cmd.congress_id, len(tags), fingerprint))
            uow.commit()
    except ConcurrentWrite as error:
        # The tag is the table's key: a list sent twice collides, and nothing is stored.
        raise VotingCardsKnown() from error
    return fingerprint


def revoke_voting_card(
    cmd: RevokeVotingCard, uow_factory: UnitOfWorkFactory, secret_key: str
) -> None:
    """Revoke by the printed code; ballots it already cast stay (they cannot be found)."""
    tag = codes.card_tag(secret_key, cmd.typed_code)
    with uow_factory() as uow:
        if not uow.cards.voting_card_active(cmd.congress_id, tag):
            raise InvalidCredentials()
        uow.cards.revoke_voting_card(tag)
        uow.record(VotingCardRevoked(cmd.congress_id))
        uow.commit()


def reissue_identity_card(
    cmd: ReissueIdentityCard, uow_factory: UnitOfWorkFactory, hasher: CodeHasher
) -> str | None:
    """Revoke a delegate's identity card, or replace its code; returns the new printed code.

    An official's card is refused here: whoever holds the card desk (the secretariat) would
    otherwise make themselves the chair or an observer (issue 18 item 3).
    """
    return _change_card(cmd.congress_id, cmd.number, cmd.reissue, uow_factory, hasher, False)


def reissue_official_card(
    cmd: ReissueOfficialCard, uow_factory: UnitOfWorkFactory, hasher: CodeHasher
) -> str | None:
    """The server's command: revoke or re-issue a chair's, secretariat's or observer's card."""
    return _change_card(cmd.congress_id, cmd.number, cmd.reissue, uow_factory, hasher, True)


def _change_card(
    congress_id: str,
    number: int,
    reissue: bool,
    uow_factory: UnitOfWorkFactory,
    hasher: CodeHasher,
    official: bool,
) -> str | None:
    printed = codes.new_identity_code(number) if reissue else None
    new_hash = hasher.hash(codes.split_identity_code(printed)[1]) if printed else None
    with uow_factory() as uow:
        card = uow.cards.identity_card(congress_id, number)
        if card is None:
            raise NotFound("identity card")
        if (card.role != Role.DELEGATE) != official:
            if official:
                raise InvalidInput("a delegate's card is re-issued at the card desk")
            raise OfficialCardOnServer()
        uow.cards.replace_identity_code(congress_id, number, new_hash)
        change = "reissued" if printed else "revoked"
        uow.record(IdentityCardChanged(congress_id, number, change))
        uow.commit()
    return printed
