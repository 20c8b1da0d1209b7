"""Suara counting engine: pure counting methods with round-by-round transcripts.

Imports only the standard library (and numpy in the fast STV/IRV path); never the rest of
the project. `tally(TallyInput(...))` dispatches on the stable method name.
"""

from __future__ import annotations

from collections.abc import Callable

from governance.tally.constraints import check_constraints
from governance.tally.majority import count_motion, threshold
from governance.tally.model import (
    METHODS,
    GroupConstraint,
    InfeasibleConstraints,
    MajorityRule,
    Stage,
    TallyInput,
    TallyInputError,
    TallyResult,
    decimal_str,
)

__all__ = [
    "METHODS",
    "GroupConstraint",
    "InfeasibleConstraints",
    "MajorityRule",
    "Stage",
    "TallyInput",
    "TallyInputError",
    "TallyResult",
    "check_constraints",
    "decimal_str",
    "tally",
    "threshold",
]

Counter = Callable[[TallyInput], TallyResult]


def _counters() -> dict[str, Counter]:
    # Imported here so that `import governance.tally` stays cheap (numpy loads on first count).
    from governance.tally.choice import count_approval, count_plurality, count_two_round
    from governance.tally.irv import count_irv
    from governance.tally.meek import count_meek
    from governance.tally.schulze import count_schulze
    from governance.tally.stv_scottish import count_scottish

    return {
        "yes-no-abstain": count_motion,
        "plurality": count_plurality,
        "approval": count_approval,
        "two-round": count_two_round,
        "irv": count_irv,
        "scottish-stv": count_scottish,
        "meek-stv": count_meek,
        "schulze": count_schulze,
    }


def tally(inp: TallyInput) -> TallyResult:
    """Count one frozen snapshot with the method it names."""
    counters = _counters()
    if inp.method not in METHODS:
        raise TallyInputError(f"unknown method {inp.method!r}; choose from {', '.join(METHODS)}")
    _check_common(inp)
    return counters[inp.method](inp)


def _check_common(inp: TallyInput) -> None:
    """Refusals shared by every method, before any counting starts."""
    if len(set(inp.candidates)) != len(inp.candidates):
        raise TallyInputError("two candidates have the same name", "duplicate_candidate")
    if any(not 0 <= c < len(inp.candidates) for c in inp.withdrawn):
        raise TallyInputError("a withdrawn candidate is not on the list", "bad_withdrawn")
    if inp.method != "yes-no-abstain" and inp.seats < 1:
        raise TallyInputError("an election needs at least one seat", "bad_seats")
