"""`suara tally FILE --method NAME`: recount a ballot file as any observer can.

Outside the pure `governance.tally` package because it reads files and speaks click.
Every refusal (bad file, bad argument) is exit code 2 and one line on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from governance.cli.common import OneLineCommand, OneLineError
from governance.tally import METHODS, TallyInput, TallyInputError, TallyResult, tally
from governance.tally.formats import read_ballot_file, read_constraints

if TYPE_CHECKING:
    from governance.tally.blt import BallotFile
    from governance.tally.papers_numpy import PackedBallots

# Ballot files from this size on are read by a numpy reader (numpy's import, about 0.1 s, pays
# for itself from some ten thousand ballots); smaller ones by the reference reader.
FAST_READ_BYTES = 256 * 1024
PACKED_METHODS = frozenset({"scottish-stv", "irv", "meek-stv", "schulze"})  # as in tally.packed


def read_for_count(file: Path, method: str) -> tuple[BallotFile, PackedBallots | None]:
    """The ballot file, with large BLT and CSV files packed as arrays for the ranked methods.

    Anything a numpy reader does not take (comments among the ballots, marks, a malformed
    line, a JSON file, a small file) is read by the reference reader, which names the problem.
    """
    suffix = file.suffix.lower()
    if method in PACKED_METHODS and suffix != ".json":
        try:
            big = file.stat().st_size >= FAST_READ_BYTES
            raw = file.read_bytes() if big else b""
        except OSError:
            raw = b""
        if raw:
            if suffix == ".csv":
                from governance.tally.csv_numpy import read_csv_packed as reader
            else:
                from governance.tally.blt_numpy import read_blt_packed as reader
            fast = reader(raw, str(file))
            if fast is not None:
                return fast
    return read_ballot_file(file), None


def render_text(result: TallyResult, title: str) -> str:
    """A readable transcript: stages with totals, then the outcome."""
    data = result.to_dict()
    lines = [f"{title or 'Count'}: {data['method']}, {data['seats']} seat(s)"]
    if data["quota"] is not None:
        lines.append(f"Quota: {data['quota']}")
    stages: list[dict[str, Any]] = data["stages"]  # type: ignore[assignment]
    for stage in stages:
        lines.append(f"Stage {stage['number']}: {stage['action']}")
        for name, total in stage["totals"].items():
            lines.append(f"    {name:<40} {total:>16}")
        lines.append(f"    {'(exhausted)':<40} {stage['exhausted']:>16}")
        lines.extend(f"    note: {note}" for note in stage["notes"])
    if "message" in data:
        lines.append(str(data["message"]))
    elected: list[dict[str, Any]] = data["elected"]  # type: ignore[assignment]
    for e in elected:
        lines.append(f"Elected: {e['name']} (stage {e['stage']})")
    if result.method == "yes-no-abstain":
        lines.append(f"Required votes: {data['required_votes']}; outcome: {result.outcome}")
    return "\n".join(lines)


@click.command("tally", cls=OneLineCommand)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--method", required=True, type=click.Choice(METHODS), help="Counting method.")
@click.option("--seats", type=click.IntRange(min=1), default=None, help="Seats (default: file).")
@click.option("--constraints", type=click.Path(path_type=Path), default=None)
@click.option("--seed", default="", help="Seed of the tie-break lot, published at opening.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
def tally_command(
    file: Path, method: str, seats: int | None, constraints: Path | None, seed: str, as_json: bool
) -> None:
    """Count the ballots in FILE (BLT, .csv or .json) and print the transcript."""
    try:
        data, packed = read_for_count(file, method)
        groups = read_constraints(constraints, data.candidates) if constraints else ()
        inp = TallyInput(
            method=method,
            candidates=data.candidates,
            ballots=data.ballots,
            seats=seats or data.seats,
            constraints=groups,
            seed=seed,
            withdrawn=data.withdrawn,
            title=data.title,
        )
        if packed is None:
            result = tally(inp)
        else:
            from governance.tally.packed import tally_packed

            result = tally_packed(inp, packed)
    except TallyInputError as e:
        message = str(e).replace("\n", " ")
        where = "" if message.startswith(str(file)) else f"{file}: "
        raise OneLineError(f"{where}{message}") from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        click.echo(render_text(result, data.title))
