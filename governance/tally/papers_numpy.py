"""Vectorised paper store: the same moves as `PurePapers`, on numpy arrays.

Why numpy: a million nearly-distinct ballots cannot be grouped away, and a per-paper Python
loop costs seconds; here each stage is a handful of array passes (see BENCHMARKS.md).
Layout: `prefs` is an (n, L+1) int8 array padded with -1 (the extra column guarantees a -1
after the last preference), `pos` a per-paper pointer, `value` int64 units, `holder` the
candidate holding the paper (-1 once exhausted). All arithmetic is integer, so results are
identical to the reference store.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from governance.tally.model import Ballot, TallyInputError
from governance.tally.papers import SCALE, validate_ranked

IntArray = npt.NDArray[np.int64]


class PackedBallots:
    """Ranked ballots as padded arrays; build once, count many times."""

    def __init__(self, prefs: npt.NDArray[np.int8], weights: IntArray) -> None:
        self.prefs = prefs
        self.weights = weights

    @classmethod
    def from_ballots(cls, ballots: Sequence[Ballot], n: int) -> PackedBallots:
        """Pack (prefs, weight) tuples; lengths and a flat fromiter keep this in C loops."""
        if n > 63:
            raise ValueError("the numpy store holds at most 63 candidates")
        count = len(ballots)
        if count == 0:
            return cls(np.full((0, 1), -1, dtype=np.int8), np.zeros(0, dtype=np.int64))
        # map/itemgetter and bytes() run in C: no Python-level loop per ballot or preference.
        rankings = list(map(itemgetter(0), ballots))
        lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=count)
        weights = np.fromiter(map(itemgetter(1), ballots), dtype=np.int64, count=count)
        width = int(lengths.max(initial=0)) + 1
        try:
            flat = np.frombuffer(bytes(chain.from_iterable(rankings)), dtype=np.uint8)
        except (ValueError, TypeError):
            # A preference outside 0..255 or not an integer: let the reference check name it.
            validate_ranked(ballots, n)
            raise TallyInputError("a preference is not a candidate index", "bad_ballot") from None
        _check(flat, lengths, weights, n)
        prefs = np.full((count, width), -1, dtype=np.int8)
        # A boolean mask fills row-major, the order of `flat`: no per-element index arrays.
        prefs[np.arange(width) < lengths[:, None]] = flat
        _check_repeats(prefs, lengths)
        return cls(prefs, weights)

    def to_ballots(self) -> tuple[Ballot, ...]:
        """The ballots as (preferences, weight) tuples again, in the same order."""
        rows = self.prefs.tolist()
        return tuple(
            (tuple(c for c in row if c >= 0), int(w))
            for row, w in zip(rows, self.weights.tolist(), strict=True)
        )


def _first(bad: npt.NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(bad)[0]) + 1


def _check(flat: npt.NDArray[np.uint8], lengths: IntArray, weights: IntArray, n: int) -> None:
    """The checks of `validate_ranked`, vectorised: same refusals, same ballot numbers."""
    if (weights < 0).any():
        i = _first(weights < 0)
        raise TallyInputError(f"ballot {i}: negative weight {weights[i - 1]}", "bad_weight")
    out_of_range = (flat < 0) | (flat >= n)
    if out_of_range.any():
        at = int(np.flatnonzero(out_of_range)[0])
        owner = np.repeat(np.arange(lengths.size), lengths)
        raise TallyInputError(f"ballot {owner[at] + 1}: no candidate {flat[at]}", "bad_ballot")


def _check_repeats(prefs: npt.NDArray[np.int8], lengths: IntArray) -> None:
    # A ballot ranks someone twice exactly when its set of candidates is smaller than its length.
    # The set is a bit mask; the table maps a preference to its bit and the -1 padding (the last
    # entry) to none, so each column is one lookup and one OR.
    # 32-bit masks when every preference fits, which halves the memory traffic.
    size = 32 if prefs.size == 0 or int(prefs.max()) < 32 else 64
    kind = np.dtype(np.uint32 if size == 32 else np.uint64)
    table: npt.NDArray[np.unsignedinteger[Any]] = np.zeros(size + 1, dtype=kind)
    table[:size] = np.left_shift(np.ones(size, dtype=kind), np.arange(size, dtype=kind))
    bits: npt.NDArray[np.unsignedinteger[Any]] = np.zeros(prefs.shape[0], dtype=kind)
    for col in prefs.T:
        bits |= table[col]
    repeated = np.bitwise_count(bits) != lengths
    if repeated.any():
        raise TallyInputError(
            f"ballot {_first(repeated)}: a candidate is ranked twice", "bad_ballot"
        )


def _sum_by(index: IntArray, amount: IntArray, n: int) -> list[int]:
    """Exact per-candidate sums of non-negative amounts.

    bincount adds in float64, which is exact while every partial sum stays below 2**53;
    with non-negative amounts the grand total bounds them all. Otherwise fall back to add.at.
    """
    if int(amount.sum()) < 2**52:
        sums = np.bincount(index, weights=amount, minlength=n)
        return [int(x) for x in np.rint(sums).astype(np.int64)]
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, index, amount)
    return [int(x) for x in out]


class NumpyPapers:
    """Vectorised store; `move` touches only the papers of one candidate."""

    def __init__(self, packed: PackedBallots, n: int) -> None:
        self.prefs = packed.prefs
        self.weights = packed.weights
        self.n = n
        size = self.weights.size
        self.pos = np.zeros(size, dtype=np.int16)
        self.value = np.full(size, SCALE, dtype=np.int64)
        self.holder = np.full(size, -1, dtype=np.int8)

    def valid_poll(self) -> int:
        return int(self.weights[self.prefs[:, 0] >= 0].sum())

    def _advance(
        self, idx: IntArray, pos: npt.NDArray[np.int16], ok: npt.NDArray[np.bool_]
    ) -> None:
        """Move `pos` forward until it points at a continuing candidate or the -1 padding."""
        todo = np.arange(idx.size)
        while todo.size:
            cand = self.prefs[idx[todo], pos[todo]]
            # ok has n+1 entries; ok[-1] is True, so the -1 padding always stops the walk.
            stop = ok[cand]
            todo = todo[~stop]
            pos[todo] += 1

    def _place(
        self, idx: IntArray, pos: npt.NDArray[np.int16], value: IntArray
    ) -> tuple[list[int], int]:
        holder = self.prefs[idx, pos]
        self.pos[idx] = pos
        self.value[idx] = value
        self.holder[idx] = holder
        amount = value * self.weights[idx]
        live = holder >= 0
        gains = _sum_by(holder[live].astype(np.int64), amount[live], self.n)
        return gains, int(amount[~live].sum())

    def _ok(self, continuing: Sequence[bool]) -> npt.NDArray[np.bool_]:
        return np.array([*continuing, True], dtype=np.bool_)

    def first_preferences(self, continuing: Sequence[bool]) -> tuple[list[int], int]:
        # Blank ballots (no first preference) get no paper: not valid votes, never exhausted.
        idx = np.flatnonzero(self.prefs[:, 0] >= 0)
        pos = np.zeros(idx.size, dtype=np.int16)
        self._advance(idx, pos, self._ok(continuing))
        return self._place(idx, pos, np.full(idx.size, SCALE, dtype=np.int64))

    def move(
        self, cand: int, num: int, den: int, continuing: Sequence[bool]
    ) -> tuple[list[int], int]:
        idx = np.flatnonzero(self.holder == cand)
        pos = self.pos[idx] + 1
        self._advance(idx, pos, self._ok(continuing))
        value = self.value[idx]
        if num != den:
            # num * value stays below 2**63: num <= total votes * SCALE, value <= SCALE.
            value = value * num // den
        return self._place(idx, pos, value)
