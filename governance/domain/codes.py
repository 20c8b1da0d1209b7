"""Printed card codes: generation, typing-friendly normalisation, and keyed tags.

Codes use Crockford's base32 alphabet (no I, L, O, U) so that a code read aloud or typed
from a card survives the usual confusions: O is read as 0, and I or L as 1.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from governance.domain.errors import InvalidCredentials

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\t")

IDENTITY_CODE_CHARS = 20  # 100 bits: argon2id-hashed, tried only against one card number
VOTING_CODE_CHARS = 24  # 120 bits: only an HMAC reaches the database


def random_code(length: int) -> str:
    # Five random bits per character: 32 symbols index the alphabet exactly, with no bias.
    value = int.from_bytes(secrets.token_bytes((5 * length + 7) // 8), "big")
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(length))


def group(code: str, size: int = 4) -> str:
    """Split a code into groups for reading aloud: ABCD-EFGH-..."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def normalise(typed: str, length: int) -> str:
    """Fold what a person typed into the canonical code, or refuse it as invalid."""
    code = typed.upper().translate(_SEPARATORS).translate(_FOLD)
    if len(code) != length or any(ch not in ALPHABET for ch in code):
        raise InvalidCredentials()
    return code


def is_ascii_number(text: str, max_digits: int) -> bool:
    """ASCII digits only: str.isdigit also takes superscript, Arabic-Indic or
    fullwidth digits (int() then fails, or folds them into another spelling of a number)."""
    return 0 < len(text) <= max_digits and text.isascii() and text.isdigit()


def new_identity_code(number: int) -> str:
    """The printed identity code: card number, then the secret part in groups."""
    return f"{number}-{group(random_code(IDENTITY_CODE_CHARS))}"


def split_identity_code(typed: str) -> tuple[int, str]:
    """Separate the card number from the secret part of an identity code."""
    head, sep, rest = typed.strip().partition("-")
    if not sep or not is_ascii_number(head, 6):
        raise InvalidCredentials()
    return int(head), normalise(rest, IDENTITY_CODE_CHARS)


def new_voting_code() -> str:
    return group(random_code(VOTING_CODE_CHARS))


# A voting card's serial: the print run (4 random characters) and the card's place in it,
# e.g. K7QD-00042. Short enough to note down; it revokes the card, it casts nothing.
_SERIAL = re.compile(r"[0-9A-Z]{4}-[0-9]{5}")


def new_serials(count: int) -> tuple[str, ...]:
    run = random_code(4)
    return tuple(f"{run}-{i:05d}" for i in range(1, count + 1))


def normalise_serial(typed: str) -> str | None:
    """The canonical serial a person typed (spaces, case and O/I/L folded), or None."""
    text = typed.strip().upper().replace(" ", "").translate(_FOLD)
    if len(text) == 9 and "-" not in text:
        text = f"{text[:4]}-{text[4:]}"
    return text if _SERIAL.fullmatch(text) else None


def card_tag(secret_key: str, typed_voting_code: str) -> str:
    """The keyed HMAC of a voting card code: all the server ever stores of it."""
    code = normalise(typed_voting_code, VOTING_CODE_CHARS)
    return hmac.new(secret_key.encode(), b"card:" + code.encode(), hashlib.sha256).hexdigest()


def nullifier(secret_key: str, tag: str, poll_id: str) -> str:
    """One value per card and poll: a second ballot from one card collides on it."""
    message = f"nullifier:{tag}:{poll_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def new_receipt() -> str:
    """A random receipt, short enough to note down, long enough never to collide by chance."""
    return group(random_code(16))


def new_id() -> str:
    return secrets.token_hex(16)
