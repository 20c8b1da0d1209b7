"""Sign-in with identity cards and switching to an anonymous voting card."""

from __future__ import annotations

import hashlib
import threading
import weakref
from dataclasses import dataclass

from governance.domain import codes
from governance.domain.delegates import Role
from governance.domain.errors import InvalidCredentials
from governance.service_layer.ports import CodeHasher, UnitOfWorkFactory

# Verifying against this keeps an unknown card number as slow as a wrong code: one verify,
# never a hash (hashing as well made unknown cards measurably slower, 55 ms against 23 ms).
_DUMMY_CODE = "0" * codes.IDENTITY_CODE_CHARS
_DUMMY_HASHES: weakref.WeakKeyDictionary[CodeHasher, str] = weakref.WeakKeyDictionary()
_DUMMY_LOCK = threading.Lock()


def _dummy_hash(hasher: CodeHasher) -> str:
    """A hash made once per hasher (so with the same cost as real cards'), kept for refusals."""
    with _DUMMY_LOCK:
        known = _DUMMY_HASHES.get(hasher)
        if known is None:
            known = _DUMMY_HASHES[hasher] = hasher.hash(_DUMMY_CODE)
        return known


def _refuse(hasher: CodeHasher) -> InvalidCredentials:
    hasher.verify(_dummy_hash(hasher), _DUMMY_CODE)
    return InvalidCredentials()


@dataclass(frozen=True)
class Principal:
    """Who a signed-in identity card belongs to."""

    congress_id: str
    role: Role
    card_number: int
    delegate_id: str | None
    label: str


def epoch_of(code_hash: str, session_version: int) -> str:
    """What a session of an identity card must match: re-issuing (a new hash) or a sign-out
    (a new version) changes it, so every session made before stops working."""
    material = f"{code_hash}\n{session_version}".encode()
    return hashlib.sha256(b"suara-session-epoch:" + material).hexdigest()[:24]


def sign_in(
    uow_factory: UnitOfWorkFactory, hasher: CodeHasher, congress_id: str, typed: str
) -> Principal:
    """Check an identity code; every kind of failure gives the same refusal."""
    try:
        number, secret = codes.split_identity_code(typed)
    except InvalidCredentials:
        raise _refuse(hasher) from None
    with uow_factory() as uow:
        card = uow.cards.identity_card(congress_id, number)
    if card is None:
        raise _refuse(hasher)
    if not hasher.verify(card.code_hash, secret) or card.revoked:
        raise InvalidCredentials()
    return Principal(congress_id, card.role, card.number, card.delegate_id, card.label)


def end_sessions(
    uow_factory: UnitOfWorkFactory,
    congress_id: str,
    number: int | None = None,
    tag: str | None = None,
) -> None:
    """Sign-out: every session of this card, copies of its cookie included, stops working."""
    with uow_factory() as uow:
        uow.cards.end_sessions(congress_id, number, tag)
        uow.commit()


def voting_card(
    uow_factory: UnitOfWorkFactory, secret_key: str, congress_id: str, typed: str
) -> str:
    """Turn a typed voting-card code into its tag, if the card is valid in this congress."""
    tag = codes.card_tag(secret_key, typed)
    with uow_factory() as uow:
        if not uow.cards.voting_card_active(congress_id, tag):
            raise InvalidCredentials()
    return tag
