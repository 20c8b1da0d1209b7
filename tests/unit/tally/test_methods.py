"""Constructed ballots with known answers for every method and every tie rule."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pytest

from governance.tally import (
    GroupConstraint,
    InfeasibleConstraints,
    TallyInput,
    TallyInputError,
    TallyResult,
    tally,
)
from governance.tally.constraints import check_constraints
from governance.tally.ties import break_tie, lot_ticket

ABC = ("A", "B", "C")


def run(method: str, ballots: Sequence[tuple[tuple[int, ...], int]], **kw: Any) -> TallyResult:
    return tally(TallyInput(method, kw.pop("candidates", ABC), tuple(ballots), **kw))


def test_plurality_single_seat() -> None:
    result = run("plurality", [((0,), 3), ((1,), 5), ((2,), 4), ((), 2)])
    assert result.elected == (1,)
    assert result.to_dict()["blank"] == "2"


def test_block_plurality_counts_up_to_seats_marks() -> None:
    ballots = [((0, 1), 3), ((1, 2), 2), ((0, 1, 2), 9)]  # the last is invalid for 2 seats
    result = run("plurality", ballots, seats=2)
    assert result.elected == (1, 0)
    assert result.to_dict()["invalid"] == "9"


def test_approval_min_and_max_selections() -> None:
    ballots = [((0,), 10), ((1, 2), 4), ((0, 1, 2), 3)]
    result = run("approval", ballots, min_selections=2, max_selections=2)
    assert result.elected == (1,) or result.elected == (2,)
    data = result.to_dict()
    assert data["invalid"] == "13"
    assert run("approval", ballots, seats=1).elected == (0,)


def test_approval_with_impossible_limits_is_refused() -> None:
    with pytest.raises(TallyInputError):
        run("approval", [((0,), 1)], min_selections=3, max_selections=2)


def test_two_round_needs_runoff_without_absolute_majority() -> None:
    result = run("two-round", [((0,), 40), ((1,), 35), ((2,), 25)])
    assert result.outcome == "runoff"
    assert result.elected == ()
    assert result.to_dict()["message"] == "runoff needed between A and B"


def test_two_round_absolute_majority_wins_outright() -> None:
    result = run("two-round", [((0,), 51), ((1,), 30), ((2,), 19)])
    assert result.outcome == "elected"
    assert result.elected == (0,)


def test_irv_transfers_until_majority() -> None:
    ballots = [((0,), 8), ((1, 0), 5), ((2, 1), 4)]
    result = run("irv", ballots)
    # C excluded first, B then has 9 of 17: a majority.
    assert result.elected == (1,)
    assert [c for c, _ in result.excluded] == [2]


def test_schulze_known_example() -> None:
    # Wikipedia's Schulze example: 45 voters, 5 candidates, winner E.
    names = ("A", "B", "C", "D", "E")
    ballots = [
        ((0, 2, 1, 4, 3), 5),
        ((0, 3, 4, 2, 1), 5),
        ((1, 4, 3, 0, 2), 8),
        ((2, 0, 1, 4, 3), 3),
        ((2, 0, 4, 1, 3), 7),
        ((2, 1, 0, 3, 4), 2),
        ((3, 2, 4, 1, 0), 7),
        ((4, 1, 0, 3, 2), 8),
    ]
    result = run("schulze", ballots, candidates=names, seats=5)
    assert result.elected == (4, 0, 2, 1, 3)
    data: dict[str, Any] = result.to_dict()
    assert data["pairwise"]["A"]["B"] == "20"
    assert data["pairwise"]["E"]["D"] == "31"
    assert data["strongest_paths"]["E"]["A"] == "25"


def test_meek_known_small_example() -> None:
    # 100 voters, 2 seats: A 60 (then B), C 30, B 10. Quota 100/3; A's keep value settles at
    # about 5/9 (quota / 60), passing about 26.67 to B (36.67 in all), who is elected.
    ballots = [((0, 1), 60), ((2,), 30), ((1,), 10)]
    result = run("meek-stv", ballots, seats=2)
    assert result.elected == (0, 1)
    assert result.quota == Fraction(33_333_333_334, 10**9)
    stage2 = result.stages[1].totals
    assert abs(stage2[0] - Fraction(100, 3)) < Fraction(1, 10**4)
    assert abs(stage2[1] - Fraction(110, 3)) < Fraction(1, 10**4)


def test_meek_differs_from_scottish_where_it_should() -> None:
    # A surplus that passes through an already-elected candidate: Meek keeps part of it at B.
    ballots = [((0, 1, 2), 50), ((1,), 30), ((2,), 15), ((3,), 14)]
    names = ("A", "B", "C", "D")
    meek = run("meek-stv", ballots, candidates=names, seats=2)
    scot = run("scottish-stv", ballots, candidates=names, seats=2)
    assert set(meek.elected) == set(scot.elected) == {0, 1}


def test_tie_for_exclusion_broken_by_most_recent_earlier_stage() -> None:
    names = ("A", "B", "C", "D")
    history = [[10, 5, 6, 20], [10, 6, 6, 20]]  # B and C tie now; at stage 1 C was higher
    pick, note = break_tie([1, 2], history, want="lowest", names=names, seed="s", purpose="x")
    assert pick == 1
    assert note is not None and "stage 1" in note


def test_tie_equal_at_every_stage_goes_to_the_seeded_lot() -> None:
    names = ("A", "B")
    history = [[5, 5], [5, 5]]
    pick, note = break_tie([0, 1], history, want="lowest", names=names, seed="s1", purpose="x")
    expected = min((0, 1), key=lambda c: lot_ticket("s1", "x", c, names[c]))
    assert pick == expected
    assert note is not None and "lot" in note
    again, _ = break_tie([0, 1], history, want="lowest", names=names, seed="s1", purpose="x")
    assert again == pick
    seeds = {
        break_tie([0, 1], history, want="lowest", names=names, seed=f"s{i}", purpose="x")[0]
        for i in range(20)
    }
    assert seeds == {0, 1}  # different seeds draw differently


def test_stv_tie_recorded_in_transcript() -> None:
    # B and C are equal at every stage when one must be excluded: the lot decides, on record.
    ballots = [((0,), 10), ((1,), 3), ((2,), 3)]
    result = run("scottish-stv", ballots, seats=1, seed="congress-2026")
    assert result.elected == (0,)
    result2 = run("irv", [((0,), 2), ((1,), 3), ((2,), 3)], seed="congress-2026")
    assert any("lot" in t for t in result2.ties)
    assert any("lot" in n for s in result2.stages for n in s.notes)


def test_surplus_tie_uses_history_then_lot() -> None:
    ballots = [((0, 2), 10), ((1, 3), 10), ((2,), 1), ((3,), 1)]
    result = run("scottish-stv", ballots, seats=3, candidates=("A", "B", "C", "D"), seed="x")
    assert any("largest surplus" in t for t in result.ties)


def test_constrained_stv_meets_region_minimum() -> None:
    names = ("N1", "N2", "N3", "S1")
    ballots = [((0,), 30), ((1,), 30), ((2,), 30), ((3,), 5)]
    south = GroupConstraint("south", frozenset({3}), minimum=1)
    for method in ("scottish-stv", "meek-stv"):
        free = run(method, ballots, candidates=names, seats=2)
        assert 3 not in free.elected
        bound = run(method, ballots, candidates=names, seats=2, constraints=(south,))
        assert 3 in bound.elected


def test_constrained_stv_respects_a_maximum() -> None:
    names = ("N1", "N2", "N3", "S1")
    ballots = [((0,), 40), ((1,), 35), ((2,), 10), ((3,), 5)]
    north = GroupConstraint("north", frozenset({0, 1, 2}), maximum=1)
    for method in ("scottish-stv", "meek-stv"):
        result = run(method, ballots, candidates=names, seats=2, constraints=(north,))
        # N2 reaches the quota but is doomed by the maximum, so S1 takes the second seat.
        assert result.elected == (0, 3)


def test_infeasible_constraints_are_refused_with_a_reason() -> None:
    names = ("A", "B", "C")
    with pytest.raises(InfeasibleConstraints, match="only 1 candidates"):
        check_constraints(names, 2, (GroupConstraint("g", frozenset({0}), minimum=2),))
    with pytest.raises(InfeasibleConstraints, match="add up to"):
        check_constraints(
            names,
            1,
            (
                GroupConstraint("x", frozenset({0}), minimum=1),
                GroupConstraint("y", frozenset({1}), minimum=1),
            ),
        )
    with pytest.raises(InfeasibleConstraints, match="no set of 3 winners"):
        check_constraints(names, 3, (GroupConstraint("z", frozenset({0, 1}), maximum=1),))
    check_constraints(names, 2, (GroupConstraint("ok", frozenset({0, 1}), minimum=1),))


def test_unknown_method_and_bad_ballots_are_refused() -> None:
    with pytest.raises(TallyInputError):
        run("borda", [])
    with pytest.raises(TallyInputError):
        run("irv", [((0, 0), 1)])
    with pytest.raises(TallyInputError):
        run("scottish-stv", [((5,), 1)])


def test_withdrawn_candidate_is_skipped() -> None:
    ballots = [((0, 1), 10), ((1,), 4), ((2,), 6)]
    result = run("scottish-stv", ballots, seats=1, withdrawn=frozenset({0}))
    assert result.elected == (1,)
    assert result.stages[0].totals[0] == 0


@pytest.mark.parametrize("method", ["scottish-stv", "irv", "meek-stv", "schulze"])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (((0, 0), 1), "ranked twice"),
        (((7,), 1), "no candidate 7"),
        (((300,), 1), "no candidate 300"),
        (((-1,), 1), "no candidate -1"),
        (((1,), -1), "negative"),
    ],
)
def test_large_polls_refuse_bad_ballots_like_small_ones(
    method: str, bad: tuple[tuple[int, ...], int], message: str
) -> None:
    ballots = [((0, 1, 2), 1)] * 2_500 + [bad]
    for size in (ballots, ballots[-3:]):
        with pytest.raises(TallyInputError, match=message):
            run(method, size)


@pytest.mark.parametrize(
    ("ballots", "keep"),
    [
        ([((0, 1), 4), ((2,), 2)], Fraction(1, 2)),  # droop test/blt/42.blt
        ([((0, 1), 5), ((1,), 1), ((2,), 3)], Fraction(3, 5)),  # droop test/blt/513.blt
    ],
)
def test_meek_droop_reference_examples(
    ballots: list[tuple[tuple[int, ...], int]], keep: Fraction
) -> None:
    # Two small examples of the droop reference counter (jklundell/droop): Castor is elected,
    # his keep value settles (1/2, 3/5) so that Castor, Pollux and Helen all stand at the
    # quota; Pollux is excluded (lower at the earlier stage) and Helen elected, as in droop's
    # rational Meek dumps.
    names = ("Castor", "Pollux", "Helen")
    result = run("meek-stv", ballots, candidates=names, seats=2)
    assert result.elected == (0, 2)
    assert [c for c, _ in result.excluded] == [1]
    keep_values: dict[str, str] = result.to_dict()["keep_values"]  # type: ignore[assignment]
    assert abs(Fraction(keep_values["Castor"]) - keep) < Fraction(1, 10**6)
    assert run("scottish-stv", ballots, candidates=names, seats=2).elected == (0, 2)


@pytest.mark.parametrize(
    "kw",
    [
        {"candidates": ("A", "A", "C")},
        {"withdrawn": frozenset({5})},
        {"seats": 0},
    ],
)
def test_inconsistent_snapshots_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(TallyInputError):
        run("scottish-stv", [((0,), 1)], **kw)


@pytest.mark.parametrize("method", ["scottish-stv", "irv", "meek-stv"])
def test_exclusion_tie_in_a_count_goes_to_the_earlier_stage(method: str) -> None:
    # After D is excluded, B and C both hold 4 votes; at stage 1 C had fewer (3 < 4), so C goes.
    names = ("A", "B", "C", "D")
    ballots = [((0,), 8), ((1,), 4), ((2,), 3), ((3, 2), 1), ((3,), 1)]
    result = run(method, ballots, candidates=names, seats=1, seed="s")
    assert [c for c, _ in result.excluded][:2] == [3, 2]
    assert any("stage 1" in t for t in result.ties)
    assert any("stage 1" in n for s in result.stages for n in s.notes)
