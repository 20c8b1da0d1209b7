"""Input, result and transcript types shared by every counting method.

Everything here is frozen: a count is a pure function from a `TallyInput` snapshot to a
`TallyResult`, so the same snapshot always gives the same transcript.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

Ballot = tuple[tuple[int, ...], int]
Number = Fraction | int

METHODS: tuple[str, ...] = (
    "yes-no-abstain",
    "plurality",
    "approval",
    "two-round",
    "irv",
    "scottish-stv",
    "meek-stv",
    "schulze",
)
YES_NO_ABSTAIN: tuple[str, str, str] = ("yes", "no", "abstain")


class TallyInputError(ValueError):
    """The snapshot cannot be counted by the chosen method; `code` is stable."""

    def __init__(self, message: str, code: str = "tally_input_invalid") -> None:
        super().__init__(message)
        self.code = code


class InfeasibleConstraints(TallyInputError):
    """Group constraints that no set of winners can satisfy (checked before a poll opens)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="constraints_infeasible")


Base = Literal["valid", "present", "members"]


@dataclass(frozen=True)
class MajorityRule:
    """Who must say yes, out of what, for a yes-no-abstain motion to pass.

    `base` picks the denominator: "valid" = yes + no (+ abstentions / blanks when the flags
    say so), "present" = the attendance snapshot, "members" = the electorate.
    `strict=True` means "more than fraction * base" (majorities); `strict=False` means
    "at least fraction * base" (qualified majorities: 2/3 of 9 is 6, 2/3 of 52 needs 35).
    A quorum, when set, is checked on the attendance snapshot against the electorate.
    """

    fraction: Fraction = Fraction(1, 2)
    strict: bool = True
    base: Base = "valid"
    abstentions_in_base: bool = False
    blanks_in_base: bool = False
    quorum: Fraction | None = None
    quorum_strict: bool = False
    quorum_count: int | None = None
    name: str = "simple majority of valid votes"

    @classmethod
    def simple(cls, *, abstentions_in_base: bool = False) -> MajorityRule:
        """More yes than half the valid votes (abstentions out of the base by default)."""
        return cls(abstentions_in_base=abstentions_in_base)

    @classmethod
    def absolute(cls, base: Base = "members") -> MajorityRule:
        """More yes than half of all members (or of those present)."""
        return cls(base=base, name=f"absolute majority of {base}")

    @classmethod
    def qualified(
        cls, fraction: Fraction, base: Base = "valid", *, abstentions_in_base: bool = False
    ) -> MajorityRule:
        """At least `fraction` of the base, e.g. 2/3 of valid votes."""
        return cls(
            fraction=Fraction(fraction),
            strict=False,
            base=base,
            abstentions_in_base=abstentions_in_base,
            name=f"{fraction} of {base}",
        )


@dataclass(frozen=True)
class GroupConstraint:
    """At least `minimum` and at most `maximum` winners among `members` (candidate indices)."""

    name: str
    members: frozenset[int]
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True)
class TallyInput:
    """A frozen snapshot of one poll, as the counting methods see it."""

    method: str
    candidates: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    seats: int = 1
    rule: MajorityRule | None = None
    electorate: int | None = None
    present: int | None = None
    constraints: tuple[GroupConstraint, ...] = ()
    seed: str = ""
    withdrawn: frozenset[int] = frozenset()
    min_selections: int = 0
    max_selections: int | None = None
    title: str = ""


@dataclass(frozen=True)
class Stage:
    """One round of a count: what happened and everyone's total afterwards."""

    number: int
    action: str
    totals: tuple[Fraction, ...]
    exhausted: Fraction = Fraction(0)
    lost: Fraction = Fraction(0)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TallyResult:
    """Outcome plus the full transcript of a count."""

    method: str
    candidates: tuple[str, ...]
    seats: int
    outcome: str
    elected: tuple[int, ...]
    elected_stage: tuple[int, ...] = ()
    excluded: tuple[tuple[int, int], ...] = ()
    quota: Fraction | None = None
    stages: tuple[Stage, ...] = ()
    ties: tuple[str, ...] = ()
    details: Mapping[str, object] = field(default_factory=dict)
    places: int = 5

    def to_dict(self) -> dict[str, object]:
        """JSON-ready transcript; every number is a decimal string."""
        names = self.candidates
        out: dict[str, object] = {
            "method": self.method,
            "seats": self.seats,
            "quota": None if self.quota is None else decimal_str(self.quota, self.places),
            "outcome": self.outcome,
            "elected": [
                {"name": names[c], "stage": self._elected_stage(i)}
                for i, c in enumerate(self.elected)
            ],
            "excluded": [{"name": names[c], "stage": s} for c, s in self.excluded],
            "stages": [self._stage_dict(st) for st in self.stages],
            "ties": list(self.ties),
        }
        out.update(self.details)
        return out

    def _elected_stage(self, i: int) -> int | None:
        return self.elected_stage[i] if i < len(self.elected_stage) else None

    def _stage_dict(self, st: Stage) -> dict[str, object]:
        return {
            "number": st.number,
            "action": st.action,
            "totals": {
                n: decimal_str(t, self.places)
                for n, t in zip(self.candidates, st.totals, strict=True)
            },
            "exhausted": decimal_str(st.exhausted, self.places),
            "lost_to_fractions": decimal_str(st.lost, self.places),
            "notes": list(st.notes),
        }


def decimal_str(x: Number, places: int = 5) -> str:
    """Exact decimal string when `x` terminates within `places`, else truncated toward zero.

    Truncation (not rounding) so a printed total never claims more votes than counted.
    """
    x = Fraction(x)
    sign = "-" if x < 0 else ""
    x = abs(x)
    scaled = x.numerator * 10**places // x.denominator
    whole, frac = divmod(scaled, 10**places)
    if frac == 0:
        return f"{sign}{whole}"
    digits = f"{frac:0{places}d}".rstrip("0")
    return f"{sign}{whole}.{digits}"
