"""Delegates and their identity cards: the named side, kept apart from every ballot."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
