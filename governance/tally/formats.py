"""CSV and JSON ballot files, group constraint files, and picking a reader by extension.

CSV: a header row of candidate names, optionally led by a `weight` column; then one row per
ballot, each cell a rank (1 = first choice) or empty; `x` marks an approval / single choice.
JSON: {"title", "seats", "candidates": [...], "withdrawn": [names],
       "ballots": [{"ranking": [names], "weight": 1} | [names]]}.
Constraints (JSON): {"groups": [{"name", "candidates": [names], "min": 0, "max": null}]}.
Every problem raises BallotFileError with the file, the line and what is wrong.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from governance.tally.blt import BallotFile, BallotFileError, read_blt, write_blt
from governance.tally.model import Ballot, GroupConstraint


def read_csv(text: str, filename: str = "<csv>") -> BallotFile:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as e:  # e.g. a lone carriage return inside a row
        raise BallotFileError(filename, reader.line_num, f"not a CSV file: {e}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise BallotFileError(filename, 1, "first row must name the candidates")
    header = [cell.strip() for cell in rows[0]]
    weighted = header[0].lower() == "weight"
    names = tuple(header[1:] if weighted else header)
    if len(set(names)) != len(names):
        raise BallotFileError(filename, 1, "a candidate name appears twice")
    ballots = [
        _csv_ballot(row, no, weighted, len(names), filename)
        for no, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    return BallotFile(candidates=names, ballots=tuple(ballots))


def _csv_ballot(row: list[str], no: int, weighted: bool, n: int, filename: str) -> Ballot:
    cells = [c.strip() for c in row]
    weight = 1
    if weighted:
        try:
            weight = int(cells[0] or "1")
        except ValueError:
            raise BallotFileError(filename, no, f"weight {cells[0]!r} is not a number") from None
        cells = cells[1:]
    if len(cells) > n:
        raise BallotFileError(filename, no, f"{len(cells)} cells for {n} candidates")
    marks: list[tuple[int, int]] = []
    ranks: list[int] = []
    for c, cell in enumerate(cells):
        if not cell:
            continue
        if cell.lower() == "x":
            # Unranked marks (approval, single choice) may repeat; numeric ranks may not.
            marks.append((1, c))
            continue
        if not (cell.isascii() and cell.isdigit()) or int(cell) < 1:
            raise BallotFileError(filename, no, f"rank {cell!r} must be a positive whole number")
        marks.append((int(cell), c))
        ranks.append(int(cell))
    if len(set(ranks)) != len(ranks) or (ranks and len(ranks) != len(marks)):
        raise BallotFileError(filename, no, "two candidates share a rank")
    return tuple(c for _, c in sorted(marks)), weight


def write_csv(data: BallotFile) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["weight", *data.candidates])
    for prefs, weight in data.ballots:
        cells = [""] * len(data.candidates)
        for rank, c in enumerate(prefs, start=1):
            cells[c] = str(rank)
        writer.writerow([str(weight), *cells])
    return out.getvalue()


def _load_json(text: str, filename: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BallotFileError(filename, e.lineno, f"invalid JSON: {e.msg}") from None


def _line_of(text: str, needle: str) -> int | None:
    """Best-effort line of a JSON fragment, so errors can point somewhere useful."""
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def read_json(text: str, filename: str = "<json>") -> BallotFile:
    data = _load_json(text, filename)
    if not isinstance(data, dict) or not isinstance(data.get("candidates"), list):
        raise BallotFileError(filename, 1, 'expected an object with a "candidates" list')
    names = tuple(str(c) for c in data["candidates"])
    index = {name: i for i, name in enumerate(names)}
    ballots: list[Ballot] = []
    find = index.__getitem__
    for i, item in enumerate(data.get("ballots", [])):
        ranking, weight = (item, 1) if isinstance(item, list) else _json_item(item)
        try:
            try:  # names as strings, the usual case: one lookup each, in C
                prefs = tuple(map(find, ranking))
            except (KeyError, TypeError):  # a name written as a number, say: the long way
                prefs = tuple(index[str(name)] for name in ranking)
            weight = int(weight)
        except (KeyError, TypeError, ValueError) as e:
            line = _line_of(text, json.dumps(item)[:20]) or _line_of(text, '"ballots"')
            raise BallotFileError(
                filename, line, f"ballot {i + 1}: unknown candidate {e}"
            ) from None
        ballots.append((prefs, weight))
    withdrawn = frozenset(index[n] for n in data.get("withdrawn", []) if n in index)
    return BallotFile(
        candidates=names,
        ballots=tuple(ballots),
        seats=int(data.get("seats", 1)),
        withdrawn=withdrawn,
        title=str(data.get("title", "")),
    )


def _json_item(item: Any) -> tuple[Any, Any]:
    if isinstance(item, dict):
        return item.get("ranking", item.get("choices", [])), item.get("weight", 1)
    return [], "not a ballot"


def write_json(data: BallotFile) -> str:
    obj = {
        "title": data.title,
        "seats": data.seats,
        "candidates": list(data.candidates),
        "withdrawn": [data.candidates[c] for c in sorted(data.withdrawn)],
        "ballots": [
            {"ranking": [data.candidates[c] for c in prefs], "weight": w}
            for prefs, w in data.ballots
        ],
    }
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def read_ballot_file(path: Path) -> BallotFile:
    """Read BLT, CSV or JSON by file extension (BLT for anything else)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise BallotFileError(str(path), None, f"cannot read file: {e}") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(text, str(path))
    if suffix == ".json":
        return read_json(text, str(path))
    return read_blt(text, str(path))


def read_constraints(path: Path, candidates: Sequence[str]) -> tuple[GroupConstraint, ...]:
    """Group bounds from a JSON file, candidates named as in the ballot file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise BallotFileError(name, None, f"cannot read file: {e}") from None
    data = _load_json(text, name)
    index = {c: i for i, c in enumerate(candidates)}
    groups: list[GroupConstraint] = []
    for g in data.get("groups", []) if isinstance(data, dict) else []:
        unknown = [m for m in g.get("candidates", []) if m not in index]
        if unknown:
            raise BallotFileError(
                name, _line_of(text, unknown[0]), f"unknown candidate {unknown[0]!r}"
            )
        groups.append(
            GroupConstraint(
                name=str(g.get("name", f"group {len(groups) + 1}")),
                members=frozenset(index[m] for m in g.get("candidates", [])),
                minimum=int(g.get("min", 0)),
                maximum=None if g.get("max") is None else int(g["max"]),
            )
        )
    return tuple(groups)


__all__ = [
    "BallotFile",
    "BallotFileError",
    "read_ballot_file",
    "read_blt",
    "read_constraints",
    "read_csv",
    "read_json",
    "write_blt",
    "write_csv",
    "write_json",
]
