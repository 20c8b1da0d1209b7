"""Yes / no / abstain motions under an explicit majority rule and quorum."""

from __future__ import annotations

import math
from fractions import Fraction

from governance.tally.model import (
    YES_NO_ABSTAIN,
    MajorityRule,
    Stage,
    TallyInput,
    TallyInputError,
    TallyResult,
)


def threshold(base: int, fraction: Fraction, strict: bool) -> int:
    """Smallest whole number of votes that satisfies the rule.

    strict: more than fraction * base (half of 10 -> 6, half of 9 -> 5);
    otherwise at least fraction * base, rounded up (2/3 of 9 -> 6, 2/3 of 52 -> 35).
    """
    exact = fraction * base
    return math.floor(exact) + 1 if strict else math.ceil(exact)


def _counts(inp: TallyInput) -> tuple[int, int, int, int]:
    yes = no = abstain = blank = 0
    for choice, weight in inp.ballots:
        if weight < 0:
            raise TallyInputError(f"negative ballot weight {weight}", "bad_weight")
        if choice == ():
            blank += weight
        elif len(choice) == 1 and choice[0] in (0, 1, 2):
            if choice[0] == 0:
                yes += weight
            elif choice[0] == 1:
                no += weight
            else:
                abstain += weight
        else:
            raise TallyInputError(
                f"yes-no-abstain ballot must be (), (0,), (1,) or (2,), got {choice}", "bad_ballot"
            )
    return yes, no, abstain, blank


def _base(rule: MajorityRule, inp: TallyInput, counts: tuple[int, int, int, int]) -> int:
    yes, no, abstain, blank = counts
    if rule.base == "valid":
        return (
            yes
            + no
            + (abstain if rule.abstentions_in_base else 0)
            + (blank if rule.blanks_in_base else 0)
        )
    if rule.base == "present":
        if inp.present is None:
            raise TallyInputError("rule is based on those present but no attendance snapshot given")
        return inp.present
    if inp.electorate is None:
        raise TallyInputError("rule is based on members but no electorate given")
    return inp.electorate


def _quorum(rule: MajorityRule, inp: TallyInput) -> dict[str, object]:
    """Quorum figures; `met` is None when no quorum applies."""
    if rule.quorum is None and rule.quorum_count is None:
        return {"required": None, "present": inp.present, "met": None}
    if inp.present is None:
        raise TallyInputError("a quorum needs an attendance snapshot (present)", "no_attendance")
    required = rule.quorum_count or 0
    if rule.quorum is not None:
        if inp.electorate is None:
            raise TallyInputError("a fractional quorum needs the electorate", "no_electorate")
        required = max(required, threshold(inp.electorate, rule.quorum, rule.quorum_strict))
    return {"required": required, "present": inp.present, "met": inp.present >= required}


def count_motion(inp: TallyInput) -> TallyResult:
    """Count a yes-no-abstain motion; the transcript carries every figure used."""
    if inp.candidates != YES_NO_ABSTAIN:
        raise TallyInputError('yes-no-abstain candidates must be ("yes", "no", "abstain")')
    rule = inp.rule or MajorityRule()
    counts = _counts(inp)
    yes, no, abstain, blank = counts
    base = _base(rule, inp, counts)
    required = threshold(base, rule.fraction, rule.strict)
    quorum = _quorum(rule, inp)
    if quorum["met"] is False:
        outcome = "no_quorum"
    else:
        # Zero valid votes can never adopt a motion, even where the threshold degenerates to 0.
        outcome = "adopted" if yes >= required and yes > 0 else "rejected"
    totals = (Fraction(yes), Fraction(no), Fraction(abstain))
    stage = Stage(1, "count of votes", totals, exhausted=Fraction(blank))
    details: dict[str, object] = {
        "counts": {"yes": str(yes), "no": str(no), "abstain": str(abstain), "blank": str(blank)},
        "rule": rule.name,
        "base": {"kind": rule.base, "value": str(base)},
        "abstentions_in_base": rule.abstentions_in_base,
        "blanks_in_base": rule.blanks_in_base,
        "threshold": {"fraction": str(rule.fraction), "strict": rule.strict},
        "required_votes": str(required),
        "quorum": {
            "required": _str_or_none(quorum["required"]),
            "present": _str_or_none(quorum["present"]),
            "met": quorum["met"],
        },
    }
    return TallyResult(
        method=inp.method,
        candidates=inp.candidates,
        seats=0,
        outcome=outcome,
        elected=(),
        stages=(stage,),
        details=details,
    )


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)
