"""How Meek STV spreads each ballot over the candidates, in two interchangeable forms.

A ballot gives each elected candidate it meets `remaining * keep / SCALE`, rounded up at 9
decimals (as the NZ calculator does), skips excluded candidates, and gives all that is left to
the first hopeful; what is left after the last preference is exhausted. The pure form walks
every distinct ballot. The numpy form notes, per ballot, the elected candidates before its first
hopeful (its *path*), re-walks only ballots whose first hopeful changed status, and distributes
over the distinct paths: far fewer than ballots. Both use the same integer operations, in the
same order, so they give identical totals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from governance.tally.model import Ballot
from governance.tally.papers_numpy import PackedBallots, _sum_by

MEEK_SCALE = 10**9
HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2


class PureSpread:
    """Reference: walk every ballot on every iteration."""

    def __init__(self, ballots: Sequence[Ballot], n: int) -> None:
        self.ballots = ballots
        self.n = n
        self.status: list[int] = [HOPEFUL] * n

    def set_status(self, status: Sequence[int]) -> None:
        self.status = list(status)

    def spread(self, keep: Sequence[int]) -> tuple[list[int], int]:
        totals = [0] * self.n
        exhausted = 0
        for prefs, w in self.ballots:
            if not prefs:
                continue  # a blank ballot is no vote: not in the valid poll, never exhausted
            rem = MEEK_SCALE
            for c in prefs:
                st = self.status[c]
                if st == EXCLUDED:
                    continue
                if st == HOPEFUL:
                    totals[c] += rem * w
                    rem = 0
                    break
                give = -(-rem * keep[c] // MEEK_SCALE)  # rounded up (NZ calculator)
                totals[c] += give * w
                rem -= give
            exhausted += rem * w
        return totals, exhausted


class NumpySpread:
    """Vectorised: incremental per-ballot paths, spread over the distinct paths."""

    def __init__(self, packed: PackedBallots, n: int, seats: int) -> None:
        self.prefs = packed.prefs
        self.weights = packed.weights
        self.n = n
        self.base = n + 1
        # A path holds at most `seats` elected candidates plus the terminal hopeful.
        if self.base ** (seats + 1) >= 2**62:
            raise ValueError("too many candidates and seats for the packed path code")
        self.depth = seats
        size = self.weights.size
        self.flat = self.prefs.ravel()
        self.width = self.prefs.shape[1]
        self.pos = np.zeros(size, dtype=np.int64)
        self.code = np.zeros(size, dtype=np.int64)
        self.holder = self.prefs[:, 0].astype(np.int64)
        self.status = np.full(n + 1, HOPEFUL, dtype=np.int8)
        self.status[n] = HOPEFUL  # the -1 padding stops a walk, like a hopeful would
        # Path table: one row per (elected prefix, terminal) code; rows may repeat, which only
        # costs time, never correctness. Starts as one row per first preference.
        self.rows = np.arange(self.base, dtype=np.int64)
        self.row_weight = np.bincount(self.holder + 1, weights=self.weights, minlength=self.base)
        self.row_weight = self.row_weight.astype(np.int64)
        # Row 0 is "no first preference": blank ballots, which are no votes at all (neither in
        # the valid poll nor exhausted); their holder stays -1, so no later walk moves them.
        self.row_weight[0] = 0
        self._paths: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
        self._decode()

    def set_status(self, status: Sequence[int]) -> None:
        self.status[: self.n] = status
        # Only ballots whose first hopeful just stopped being hopeful change path.
        moving = np.flatnonzero((self.holder >= 0) & (self.status[self.holder] != HOPEFUL))
        if moving.size == 0:
            return
        terminal = self.rows % self.base - 1
        stale = (terminal >= 0) & (self.status[terminal] != HOPEFUL)
        self._walk(moving)
        full = self.code[moving] * self.base + (self.holder[moving] + 1)
        uniq, inverse = np.unique(full, return_inverse=True)
        weight = np.bincount(inverse, weights=self.weights[moving]).astype(np.int64)
        self.rows = np.concatenate([self.rows[~stale], uniq])
        self.row_weight = np.concatenate([self.row_weight[~stale], weight])
        self._decode()

    def _walk(self, idx: npt.NDArray[np.int64]) -> None:
        """Move these ballots past elected (recording them) and excluded candidates."""
        # Start at the current holder: it is elected (joins the path) or excluded (skipped).
        pos = self.pos[idx]
        code = self.code[idx]
        order = np.arange(idx.size)
        while order.size:
            cand = self.flat[idx[order] * self.width + pos[order]].astype(np.int64)
            st = self.status[cand]
            elected = st == ELECTED
            code[order[elected]] = code[order[elected]] * self.base + cand[elected] + 1
            moving = st != HOPEFUL
            self.holder[idx[order[~moving]]] = cand[~moving]
            order = order[moving]
            pos[order] += 1
        self.pos[idx] = pos
        self.code[idx] = code

    def _decode(self) -> None:
        keep = self.row_weight > 0
        rows, weight = self.rows[keep], self.row_weight[keep]
        terminal = rows % self.base - 1
        rest = rows // self.base
        digits = np.zeros((rows.size, self.depth), dtype=np.int64)
        for j in range(self.depth - 1, -1, -1):
            digits[:, j] = rest % self.base - 1
            rest //= self.base
        # Digits are right-aligned (most recent last); leading -1 columns give nothing.
        self._paths = (digits, terminal, weight)

    def spread(self, keep: Sequence[int]) -> tuple[list[int], int]:
        digits, terminal, weight = self._paths
        keep_ext = np.zeros(self.n + 1, dtype=np.int64)
        keep_ext[: self.n] = keep
        rem = np.full(weight.size, MEEK_SCALE, dtype=np.int64)
        totals = [0] * self.n
        for j in range(self.depth):
            col = digits[:, j]
            give = -((-rem * keep_ext[col]) // MEEK_SCALE)
            rem -= give
            live = col >= 0
            part = _sum_by(col[live], give[live] * weight[live], self.n)
            totals = [a + b for a, b in zip(totals, part, strict=True)]
        live = terminal >= 0
        part = _sum_by(terminal[live], rem[live] * weight[live], self.n)
        totals = [a + b for a, b in zip(totals, part, strict=True)]
        exhausted = int((rem[~live] * weight[~live]).sum())
        return totals, exhausted
