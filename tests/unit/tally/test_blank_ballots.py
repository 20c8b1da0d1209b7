"""Blank ballots (a ballot that ranks or marks no one) in every counting method (issue 16).

The rule, per method (docs/TALLY.md, "Blank and exhausted ballots"): a blank ballot is not a
valid vote. It is not in the valid poll, so it never moves a quota, and it is never
"exhausted" either (an exhausted paper is a valid vote that has no continuing preference
left). So adding blank ballots never changes an STV, IRV or Schulze count at all; the choice
methods report them as `blank`, and a motion puts them in its base only when its rule says so.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.tally import MajorityRule, TallyInput, TallyResult, tally, threshold
from governance.tally.irv import count_irv, count_irv_packed
from governance.tally.meek import count_meek, count_meek_packed
from governance.tally.papers_numpy import PackedBallots
from governance.tally.schulze import count_schulze
from governance.tally.stv_scottish import count_scottish, count_scottish_packed

NAMES = ("A", "B", "C", "D", "E")
Ballots = tuple[tuple[tuple[int, ...], int], ...]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BACKENDS = ("pure", "numpy")

# Found by search on the old code: with 2 blank ballots Meek elected B and A, without them
# B and E, because the blanks were taken off the valid poll *and* counted as exhausted.
MEEK_CASE: Ballots = (
    ((1, 0), 5),
    ((4, 2, 3, 0), 5),
    ((0, 3, 1, 4, 2), 5),
    ((1, 4, 2, 3, 0), 5),
)


def with_blanks(ballots: Ballots, blanks: int, at: int = 0) -> Ballots:
    at = min(at, len(ballots))
    return (*ballots[:at], ((), blanks), *ballots[at:])


def ranked(method: str, ballots: Ballots, seats: int, backend: str) -> TallyResult:
    inp = TallyInput(method, NAMES, ballots, seats=seats, seed="blank")
    if method == "meek-stv":
        return count_meek(inp, backend)
    if method == "scottish-stv":
        return count_scottish(inp, backend)
    return count_irv(inp, backend)


# -- Meek: the bug of issue 16 ---------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_meek_quota_is_computed_on_the_valid_poll_without_the_blanks(backend: str) -> None:
    # Valid poll 8 (5 + 3), one seat: quota 8/2 + 10^-9 = 4.000000001, blanks or not. The old
    # code gave (8 - 2)/2 + 10^-9 = 3.000000001: the 2 blanks were counted as exhausted.
    result = ranked("meek-stv", (((0,), 5), ((1,), 3), ((), 2)), 1, backend)
    assert result.quota == 4 + Fraction(1, 10**9)
    assert result.stages[0].exhausted == 0
    assert "quota 4.000000001" in result.stages[0].action


@pytest.mark.parametrize("backend", BACKENDS)
def test_meek_blank_ballots_do_not_change_who_is_elected(backend: str) -> None:
    plain = ranked("meek-stv", MEEK_CASE, 2, backend)
    blank = ranked("meek-stv", with_blanks(MEEK_CASE, 2), 2, backend)
    assert [NAMES[c] for c in plain.elected] == ["B", "E"]
    assert blank.to_dict() == plain.to_dict()


def test_meek_packed_path_ignores_blank_rows() -> None:
    packed = PackedBallots.from_ballots(with_blanks(MEEK_CASE, 2, at=2), len(NAMES))
    plain = ranked("meek-stv", MEEK_CASE, 2, "pure")
    assert count_meek_packed(NAMES, packed, 2, seed="blank").to_dict() == plain.to_dict()


# -- Scottish STV and IRV: blanks are rejected papers, never exhausted ------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_scottish_stv_blank_papers_are_neither_valid_nor_exhausted(backend: str) -> None:
    result = ranked("scottish-stv", (((0,), 10), ((1,), 7), ((), 3)), 2, backend)
    assert result.quota == 17 // 3 + 1
    assert result.to_dict()["valid_poll"] == "17"
    assert result.stages[0].exhausted == 0
    for stage in result.stages:
        assert sum(stage.totals) + stage.exhausted + stage.lost == 17


@pytest.mark.parametrize("backend", BACKENDS)
def test_irv_blank_ballots_are_not_exhausted_at_the_first_stage(backend: str) -> None:
    result = ranked("irv", (((0,), 4), ((1, 0), 3), ((2,), 2), ((), 5)), 1, backend)
    assert result.stages[0].exhausted == 0
    assert result.stages[-1].exhausted == 2  # C's two papers rank no one else
    assert [NAMES[c] for c in result.elected] == ["A"]


def test_packed_scottish_and_irv_ignore_blank_rows() -> None:
    ballots = (((0, 2), 6), ((1,), 4), ((2, 1), 3), ((3, 0), 2))
    packed = PackedBallots.from_ballots(with_blanks(ballots, 4, at=1), len(NAMES))
    scottish = count_scottish_packed(NAMES, packed, 2, seed="blank").to_dict()
    assert scottish == ranked("scottish-stv", ballots, 2, "pure").to_dict()
    irv = count_irv_packed(NAMES, packed, seed="blank").to_dict()
    assert irv == ranked("irv", ballots, 1, "pure").to_dict()


def test_schulze_ignores_blank_ballots() -> None:
    ballots = (((0, 1, 2), 3), ((1, 2), 2), ((2, 0), 2))
    for n_blank in (1, 2_500):  # the second one takes the numpy path
        inp = TallyInput("schulze", NAMES, ballots, seed="s")
        blank = TallyInput("schulze", NAMES, (*ballots, *((((), 1),) * n_blank)), seed="s")
        assert count_schulze(blank).to_dict() == count_schulze(inp).to_dict()


# -- The choice methods and motions report blanks, as their rules say ------------------------


@pytest.mark.parametrize("method", ["plurality", "approval", "two-round"])
def test_choice_methods_report_blanks_and_count_them_nowhere_else(method: str) -> None:
    ballots: Ballots = (((0,), 5), ((1,), 4), ((2,), 2))
    plain = tally(TallyInput(method, NAMES, ballots, seed="c")).to_dict()
    blank = tally(TallyInput(method, NAMES, with_blanks(ballots, 7), seed="c")).to_dict()
    assert (plain["blank"], blank["blank"]) == ("0", "7")
    assert {**blank, "blank": "0"} == plain


def test_motion_puts_blanks_in_the_base_only_when_the_rule_says_so() -> None:
    ballots: Ballots = (((0,), 6), ((1,), 5))
    options = ("yes", "no", "abstain")
    for rule, base in ((MajorityRule(), 11), (MajorityRule(blanks_in_base=True), 14)):
        data: dict[str, Any] = tally(
            TallyInput("yes-no-abstain", options, with_blanks(ballots, 3), rule=rule)
        ).to_dict()
        assert data["counts"]["blank"] == "3"
        assert data["required_votes"] == str(threshold(base, rule.fraction, rule.strict))


# -- The property: blanks never change a ranked count -----------------------------------------


@st.composite
def ranked_ballots(draw: st.DrawFn, n: int = len(NAMES)) -> Ballots:
    ranking = st.permutations(range(n)).flatmap(
        lambda p: st.integers(1, n).map(lambda k: tuple(p[:k]))
    )
    return tuple(draw(st.lists(st.tuples(ranking, st.integers(1, 9)), min_size=1, max_size=25)))


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3), st.integers(1, 20), st.integers(0, 25))
def test_adding_blank_ballots_never_changes_a_ranked_count(
    ballots: Ballots, seats: int, blanks: int, at: int
) -> None:
    more = with_blanks(ballots, blanks, at)
    for method in ("meek-stv", "scottish-stv", "irv"):
        s = 1 if method == "irv" else seats
        plain = ranked(method, ballots, s, "pure")
        for backend in BACKENDS:
            counted = ranked(method, more, s, backend)
            # The whole transcript is the same: quota, every stage, exhausted, winners.
            assert counted.to_dict() == plain.to_dict(), (method, backend)
            assert counted.quota == plain.quota
    schulze = TallyInput("schulze", NAMES, ballots, seats=seats, seed="blank")
    assert (
        count_schulze(schulze).to_dict()
        == count_schulze(TallyInput("schulze", NAMES, more, seats=seats, seed="blank")).to_dict()
    )


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3), st.integers(1, 20))
def test_quota_follows_each_method_rule_with_blanks(
    ballots: Ballots, seats: int, blanks: int
) -> None:
    valid = sum(w for _, w in ballots)
    more = with_blanks(ballots, blanks)
    scottish = ranked("scottish-stv", more, seats, "numpy")
    assert scottish.quota == valid // (seats + 1) + 1  # Droop on the valid poll only
    meek = ranked("meek-stv", more, seats, "numpy")
    # Meek's first-stage quota: (valid - exhausted) / (seats + 1), truncated to 10^-9, + 10^-9;
    # nothing is exhausted before the first iteration, and blanks are not exhausted.
    first = meek.stages[0]
    assert first.exhausted == 0
    expected = Fraction(valid * 10**9 // (seats + 1) + 1, 10**9)
    assert _quota_in(first.action) == expected


def _quota_in(action: str) -> Fraction:
    text = action.rsplit("quota ", 1)[1].rstrip(")")
    whole, _, frac = text.partition(".")
    return Fraction(int(whole)) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
