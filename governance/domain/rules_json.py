"""Majority rules as stored JSON, and the quorum a rule demands of an attendance snapshot.

A poll carries its rule frozen from creation; the rule travels in the `poll.created` event and
on the polls row, so the count can be re-run from the record alone.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from governance.tally import MajorityRule, threshold

_BASES = ("valid", "present", "members")


def rule_to_json(rule: MajorityRule | None) -> dict[str, Any] | None:
    """Exact fractions as strings ("2/3"), so nothing is ever rounded through a float."""
    if rule is None:
        return None
    return {
        "fraction": str(rule.fraction),
        "strict": rule.strict,
        "base": rule.base,
        "abstentions_in_base": rule.abstentions_in_base,
        "blanks_in_base": rule.blanks_in_base,
        "quorum": None if rule.quorum is None else str(rule.quorum),
        "quorum_strict": rule.quorum_strict,
        "quorum_count": rule.quorum_count,
        "name": rule.name,
    }


def rule_from_json(data: dict[str, Any] | None) -> MajorityRule | None:
    if not data:
        return None
    base = str(data.get("base", "valid"))
    if base not in _BASES:
        raise ValueError(f"unknown rule base {base!r}")
    quorum = data.get("quorum")
    count = data.get("quorum_count")
    return MajorityRule(
        fraction=Fraction(str(data.get("fraction", "1/2"))),
        strict=bool(data.get("strict", True)),
        base=base,  # type: ignore[arg-type]
        abstentions_in_base=bool(data.get("abstentions_in_base", False)),
        blanks_in_base=bool(data.get("blanks_in_base", False)),
        quorum=None if quorum is None else Fraction(str(quorum)),
        quorum_strict=bool(data.get("quorum_strict", False)),
        quorum_count=None if count is None else int(count),
        name=str(data.get("name", "")),
    )


def quorum_required(rule: MajorityRule | None, entitled: int) -> int | None:
    """How many must be present for this rule, or None when it sets no quorum."""
    if rule is None or (rule.quorum is None and rule.quorum_count is None):
        return None
    required = rule.quorum_count or 0
    if rule.quorum is not None:
        required = max(required, threshold(entitled, rule.quorum, rule.quorum_strict))
    return required
