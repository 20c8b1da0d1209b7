"""A closed poll's bulletin board as files for observers' own tools: CSV and BLT.

Both hold only what the public board (`/polls/{id}/board.json`) already holds: the CSV has
one row per ballot (its receipt and its marks, sorted by receipt), the BLT file the distinct
rankings with their counts. Nothing about delegates, cards or times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from governance.documents.csv_safe import write_csv
from governance.domain.polls import RANKED
from governance.tally.blt import BallotFile, write_blt

Rows = Sequence[tuple[str, Sequence[int]]]


def board_csv(options: Sequence[str], method: str, rows: Rows) -> str:
    """`receipt` and one column per option in ballot order. A ranked ballot's cell holds the
    option's rank (1 = first preference); other ballots hold 1 in each chosen option's
    column. Written through the CSV-injection-safe writer (an option named `=cmd` is text)."""
    ranked = method in RANKED
    out = []
    for receipt, choices in sorted(rows):
        cells: list[int | None] = [None] * len(options)
        for rank, option in enumerate(choices, start=1):
            cells[option] = rank if ranked else 1
        out.append([receipt, *cells])
    return write_csv(["receipt", *options], out)


def board_blt(title: str, options: Sequence[str], seats: int, rows: Rows) -> str:
    """BLT, the format of the STV tools: each distinct ranking once, with its count."""
    counted = Counter(tuple(choices) for _, choices in rows)
    return write_blt(
        BallotFile(
            candidates=tuple(options),
            ballots=tuple(sorted(counted.items())),
            seats=seats,
            title=title,
        )
    )
