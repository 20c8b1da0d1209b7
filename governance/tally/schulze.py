"""Schulze (beatpath) method, with the full pairwise matrix in the transcript.

d[i][j] is the weight of ballots that rank i above j; a ranked candidate is above every
unranked one, and unranked candidates are equal to each other. Path strengths use the
winning-votes measure (the strength of a link i->j is d[i][j] when d[i][j] > d[j][i]).
Candidates are ordered by "beats or ties every remaining candidate by strongest path"; with
several seats the first `seats` of that order win. Remaining ties go to the written cascade
(here only the lot applies, as there are no earlier stages).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from governance.tally.model import Stage, TallyInput, TallyResult
from governance.tally.papers import validate_ranked
from governance.tally.stv_scottish import use_numpy
from governance.tally.ties import break_tie

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from governance.tally.papers_numpy import PackedBallots

Matrix = list[list[int]]


def pairwise_pure(inp: TallyInput) -> Matrix:
    """Reference pairwise counts from (prefs, weight) tuples."""
    n = len(inp.candidates)
    d = [[0] * n for _ in range(n)]
    for prefs, w in inp.ballots:
        ranked = set(prefs)
        unranked = [c for c in range(n) if c not in ranked]
        for pos, a in enumerate(prefs):
            for b in prefs[pos + 1 :]:
                d[a][b] += w
            for b in unranked:
                d[a][b] += w
    return d


def pairwise_packed(packed: PackedBallots, n: int) -> Matrix:
    """Vectorised pairwise counts.

    Ranks are stored candidate-major (one contiguous row of ballot ranks per candidate) so
    each pair is a single `count_nonzero` over two rows, with ballots grouped by weight;
    the obvious `weights @ (rank_a < rank)` is 30x slower because integer matmul has no BLAS.
    """
    import numpy as np

    d = [[0] * n for _ in range(n)]
    distinct = np.unique(packed.weights)
    if distinct.size > 16:
        # Many different weights: one float64 dot per pair, exact below 2**53 total weight.
        rank = _ranks(packed.prefs, n)
        wf = packed.weights.astype(np.float64)
        for a in range(n):
            for b in range(n):
                if a != b:
                    d[a][b] = round(float(np.dot(wf, rank[a] < rank[b])))
        return d
    for weight in distinct[distinct > 0]:
        rank = _ranks(packed.prefs[packed.weights == weight], n)
        for a in range(n):
            for b in range(n):
                if a != b:
                    d[a][b] += int(weight) * int(np.count_nonzero(rank[a] < rank[b]))
    return d


def _ranks(prefs: npt.NDArray[np.int8], n: int) -> npt.NDArray[np.int8]:
    """rank[c, i]: position of candidate c on ballot i, n when unranked."""
    import numpy as np

    cols = np.arange(prefs.shape[0])
    rank = np.full((n, prefs.shape[0]), n, dtype=np.int8)
    for pos in range(prefs.shape[1] - 1, -1, -1):
        cand = prefs[:, pos].astype(np.int64)
        live = cand >= 0
        rank[cand[live], cols[live]] = pos
    return rank


def strongest_paths(d: Matrix) -> Matrix:
    n = len(d)
    p = [[d[i][j] if d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for k in range(n):
        for i in range(n):
            if i == k:
                continue
            pik = p[i][k]
            for j in range(n):
                if j not in (i, k):
                    p[i][j] = max(p[i][j], min(pik, p[k][j]))
    return p


def schulze_result(inp: TallyInput, d: Matrix) -> TallyResult:
    names = inp.candidates
    n = len(names)
    p = strongest_paths(d)
    remaining = [c for c in range(n) if c not in inp.withdrawn]
    order: list[int] = []
    ties: list[str] = []
    while remaining and len(order) < inp.seats:
        top = [a for a in remaining if all(p[a][b] >= p[b][a] for b in remaining if b != a)]
        pick, note = break_tie(
            top,
            [[0] * n],
            want="highest",
            names=names,
            seed=inp.seed,
            purpose=f"place {len(order) + 1}",
        )
        if note:
            ties.append(note)
        order.append(pick)
        remaining.remove(pick)
    wins = tuple(Fraction(sum(1 for b in range(n) if p[a][b] > p[b][a])) for a in range(n))
    stage = Stage(1, "pairwise comparison (totals: candidates beaten by strongest path)", wins)
    return TallyResult(
        method="schulze",
        candidates=names,
        seats=inp.seats,
        outcome="elected",
        elected=tuple(order),
        elected_stage=(1,) * len(order),
        stages=(stage,),
        ties=tuple(ties),
        details={"pairwise": _named(names, d), "strongest_paths": _named(names, p)},
    )


def _named(names: Sequence[str], m: Matrix) -> dict[str, dict[str, str]]:
    return {
        a: {b: str(m[i][j]) for j, b in enumerate(names) if j != i} for i, a in enumerate(names)
    }


def count_schulze(inp: TallyInput) -> TallyResult:
    """Count a Schulze election from ranked ballots."""
    if use_numpy(inp):
        from governance.tally.papers_numpy import PackedBallots

        packed = PackedBallots.from_ballots(inp.ballots, len(inp.candidates))
        return schulze_result(inp, pairwise_packed(packed, len(inp.candidates)))
    validate_ranked(inp.ballots, len(inp.candidates))
    return schulze_result(inp, pairwise_pure(inp))


def count_schulze_packed(
    candidates: tuple[str, ...], packed: PackedBallots, seats: int = 1, seed: str = ""
) -> TallyResult:
    """Schulze on ballots already packed as arrays (the bulk path)."""
    inp = TallyInput("schulze", candidates, (), seats=seats, seed=seed)
    return schulze_result(inp, pairwise_packed(packed, len(candidates)))
