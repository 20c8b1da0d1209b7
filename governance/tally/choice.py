"""Single-stage choice methods: plurality (single and block), approval, two-round.

Ballots that break the method's own form (too many marks, outside min/max selections) are
counted as invalid and reported, not refused: one spoilt paper must not stop a count. A blank
ballot, `()`, is reported separately. Ties for the last seat go to the written cascade, which
for a one-stage count means the seeded lot.
"""

from __future__ import annotations

from fractions import Fraction

from governance.tally.model import Stage, TallyInput, TallyInputError, TallyResult
from governance.tally.ties import order_by_total


def _count_marks(inp: TallyInput, lo: int, hi: int) -> tuple[list[int], int, int]:
    """Per-candidate marks, invalid and blank weights, with `lo..hi` marks per valid ballot."""
    n = len(inp.candidates)
    totals = [0] * n
    invalid = blank = 0
    for marks, w in inp.ballots:
        if w < 0:
            raise TallyInputError(f"negative ballot weight {w}", "bad_weight")
        if not marks:
            blank += w
            continue
        bad = any(not 0 <= m < n or m in inp.withdrawn for m in marks)
        if bad or len(set(marks)) != len(marks) or not lo <= len(marks) <= hi:
            invalid += w
            continue
        for m in marks:
            totals[m] += w
    return totals, invalid, blank


def _winners(inp: TallyInput, totals: list[int], seats: int) -> tuple[list[int], list[str]]:
    cands = [c for c in range(len(inp.candidates)) if c not in inp.withdrawn]
    order, notes = order_by_total(
        cands, [totals], names=inp.candidates, seed=inp.seed, purpose="ranking"
    )
    # Only ties that straddle the last seat matter; earlier notes are harmless but honest.
    return order[:seats], notes


def _result(
    inp: TallyInput, totals: list[int], invalid: int, blank: int, seats: int, **details: object
) -> TallyResult:
    elected, notes = _winners(inp, totals, seats)
    stage = Stage(1, "count of votes", tuple(Fraction(t) for t in totals), notes=tuple(notes))
    return TallyResult(
        method=inp.method,
        candidates=inp.candidates,
        seats=seats,
        outcome="elected",
        elected=tuple(elected),
        elected_stage=(1,) * len(elected),
        stages=(stage,),
        ties=tuple(notes),
        places=0,
        details={"invalid": str(invalid), "blank": str(blank), **details},
    )


def count_plurality(inp: TallyInput) -> TallyResult:
    """First past the post; with several seats, block voting (up to `seats` marks each)."""
    totals, invalid, blank = _count_marks(inp, 1, inp.seats)
    return _result(inp, totals, invalid, blank, inp.seats)


def count_approval(inp: TallyInput) -> TallyResult:
    """Approval voting, k of n: ballots must approve min..max candidates to be valid."""
    hi = inp.max_selections if inp.max_selections is not None else len(inp.candidates)
    lo = max(inp.min_selections, 1)
    if lo > hi:
        raise TallyInputError(f"min_selections {lo} exceeds max_selections {hi}", "bad_selections")
    totals, invalid, blank = _count_marks(inp, lo, hi)
    return _result(
        inp, totals, invalid, blank, inp.seats, min_selections=str(lo), max_selections=str(hi)
    )


def count_two_round(inp: TallyInput) -> TallyResult:
    """First round of a two-round system: an absolute majority of valid votes wins outright,
    otherwise the top two go to a runoff (which is counted as a new two-round poll)."""
    totals, invalid, blank = _count_marks(inp, 1, 1)
    valid = sum(totals)
    top2, notes = _winners(inp, totals, 2)
    base = _result(inp, totals, invalid, blank, 1)
    if top2 and 2 * totals[top2[0]] > valid:
        return base
    names = [inp.candidates[c] for c in top2]
    return TallyResult(
        method=inp.method,
        candidates=inp.candidates,
        seats=1,
        outcome="runoff",
        elected=(),
        stages=base.stages,
        ties=tuple(notes),
        places=0,
        details={
            **base.details,
            "runoff": names,
            "message": "runoff needed between " + " and ".join(names),
        },
    )
