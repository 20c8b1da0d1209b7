"""Delegates and their identity cards: the named side, kept apart from every ballot."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Card numbers (issue 16). Delegates are numbered 1, 2, 3 ... in the order they are added, at
# most MAX_DELEGATE_NUMBER (five digits); officials' cards have six digits from 900001, so the
# two can never meet whatever the size of the congress. A congress created before this rule
# keeps its officials at 901-903: a delegate is never given a number a card already has (see
# governance.domain.roster.free_numbers).
MAX_DELEGATE_NUMBER = 99_999
CHAIR_CARD = 900_001
SECRETARIAT_CARD = 900_002
OBSERVER_CARD = 900_003


class Role(StrEnum):
    DELEGATE = "delegate"
    OBSERVER = "observer"
    CHAIR = "chair"
    SECRETARIAT = "secretariat"


@dataclass
class Delegate:
    """A delegate known by an alias; the legal name is optional and never shown publicly."""

    id: str
    congress_id: str
    number: int
    alias: str
    province: str
    region: str
    caucus: str = ""
    membership_class: str = "ordinary"
    voting_right: bool = True
    legal_name: str | None = None
    present: bool = False


@dataclass(frozen=True)
class IdentityCard:
    """A named credential for sign-in; the code is stored as an argon2id hash only."""

    congress_id: str
    number: int
    role: Role
    code_hash: str
    delegate_id: str | None = None
    label: str = ""
    revoked: bool = False
    session_version: int = 0


# The officials' cards a new congress starts with: number, role, label on the card.
OFFICIALS = (
    (CHAIR_CARD, Role.CHAIR, "Pimpinan Sidang"),
    (SECRETARIAT_CARD, Role.SECRETARIAT, "Sekretariat"),
    (OBSERVER_CARD, Role.OBSERVER, "Pengawas"),
)
