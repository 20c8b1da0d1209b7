"""Suara counting engine: pure counting methods with round-by-round transcripts.

Imports only the standard library (and numpy in the fast STV/IRV path); never the rest of
the project. `tally(TallyInput(...))` dispatches on the stable method name.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

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


# Each method's module is imported only when that method counts, so `import governance.tally`
# stays cheap and the offline record verifier needs numpy only for Meek STV and for large
# STV/IRV/Schulze polls (the fast paths).
_COUNTERS: dict[str, tuple[str, str]] = {
    "plurality": ("choice", "count_plurality"),
    "approval": ("choice", "count_approval"),
    "two-round": ("choice", "count_two_round"),
    "irv": ("irv", "count_irv"),
    "scottish-stv": ("stv_scottish", "count_scottish"),
    "meek-stv": ("meek", "count_meek"),
    "schulze": ("schulze", "count_schulze"),
}


def _counter(method: str) -> Counter:
    if method == "yes-no-abstain":
        return count_motion
    module, name = _COUNTERS[method]
    found: Counter = getattr(import_module(f"governance.tally.{module}"), name)
    return found


def tally(inp: TallyInput) -> TallyResult:
    """Count one frozen snapshot with the method it names."""
    if inp.method not in METHODS:
        raise TallyInputError(f"unknown method {inp.method!r}; choose from {', '.join(METHODS)}")
    if inp.method != "yes-no-abstain" and inp.method not in _COUNTERS:
        raise TallyInputError(f"method {inp.method!r} is not available yet", "not_implemented")
    _check_common(inp)
    return _counter(inp.method)(inp)


def _check_common(inp: TallyInput) -> None:
    """Refusals shared by every method, before any counting starts."""
    if len(set(inp.candidates)) != len(inp.candidates):
        raise TallyInputError("two candidates have the same name", "duplicate_candidate")
    if any(not 0 <= c < len(inp.candidates) for c in inp.withdrawn):
        raise TallyInputError("a withdrawn candidate is not on the list", "bad_withdrawn")
    if inp.method != "yes-no-abstain" and inp.seats < 1:
        raise TallyInputError("an election needs at least one seat", "bad_seats")
