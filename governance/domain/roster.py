"""The delegate list from a CSV file: strict parsing, every problem named by line and field.

A file is all-or-nothing: `parse_roster` returns rows only when every line is valid, and
otherwise raises `RosterInvalid` with every problem found, so the secretariat fixes them all
at once instead of one per upload.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from governance.domain.delegates import MAX_DELEGATE_NUMBER
from governance.domain.errors import RosterInvalid
from governance.domain.limits import MAX_DELEGATE_ROWS, RosterTooLong

REGIONS = ("west", "central", "east")
MEMBERSHIP_CLASSES = ("ordinary", "special", "honorary")
REQUIRED_COLUMNS = ("alias", "province", "region", "caucus", "membership_class", "voting_right")
OPTIONAL_COLUMNS = ("legal_name",)
_YES = {"yes", "y", "true", "1", "ya"}
_NO = {"no", "n", "false", "0", "tidak"}
_LIMITS = {"alias": 100, "province": 100, "caucus": 50, "legal_name": 200}
MAX_ROWS = MAX_DELEGATE_ROWS


@dataclass(frozen=True)
class RosterRow:
    """One delegate as the file describes them (no id or number yet)."""

    line: int
    alias: str
    province: str
    region: str
    caucus: str
    membership_class: str
    voting_right: bool
    legal_name: str | None


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: line 0 means the header."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.reason}"


def _unsafe(text: str) -> bool:
    """Control and format characters (bidi overrides, zero-width joiners) are refused: they
    can make one alias look like another on screen."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in text)


def clean_text(value: str, field: str, line: int, problems: list[Problem]) -> str:
    """NFC-normalise and trim one cell, recording a problem when it cannot be accepted."""
    text = unicodedata.normalize("NFC", value).strip()
    if _unsafe(text):
        problems.append(Problem(line, field, "control or bidi characters are not allowed"))
    limit = _LIMITS.get(field, 100)
    if len(text) > limit:
        problems.append(Problem(line, field, f"longer than {limit} characters"))
    return text


def _parse_bool(value: str, line: int, problems: list[Problem]) -> bool:
    folded = value.strip().lower()
    if folded in _YES:
        return True
    if folded not in _NO:
        problems.append(Problem(line, "voting_right", f"{value!r} is not yes or no"))
    return False


def _row(line: int, cells: dict[str, str], problems: list[Problem]) -> RosterRow:
    text = {name: clean_text(cells.get(name) or "", name, line, problems) for name in _LIMITS}
    for name in ("alias", "province"):
        if not text[name]:
            problems.append(Problem(line, name, "is empty"))
    region = (cells.get("region") or "").strip().lower()
    if region not in REGIONS:
        problems.append(
            Problem(line, "region", f"unknown region {region!r} (use {', '.join(REGIONS)})")
        )
    membership = (cells.get("membership_class") or "").strip().lower() or "ordinary"
    if membership not in MEMBERSHIP_CLASSES:
        problems.append(Problem(line, "membership_class", f"unknown class {membership!r}"))
    return RosterRow(
        line=line,
        alias=text["alias"],
        province=text["province"],
        region=region,
        caucus=text["caucus"],
        membership_class=membership,
        voting_right=_parse_bool(cells.get("voting_right") or "", line, problems),
        legal_name=text["legal_name"] or None,
    )


def _header(reader: csv.DictReader[str]) -> list[Problem]:
    columns = [(c or "").strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    problems = [Problem(1, c, "missing column") for c in REQUIRED_COLUMNS if c not in columns]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    problems += [Problem(1, c or "?", "unknown column") for c in columns if c not in known]
    if len(set(columns)) != len(columns):
        problems.append(Problem(1, "header", "a column appears twice"))
    return problems


def parse_roster(text: str) -> list[RosterRow]:
    """Parse the whole file or raise RosterInvalid listing every problem."""
    if text.startswith("\ufeff"):
        text = text[1:]  # spreadsheets often save UTF-8 with a byte-order mark
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\x00extra")
    problems = _header(reader)
    if problems:
        raise RosterInvalid(problems)
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if "\x00extra" in record:
            problems.append(Problem(line, "row", "more cells than columns"))
            continue
        row = _row(line, record, problems)
        key = row.alias.casefold()
        if key and key in seen:
            problems.append(Problem(line, "alias", f"duplicate of line {seen[key]}"))
        seen.setdefault(key, line)
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise RosterTooLong()
    if not rows and not problems:
        problems.append(Problem(2, "row", "the file has no delegates"))
    if problems:
        raise RosterInvalid(problems)
    return rows


def free_numbers(start: int, taken: set[int]) -> Iterator[int]:
    """Delegate numbers from `start` up, skipping every number a card or delegate already has
    (the officials' 901-903 of a congress created before officials moved to 900001)."""
    number = max(start, 1)
    while True:
        while number in taken:
            number += 1
        if number > MAX_DELEGATE_NUMBER:
            reason = f"no delegate number is left (at most {MAX_DELEGATE_NUMBER})"
            raise RosterInvalid([Problem(0, "number", reason)])
        yield number
        number += 1
