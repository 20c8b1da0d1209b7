"""A numpy reader for large CSV ballot files of ranks: the same file, straight to packed arrays.

The CSV form of `formats.read_csv`: a header of candidate names (optionally led by `weight`),
then one row per ballot with a rank (1 = first choice) or nothing in each candidate's cell.
Like `blt_numpy`, this is a fast path, not a second grammar: it takes only rows of plain
digits and commas, every row with all its cells (`\\n` or `\\r\\n` line ends, no blank lines,
no quotes, spaces, `x` marks or signs, no number with a leading zero), and answers None for
anything else, or for anything `read_csv` would refuse (two candidates sharing a rank); the
caller then reads the file with `read_csv`, which names the line and the problem. The header
is read by `read_csv` itself, so names, their order and the refusals are the same.
"""

from __future__ import annotations

import csv
import warnings

import numpy as np
import numpy.typing as npt

from governance.tally.blt import BallotFile, BallotFileError
from governance.tally.formats import read_csv
from governance.tally.model import TallyInputError
from governance.tally.papers_numpy import PackedBallots

_PLAIN = b"0123456789,\r\n"
MAX_DIGITS = 15
MAX_CANDIDATES = 63


def read_csv_packed(raw: bytes, filename: str = "<csv>") -> tuple[BallotFile, PackedBallots] | None:
    """(file without its ballot tuples, packed ballots), or None: use `read_csv` instead."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return _read(raw, filename)
    except (BallotFileError, TallyInputError, UnicodeDecodeError, IndexError, ValueError):
        return None


def _read(raw: bytes, filename: str) -> tuple[BallotFile, PackedBallots] | None:
    cut = raw.find(b"\n") + 1
    if cut == 0 or b'"' in raw[:cut] or b"\r" in raw[: cut - 2]:
        return None  # one plain header line, or the reference reader
    header = raw[:cut].decode("utf-8")
    head = read_csv(header, filename)
    n = len(head.candidates)
    weighted = next(csv.reader([header]))[0].strip().lower() == "weight"
    body = raw[cut:]
    if n + weighted < 2 or n > MAX_CANDIDATES or body.translate(None, _PLAIN):
        return None
    if b"\r" in body and body.count(b"\r") != body.count(b"\r\n"):
        return None
    if not body:
        empty = PackedBallots(np.full((0, 1), -1, dtype=np.int8), np.zeros(0, dtype=np.int64))
        return BallotFile(candidates=head.candidates, ballots=()), empty
    if not body.endswith(b"\n"):
        body += b"\n"
    if body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body:
        return None  # blank lines: the reference reader skips them
    packed = _pack(body, n, weighted)
    if packed is None:
        return None
    return BallotFile(candidates=head.candidates, ballots=()), packed


def _pack(body: bytes, n: int, weighted: bool) -> PackedBallots | None:
    """Rows of `[weight,]rank,rank,...` into packed arrays, or None."""
    fields = n + weighted
    as_array = np.frombuffer(body, dtype=np.uint8)
    digit_bytes = int(np.count_nonzero(as_array >= 48))
    rows = int(np.count_nonzero(as_array == 10))
    if int(np.count_nonzero(as_array == 44)) != rows * (fields - 1):
        return None
    # Every field gets a leading 0 (an empty one is then "0", "3" is "03"); each line end
    # becomes a -1 marker. numpy's C parser reads the lot.
    text = b"0" + body.replace(b",", b",0").replace(b"\n", b",-1,0")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            values = np.fromstring(text, dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    del text
    if values.size != rows * (fields + 1) + 1 or values[-1] != 0:
        return None
    table = values[:-1].reshape(rows, fields + 1)
    # The right count of commas in all, and a marker closing every row: every row has all
    # its fields.
    if (table[:, -1] != -1).any():
        return None
    cells = table[:, :-1]
    if rows and (cells.min() < 0 or cells.max() >= 10**MAX_DIGITS):
        return None
    # A literal 0 or a leading zero would read as an empty cell or a shorter number: refuse
    # them by accounting for every digit byte.
    if _digits(cells) != digit_bytes:
        return None
    # The weight cells as written: 0 for an empty one (and for all, without a weight column).
    weights = cells[:, 0].copy() if weighted else np.zeros(rows, dtype=np.int64)
    ranks = cells[:, 1:] if weighted else cells
    top = int(ranks.max(initial=0))
    if top > 10**6:
        return None
    if top <= MAX_CANDIDATES:
        # Ranks in int8 from here: an eighth of the memory of the parsed numbers.
        small = ranks.astype(np.int8)
        del values, table, cells, ranks
        return _order_small(small, weights)
    keep = (cells != 0).any(axis=1)  # a row of empty cells is no ballot (read_csv skips it)
    weights = weights[keep]
    weights[weights == 0] = 1  # an empty weight cell is 1
    return _order(ranks[keep], weights)


def _order_small(
    small: npt.NDArray[np.int8], weights: npt.NDArray[np.int64]
) -> PackedBallots | None:
    """`_order` for ranks up to 63, with the usual rows (ranked 1..k) placed column by column."""
    lengths = np.count_nonzero(small, axis=1)
    keep = (weights != 0) | (lengths > 0)  # a row of empty cells is no ballot
    if not keep.all():
        small, weights, lengths = small[keep], weights[keep], lengths[keep]
    weights[weights == 0] = 1  # an empty weight cell is 1
    if small.shape[0] == 0 or (small.max(axis=1) != lengths).any():
        return _order(small.astype(np.int64), weights)
    # k ranks whose largest is k are 1..k exactly when no two are equal: a bit mask per row.
    table = np.zeros(65, dtype=np.uint64)
    table[1:] = np.left_shift(np.uint64(1), np.arange(64, dtype=np.uint64))
    bits = np.zeros(small.shape[0], dtype=np.uint64)
    for col in small.T:
        bits |= table[col]
    if (np.bitwise_count(bits) != lengths).any():
        return None  # two candidates share a rank: the reference reader refuses the row
    width = int(lengths.max(initial=0)) + 1
    prefs = np.full((small.shape[0], width), -1, dtype=np.int8)
    for cand, col in enumerate(small.T):
        rows = np.flatnonzero(col)
        prefs[rows, col[rows].astype(np.intp) - 1] = cand
    return PackedBallots(prefs, weights)


def _order(ranks: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]) -> PackedBallots | None:
    """Candidates in order of their ranks per row (any ranks); None if two share a rank."""
    count, n = ranks.shape
    lengths = np.count_nonzero(ranks, axis=1)
    width = int(lengths.max(initial=0)) + 1
    unranked = np.int64(10**7)
    keyed = np.where(ranks > 0, ranks, unranked)
    by_rank = np.argsort(keyed, axis=1, kind="stable")
    in_order = np.take_along_axis(keyed, by_rank, axis=1)
    if n > 1 and ((in_order[:, 1:] == in_order[:, :-1]) & (in_order[:, 1:] < unranked)).any():
        return None
    order = by_rank[:, : width - 1].astype(np.int8)
    prefs = np.full((count, width), -1, dtype=np.int8)
    live = np.arange(width - 1) < lengths[:, None]
    prefs[:, : width - 1] = np.where(live, order, np.int8(-1))
    return PackedBallots(prefs, weights)


def _digits(cells: npt.NDArray[np.int64]) -> int:
    """Digits of the non-zero numbers written plainly (empty cells take none)."""
    total = int(np.count_nonzero(cells))
    k = 1
    top = int(cells.max(initial=0))
    while 10**k <= top:
        total += int(np.count_nonzero(cells >= 10**k))
        k += 1
    return total
