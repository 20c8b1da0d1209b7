"""Names and free text as people type them: NFC-normalised, with invisible tricks refused.

Bidirectional overrides and isolates can make a name read differently from what is stored
("Trojan Source"); control and format characters can hide text or break exports. Letters,
marks and spaces of every script pass; ZWJ/ZWNJ stay allowed because some scripts need them.
"""

from __future__ import annotations

import unicodedata

from governance.domain.errors import InvalidText

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
JOINERS = frozenset("\u200c\u200d")
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean_text(
    value: str,
    *,
    field: str,
    max_length: int = 200,
    multiline: bool = False,
    required: bool = True,
) -> str:
    """The NFC form of `value`, trimmed; refuses direction and control characters."""
    text = unicodedata.normalize("NFC", value).strip()
    if multiline:
        text = text.replace("\r\n", "\n")
    for char in text:
        if char in BIDI_CONTROLS:
            raise InvalidText(f"{field}: text-direction characters are not allowed")
        if multiline and char in "\n\t":
            continue
        if char not in JOINERS and unicodedata.category(char) in REFUSED_CATEGORIES:
            raise InvalidText(f"{field}: invisible or control characters are not allowed")
    if required and not text:
        raise InvalidText(f"{field}: must not be empty")
    if len(text) > max_length:
        raise InvalidText(f"{field}: at most {max_length} characters")
    return text


def clean_name(value: str, *, field: str, max_length: int = 100) -> str:
    """A person's alias or a title: one line."""
    return clean_text(value, field=field, max_length=max_length)
