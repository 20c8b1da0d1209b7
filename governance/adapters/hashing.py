"""argon2id for identity codes: slow on purpose, so a stolen table does not give them away."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2CodeHasher:
    """Hashes and verifies identity codes with argon2id."""

    def __init__(self, time_cost: int = 2, memory_cost: int = 19456) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)

    def hash(self, code: str) -> str:
        return self._hasher.hash(code)

    def verify(self, code_hash: str, code: str) -> bool:
        try:
            return self._hasher.verify(code_hash, code)
        except (VerificationError, InvalidHashError):
            return False
