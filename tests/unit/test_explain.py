"""Issue 17: a count in plain Indonesian, in order; a tie is a tie; one way to write numbers."""

from __future__ import annotations

from governance.documents.explain import explain, number, rows
from governance.tally import TallyInput
from governance.tally import tally as count
from governance.tally.model import GroupConstraint

NAMES = ("Mawar", "Melati", "Kenanga", "Anggrek")


def test_a_four_four_tie_is_told_as_a_tie_with_its_lot_never_as_the_fewest_votes() -> None:
    ballots = (((0,), 4), ((1,), 4))
    data = count(TallyInput("irv", NAMES[:2], ballots, seed="abc")).to_dict()
    lines = explain(data, NAMES[:2])
    text = " ".join(lines)
    assert "Seri: Mawar dan Melati memperoleh suara sama (4)" in text
    assert "undian dengan benih (seed) abc" in text and "paling sedikit" not in text
    loser = next(r for r in rows(data, NAMES[:2]) if not r.elected)
    assert loser.final == "4" and "penentuan seri" in loser.status  # not "0", not a defeat


def test_the_regional_guard_and_the_seat_it_costs_are_explained_in_order() -> None:
    east = GroupConstraint("east", frozenset({3}), minimum=1)
    west = GroupConstraint("west", frozenset({0, 1, 2}), minimum=1)
    ballots = (((0, 1), 5), ((1, 0), 4), ((2,), 3))
    inp = TallyInput("scottish-stv", NAMES, ballots, seats=2, constraints=(west, east))
    data = count(inp).to_dict()
    constraints = [{"name": "west", "members": [0, 1, 2], "minimum": 1}]
    constraints.append({"name": "east", "members": [3], "minimum": 1})
    lines = explain(data, NAMES, constraints)
    text = " ".join(lines)
    assert "Anggrek terpilih" in text and "karena wilayah timur harus terwakili" in text
    assert lines[0].startswith("Putaran 1:")
    rounds = [i for i, line in enumerate(lines) if line.startswith("Putaran")]
    assert rounds == sorted(rounds)
    elected_first = next(i for i, line in enumerate(lines) if "terpilih pada putaran 1" in line)
    assert elected_first < rounds[1] if len(rounds) > 1 else True


def test_numbers_are_written_one_way() -> None:
    assert number("1.5") == "1,5" and number("1.5", "en") == "1.5"
    assert number("6.29166") == "6,29" and number("1234") == "1.234"
