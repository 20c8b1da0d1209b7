"""Properties every count must have, checked on generated ballots (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.tally import GroupConstraint, TallyInput, TallyResult, tally
from governance.tally.constraints import feasible
from governance.tally.irv import count_irv
from governance.tally.meek import count_meek
from governance.tally.schulze import count_schulze
from governance.tally.stv_scottish import count_scottish

NAMES = ("A", "B", "C", "D", "E")
Ballots = tuple[tuple[tuple[int, ...], int], ...]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def ranked_ballots(draw: st.DrawFn, n: int = len(NAMES)) -> Ballots:
    ranking = st.permutations(range(n)).flatmap(
        lambda p: st.integers(1, n).map(lambda k: tuple(p[:k]))
    )
    return tuple(draw(st.lists(st.tuples(ranking, st.integers(1, 9)), min_size=1, max_size=25)))


def stv(method: str, ballots: Ballots, seats: int, **kw: object) -> TallyResult:
    return tally(TallyInput(method, NAMES, ballots, seats=seats, seed="p", **kw))  # type: ignore[arg-type]


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_ballot_order_never_changes_a_result(ballots: Ballots, seats: int, rnd: object) -> None:
    shuffled = list(ballots)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for method in ("scottish-stv", "meek-stv", "irv", "schulze"):
        s = 1 if method == "irv" else seats
        a = stv(method, ballots, s).to_dict()
        b = stv(method, tuple(shuffled), s).to_dict()
        assert a == b


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3))
def test_totals_exhausted_and_loss_add_up_to_the_valid_poll(ballots: Ballots, seats: int) -> None:
    valid = sum(w for p, w in ballots if p)
    for method in ("scottish-stv", "meek-stv", "irv"):
        result = stv(method, ballots, 1 if method == "irv" else seats)
        for stage in result.stages:
            assert sum(stage.totals) + stage.exhausted + stage.lost == valid


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3))
def test_fast_and_reference_paths_agree(ballots: Ballots, seats: int) -> None:
    inp = TallyInput("scottish-stv", NAMES, ballots, seats=seats, seed="p")
    assert count_scottish(inp, "pure").to_dict() == count_scottish(inp, "numpy").to_dict()
    meek = TallyInput("meek-stv", NAMES, ballots, seats=seats, seed="p")
    assert count_meek(meek, "pure").to_dict() == count_meek(meek, "numpy").to_dict()
    irv = TallyInput("irv", NAMES, ballots, seed="p")
    assert count_irv(irv, "pure").to_dict() == count_irv(irv, "numpy").to_dict()


@SETTINGS
@given(ranked_ballots())
def test_irv_and_one_seat_stv_agree(ballots: Ballots) -> None:
    # Both exclude the lowest one at a time with the same tie cascade; a candidate holding a
    # majority of the votes in play can never become the lowest, so the winners coincide.
    irv = stv("irv", ballots, 1)
    assert stv("scottish-stv", ballots, 1).elected == irv.elected


@SETTINGS
@given(ranked_ballots())
def test_condorcet_winner_wins_under_schulze(ballots: Ballots) -> None:
    result = count_schulze(TallyInput("schulze", NAMES, ballots))
    d = result.to_dict()["pairwise"]
    assert isinstance(d, dict)
    for a in NAMES:
        if all(int(d[a][b]) > int(d[b][a]) for b in NAMES if b != a):
            assert result.elected == (NAMES.index(a),)


groups_strategy = st.lists(
    st.tuples(st.frozensets(st.integers(0, 4), min_size=1), st.integers(0, 2), st.integers(0, 3)),
    min_size=1,
    max_size=2,
)


def build_groups(raw: list[tuple[frozenset[int], int, int]]) -> tuple[GroupConstraint, ...]:
    return tuple(
        GroupConstraint(f"g{i}", members, minimum=lo, maximum=lo + extra)
        for i, (members, lo, extra) in enumerate(raw)
    )


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3), groups_strategy)
def test_feasible_constraints_are_always_met(
    ballots: Ballots, seats: int, raw: list[tuple[frozenset[int], int, int]]
) -> None:
    groups = build_groups(raw)
    if not feasible((), range(len(NAMES)), seats, groups):
        return
    for method in ("scottish-stv", "meek-stv"):
        result = stv(method, ballots, seats, constraints=groups)
        assert len(result.elected) == seats
        for g in groups:
            count = sum(1 for c in result.elected if c in g.members)
            assert g.minimum <= count
            assert g.maximum is None or count <= g.maximum


@SETTINGS
@given(ranked_ballots(), st.integers(1, 3))
def test_non_binding_constraints_give_the_unconstrained_result(
    ballots: Ballots, seats: int
) -> None:
    loose = (
        GroupConstraint("everyone", frozenset(range(len(NAMES))), minimum=0, maximum=seats),
        GroupConstraint("some", frozenset({0, 1}), minimum=0),
    )
    for method in ("scottish-stv", "meek-stv"):
        free = stv(method, ballots, seats).to_dict()
        bound = stv(method, ballots, seats, constraints=loose).to_dict()
        assert free == bound


def test_quota_is_droop_on_the_valid_poll() -> None:
    result = stv("scottish-stv", (((0,), 10), ((1,), 7), ((), 3)), 2)
    assert result.quota == Fraction(17 // 3 + 1)
