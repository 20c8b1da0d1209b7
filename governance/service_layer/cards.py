"""Handlers for the card desk: issue identity cards, register voting cards printed offline,
revoke a voting card, revoke or re-issue an identity card."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

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
    DelegateChanged,
    IdentityCardChanged,
    IdentityCardsIssued,
    VotingCardRevoked,
    VotingCardsRegistered,
)
from governance.domain.limits import MAX_VOTING_CARDS, TooManyVotingCards
from governance.domain.roster import free_numbers
from governance.service_layer.audit import note_target
from governance.service_layer.ports import CodeHasher, ConcurrentWrite, UnitOfWorkFactory
from governance.service_layer.setup import card_list_fingerprint, hash_all

_TAG = re.compile(r"[0-9a-f]{64}")


def issue_identity_cards(
    cmd: IssueIdentityCards, uow_factory: UnitOfWorkFactory, hasher: CodeHasher
) -> list[tuple[str, str]]:
    """Cards for the delegates who have none, all at once; the codes leave only in the answer.

    A delegate whose number is already a card's (an official's 901-903 in a congress created
    before officials moved to 900001, or the card of a removed delegate) is given the next
    free number first: nobody is left without a card, and no card is shared.
    """
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise CongressNotFound()
        cards = uow.cards.identity_cards(cmd.congress_id)
        delegates = uow.roster.list(cmd.congress_id)
        holding = {c.delegate_id for c in cards if c.delegate_id}
        waiting = [d for d in delegates if d.id not in holding]
        if not waiting:
            raise CardsAlreadyIssued()
        card_numbers = {c.number for c in cards}
        numbers = free_numbers(
            uow.roster.next_number(cmd.congress_id),
            card_numbers | {d.number for d in delegates},
        )
        renumbered = [replace(d, number=next(numbers)) for d in waiting if d.number in card_numbers]
        moved = {d.id: d for d in renumbered}
        waiting = [moved.get(d.id, d) for d in waiting]
    # argon2 is slow on purpose: hash before the write transaction, not inside it. A card
    # issued meanwhile by someone else collides on its number and nothing is stored.
    printed = [(d, codes.new_identity_code(d.number)) for d in waiting]
    hashes = hash_all(hasher, [codes.split_identity_code(code)[1] for _d, code in printed])
    with uow_factory() as uow:
        for delegate in renumbered:
            uow.roster.update(delegate)
            uow.record(DelegateChanged(cmd.congress_id, delegate.id, "renumbered"))
        for (d, _code), code_hash in zip(printed, hashes, strict=True):
            card = IdentityCard(cmd.congress_id, d.number, Role.DELEGATE, code_hash, d.id, d.alias)
            uow.cards.add_identity_card(card)
        uow.record(IdentityCardsIssued(cmd.congress_id, len(printed)))
        note_target(uow, "cards " + number_ranges(d.number for d in waiting))
        uow.commit()
    return [(d.alias, code) for d, code in printed]


def number_ranges(numbers: Iterable[int]) -> str:
    """1,2,3,5,7,8 -> "1-3,5,7-8": the card numbers of a batch, short enough for the log."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def register_voting_cards(cmd: RegisterVotingCards, uow_factory: UnitOfWorkFactory) -> str:
    """Store a list of tags once, whole; returns the fingerprint the secretariat publishes."""
    tags = list(cmd.tags)
    if len(tags) > MAX_VOTING_CARDS:
        raise TooManyVotingCards()
    if not tags or any(not _TAG.fullmatch(t) for t in tags):
        raise InvalidInput("tags")
    serials = list(cmd.serials)
    if serials and (
        len(serials) != len(tags) or any(codes.normalise_serial(s) != s for s in serials)
    ):
        raise InvalidInput("serials")
    if len(set(serials)) != len(serials):
        raise VotingCardsKnown("a serial repeated in the list")
    if len(set(tags)) != len(tags):
        raise VotingCardsKnown("repeated in the list")
    fingerprint = card_list_fingerprint(tags)
    try:
        with uow_factory() as uow:
            if uow.congresses.get(cmd.congress_id) is None:
                raise CongressNotFound()
            uow.cards.add_voting_cards(cmd.congress_id, tags, serials or None)
            uow.record(VotingCardsRegistered(cmd.congress_id, len(tags), fingerprint))
            uow.commit()
    except ConcurrentWrite as error:
        # The tag is the table's key: a list sent twice collides, and nothing is stored.
        raise VotingCardsKnown() from error
    return fingerprint


def revoke_voting_card(
    cmd: RevokeVotingCard, uow_factory: UnitOfWorkFactory, secret_key: str
) -> None:
    """Revoke by the printed code or serial; ballots it already cast stay (they cannot be
    found). Neither the code nor the serial is logged: the log says only that a card went."""
    with uow_factory() as uow:
        if cmd.serial:
            serial = codes.normalise_serial(cmd.serial)
            found = uow.cards.voting_tag_by_serial(cmd.congress_id, serial) if serial else None
            if found is None:
                raise InvalidCredentials()
            tag = found
        else:
            tag = codes.card_tag(secret_key, cmd.typed_code)
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
