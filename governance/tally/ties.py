"""The written tie cascade shared by every method.

1. Look back at the totals of earlier stages, most recent first: at the first stage (going
   backwards) where the tied candidates differ, the highest (or lowest) there wins the tie;
   if several are still equal there, keep looking back among those.
2. If they were equal at every stage, draw a lot: each candidate's ticket is
   sha256("<seed>|<purpose>|<index>|<name>"), and the smallest ticket is drawn. The seed is
   fixed and published when the poll opens, so anyone can redo the draw.
Every decision is returned as a sentence for the transcript.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

Want = Literal["highest", "lowest"]
Totals = Sequence[Fraction | int]


def lot_ticket(seed: str, purpose: str, index: int, name: str) -> str:
    """The public, reproducible lot ticket of one candidate."""
    return hashlib.sha256(f"{seed}|{purpose}|{index}|{name}".encode()).hexdigest()


def break_tie(
    tied: Sequence[int],
    history: Sequence[Totals],
    *,
    want: Want,
    names: Sequence[str],
    seed: str,
    purpose: str,
) -> tuple[int, str | None]:
    """Pick one of `tied`; return it and a transcript note (None when there was no tie)."""
    if len(tied) == 1:
        return tied[0], None
    pool = sorted(tied)
    listed = ", ".join(names[c] for c in pool)
    # history[-1] holds the totals that produced the tie; earlier stages are history[:-1].
    for back, totals in enumerate(reversed(history[:-1]), start=1):
        values = [Fraction(totals[c]) for c in pool]
        best = max(values) if want == "highest" else min(values)
        if values.count(best) < len(values):
            pool = [c for c, v in zip(pool, values, strict=True) if v == best]
            if len(pool) == 1:
                stage_no = len(history) - back
                return pool[0], (
                    f"tie for {purpose} between {listed}: broken by the totals at stage "
                    f"{stage_no} ({names[pool[0]]} {want})"
                )
    tickets = {c: lot_ticket(seed, purpose, c, names[c]) for c in pool}
    chosen = min(pool, key=lambda c: tickets[c])
    return chosen, (
        f"tie for {purpose} between {listed}: equal at every stage, lot drawn with seed "
        f"{seed!r}: {names[chosen]} (ticket {tickets[chosen][:12]})"
    )


def order_by_total(
    cands: Sequence[int],
    history: Sequence[Totals],
    *,
    names: Sequence[str],
    seed: str,
    purpose: str,
) -> tuple[list[int], list[str]]:
    """Order candidates by current total, highest first, ties by the cascade."""
    remaining = list(cands)
    ordered: list[int] = []
    notes: list[str] = []
    current = history[-1]
    while remaining:
        top = max(Fraction(current[c]) for c in remaining)
        tied = [c for c in remaining if Fraction(current[c]) == top]
        pick, note = break_tie(
            tied, history, want="highest", names=names, seed=seed, purpose=purpose
        )
        if note:
            notes.append(note)
        ordered.append(pick)
        remaining.remove(pick)
    return ordered, notes
