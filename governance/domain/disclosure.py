"""Small-group disclosure control: counts of fewer people than the minimum are not shown.

With 52 delegates a poll with three ballots, or a turnout of two, can point at a person.
"""

from __future__ import annotations


def shown_count(count: int, min_group: int) -> int | None:
    """The count if it may be shown, or None ("fewer than min_group")."""
    return count if count >= min_group else None


def may_show_tally(ballots: int, min_group: int) -> bool:
    """A tally (board, totals, transcript) is shown only for at least min_group ballots."""
    return ballots >= min_group
