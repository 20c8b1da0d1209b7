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

import warnings

import numpy as np
import numpy.typing as npt

from governance.tally.blt import BallotFile, BallotFileError, content_lines, read_head, read_tail
from governance.tally.model import TallyInputError
from governance.tally.papers_numpy import PackedBallots, _check_repeats

# Line breaks that `str.splitlines` knows but a split on b"\n" does not (a lone \r is checked
# apart): a file with one goes to the reference reader, so both readers see the same lines.
_ODD_BREAKS: tuple[bytes, ...] = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85")
_ODD_BREAKS += (b"\xe2\x80\xa8", b"\xe2\x80\xa9")
_PLAIN = b"0123456789 \t\r\n"
MAX_DIGITS = 15  # longer numbers (or the int64 overflow they risk) go to the reference reader
MAX_CANDIDATES = 63  # what the numpy stores hold


def read_blt_packed(raw: bytes, filename: str = "<blt>") -> tuple[BallotFile, PackedBallots] | None:
    """(file without its ballot tuples, packed ballots), or None: use `read_blt` instead."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return _read(raw, filename)
    except (BallotFileError, TallyInputError, UnicodeDecodeError, IndexError, ValueError):
        return None


def _odd_breaks(text: bytes) -> bool:
    return any(mark in text for mark in _ODD_BREAKS) or text.count(b"\r") != text.count(b"\r\n")


def _read(raw: bytes, filename: str) -> tuple[BallotFile, PackedBallots] | None:
    start, lines, head_lines = _head(raw)
    if not lines or _odd_breaks(raw[:start]):
        return None
    n, seats, withdrawn, used = read_head(lines, filename)
    if used != len(lines) or n > MAX_CANDIDATES:
        return None
    end = _end_line(raw, start)
    if end is None or _odd_breaks(raw[end:]):
        return None
    section = raw[start:end]
    if section.translate(None, _PLAIN) or (
        b"\r" in section and section.count(b"\r") != section.count(b"\r\n")
    ):
        return None  # comments, ballot ids, signs, `=`, lone CRs: the reference reader's
    as_array = np.frombuffer(section, dtype=np.uint8)
    line_ends = int(np.count_nonzero(as_array == 10))
    digit_bytes = int(np.count_nonzero(as_array >= 48))  # only digits are above the blanks
    end_no = head_lines + line_ends + 1
    tail = content_lines(raw[end:].decode("utf-8"), first=end_no)
    # The line after the final 0 starts the tail: drop the rest of the "0" line itself.
    tail = [(no, text) for no, text in tail if no > end_no]
    names, title = read_tail([(end_no, "0"), *tail], 1, n, filename)
    packed = _pack(section, n, line_ends, digit_bytes)
    if packed is None:
        return None
    data = BallotFile(
        candidates=names, ballots=(), seats=seats, withdrawn=frozenset(withdrawn), title=title
    )
    return data, packed


def _end_line(raw: bytes, start: int) -> int | None:
    """Offset of the first line from `start` on that is "0" (trailing blanks allowed).

    A "0" line written with leading blanks is not found here; it then lies inside the ballot
    section, where a line of one number is refused, and the reference reader takes the file.
    """
    at = start - 1  # the newline before the ballots (the head always precedes them)
    # The usual "0" line, found by one longer pattern. Should an earlier "0" line with blanks
    # after it exist, it falls inside the section, where a line of one number is refused.
    for usual in (b"\n0\n", b"\n0\r\n"):
        found = raw.find(usual, at)
        if found >= 0:
            return found + 1
    for _ in range(1000):
        at = raw.find(b"\n0", at)
        if at < 0:
            return None
        stop = raw.find(b"\n", at + 1)
        rest = raw[at + 2 : len(raw) if stop < 0 else stop]
        if not rest.strip(b" \t\r"):
            return at + 1
        at += 1
    return None


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


def _pack(section: bytes, n: int, line_ends: int, digit_bytes: int) -> PackedBallots | None:
    """Tokenise plain ballot lines `weight p1 p2 ... 0` into packed arrays, or None.

    numpy's C text parser reads the numbers, with every line end turned into a -1 marker
    (the section holds no sign, so a -1 can only be a line end). Then, per line: a weight,
    preferences 1..n, none twice, and a literal "0" last; a number written with a leading
    zero (which would let "00" pass for the final 0) sends the file to the reference reader.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            values = np.fromstring(section.replace(b"\n", b" -1 "), dtype=np.int64, sep=" ")
        except (ValueError, DeprecationWarning):
            return None
    if values.size == 0:
        return PackedBallots(np.full((0, 1), -1, dtype=np.int8), np.zeros(0, dtype=np.int64))
    top = int(values.max())
    if top >= 10**MAX_DIGITS:
        return None
    # Ballot lines are the runs of numbers between the line-end markers (the section ends
    # with one); blank lines are empty runs. Everything from here is per line, not per number.
    ends = np.flatnonzero(values < 0)
    if ends.size != line_ends:
        return None
    begins = np.empty_like(ends)
    begins[0] = 0
    begins[1:] = ends[:-1] + 1
    used = ends > begins
    heads, last = begins[used], ends[used] - 1
    counts = last - heads + 1
    if (counts < 2).any() or (values[last] != 0).any():
        return None
    weights = values[heads]
    # Every digit byte is accounted for by a number written without leading zeros.
    if _digits(values, weights, top, ends.size) != digit_bytes:
        return None
    is_pref = np.ones(values.size, dtype=np.bool_)
    is_pref[ends] = False
    is_pref[heads] = False
    is_pref[last] = False
    # The rest is in int8 (a preference above 127 stays out of range as 127): an eighth of the
    # memory of the parsed numbers, which go once the preferences are out.
    np.minimum(values, 127, out=values)
    prefs_left = values.astype(np.int8)[is_pref]
    del values
    if prefs_left.size and (prefs_left.min() < 1 or prefs_left.max() > n):
        return None
    n_prefs = counts - 2
    width = int(n_prefs.max(initial=0)) + 1
    prefs = np.full((heads.size, width), -1, dtype=np.int8)
    # A boolean mask fills row-major, the order of the preferences in the file.
    prefs_left -= 1
    prefs[np.arange(width) < n_prefs[:, None]] = prefs_left
    try:
        _check_repeats(prefs, n_prefs)
    except TallyInputError:
        return None
    return PackedBallots(prefs, weights)


def _digits(
    values: npt.NDArray[np.int64], weights: npt.NDArray[np.int64], top: int, markers: int
) -> int:
    """How many digits the numbers take written plainly (markers are -1 and take none).

    Preferences and the final 0 have at most two digits, so wider numbers are weights.
    """
    total = values.size - markers
    if top >= 10:
        total += int(np.count_nonzero(values >= 10))
    k = 2
    while 10**k <= top:
        total += int(np.count_nonzero(weights >= 10**k))
        k += 1
    return total
