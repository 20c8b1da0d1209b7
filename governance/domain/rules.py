"""Rules of procedure (tata tertib): the defaults, and what an adopted text configures.

Once the congress adopts rules by vote, they become the configuration of every later poll:
the quorum and majority of motions, how many seconders a nomination needs, and whether a
position with as many candidates as seats is filled by acclamation. They also run the
plenary: how many seconders a motion from the floor needs, speaking time, the order of the
list of speakers, the length of a suspension (skorsing), and the thresholds of the AD/ART.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from governance.domain.errors import InvalidInput
from governance.tally import MajorityRule

_BASES = ("valid", "present", "members")
TIE_STEPS = ("revote", "musyawarah", "lot")


@dataclass(frozen=True)
class Rules:
    """The settings a tata tertib fixes; fractions are written "2/3"."""

    quorum: str = ""
    majority: str = "1/2"
    majority_base: str = "valid"
    qualified: bool = False
    seconders: int = 1
    acclamation: bool = True
    # The plenary (issue 14): motions from the floor and the list of speakers.
    motion_seconders: int = 2
    speaking_seconds: int = 180
    point_of_order_seconds: int = 60
    alternate_caucus: bool = False
    first_speakers_first: bool = False
    suspension_minutes: int = 15
    # The AD/ART: at least 2/3 for the articles (AD) and the whole text, more than half for
    # the bylaws (ART), both with a quorum of 2/3 of the delegates entitled to vote.
    ad_majority: str = "2/3"
    art_majority: str = "1/2"
    adart_quorum: str = "2/3"
    # Elections (issue 14): how a tie that decides a seat is settled, step by step (a
    # re-vote among the tied, then musyawarah recorded by the secretariat, then a lot drawn
    # in front of the hall), and whether positions declared exclusive exclude each other.
    tie_cascade: str = "revote,musyawarah,lot"
    exclusive_offices: bool = True

    def __post_init__(self) -> None:
        steps = self.tie_steps()
        if not steps or any(s not in TIE_STEPS for s in steps) or len(set(steps)) != len(steps):
            raise InvalidInput("tie_cascade")
        for text in (self.quorum, self.majority, self.ad_majority, self.art_majority):
            if text:
                _fraction(text)
        if self.adart_quorum:
            _fraction(self.adart_quorum)
        if not self.ad_majority or not self.art_majority:
            raise InvalidInput("adart majority")
        if self.majority_base not in _BASES:
            raise InvalidInput("majority_base")
        if not 0 <= self.seconders <= 20:
            raise InvalidInput("seconders")
        if not 0 <= self.motion_seconders <= 50:
            raise InvalidInput("motion_seconders")
        for seconds in (self.speaking_seconds, self.point_of_order_seconds):
            if not 0 <= seconds <= 3600:
                raise InvalidInput("speaking time")
        if not 1 <= self.suspension_minutes <= 24 * 60:
            raise InvalidInput("suspension_minutes")

    def tie_steps(self) -> tuple[str, ...]:
        """The tie cascade's steps in order ("revote", "musyawarah", "lot")."""
        return tuple(s.strip() for s in self.tie_cascade.split(",") if s.strip())

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

    def statute_rules(self) -> tuple[MajorityRule, MajorityRule]:
        """The AD/ART's rules: (AD and the whole text, ART). A half is "more than", any other
        fraction "at least" (the tata tertib's "sekurang-kurangnya 2/3")."""
        quorum = _fraction(self.adart_quorum) if self.adart_quorum else None
        made = []
        for text in (self.ad_majority, self.art_majority):
            fraction = _fraction(text)
            strict = fraction == Fraction(1, 2)
            words = f"{'more than' if strict else 'at least'} {fraction} of valid votes"
            name = words + (f", quorum {quorum}" if quorum is not None else "")
            made.append(MajorityRule(fraction=fraction, strict=strict, quorum=quorum, name=name))
        return made[0], made[1]

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
