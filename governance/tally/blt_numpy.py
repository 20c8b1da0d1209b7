"""A numpy reader for large BLT files: the same file, straight to packed arrays.

`read_blt` makes one Python call and one tuple per ballot line, which at a million ballots
costs seconds before the count starts. Here the ballot lines are tokenised as one byte array
(digit runs, line numbers, per-line positions) and packed into `PackedBallots` directly.

It is a fast path, not a second grammar: it accepts only files whose ballot section is plain
digits and spaces (no comments, ballot ids, equal rankings or signs among the ballots, `\\n` or
`\\r\\n` line ends), and answers None for anything else, or for anything the reference reader
would refuse; the caller then reads the file with `read_blt`, which names the line and the
problem. The head (candidates, seats, withdrawn) and the tail (names, title) are read by the
reference reader's own code, so both give the same `BallotFile` apart from the ballots' form.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from governance.tally.blt import BallotFile, BallotFileError, content_lines, read_head, read_tail
from governance.tally.model import TallyInputError
from governance.tally.papers_numpy import PackedBallots, _check_repeats

# Line breaks that `str.splitlines` knows but a split on b"\n" does not: such a file goes to the
# reference reader, so both readers always see the same lines.
_ODD_BREAKS = re.compile(rb"[\x0b\x0c\x1c\x1d\x1e]|\r(?!\n)|\xc2\x85|\xe2\x80[\xa8\xa9]")
_END = re.compile(rb"^[ \t]*0[ \t]*\r?$", re.MULTILINE)
_PLAIN = b"0123456789 \t\r\n"
MAX_DIGITS = 15  # longer numbers (or the int64 overflow they risk) go to the reference reader
MAX_CANDIDATES = 63  # what the numpy stores hold


def read_blt_packed(raw: bytes, filename: str = "<blt>") -> tuple[BallotFile, PackedBallots] | None:
    """(file without its ballot tuples, packed ballots), or None: use `read_blt` instead."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if _ODD_BREAKS.search(raw):
        return None
    try:
        return _read(raw, filename)
    except (BallotFileError, TallyInputError, UnicodeDecodeError, IndexError, ValueError):
        return None


def _read(raw: bytes, filename: str) -> tuple[BallotFile, PackedBallots] | None:
    start, lines, head_lines = _head(raw)
    if not lines:
        return None
    n, seats, withdrawn, used = read_head(lines, filename)
    if used != len(lines) or n > MAX_CANDIDATES:
        return None
    end = _END.search(raw, start)
    if end is None:
        return None
    section = raw[start : end.start()]
    if section.translate(None, _PLAIN):
        return None  # comments, ballot ids, signs, `=`: the reference reader's business
    end_no = head_lines + section.count(b"\n") + 1
    tail = content_lines(raw[end.end() :].decode("utf-8"), first=end_no)
    # The line after the final 0 starts the tail: drop the rest of the "0" line itself.
    tail = [(no, text) for no, text in tail if no > end_no]
    names, title = read_tail([(end_no, "0"), *tail], 1, n, filename)
    packed = _pack(section, n)
    if packed is None:
        return None
    data = BallotFile(
        candidates=names, ballots=(), seats=seats, withdrawn=frozenset(withdrawn), title=title
    )
    return data, packed


def _head(raw: bytes) -> tuple[int, list[tuple[int, str]], int]:
    """Offset where the ballots start, the head's content lines and how many lines it spans.

    The head is the first content line plus the next one if it starts with "-" (withdrawn).
    """
    lines: list[tuple[int, str]] = []
    pos = no = 0
    while pos < len(raw):
        nl = raw.find(b"\n", pos)
        stop = len(raw) if nl < 0 else nl + 1
        text = raw[pos:stop].decode("utf-8").strip()
        if text and not text.startswith("#"):
            if lines and not text.startswith("-"):
                return pos, lines, no
            lines.append((no + 1, text))
            if len(lines) == 2:
                return stop, lines, no + 1
        pos, no = stop, no + 1
    return pos, lines, no


def _pack(section: bytes, n: int) -> PackedBallots | None:
    """Tokenise plain ballot lines `weight p1 p2 ... 0` into packed arrays, or None."""
    b = np.frombuffer(section, dtype=np.uint8)
    if b.size == 0:
        return PackedBallots(np.full((0, 1), -1, dtype=np.int8), np.zeros(0, dtype=np.int64))
    digit = (b >= 48).view(np.int8)  # only digits and whitespace are left in the section
    edge = np.diff(digit, prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    lengths = np.flatnonzero(edge == -1) - starts
    if lengths.max(initial=0) > MAX_DIGITS:
        return None
    value = _values(b, starts, lengths)
    tokens = starts.size
    # A token starts a ballot line when a newline lies between it and the token before it:
    # the maximum of the newline flags over each gap [end of token i-1, start of token i).
    first = np.ones(tokens, dtype=np.bool_)
    if tokens > 1:
        bounds = np.empty(2 * (tokens - 1), dtype=np.intp)
        bounds[0::2] = (starts + lengths)[:-1]
        bounds[1::2] = starts[1:]
        first[1:] = np.maximum.reduceat(b == 10, bounds)[0::2]
    heads = np.flatnonzero(first)
    counts = np.diff(heads, append=tokens)
    last = heads + counts - 1
    # Each line: a weight, the preferences, and a literal "0" at the end.
    if (counts < 2).any() or (value[last] != 0).any() or (lengths[last] != 1).any():
        return None
    weights = value[heads]
    is_pref = np.ones(tokens, dtype=np.bool_)
    is_pref[heads] = False
    is_pref[last] = False
    prefs_left = value[is_pref]
    if prefs_left.size and (prefs_left.min() < 1 or prefs_left.max() > n):
        return None
    ballot = np.repeat(np.arange(heads.size), counts)[is_pref]
    column = (np.arange(tokens) - np.repeat(heads, counts))[is_pref] - 1
    n_prefs = counts - 2
    width = int(n_prefs.max(initial=0)) + 1
    prefs = np.full((heads.size, width), -1, dtype=np.int8)
    prefs.ravel()[ballot * width + column] = (prefs_left - 1).astype(np.int8)
    try:
        _check_repeats(prefs, n_prefs)
    except TallyInputError:
        return None
    return PackedBallots(prefs, weights)


def _values(
    b: npt.NDArray[np.uint8], starts: npt.NDArray[np.intp], lengths: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    """The number each digit run spells, a digit position at a time (most runs are short)."""
    value = b[starts].astype(np.int64) - 48
    idx = np.flatnonzero(lengths > 1)
    k = 1
    while idx.size:
        value[idx] = value[idx] * 10 + (b[starts[idx] + k].astype(np.int64) - 48)
        k += 1
        idx = idx[lengths[idx] > k]
    return value
