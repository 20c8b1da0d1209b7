"""CSV exports that a spreadsheet cannot be tricked into running (CSV/formula injection).

A cell that starts with = + - @ (or a tab or carriage return that hides one) is a formula to
Excel, LibreOffice and Google Sheets: `=HYPERLINK(...)` in a delegate's alias could leak data
when the secretariat opens an export. Such cells get a leading apostrophe, which spreadsheets
show as text, and which a reader of the raw file can strip. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

Cell = str | int | None


def safe_cell(value: Cell) -> str:
    """One cell's text, neutralised if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV document (RFC 4180 quoting, CRLF line ends) with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()
