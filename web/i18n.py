"""Translations: Indonesian first, English by choice; gettext catalogues compiled by Babel."""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

_current: ContextVar[str] = ContextVar("suara_language", default=DEFAULT_LANGUAGE)
_catalogues: dict[str, gettext.NullTranslations] = {}


def load_catalogue(language: str) -> gettext.NullTranslations:
    """Compile the .po file in memory, so that only text catalogues live in the repository."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def catalogue(language: str) -> gettext.NullTranslations:
    if language not in _catalogues:
        _catalogues[language] = load_catalogue(language)
    return _catalogues[language]


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current.get()


def _(message: str) -> str:
    return catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(current_language()).ngettext(singular, plural, n)


def number(value: object) -> str:
    """A number in the reader's locale: 1.234,5 in Indonesian, 1,234.5 in English."""
    return format_decimal(str(value), locale="id_ID" if current_language() == "id" else "en_GB")
