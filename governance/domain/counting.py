"""From a closed poll and its ballots to a result, through the pure tally package."""

from __future__ import annotations

from collections import Counter
from typing import Any

from governance.domain.polls import Poll
from governance.tally import TallyInput, tally


def count_poll(poll: Poll, choices: list[tuple[int, ...]]) -> tuple[str, dict[str, Any]]:
    """Run the poll's counting method on its frozen snapshot; return outcome and record."""
    grouped = Counter(choices)
    snapshot = poll.closed_snapshot
    result = tally(
        TallyInput(
            method=poll.method,
            candidates=poll.options,
            ballots=tuple(sorted(grouped.items())),
            seats=poll.seats,
            rule=poll.rule,
            electorate=snapshot.get("entitled"),
            present=snapshot.get("present"),
            seed=poll.seed,
        )
    )
    data = result.to_dict()
    data["snapshot"] = dict(snapshot)
    return result.outcome, data
