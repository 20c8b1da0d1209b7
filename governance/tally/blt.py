"""Read and write BLT, the common STV ballot format.

    <candidates> <seats>
    -2 -5                      optional: withdrawn candidates, as negative numbers
    <weight> <pref> <pref> ... 0      one line per distinct ballot, 1-based preferences
    0                          end of ballots
    "Name"                     one line per candidate (quotes optional)
    "Title"
A missing final newline, blank lines, `#` comments, optional `(id)` ballot ids and names like
`Name(Party)` are tolerated. Equal rankings (`1=2`) are refused: no method here counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from governance.tally.model import Ballot, TallyInputError


class BallotFileError(TallyInputError):
    """A malformed ballot file; the message names the file, the line and the problem."""

    def __init__(self, filename: str, line: int | None, problem: str) -> None:
        where = f"{filename}:{line}" if line is not None else filename
        super().__init__(f"{where}: {problem}", "ballot_file_invalid")
        self.filename = filename
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class BallotFile:
    """What a ballot file says: candidates, seats, ballots, withdrawn candidates, title."""

    candidates: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    seats: int = 1
    withdrawn: frozenset[int] = frozenset()
    title: str = ""


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _int(token: str, filename: str, line: int, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise BallotFileError(filename, line, f"{what}: {token!r} is not a whole number") from None


def read_blt(text: str, filename: str = "<blt>") -> BallotFile:
    """Parse BLT text; raise BallotFileError naming the line on any problem."""
    lines = content_lines(text)
    if not lines:
        raise BallotFileError(filename, None, "empty file")
    n, seats, withdrawn, i = read_head(lines, filename)
    ballots, i = _read_ballots(lines, i, n, filename)
    candidates, title = read_tail(lines, i, n, filename)
    return BallotFile(
        candidates=candidates,
        ballots=tuple(ballots),
        seats=seats,
        withdrawn=frozenset(withdrawn),
        title=title,
    )


def content_lines(text: str, first: int = 1) -> list[tuple[int, str]]:
    """(line number, stripped text) of every line that is neither blank nor a comment."""
    return [
        (no, raw.strip())
        for no, raw in enumerate(text.splitlines(), start=first)
        if raw.strip() and not raw.lstrip().startswith("#")
    ]


def read_head(lines: Sequence[tuple[int, str]], filename: str) -> tuple[int, int, set[int], int]:
    """The first line and the optional withdrawn line: (candidates, seats, withdrawn, next)."""
    no, head = lines[0]
    parts = head.split()
    if len(parts) != 2:
        raise BallotFileError(filename, no, "first line must be '<candidates> <seats>'")
    n = _int(parts[0], filename, no, "number of candidates")
    seats = _int(parts[1], filename, no, "number of seats")
    if n < 1 or seats < 1:
        raise BallotFileError(filename, no, "candidates and seats must be positive")
    i = 1
    withdrawn: set[int] = set()
    if i < len(lines) and lines[i][1].startswith("-"):
        no, text_line = lines[i]
        for tok in text_line.split():
            w = _int(tok, filename, no, "withdrawn candidate")
            if not -n <= w < 0:
                raise BallotFileError(filename, no, f"withdrawn candidate {tok} out of range")
            withdrawn.add(-w - 1)
        i += 1
    return n, seats, withdrawn, i


def read_tail(
    lines: Sequence[tuple[int, str]], i: int, n: int, filename: str
) -> tuple[tuple[str, ...], str]:
    """The candidate names and the optional title, from `lines[i]` on (after the final 0)."""
    names = lines[i : i + n]
    if len(names) < n:
        last = lines[-1][0]
        raise BallotFileError(filename, last, f"expected {n} candidate names, found {len(names)}")
    title = _unquote(lines[i + n][1]) if i + n < len(lines) else ""
    if i + n + 1 < len(lines):
        raise BallotFileError(filename, lines[i + n + 1][0], "unexpected text after the title")
    return tuple(_unquote(t) for _, t in names), title


def _read_ballots(
    lines: Sequence[tuple[int, str]], i: int, n: int, filename: str
) -> tuple[list[Ballot], int]:
    ballots: list[Ballot] = []
    while True:
        if i >= len(lines):
            raise BallotFileError(filename, lines[-1][0], "ballots do not end with a line '0'")
        no, text = lines[i]
        i += 1
        if text == "0":
            return ballots, i
        ballots.append(_ballot(text, no, n, filename))


def _ballot(text: str, no: int, n: int, filename: str) -> Ballot:
    tokens = text.split()
    if tokens[0].startswith("("):
        tokens = tokens[1:]
    if not tokens or tokens[-1] != "0":
        raise BallotFileError(filename, no, "ballot line must end with 0")
    weight = _int(tokens[0], filename, no, "ballot weight")
    if weight < 0:
        raise BallotFileError(filename, no, "ballot weight is negative")
    prefs: list[int] = []
    for tok in tokens[1:-1]:
        if "=" in tok:
            raise BallotFileError(filename, no, f"equal rankings ({tok}) are not supported")
        p = _int(tok, filename, no, "preference")
        if not 1 <= p <= n:
            raise BallotFileError(filename, no, f"preference {p} is not a candidate (1..{n})")
        if p - 1 in prefs:
            raise BallotFileError(filename, no, f"candidate {p} is ranked twice")
        prefs.append(p - 1)
    return tuple(prefs), weight


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def write_blt(data: BallotFile) -> str:
    """BLT text for `data`; `read_blt(write_blt(x)) == x`."""
    out = [f"{len(data.candidates)} {data.seats}"]
    if data.withdrawn:
        out.append(" ".join(str(-(c + 1)) for c in sorted(data.withdrawn)))
    for prefs, weight in data.ballots:
        out.append(" ".join([str(weight), *(str(p + 1) for p in prefs), "0"]))
    out.append("0")
    out.extend(_quote(c) for c in data.candidates)
    out.append(_quote(data.title))
    return "\n".join(out) + "\n"
