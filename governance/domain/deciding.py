"""Whether a count decided a position, from the result's JSON alone (issue 14).

Two things leave a position undecided although the count finished:
- a two-round poll without a majority: the runoff is between the highest total and the
  next one; everyone tied on either of those totals goes to the runoff too (a lot never
  picks who is in it);
- a tie that decides a seat: the count drew a lot (equal at every stage) between candidates
  of whom some were elected and some not. The rules of procedure then choose how the tie is
  settled (a re-vote among the tied, musyawarah, a lot drawn in front of the hall). A tie
  settled by the totals of an earlier stage is the count's written rule and stands.

Pure functions of the published data, shared by the positions and the explanations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

LOT_NOTE = re.compile(
    r"^tie for (?P<purpose>.+?) between (?P<names>.+?): equal at every stage, lot drawn with "
    r"seed '(?P<seed>[^']*)': (?P<chosen>.+) \(ticket (?P<ticket>\w+)\)$"
)


@dataclass(frozen=True)
class DecidingTie:
    """The tied candidates (ballot order), how many seats the tie decides, and the elected
    candidates the tie does not touch."""

    tied: tuple[str, ...]
    seats: int
    kept: tuple[str, ...]


def _number(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def runoff_names(data: Mapping[str, Any], options: Sequence[str]) -> tuple[str, ...]:
    """Who goes to the runoff of a two-round poll without a majority, in ballot order."""
    if data.get("outcome") != "runoff":
        return ()
    stages = list(data.get("stages") or [])
    if not stages:
        return tuple(str(n) for n in data.get("runoff") or ())
    totals = {str(k): _number(v) for k, v in (stages[0].get("totals") or {}).items()}
    values = sorted(set(totals.values()), reverse=True)
    if not values:
        return ()
    top = [n for n in options if totals.get(n) == values[0]]
    if len(top) >= 2 or len(values) == 1:
        return tuple(top)
    return tuple(n for n in options if totals.get(n) in (values[0], values[1]))


def deciding_tie(data: Mapping[str, Any], options: Sequence[str]) -> DecidingTie | None:
    """The lot-drawn tie (or ties, merged) that decided who is elected; None when none did."""
    elected = [str(e["name"]) for e in data.get("elected") or []]
    chosen = set(elected)
    tied: set[str] = set()
    for note in data.get("ties") or []:
        found = LOT_NOTE.match(str(note))
        if found is None:
            continue
        names = set(found["names"].split(", "))
        if names & chosen and names - chosen:
            tied |= names
    if not tied:
        return None
    return DecidingTie(
        tied=tuple(n for n in options if n in tied),
        seats=len(tied & chosen),
        kept=tuple(n for n in elected if n not in tied),
    )
