"""Translations: Indonesian first, English by choice; gettext catalogues compiled by Babel."""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from datetime import date as Date
from datetime import datetime as DateTime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
# The scenario's congress meets in western Indonesia; times are shown on its clock (WIB).
DEFAULT_TIMEZONE = "Asia/Jakarta"

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
    return format_decimal(str(value), locale=_locale())


def _locale() -> str:
    return "id_ID" if current_language() == "id" else "en_GB"


def date(value: Date) -> str:
    """A date as the reader writes it: 27 Nov 2026 in both, with Indonesian month names."""
    return format_date(value, format="medium", locale=_locale())


def datetime(value: DateTime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """A moment on the congress's clock, to the minute: 27 Nov 2026 21.05 in Indonesian."""
    zone = ZoneInfo(timezone)
    local = value.astimezone(zone)
    day = format_date(local, format="medium", locale=_locale())
    return f"{day} {format_time(local, format='short', tzinfo=zone, locale=_locale())}"


def time_of_day(value: DateTime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """A moment as the time of day on the congress's clock: 10.42 in Indonesian."""
    zone = ZoneInfo(timezone)
    return format_time(value.astimezone(zone), format="short", tzinfo=zone, locale=_locale())
