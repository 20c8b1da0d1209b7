"""Instant-runoff voting (single seat).

A candidate with more than half of the votes still in play (exhausted ballots leave the
base) wins. Otherwise the lowest candidate is excluded, one at a time, ties by the written
cascade, and their papers move to the next continuing preference. Uses the same paper stores
as Scottish STV, so large polls run on the numpy path.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from governance.tally.model import Stage, TallyInput, TallyResult
from governance.tally.papers import SCALE, PaperStore
from governance.tally.stv_scottish import make_store
from governance.tally.ties import break_tie

if TYPE_CHECKING:
    from governance.tally.papers_numpy import PackedBallots


def _run(inp: TallyInput, store: PaperStore) -> TallyResult:
    n = len(inp.candidates)
    continuing = [c not in inp.withdrawn for c in range(n)]
    totals, exhausted = store.first_preferences(continuing)
    history: list[list[int]] = []
    stages: list[Stage] = []
    excluded: list[tuple[int, int]] = []
    ties: list[str] = []
    action = "first preferences"
    while True:
        history.append(list(totals))
        # A stage notes the tie (if any) that decided the exclusion which produced it.
        fresh = [t for t in ties if not any(t in s.notes for s in stages)]
        stages.append(_stage(len(stages) + 1, action, totals, exhausted, fresh))
        live = [c for c in range(n) if continuing[c]]
        in_play = sum(totals[c] for c in live)
        leader = max(live, key=lambda c: totals[c], default=None)
        if leader is None:
            winner: tuple[int, ...] = ()
            break
        if 2 * totals[leader] > in_play or len(live) == 1:
            winner = (leader,)
            break
        low = min(totals[c] for c in live)
        loser, note = break_tie(
            [c for c in live if totals[c] == low],
            history,
            want="lowest",
            names=inp.candidates,
            seed=inp.seed,
            purpose=f"exclusion at stage {len(stages)}",
        )
        if note:
            ties.append(note)
        continuing[loser] = False
        excluded.append((loser, len(stages)))
        gains, lost = store.move(loser, 1, 1, continuing)
        totals = [t + g for t, g in zip(totals, gains, strict=True)]
        totals[loser] = 0
        exhausted += lost
        action = f"{inp.candidates[loser]} excluded"
    return TallyResult(
        method="irv",
        candidates=inp.candidates,
        seats=1,
        outcome="elected" if winner else "no_winner",
        elected=winner,
        elected_stage=(len(stages),) if winner else (),
        excluded=tuple(excluded),
        stages=tuple(stages),
        ties=tuple(ties),
    )


def _stage(number: int, action: str, totals: list[int], exhausted: int, ties: list[str]) -> Stage:
    return Stage(
        number=number,
        action=action,
        totals=tuple(Fraction(t, SCALE) for t in totals),
        exhausted=Fraction(exhausted, SCALE),
        notes=tuple(ties),
    )


def count_irv(inp: TallyInput, backend: str = "auto") -> TallyResult:
    """Count an instant-runoff election; `backend` is "auto", "pure" or "numpy"."""
    return _run(inp, make_store(inp, backend))


def count_irv_packed(
    candidates: tuple[str, ...], packed: PackedBallots, seed: str = ""
) -> TallyResult:
    """IRV on ballots already packed as arrays (the bulk path)."""
    from governance.tally.papers_numpy import NumpyPapers

    inp = TallyInput("irv", candidates, (), seed=seed)
    return _run(inp, NumpyPapers(packed, len(candidates)))
