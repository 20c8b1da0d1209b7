"""Whole-process tally benchmark: `suara tally FILE --json` against pyrankvote (and votelib).

    python -m bench.tally_cli [--ballots 100000,1000000] [--repeat 3] [--votelib-max 100000]
    python -m bench.tally_cli --startup [--repeat 7]
    python -m bench.tally_cli --phases --ballots 1000000

Ballot files: the synthetic ballots of `bench.tally_bench` (20 candidates, Plackett-Luce,
ranking length uniform 1..20, seed 2017) written once as BLT under bench/out/. Every contender
is a fresh process reading that same file, so start-up, parsing and counting are all in:
- `suara`: `suara tally FILE --method M --json` (the numpy reader for large files);
- `suara, reference reader`: the same command with the numpy reader switched off (the
  per-line Python reader, as before issue 16); its JSON must be byte-identical;
- `pyrankvote`: read the BLT file in plain Python, `single_transferable_vote` (7 seats);
- `votelib`: the same with `TransferableVoteSelector(quota_function="droop")`, only up to
  `--votelib-max` ballots (it needs minutes at a million).
Runs alternate contender by contender, `--repeat` rounds; the table shows medians of wall time,
CPU time (user + system of the process) and peak RSS (`wait4`), and each peer's ratio to suara.

`--startup`: whole-process time of tiny commands (interpreter alone, `suara tally` of a 3-ballot
file, `suara verify` of a missing file, the standalone verifier likewise) and the import time of
each (CPU time of importing the command's modules in a fresh interpreter).
`--phases`: in one process (CPU time, best of `--repeat`), reading the BLT and CSV files with
each reader (reference, numpy, a lean numpy reader with no checks), the JSON file with the
reference reader, and the count alone.
Nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
SUARA = str(Path(sys.executable).with_name("suara"))
SEATS = 7

PYRANKVOTE = """
import sys
import pyrankvote
from pyrankvote import Ballot, Candidate

def read_blt(path):
    with open(path, encoding="utf-8") as f:
        lines = [x.strip() for x in f if x.strip() and not x.startswith("#")]
    n, seats = map(int, lines[0].split())
    i, ballots = 1, []
    while lines[i] != "0":
        parts = lines[i].split()
        ballots.append((int(parts[0]), [int(p) - 1 for p in parts[1:-1]]))
        i += 1
    return [x.strip('"') for x in lines[i + 1 : i + 1 + n]], ballots, seats

names, ballots, seats = read_blt(sys.argv[1])
cands = [Candidate(x) for x in names]
expanded = [Ballot(ranked_candidates=[cands[c] for c in p]) for w, p in ballots for _ in range(w)]
result = pyrankvote.single_transferable_vote(cands, expanded, number_of_seats=seats)
print(sorted(c.name for c in result.get_winners()))
"""

VOTELIB = """
import sys
import votelib.evaluate.sequential as seq

with open(sys.argv[1], encoding="utf-8") as f:
    lines = [x.strip() for x in f if x.strip() and not x.startswith("#")]
n, seats = map(int, lines[0].split())
i, raw = 1, []
while lines[i] != "0":
    parts = lines[i].split()
    raw.append((int(parts[0]), tuple(int(p) - 1 for p in parts[1:-1])))
    i += 1
names = [x.strip('"') for x in lines[i + 1 : i + 1 + n]]
votes = {}
for w, p in raw:
    key = tuple(names[c] for c in p)
    votes[key] = votes.get(key, 0) + w
selector = seq.TransferableVoteSelector(quota_function="droop")
print(sorted(selector.evaluate(votes, seats)))
"""

REFERENCE_READER = """
import sys
import governance.cli.tally as t
t.FAST_READ_BYTES = 1 << 62
from governance.cli import main
main(sys.argv[1:])
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float
    stdout: bytes


def run_process(cmd: Sequence[str], timeout: float = 1800.0, ok: Sequence[int] = (0, 2)) -> Run:
    """One fresh process: wall time, its own CPU time and peak RSS (from wait4)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise TimeoutError(" ".join(cmd))
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read() if proc.stderr else b""
        out.seek(0)
        stdout = out.read()
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err[-500:]!r}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def ballot_file(n: int, seed: int = 2017) -> Path:
    """The synthetic ballots as BLT under bench/out (written once)."""
    path = OUT / f"tally_cli_{n}_{seed}.blt"
    if path.exists():
        return path
    from bench.tally_bench import NAMES, make_packed

    OUT.mkdir(parents=True, exist_ok=True)
    packed = make_packed(n, seed)
    lines = [f"{len(NAMES)} {SEATS}"]
    lines.extend(
        "1 " + " ".join(str(c + 1) for c in row if c >= 0) + " 0" for row in packed.prefs.tolist()
    )
    lines.append("0")
    lines.extend(f'"{name}"' for name in NAMES)
    lines.append(f'"Synthetic, {n} ballots, seed {seed}"')
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def contenders(path: Path, n: int, method: str, votelib_max: int) -> dict[str, list[str]]:
    out = {
        "suara": [SUARA, "tally", str(path), "--method", method, "--json"],
        "suara, reference reader": [
            PYTHON,
            "-c",
            REFERENCE_READER,
            "tally",
            str(path),
            "--method",
            method,
            "--json",
        ],
        "pyrankvote 2.0.6": [PYTHON, "-c", PYRANKVOTE, str(path)],
    }
    if n <= votelib_max:
        out["votelib 0.4.0"] = [PYTHON, "-c", VOTELIB, str(path)]
    return out


def whole_process(sizes: list[int], method: str, repeat: int, votelib_max: int) -> None:
    print(f"method {method}, {SEATS} seats, medians of {repeat} alternated runs")
    print(f"{'ballots':>9} {'contender':26} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8}  ratio")
    for n in sizes:
        path = ballot_file(n)
        cmds = contenders(path, n, method, votelib_max)
        runs: dict[str, list[Run]] = {name: [] for name in cmds}
        for _ in range(repeat):
            for name, cmd in cmds.items():
                runs[name].append(run_process(cmd))
        jsons = {r.stdout for name in runs if name.startswith("suara") for r in runs[name]}
        same = "byte-identical" if len(jsons) == 1 else f"DIFFERENT ({len(jsons)} outputs)"
        ours = statistics.median(r.wall for r in runs["suara"])
        ours_cpu = statistics.median(r.cpu for r in runs["suara"])
        for name, rs in runs.items():
            wall = statistics.median(r.wall for r in rs)
            cpu = statistics.median(r.cpu for r in rs)
            rss = statistics.median(r.rss_mib for r in rs)
            ratio = (
                "" if name == "suara" else f"{wall / ours:5.1f}x wall, {cpu / ours_cpu:5.1f}x CPU"
            )
            print(f"{n:>9,} {name:26} {wall:8.2f} {cpu:8.2f} {rss:8.0f}  {ratio}")
        elected = [e["name"] for e in json.loads(runs["suara"][0].stdout)["elected"]]
        peers = {
            name: rs[0].stdout.decode().strip() for name, rs in runs.items() if "suara" not in name
        }
        print(f"{'':>9} suara --json of both readers: {same}; elected {sorted(elected)}")
        for name, text in peers.items():
            print(f"{'':>9} {name} elected {text}")


IMPORT_PROBE = """
import sys, time
start = time.process_time()
for name in sys.argv[1:]:
    __import__(name)
print(time.process_time() - start)
"""


def import_cpu(modules: Sequence[str]) -> float:
    """CPU seconds a fresh interpreter spends importing `modules` (after its own start)."""
    done = subprocess.run(
        [PYTHON, "-c", IMPORT_PROBE, *modules], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def startup(repeat: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tiny = OUT / "tiny.blt"
    tiny.write_text('3 1\n2 1 2 0\n1 2 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"Tiny"\n')
    missing = str(OUT / "no-such-record.json")
    cases = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "suara tally tiny.blt --json": [SUARA, "tally", str(tiny), "--method", "irv", "--json"],
        "suara verify (missing file)": [SUARA, "verify", missing],
        "python -m governance.records.verifier": [
            PYTHON,
            "-m",
            "governance.records.verifier",
            missing,
        ],
    }
    # What each command imports before it works (the numpy reader adds numpy, about 0.1 s).
    imports: dict[str, list[str]] = {
        "python -c pass": [],
        "suara tally tiny.blt --json": ["governance.cli", "governance.cli.tally"],
        "suara verify (missing file)": ["governance.cli", "governance.cli.records"],
        "python -m governance.records.verifier": ["governance.records.verifier"],
    }
    runs: dict[str, list[Run]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, cmd in cases.items():
            runs[name].append(run_process(cmd))
    print(f"start-up, medians of {repeat} alternated runs")
    print(f"{'command':40} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8} {'import CPU s':>12}")
    for name, rs in runs.items():
        imp = statistics.median(import_cpu(imports[name]) for _ in range(5))
        print(
            f"{name:40} {statistics.median(r.wall for r in rs):7.3f} "
            f"{statistics.median(r.cpu for r in rs):7.3f} "
            f"{statistics.median(r.rss_mib for r in rs):8.0f} {imp:12.3f}"
        )
    numpy_cpu = statistics.median(import_cpu(["numpy"]) for _ in range(5))
    print(f"(importing numpy alone, which a large file adds: {numpy_cpu:.3f} s CPU)")


def lean_reader(raw: bytes) -> Any:
    """The leanest numpy reading of these files: no checks, weights assumed positive."""
    import numpy as np

    from governance.tally.papers_numpy import PackedBallots

    head_end = raw.index(b"\n") + 1
    end = raw.index(b"\n0\n", head_end - 1)
    values = np.fromstring(raw[head_end : end + 1], dtype=np.int64, sep=" ")
    zeros = np.flatnonzero(values == 0)
    starts = np.concatenate([[0], zeros[:-1] + 1])
    lengths = zeros - starts - 1
    width = int(lengths.max()) + 1
    prefs = np.full((starts.size, width), -1, dtype=np.int8)
    is_pref = np.ones(values.size, dtype=np.bool_)
    is_pref[starts] = False
    is_pref[zeros] = False
    prefs[np.arange(width) < lengths[:, None]] = values[is_pref] - 1
    return PackedBallots(prefs, values[starts])


def lean_csv_reader(raw: bytes) -> Any:
    """The leanest numpy reading of a full-row rank CSV: no checks at all."""
    import numpy as np

    from governance.tally.papers_numpy import PackedBallots

    cut = raw.index(b"\n") + 1
    fields = raw[:cut].count(b",") + 1
    body = raw[cut:]
    text = b"0" + body.replace(b",", b",0").replace(b"\n", b",0")
    cells = np.fromstring(text, dtype=np.int64, sep=",")[:-1].reshape(-1, fields)
    ranks = cells[:, 1:]
    keyed = np.where(ranks > 0, ranks, 1 << 20)
    lengths = np.count_nonzero(ranks, axis=1)
    order = np.argsort(keyed, axis=1, kind="stable").astype(np.int8)
    width = int(lengths.max()) + 1
    prefs = np.full((cells.shape[0], width), -1, dtype=np.int8)
    live = np.arange(width - 1) < lengths[:, None]
    prefs[:, : width - 1] = np.where(live, order[:, : width - 1], np.int8(-1))
    return PackedBallots(prefs, cells[:, 0])


def other_formats(n: int) -> tuple[Path, Path]:
    """The same ballots as CSV and JSON files (written once from the BLT file)."""
    from governance.tally.blt import read_blt
    from governance.tally.formats import write_csv, write_json

    csv_path = OUT / f"tally_cli_{n}_2017.csv"
    json_path = OUT / f"tally_cli_{n}_2017.json"
    if not (csv_path.exists() and json_path.exists()):
        data = read_blt(ballot_file(n).read_text(encoding="utf-8"))
        csv_path.write_text(write_csv(data), encoding="utf-8")
        json_path.write_text(write_json(data), encoding="utf-8")
    return csv_path, json_path


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best CPU time of `repeat` runs (single-threaded work: CPU time shrugs off a busy box)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def phases(sizes: list[int], repeat: int) -> None:
    print(f"in one process, CPU seconds, best of {repeat}")
    for n in sizes:
        phase(n, repeat)


def phase(n: int, repeat: int) -> None:
    import numpy as np

    from governance.tally.blt import read_blt
    from governance.tally.blt_numpy import read_blt_packed
    from governance.tally.stv_scottish import count_scottish_packed

    path = ballot_file(n)
    raw = path.read_bytes()
    t_ref, _ = best_of(lambda: read_blt(raw.decode("utf-8"), str(path)), 1)
    t_np, got = best_of(lambda: read_blt_packed(raw, str(path)), repeat)
    t_lean, lean = best_of(lambda: lean_reader(raw), repeat)
    assert got is not None
    data, packed = got
    assert np.array_equal(packed.prefs, lean.prefs)
    t_count, _ = best_of(lambda: count_scottish_packed(data.candidates, packed, SEATS), repeat)
    print(
        f"{n:>9,} ballots BLT, {len(raw) / 2**20:.1f} MiB: reference reader {t_ref:.2f} s, "
        f"numpy reader {t_np:.3f} s, lean numpy tokeniser {t_lean:.3f} s "
        f"(numpy reader / lean = {t_np / t_lean:.2f}), Scottish count {t_count:.3f} s"
    )
    from governance.tally.csv_numpy import read_csv_packed
    from governance.tally.formats import read_csv, read_json

    csv_path, json_path = other_formats(n)
    raw_csv = csv_path.read_bytes()
    c_ref, _ = best_of(lambda: read_csv(raw_csv.decode("utf-8"), str(csv_path)), 1)
    c_np, got_csv = best_of(lambda: read_csv_packed(raw_csv, str(csv_path)), repeat)
    c_lean, lean_csv = best_of(lambda: lean_csv_reader(raw_csv), repeat)
    assert got_csv is not None
    assert np.array_equal(got_csv[1].prefs, packed.prefs)
    assert np.array_equal(lean_csv.prefs, packed.prefs)
    print(
        f"{n:>9,} ballots CSV, {len(raw_csv) / 2**20:.1f} MiB: reference reader {c_ref:.2f} s, "
        f"numpy reader {c_np:.3f} s, lean numpy reader {c_lean:.3f} s "
        f"(numpy reader / lean = {c_np / c_lean:.2f})"
    )
    raw_json = json_path.read_text(encoding="utf-8")
    j_ref, _ = best_of(lambda: read_json(raw_json, str(json_path)), 1)
    print(
        f"{n:>9,} ballots JSON, {len(raw_json) / 2**20:.1f} MiB: reference reader {j_ref:.2f} s "
        "(no numpy reader)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", default="100000,1000000", help="comma-separated sizes")
    ap.add_argument("--method", default="scottish-stv")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--votelib-max", type=int, default=100_000)
    ap.add_argument("--startup", action="store_true", help="time tiny commands instead")
    ap.add_argument("--phases", action="store_true", help="time readers and count in-process")
    args = ap.parse_args()
    sizes = [int(x) for x in args.ballots.split(",")]
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}")
    if args.startup:
        startup(args.repeat)
    elif args.phases:
        phases(sizes, args.repeat)
    else:
        whole_process(sizes, args.method, args.repeat, args.votelib_max)
    print(f"done {time.strftime('%H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}")


if __name__ == "__main__":
    main()
