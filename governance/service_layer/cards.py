"""Handlers for revoking voting cards and revoking or re-issuing identity cards."""

from __future__ import annotations

from governance.domain import codes
from governance.domain.commands import ReissueIdentityCard, RevokeVotingCard
from governance.domain.errors import InvalidCredentials, NotFound
from governance.domain.events import IdentityCardChanged, VotingCardRevoked
from governance.service_layer.ports import CodeHasher, UnitOfWorkFactory


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
    """Revoke an identity card, or replace its code; returns the new printed code."""
    printed = codes.new_identity_code(cmd.number) if cmd.reissue else None
    with uow_factory() as uow:
        card = uow.cards.identity_card(cmd.congress_id, cmd.number)
        if card is None:
            raise NotFound("identity card")
        new_hash = None
        if printed is not None:
            new_hash = hasher.hash(codes.split_identity_code(printed)[1])
        uow.cards.replace_identity_code(cmd.congress_id, cmd.number, new_hash)
        change = "reissued" if printed else "revoked"
        uow.record(IdentityCardChanged(cmd.congress_id, cmd.number, change))
        uow.commit()
    return printed
