"""The numpy BLT reader behind `suara tally` gives what the reference reader gives (issue 16).

Same candidates, seats, withdrawn, title and ballots (as packed arrays) on every real ward and
on odd but legal files; None (so the reference reader answers, naming the line) for anything
it does not take; and the same `--json` output, byte for byte, from the command.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import governance.cli.tally as cli_tally
from governance.cli.tally import tally_command
from governance.tally import TallyInput, tally
from governance.tally.blt import BallotFile, BallotFileError, read_blt, write_blt
from governance.tally.blt_numpy import read_blt_packed
from governance.tally.packed import tally_packed
from governance.tally.papers_numpy import PackedBallots
from tests.unit.tally.test_scottish_wards import DATA, expected, ward_names

METHODS = ("scottish-stv", "irv", "meek-stv", "schulze")


def same_as_reference(raw: bytes) -> None:
    ref = read_blt(raw.decode("utf-8-sig"), "f.blt")
    got = read_blt_packed(raw, "f.blt")
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


@pytest.mark.parametrize("stem", ward_names())
def test_every_ward_reads_the_same(stem: str) -> None:
    same_as_reference((DATA / expected()[stem]["blt"]).read_bytes())


@pytest.mark.parametrize(
    "text",
    [
        "3 2\n4 1 2 0\n3 2 0\n0\nA\nB\nC\nT",  # no final newline
        '3 2\r\n4 1 2 0\r\n3 2 0\r\n0\r\n"A"\r\n"B"\r\nC\r\n"T"\r\n',  # CRLF, quotes
        "\ufeff3 2\n4 1 2 0\n0\nA\nB\nC\n",  # byte order mark, no title
        "# comment\n\n3 2\n# before the withdrawn line\n-2\n4 1 2 0\n\n  3\t2  0 \n0\nA\nB\nC\nT\n",
        "3 2\n0\nA\nB\nC\nT\n",  # no ballots at all
        "3 2\n5 0\n0 1 0\n4 3 2 1 0\n0 \nA\nB\nC\n# a comment after the names\nT\n",
        '3 1\n2 1 0\n0\nAnn X (Lab)\nBea Y(Ind)\n  Cy Z  \n"Ward 1, North"',
    ],
)
def test_odd_but_legal_files_read_the_same(text: str) -> None:
    same_as_reference(text.encode("utf-8"))


# Legal, read by the reference reader: numbers with leading zeros (int() reads them, but "00"
# must not pass for the final 0), and a final 0 with blanks before it.
LEGAL_BUT_DECLINED = (
    "3 2\n4 01 2 0\n007 3 0\n0\nA\nB\nC\nT\n",
    "3 2\n4 1 2 0\n 0\nA\nB\nC\nT\n",
)


@pytest.mark.parametrize(
    "text",
    [
        "3 2\n4 1 2 0\n# a comment among the ballots\n3 2 0\n0\nA\nB\nC\nT\n",
        "3 2\n(a1) 4 1 2 0\n0\nA\nB\nC\nT\n",  # ballot ids
        "3 2\n4 1=2 0\n0\nA\nB\nC\nT\n",  # equal rankings: refused by the reference
        "3 2\n4 1 4 0\n0\nA\nB\nC\nT\n",  # no candidate 4
        "3 2\n4 1 1 0\n0\nA\nB\nC\nT\n",  # ranked twice
        "3 2\n4 1 2\n0\nA\nB\nC\nT\n",  # no final 0 on a ballot
        "3 2\n4 1 2 00\n0\nA\nB\nC\nT\n",  # "00" is not the literal 0
        "3 2\n4\n0\nA\nB\nC\nT\n",  # a weight alone
        "3 2\n4 1 0 2 0\n0\nA\nB\nC\nT\n",  # preference 0
        "3 2\n4 1 2 0\nA\nB\nC\nT\n",  # no end line
        "3 2\n4 1 2 0\n0\nA\nB\n",  # a name missing
        "3 2\n4 1 2 0\n0\nA\nB\nC\nT\nmore\n",  # text after the title
        "3 2\n4 1 2 0\r3 2 0\n0\nA\nB\nC\nT\n",  # a bare CR is a line break for splitlines
        "3 2\n4 1 2 0\x0c3 2 0\n0\nA\nB\nC\nT\n",  # so is a form feed
        "3 2\n-4\n4 1 2 0\n0\nA\nB\nC\nT\n",  # withdrawn out of range
        "3\n4 1 2 0\n0\nA\nB\nC\nT\n",  # bad first line
        "",
        *LEGAL_BUT_DECLINED,
    ],
)
def test_what_it_does_not_take_goes_to_the_reference_reader(text: str) -> None:
    raw = text.encode("utf-8")
    got = read_blt_packed(raw, "f.blt")
    if got is not None:  # then the reference reader must agree with it
        same_as_reference(raw)
        return
    try:
        read_blt(text, "f.blt")
    except BallotFileError:
        return
    # Legal, just not the fast reader's business (comments, ids, odd line breaks, zeros).
    assert text in LEGAL_BUT_DECLINED or any(mark in text for mark in "#(\r\x0c")


@st.composite
def blt_files(draw: st.DrawFn) -> BallotFile:
    n = draw(st.integers(1, 8))
    ranking = st.permutations(range(n)).flatmap(
        lambda p: st.integers(0, n).map(lambda k: tuple(p[:k]))
    )
    ballots = draw(st.lists(st.tuples(ranking, st.integers(0, 10**6)), max_size=30))
    withdrawn = draw(st.frozensets(st.integers(0, n - 1), max_size=n - 1))
    return BallotFile(
        candidates=tuple(f"C{i} (Ind)" for i in range(n)),
        ballots=tuple(ballots),
        seats=draw(st.integers(1, n)),
        withdrawn=withdrawn,
        title=draw(st.sampled_from(["", "Ward 3", "Pemilihan, Timur"])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blt_files(), st.sampled_from(["\n", "\r\n"]), st.sampled_from([" ", "  ", "\t"]))
def test_generated_files_read_the_same(data: BallotFile, end: str, space: str) -> None:
    text = write_blt(data).replace(" ", space).replace("\n", end)
    same_as_reference(text.encode("utf-8"))


@pytest.mark.parametrize("method", METHODS)
def test_tally_packed_gives_the_tally_transcript(method: str) -> None:
    data = read_blt((DATA / "aberdeen_2017_ward1.blt").read_text(encoding="utf-8"))
    inp = TallyInput(
        method,
        data.candidates,
        data.ballots,
        seats=1 if method == "irv" else data.seats,
        withdrawn=frozenset({2}),
        seed="s",
    )
    packed = PackedBallots.from_ballots(data.ballots, len(data.candidates))
    assert tally_packed(inp, packed).to_dict() == tally(inp).to_dict()


def test_tally_packed_takes_tuples_for_other_methods() -> None:
    packed = PackedBallots.from_ballots((((0,), 3), ((1,), 2), ((), 1)), 2)
    inp = TallyInput("plurality", ("A", "B"), (), seed="s")
    assert tally_packed(inp, packed).to_dict()["blank"] == "1"


def cli_json(path: Path, method: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(cli_tally, "FAST_READ_BYTES", 0 if fast else 1 << 60)
    out = CliRunner().invoke(tally_command, [str(path), "--method", method, "--json"])
    assert out.exit_code == 0, out.output
    return out.output


@pytest.mark.parametrize("stem", ward_names()[::4])
@pytest.mark.parametrize("method", ["scottish-stv", "meek-stv"])
def test_cli_json_is_byte_identical_with_the_numpy_reader(
    stem: str, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / expected()[stem]["blt"]
    assert cli_json(path, method, True, monkeypatch) == cli_json(path, method, False, monkeypatch)


@pytest.mark.parametrize("method", ["irv", "schulze"])
def test_cli_json_is_byte_identical_for_irv_and_schulze(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / "aberdeen_2017_ward1.blt"
    assert cli_json(path, method, True, monkeypatch) == cli_json(path, method, False, monkeypatch)


def test_cli_malformed_large_file_still_names_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text("2 1\n1 1 0\n1 1 9 0\n0\nA\nB\nT")
    monkeypatch.setattr(cli_tally, "FAST_READ_BYTES", 0)
    out = CliRunner().invoke(tally_command, [str(bad), "--method", "scottish-stv"])
    assert out.exit_code == 2
    assert out.output.strip().splitlines() == [
        f"Error: {bad}:3: preference 9 is not a candidate (1..2)"
    ]
