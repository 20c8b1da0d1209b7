"""Sign-in with identity cards and switching to an anonymous voting card."""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain import codes
from governance.domain.delegates import Role
from governance.domain.errors import InvalidCredentials
from governance.service_layer.ports import CodeHasher, UnitOfWorkFactory

# Verifying against this keeps an unknown card number as slow as a wrong code.
_DUMMY_CODE = "0" * codes.IDENTITY_CODE_CHARS


@dataclass(frozen=True)
class Principal:
    """Who a signed-in identity card belongs to."""

    congress_id: str
    role: Role
    card_number: int
    delegate_id: str | None
    label: str


def sign_in(
    uow_factory: UnitOfWorkFactory, hasher: CodeHasher, congress_id: str, typed: str
) -> Principal:
    """Check an identity code; every kind of failure gives the same refusal."""
    try:
        number, secret = codes.split_identity_code(typed)
    except InvalidCredentials:
        hasher.verify(hasher.hash(_DUMMY_CODE), _DUMMY_CODE)
        raise
    with uow_factory() as uow:
        card = uow.cards.identity_card(congress_id, number)
    if card is None:
        hasher.verify(hasher.hash(_DUMMY_CODE), _DUMMY_CODE)
        raise InvalidCredentials()
    if not hasher.verify(card.code_hash, secret) or card.revoked:
        raise InvalidCredentials()
    return Principal(congress_id, card.role, card.number, card.delegate_id, card.label)


def voting_card(
    uow_factory: UnitOfWorkFactory, secret_key: str, congress_id: str, typed: str
) -> str:
    """Turn a typed voting-card code into its tag, if the card is valid in this congress."""
    tag = codes.card_tag(secret_key, typed)
    with uow_factory() as uow:
        if not uow.cards.voting_card_active(congress_id, tag):
            raise InvalidCredentials()
    return tag
