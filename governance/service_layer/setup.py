"""Setting up a congress: the congress, its delegates, identity cards and voting-card tags."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from governance.domain import codes
from governance.domain.congresses import Congress
from governance.domain.delegates import Delegate, IdentityCard, Role
from governance.domain.events import DelegatesImported, VotingCardsRegistered
from governance.domain.text import clean_name
from governance.service_layer.ports import CodeHasher, UnitOfWorkFactory


def create_congress(uow_factory: UnitOfWorkFactory, slug: str, name: str) -> str:
    """Create a congress; returns its id."""
    congress = Congress.create(codes.new_id(), slug, clean_name(name, field="name", max_length=200))
    with uow_factory() as uow:
        uow.congresses.add(congress)
        uow.commit()
    return congress.id


def set_listed(uow_factory: UnitOfWorkFactory, congress_id: str, listed: bool) -> None:
    """Whether anonymous visitors see the congress's name on the home page (default: not)."""
    with uow_factory() as uow:
        uow.congresses.set_listed(congress_id, listed)
        uow.commit()


def cleaned(delegate: Delegate) -> Delegate:
    """The delegate with NFC names; direction and control characters are refused."""
    legal = delegate.legal_name
    return replace(
        delegate,
        alias=clean_name(delegate.alias, field="alias"),
        province=clean_name(delegate.province, field="province"),
        legal_name=clean_name(legal, field="legal name", max_length=200) if legal else legal,
    )


def add_delegates(
    uow_factory: UnitOfWorkFactory, congress_id: str, delegates: Sequence[Delegate]
) -> None:
    """Add delegates all at once, or none."""
    with uow_factory() as uow:
        for delegate in delegates:
            uow.delegates.add(cleaned(delegate))
        uow.record(DelegatesImported(congress_id=congress_id, count=len(delegates)))
        uow.commit()


def issue_identity_cards(
    uow_factory: UnitOfWorkFactory,
    hasher: CodeHasher,
    congress_id: str,
    holders: Sequence[tuple[int, Role, str | None, str]],
) -> dict[int, str]:
    """Issue identity cards (number, role, delegate id, label); returns number -> printed code."""
    printed = {number: codes.new_identity_code(number) for number, *_rest in holders}
    hashes = hash_all(hasher, [codes.split_identity_code(printed[h[0]])[1] for h in holders])
    cards = [
        IdentityCard(congress_id, number, role, code_hash, delegate_id, label)
        for (number, role, delegate_id, label), code_hash in zip(holders, hashes, strict=True)
    ]
    with uow_factory() as uow:
        for card in cards:
            uow.cards.add_identity_card(card)
        uow.commit()
    return printed


def hash_all(hasher: CodeHasher, plain: Sequence[str]) -> list[str]:
    """Hash many codes on every core: argon2 leaves Python's lock while it works, so threads
    run in parallel (4,997 cards took 182 s on one core, issue 16)."""
    if len(plain) < 8:
        return [hasher.hash(s) for s in plain]
    workers = min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2") as pool:
        return list(pool.map(hasher.hash, plain))


def card_list_fingerprint(tags: Sequence[str]) -> str:
    """A published fingerprint of the voting-card list: sha256 over the sorted tags."""
    return hashlib.sha256("\n".join(sorted(tags)).encode()).hexdigest()


def register_voting_cards(
    uow_factory: UnitOfWorkFactory,
    congress_id: str,
    tags: Sequence[str],
    serials: Sequence[str] = (),
) -> str:
    """Store voting-card tags (HMACs only) and their serials; returns the list's fingerprint."""
    fingerprint = card_list_fingerprint(tags)
    with uow_factory() as uow:
        uow.cards.add_voting_cards(congress_id, list(tags), list(serials) or None)
        uow.record(
            VotingCardsRegistered(congress_id=congress_id, count=len(tags), fingerprint=fingerprint)
        )
        uow.commit()
    return fingerprint
