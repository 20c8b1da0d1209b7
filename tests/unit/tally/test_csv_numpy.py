"""The numpy CSV reader gives what `read_csv` gives, or hands the file to it (issue 16)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import governance.cli.tally as cli_tally
from governance.cli.tally import tally_command
from governance.tally.blt import BallotFile, BallotFileError, read_blt
from governance.tally.csv_numpy import read_csv_packed
from governance.tally.formats import read_csv, write_csv
from governance.tally.papers_numpy import PackedBallots
from tests.unit.tally.test_scottish_wards import DATA, expected, ward_names


def same_as_reference(raw: bytes) -> None:
    ref = read_csv(raw.decode("utf-8-sig"), "f.csv")
    got = read_csv_packed(raw, "f.csv")
    assert got is not None
    data, packed = got
    assert (data.candidates, data.seats, data.withdrawn, data.title) == (
        ref.candidates,
        ref.seats,
        ref.withdrawn,
        ref.title,
    )
    want = PackedBallots.from_ballots(ref.ballots, len(ref.candidates))
    assert np.array_equal(packed.weights, want.weights)
    assert np.array_equal(packed.prefs, want.prefs)
    assert packed.to_ballots() == ref.ballots


def ward(stem: str) -> BallotFile:
    return read_blt((DATA / expected()[stem]["blt"]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", ward_names()[::3])
def test_wards_as_csv_read_the_same(stem: str) -> None:
    same_as_reference(write_csv(ward(stem)).encode("utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "A,B,C\n1,2,\n,1,\n3,1,2\n",  # no weight column
        "weight,A,B,C\r\n2,1,2,\r\n,1,,\r\n1,,,\r\n",  # CRLF; empty weight is 1; a blank ballot
        "\ufeffweight,A,B\n4,2,1\n3,1,",  # byte order mark, no final newline
        "A,B,C,D\n7,,2,\n,,,\n1,9,5,3\n",  # gaps in the ranks; a row of empty cells is skipped
        "Weight,Ann X (Lab),Bea Y(Ind)\n1,1,2\n",
    ],
)
def test_odd_but_legal_files_read_the_same(text: str) -> None:
    same_as_reference(text.encode("utf-8"))


LEGAL_BUT_DECLINED = (
    "A,B,C\nx,,x\n",  # marks
    "A,B,C\n1, 2,\n",  # a space in a cell
    "A,B,C\n1,2\n",  # a short row
    "A,B,C\n1,2,3\n\n2,1,3\n",  # a blank line
    "A,B,C\n01,2,3\n",  # a leading zero
    '"A, the first",B\n1,2\n',  # quotes in the header
    "weight,A,B\n0,1,2\n",  # weight 0 written out
)


@pytest.mark.parametrize(
    "text",
    [
        *LEGAL_BUT_DECLINED,
        "A,B,C\n1,1,\n",  # two share a rank
        "A,B,C\n1,3,3\n",  # two share a rank, and the largest rank is the number of ranks
        "A,B,C\n0,1,2\n",  # rank 0
        "A,B,C\n1,2,3,4\n",  # too many cells
        "A,A\n1,2\n",  # a name twice
        "weight,A,B\nx,1,2\n",  # a weight that is not a number
        "A,B\n1,2\r3,4\n",  # a lone CR
        "",
    ],
)
def test_what_it_does_not_take_goes_to_the_reference_reader(text: str) -> None:
    raw = text.encode("utf-8")
    got = read_csv_packed(raw, "f.csv")
    if got is not None:
        same_as_reference(raw)
        return
    try:
        read_csv(text, "f.csv")
    except BallotFileError:
        return
    assert text in LEGAL_BUT_DECLINED


def test_a_lone_carriage_return_is_a_ballot_file_error() -> None:
    # It used to escape `read_csv` as a raw csv.Error. (`suara tally` reads files with
    # universal newlines, so there a lone CR is a line end, in both readers.)
    with pytest.raises(BallotFileError, match=r"^f.csv:2: not a CSV file: new-line character"):
        read_csv("A,B\n1,2\r3,4\n", "f.csv")


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 7))
    weighted = draw(st.booleans())
    names = [f"C{i}" for i in range(n)]
    lines = [",".join(["weight", *names] if weighted else names)]
    for _ in range(draw(st.integers(0, 25))):
        ranks = draw(
            st.lists(st.sampled_from(["", "1", "2", "3", "7", "12"]), min_size=n, max_size=n)
        )
        weight = [draw(st.sampled_from(["", "1", "5", "30"]))] if weighted else []
        lines.append(",".join([*weight, *ranks]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(lines) + draw(st.sampled_from(["", end]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_texts())
def test_generated_files_read_the_same_or_go_to_the_reference(text: str) -> None:
    raw = text.encode("utf-8")
    got = read_csv_packed(raw, "f.csv")
    try:
        read_csv(text, "f.csv")
    except BallotFileError:
        assert got is None  # the reference refuses it (two share a rank): so does the fast path
        return
    if got is not None:
        same_as_reference(raw)
    else:  # declined only for what the fast path leaves to the reference
        one_field = text.startswith(("C0\n", "C0\r\n"))
        assert n_cells_short(text) or one_field or "\n" not in text


def n_cells_short(text: str) -> bool:
    rows = text.splitlines()
    return any(len(r.split(",")) != len(rows[0].split(",")) for r in rows)


def cli_json(path: Path, method: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(cli_tally, "FAST_READ_BYTES", 0 if fast else 1 << 60)
    out = CliRunner().invoke(
        tally_command, [str(path), "--method", method, "--seats", "3", "--json"]
    )
    assert out.exit_code == 0, out.output
    return out.output


@pytest.mark.parametrize("method", ["scottish-stv", "meek-stv", "irv", "schulze"])
def test_cli_json_is_byte_identical_with_the_numpy_csv_reader(
    tmp_path: Path, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ward.csv"
    path.write_text(write_csv(ward("aberdeen_2017_ward1")), encoding="utf-8")
    assert read_csv_packed(path.read_bytes()) is not None  # the fast path is the one taken
    assert cli_json(path, method, True, monkeypatch) == cli_json(path, method, False, monkeypatch)
