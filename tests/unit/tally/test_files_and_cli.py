from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance.cli.tally import tally_command
from governance.tally.blt import BallotFile, BallotFileError, read_blt, write_blt
from governance.tally.formats import read_csv, read_json, write_csv, write_json

SAMPLE = BallotFile(
    candidates=("Ann Example (Ind)", "Bob Sample(Grn)", 'Cy "Q" Test'),
    ballots=(((0, 1), 3), ((1,), 2), ((2, 0, 1), 1), ((), 1)),
    seats=2,
    withdrawn=frozenset({2}),
    title="Test, ward",
)


def test_blt_round_trip() -> None:
    back = read_blt(write_blt(SAMPLE))
    assert back.ballots == SAMPLE.ballots
    assert back.withdrawn == SAMPLE.withdrawn
    assert back.title == SAMPLE.title
    assert back.candidates[:2] == SAMPLE.candidates[:2]


def test_blt_tolerates_missing_final_newline_and_name_without_space() -> None:
    text = '2 1\n3 1 2 0\n1 2 0\n0\nAnn X (Lab)\nBea Y(Ind)\n"Ward 1, North"'
    data = read_blt(text)
    assert data.candidates == ("Ann X (Lab)", "Bea Y(Ind)")
    assert data.title == "Ward 1, North"
    assert data.ballots == (((0, 1), 3), ((1,), 1))


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("2 1\n1 1 3 0\n0\nA\nB\nT", 2, "not a candidate"),
        ("2 1\n1 1 1 0\n0\nA\nB\nT", 2, "ranked twice"),
        ("2 1\n1 1 2\n0\nA\nB\nT", 2, "must end with 0"),
        ("2 1\n1 1=2 0\n0\nA\nB\nT", 2, "equal rankings"),
        ("2\n", 1, "first line"),
        ("2 1\n1 1 0\n0\nA\n", 4, "candidate names"),
        ("2 1\n1 1 0\n", 2, "line '0'"),
    ],
)
def test_malformed_blt_names_line_and_problem(text: str, line: int, problem: str) -> None:
    with pytest.raises(BallotFileError) as err:
        read_blt(text, "f.blt")
    assert err.value.line == line
    assert problem in err.value.problem
    assert str(err.value).startswith(f"f.blt:{line}: ")


def test_csv_and_json_round_trip() -> None:
    plain = BallotFile(SAMPLE.candidates, SAMPLE.ballots[:3], seats=2)
    assert read_csv(write_csv(plain)).ballots == plain.ballots
    back = read_json(write_json(SAMPLE))
    assert back == SAMPLE


def test_csv_marks_and_errors() -> None:
    data = read_csv("A,B,C\nx,,x\n2,1,\n")
    assert data.ballots == (((0, 2), 1), ((1, 0), 1))
    with pytest.raises(BallotFileError, match=r"f.csv:3: .*share a rank"):
        read_csv("A,B\n1,2\n1,1\n", "f.csv")


def test_json_error_names_line() -> None:
    with pytest.raises(BallotFileError, match=r"f.json:2: invalid JSON"):
        read_json('{"candidates": ["A"],\n "ballots": [}', "f.json")


@pytest.fixture
def blt(tmp_path: Path) -> Path:
    path = tmp_path / "poll.blt"
    path.write_text('3 2\n4 1 2 0\n3 2 0\n2 3 1 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Poll"')
    return path


def test_cli_json_has_the_promised_keys(blt: Path) -> None:
    out = CliRunner().invoke(tally_command, [str(blt), "--method", "scottish-stv", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["method"] == "scottish-stv"
    assert data["seats"] == 2
    assert data["quota"] == "4"
    assert data["elected"][0] == {"name": "Ann", "stage": 1}
    assert data["stages"][0] == {
        **data["stages"][0],
        "number": 1,
        "totals": {"Ann": "4", "Bob": "3", "Cy": "2"},
    }


@pytest.mark.parametrize("method", ["irv", "meek-stv", "schulze", "plurality", "two-round"])
def test_cli_text_for_each_method(blt: Path, method: str) -> None:
    out = CliRunner().invoke(tally_command, [str(blt), "--method", method, "--seats", "1"])
    assert out.exit_code == 0, out.output
    assert "Stage 1" in out.output


def test_cli_constraints_file(blt: Path, tmp_path: Path) -> None:
    cons = tmp_path / "c.json"
    cons.write_text(json.dumps({"groups": [{"name": "g", "candidates": ["Cy"], "min": 1}]}))
    args = [str(blt), "--method", "scottish-stv", "--constraints", str(cons), "--json"]
    out = CliRunner().invoke(tally_command, args)
    assert out.exit_code == 0, out.output
    assert "Cy" in [e["name"] for e in json.loads(out.output)["elected"]]


def test_cli_malformed_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text("2 1\n1 1 9 0\n0\nA\nB\nT")
    out = CliRunner().invoke(tally_command, [str(bad), "--method", "irv"])
    assert out.exit_code == 2
    lines = out.output.strip().splitlines()
    assert len(lines) == 1
    assert f"{bad}:2:" in lines[0]


@pytest.mark.parametrize(
    "args",
    [["--method", "nope"], ["--method", "irv", "--seats", "0"], []],
)
def test_cli_bad_arguments_are_one_line_exit_2(blt: Path, args: list[str]) -> None:
    out = CliRunner().invoke(tally_command, [str(blt), *args])
    assert out.exit_code == 2
    assert len(out.output.strip().splitlines()) == 1


def test_cli_infeasible_constraints_exit_2(blt: Path, tmp_path: Path) -> None:
    cons = tmp_path / "c.json"
    cons.write_text(json.dumps({"groups": [{"name": "g", "candidates": ["Cy"], "min": 2}]}))
    out = CliRunner().invoke(
        tally_command, [str(blt), "--method", "meek-stv", "--constraints", str(cons)]
    )
    assert out.exit_code == 2
    assert "needs at least 2" in out.output


def test_json_names_written_as_numbers_still_name_candidates() -> None:
    data = read_json('{"candidates": ["1", "2"], "ballots": [[2, 1], {"ranking": ["1"]}]}')
    assert data.ballots == (((1, 0), 1), ((0,), 1))
    with pytest.raises(BallotFileError, match=r"ballot 1: unknown candidate '3'"):
        read_json('{"candidates": ["1", "2"], "ballots": [[3]]}', "f.json")
