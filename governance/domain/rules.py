"""Rules of procedure (tata tertib): the defaults, and what an adopted text configures.

Once the congress adopts rules by vote, they become the configuration of every later poll:
the quorum and majority of motions, how many seconders a nomination needs, and whether a
position with as many candidates as seats is filled by acclamation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from governance.domain.errors import InvalidInput
from governance.tally import MajorityRule

_BASES = ("valid", "present", "members")


@dataclass(frozen=True)
class Rules:
    """The settings a tata tertib fixes; fractions are written "2/3"."""

    quorum: str = ""
    majority: str = "1/2"
    majority_base: str = "valid"
    qualified: bool = False
    seconders: int = 1
    acclamation: bool = True

    def __post_init__(self) -> None:
        for text in (self.quorum, self.majority):
            if text:
                _fraction(text)
        if self.majority_base not in _BASES:
            raise InvalidInput("majority_base")
        if not 0 <= self.seconders <= 20:
            raise InvalidInput("seconders")

    def majority_rule(self) -> MajorityRule:
        """The majority rule of a yes-no-abstain motion under these rules."""
        fraction = _fraction(self.majority)
        quorum = _fraction(self.quorum) if self.quorum else None
        base: Any = self.majority_base
        return MajorityRule(
            fraction=fraction,
            strict=not self.qualified,
            base=base,
            quorum=quorum,
            name=f"{'at least' if self.qualified else 'more than'} {fraction} of {base}",
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Rules:
        if not data:
            return cls()
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        try:
            return cls(**known)
        except (TypeError, ValueError) as error:
            raise InvalidInput("rules") from error


def adopted_rule(rules: Rules) -> MajorityRule | None:
    """The rule a motion freezes when it opens; None under the defaults (the tally's own
    simple majority of valid votes, the same rule)."""
    return None if rules == Rules() else rules.majority_rule()


def _fraction(text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise InvalidInput(f"not a fraction: {text}") from error
    if not 0 < value <= 1:
        raise InvalidInput(f"fraction out of range: {text}")
    return value
