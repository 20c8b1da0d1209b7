"""Cross-checks against pyrankvote 2.0.6 and votelib 0.4.0 (test-only dependencies).

Where the rules coincide the answers must agree:
- IRV: all three exclude the lowest candidate one at a time and elect on a majority; on
  ballots where no exclusion needs a tie-break, the winner is the same.
- Multi-seat STV on the real Scottish wards: neither peer implements the Scottish rule (see
  docs/TALLY.md: pyrankvote transfers surpluses differently and keeps no 5-decimal
  truncation; votelib uses its own Gregory variant), so stage totals differ, but on these
  wards the *set* of winners is the same, and we check that.
Ties are where they differ most: pyrankvote and votelib break them by their own (partly
random) rules, ours by the written cascade, so tie cases are filtered out.
"""

from __future__ import annotations

import random

import pyrankvote
import pytest
import votelib.evaluate.sequential as votelib_seq
from pyrankvote import Ballot, Candidate

from governance.tally import TallyInput, tally
from tests.unit.tally.test_scottish_wards import expected, load, ward_names

NAMES = ("A", "B", "C", "D", "E", "F")


def random_ballots(rng: random.Random, n: int) -> tuple[tuple[tuple[int, ...], int], ...]:
    out = []
    for _ in range(n):
        order = list(range(len(NAMES)))
        rng.shuffle(order)
        out.append((tuple(order[: rng.randint(1, len(NAMES))]), rng.randint(1, 3)))
    return tuple(out)


def pyrankvote_winners(
    names: tuple[str, ...], ballots: tuple[tuple[tuple[int, ...], int], ...], seats: int
) -> set[str]:
    cands = [Candidate(n) for n in names]
    expanded = [
        Ballot(ranked_candidates=[cands[c] for c in p]) for p, w in ballots for _ in range(w)
    ]
    if seats == 1:
        result = pyrankvote.instant_runoff_voting(cands, expanded)
    else:
        result = pyrankvote.single_transferable_vote(cands, expanded, number_of_seats=seats)
    return {c.name for c in result.get_winners()}


def votelib_winners(
    names: tuple[str, ...], ballots: tuple[tuple[tuple[int, ...], int], ...], seats: int
) -> set[str]:
    votes: dict[tuple[str, ...], int] = {}
    for prefs, w in ballots:
        key = tuple(names[c] for c in prefs)
        votes[key] = votes.get(key, 0) + w
    selector = votelib_seq.TransferableVoteSelector(quota_function="droop")
    return set(selector.evaluate(votes, seats))


@pytest.mark.parametrize("seed", range(25))
def test_irv_agrees_with_pyrankvote_and_votelib(seed: int) -> None:
    rng = random.Random(seed)
    while True:  # draw until no tie-break is needed: peers break ties by their own rules
        ballots = random_ballots(rng, rng.randint(20, 80))
        ours = tally(TallyInput("irv", NAMES, ballots))
        if not ours.ties:
            break
    winner = {NAMES[c] for c in ours.elected}
    assert pyrankvote_winners(NAMES, ballots, 1) == winner
    assert votelib_winners(NAMES, ballots, 1) == winner


@pytest.mark.parametrize("stem", ward_names()[::6])
def test_stv_winner_sets_agree_with_peers_on_real_wards(stem: str) -> None:
    data = load(stem)
    ours = {data.candidates[c] for c in expected()[stem]["winner_indices_in_order"]}
    assert pyrankvote_winners(data.candidates, data.ballots, data.seats) == ours
    assert votelib_winners(data.candidates, data.ballots, data.seats) == ours
