"""Minimum / maximum seats per group, for constrained STV (Grey-Fitzgerald guard and doom).

The whole method rests on one oracle, `feasible`: can the seats still to fill be filled from
the hopeful candidates so that every group ends within its bounds? A hopeful whose exclusion
would make that impossible is *guarded* (never excluded); one whose election would make it
impossible is *doomed* (excluded before anyone else, never elected). Candidates with the same
group memberships are interchangeable, so the search runs over membership classes, which keeps
it tiny for any realistic congress.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from governance.tally.model import GroupConstraint, InfeasibleConstraints

Signature = tuple[bool, ...]


def _signature(c: int, groups: Sequence[GroupConstraint]) -> Signature:
    return tuple(c in g.members for g in groups)


def feasible(
    elected: Collection[int],
    hopeful: Collection[int],
    seats: int,
    groups: Sequence[GroupConstraint],
) -> bool:
    """True when some choice of the remaining seats among `hopeful` meets every bound."""
    if not groups:
        return True
    need = min(seats - len(elected), len(hopeful))
    if need < 0:
        return False
    have = [sum(1 for c in elected if c in g.members) for g in groups]
    classes = sorted(Counter(_signature(c, groups) for c in hopeful).items())
    return _search(classes, 0, need, have, groups)


def _search(
    classes: list[tuple[Signature, int]],
    i: int,
    need: int,
    have: list[int],
    groups: Sequence[GroupConstraint],
) -> bool:
    for g, count in zip(groups, have, strict=True):
        if g.maximum is not None and count > g.maximum:
            return False
    if i == len(classes):
        return need == 0 and all(n >= g.minimum for g, n in zip(groups, have, strict=True))
    # Prune: a group minimum that even the classes still to come cannot reach.
    for j, g in enumerate(groups):
        reachable = sum(k for sig, k in classes[i:] if sig[j])
        if have[j] + min(reachable, need) < g.minimum:
            return False
    sig, avail = classes[i]
    for take in range(min(avail, need), -1, -1):
        nxt = [n + take * s for n, s in zip(have, sig, strict=True)]
        if _search(classes, i + 1, need - take, nxt, groups):
            return True
    return False


def guarded_and_doomed(
    elected: Collection[int],
    hopeful: Collection[int],
    seats: int,
    groups: Sequence[GroupConstraint],
) -> tuple[frozenset[int], frozenset[int]]:
    """Hopefuls that may not be excluded, and hopefuls that may not be elected."""
    if not groups:
        return frozenset(), frozenset()
    guarded = set()
    doomed = set()
    hopeful_set = set(hopeful)
    for c in hopeful_set:
        rest = hopeful_set - {c}
        if not feasible(elected, rest, seats, groups):
            guarded.add(c)
        if not feasible([*elected, c], rest, seats, groups):
            doomed.add(c)
    return frozenset(guarded), frozenset(doomed)


def check_constraints(
    candidates: Sequence[str], seats: int, groups: Sequence[GroupConstraint]
) -> None:
    """Refuse impossible constraints before a poll opens, with the reason.

    Raises InfeasibleConstraints; returns None when some set of winners satisfies them all.
    """
    n = len(candidates)
    for g in groups:
        bad = [m for m in g.members if not 0 <= m < n]
        if bad:
            raise InfeasibleConstraints(f"group {g.name!r} names unknown candidates {bad}")
        if g.minimum < 0 or (g.maximum is not None and g.maximum < g.minimum):
            raise InfeasibleConstraints(
                f"group {g.name!r}: minimum {g.minimum} and maximum {g.maximum} are inconsistent"
            )
        if g.minimum > len(g.members):
            raise InfeasibleConstraints(
                f"group {g.name!r} needs at least {g.minimum} seats "
                f"but has only {len(g.members)} candidates"
            )
        if g.minimum > seats:
            raise InfeasibleConstraints(
                f"group {g.name!r} needs at least {g.minimum} seats but only {seats} are elected"
            )
    if sum(g.minimum for g in groups) > seats and _disjoint(groups):
        raise InfeasibleConstraints(
            f"group minimums add up to {sum(g.minimum for g in groups)} "
            f"but only {seats} seats are elected"
        )
    if not feasible((), range(n), seats, groups):
        raise InfeasibleConstraints(
            f"no set of {min(seats, n)} winners among {n} candidates meets every group bound"
        )


def _disjoint(groups: Sequence[GroupConstraint]) -> bool:
    seen: set[int] = set()
    for g in groups:
        if seen & g.members:
            return False
        seen |= g.members
    return True
