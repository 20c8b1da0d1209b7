"""Text for the PDF core fonts (Helvetica, Courier), which cover Latin-1 only.

The core fonts keep the PDFs small and their bytes the same on every machine. Text pasted from
a word processor brings typographic quotes and dashes, and an alias may carry a letter outside
Latin-1: those are written as their nearest Latin-1 form, so a statute printed from the record
reads as it was typed instead of showing question marks. Only what has no such form becomes "?".
"""

from __future__ import annotations

import unicodedata

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # left and right single quotation marks, low-9 and reversed
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",  # prime
        "\u201c": '"',  # left and right double quotation marks, low-9 and reversed
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',  # double prime
        "\u2010": "-",  # hyphen, non-breaking hyphen, figure, en and em dashes, bar, minus
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",  # ellipsis
        "\u2022": "-",  # bullet
        "\u2009": " ",  # thin, narrow no-break and zero-width spaces
        "\u202f": " ",
        "\u200b": "",
    }
)


def _latin1(char: str) -> bool:
    return ord(char) < 256


def _nearest(char: str) -> str:
    """A letter with marks Latin-1 lacks (ş, ő, ā) loses the marks; anything else is "?"."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare and all(map(_latin1, bare)) else "?"


def pdf_text(text: str) -> str:
    """`text` as the core fonts can print it: Latin-1 kept as it is, the rest approximated."""
    text = text.translate(_TYPOGRAPHY)
    if all(map(_latin1, text)):
        return text
    return "".join(c if _latin1(c) else _nearest(c) for c in text)
