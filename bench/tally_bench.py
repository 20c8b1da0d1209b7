"""Counting-engine benchmark: synthetic seeded ballots, our methods and (optionally) peers.

    python -m bench.tally_bench [--ballots N] [--seed S] [--peers]

Ballots: 20 candidates, Plackett-Luce with popularity 1/sqrt(i+1), ranking length uniform
1..20 (nearly every ballot distinct, the hard case). Times are wall-clock, best of --repeat;
peak memory is tracemalloc's peak above the baseline during one count (numpy reports its
buffers to tracemalloc). Peers (pyrankvote, votelib) are run once each when --peers is given.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from governance.tally import TallyInput, tally
from governance.tally.papers_numpy import PackedBallots

N_CANDIDATES = 20
NAMES = tuple(f"C{i + 1:02d}" for i in range(N_CANDIDATES))


def make_packed(n: int, seed: int) -> PackedBallots:
    """Plackett-Luce rankings by the Gumbel-max trick, truncated to a uniform length."""
    rng = np.random.default_rng(seed)
    log_w = np.log(1 / np.sqrt(np.arange(1, N_CANDIDATES + 1)))
    keys = log_w + rng.gumbel(size=(n, N_CANDIDATES))
    order = np.argsort(-keys, axis=1).astype(np.int8)
    lengths = rng.integers(1, N_CANDIDATES + 1, size=n)
    prefs = np.full((n, N_CANDIDATES + 1), -1, dtype=np.int8)
    mask = np.arange(N_CANDIDATES) < lengths[:, None]
    prefs[:, :N_CANDIDATES] = np.where(mask, order, -1)
    return PackedBallots(prefs, np.ones(n, dtype=np.int64))


def to_tuples(packed: PackedBallots) -> tuple[tuple[tuple[int, ...], int], ...]:
    return tuple((tuple(c for c in row if c >= 0), 1) for row in packed.prefs.tolist())


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best wall-clock and best CPU seconds of `repeat` runs (CPU time shrugs off a busy box)."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, result


def peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 2**20


def our_methods(packed: PackedBallots) -> dict[str, Callable[[], Any]]:
    from governance.tally.irv import count_irv_packed
    from governance.tally.meek import count_meek_packed
    from governance.tally.schulze import count_schulze_packed
    from governance.tally.stv_scottish import count_scottish_packed

    return {
        "scottish-stv 7 seats": lambda: count_scottish_packed(NAMES, packed, 7),
        "irv": lambda: count_irv_packed(NAMES, packed),
        "meek-stv 7 seats": lambda: count_meek_packed(NAMES, packed, 7),
        "schulze": lambda: count_schulze_packed(NAMES, packed),
    }


def run_peers(
    ballots: tuple[tuple[tuple[int, ...], int], ...],
) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    try:
        import pyrankvote
        from pyrankvote import Ballot, Candidate

        cands = [Candidate(n) for n in NAMES]
        prb = [Ballot(ranked_candidates=[cands[c] for c in b]) for b, _ in ballots]
        wall, cpu, _ = timed(
            lambda: pyrankvote.single_transferable_vote(cands, prb, number_of_seats=7), 1
        )
        out["pyrankvote STV 7"] = (wall, cpu)
    except ImportError:
        print("pyrankvote not installed (pip install -e '.[bench]')")
    try:
        import votelib.evaluate.sequential as seq

        vb: dict[tuple[str, ...], int] = {}
        for b, w in ballots:
            key = tuple(NAMES[c] for c in b)
            vb[key] = vb.get(key, 0) + w
        stv = seq.TransferableVoteSelector(quota_function="droop")
        wall, cpu, _ = timed(lambda: stv.evaluate(vb, 7), 1)
        out["votelib STV 7"] = (wall, cpu)
    except ImportError:
        print("votelib not installed (pip install -e '.[bench]')")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peers", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated method labels to run")
    args = ap.parse_args()
    t0 = time.perf_counter()
    packed = make_packed(args.ballots, args.seed)
    print(
        f"{args.ballots:,} ballots, {N_CANDIDATES} candidates, generated in "
        f"{time.perf_counter() - t0:.2f} s"
    )
    ours: dict[str, tuple[float, float]] = {}
    print(f"{'method':26s} {'wall s':>8s} {'cpu s':>8s}  peak extra")
    for label, fn in our_methods(packed).items():
        if args.only and not any(o in label for o in args.only.split(",")):
            continue
        wall, cpu, result = timed(fn, args.repeat)
        mem = peak_mib(fn)
        ours[label] = (wall, cpu)
        print(f"{label:26s} {wall:8.3f} {cpu:8.3f}  {mem:6.1f} MiB  elected {list(result.elected)}")
    tuples = to_tuples(packed)

    def via_tally() -> Any:
        return tally(TallyInput("scottish-stv", NAMES, tuples, seats=7))

    wall, cpu, _ = timed(via_tally, 1)
    mem = peak_mib(via_tally)
    print(f"{'scottish-stv via tally()':26s} {wall:8.3f} {cpu:8.3f}  {mem:6.1f} MiB  (from tuples)")
    if args.peers:
        stv = ours.get("scottish-stv 7 seats")
        for label, (peer_wall, peer_cpu) in run_peers(tuples).items():
            ratio = ""
            if stv:
                ratio = f"  ratio wall {peer_wall / stv[0]:6.1f}x  cpu {peer_cpu / stv[1]:6.1f}x"
            print(f"{label:26s} {peer_wall:8.3f} {peer_cpu:8.3f}{ratio}")


if __name__ == "__main__":
    main()
