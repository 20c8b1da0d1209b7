"""Whole-process `suara verify` of a large record, against the standalone verifier (issue 16).

    .venv/bin/python -m bench.verify_cli [-n 100000] [--repeat 5]

Builds one congress with one ranked poll of N ballots on a temporary SQLite database (the
same filling as `bench.close_stages`: closed, counted, published, close checkpoint signed),
exports its record to bench/out/verify_cli_N.json, then times, alternated, fresh processes of
`suara verify RECORD` and `python -m governance.records.verifier RECORD` (the same checks with
no command-line layer). Medians of wall, CPU and peak RSS.

The ballots are written straight into the table (as `bench.close_stages` does), not cast with
cards, so both verifiers report one failure, "N ballots but only 10 voting cards were issued",
and every other check holds (the recount included); the script checks exactly that.
Nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.tally_cli import OUT, PYTHON, SUARA, Run, run_process


def build(n: int, method: str, seats: int) -> Path:
    """The record of one poll of `n` ranked ballots (written once)."""
    path = OUT / f"verify_cli_{n}_{method}.json"
    if path.exists():
        return path
    from bench.cast_path import STV_CANDIDATES, congress, database, open_polls
    from bench.close_stages import fill
    from governance.adapters.hashing import Argon2CodeHasher
    from governance.adapters.record_export import build_record, record_bytes
    from governance.bootstrap import bootstrap
    from governance.config import Settings
    from governance.domain.commands import ClosePoll, PublishResult, SignCheckpoint, TallyPoll

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, database("sqlite", Path(tmp)) as url:
        settings = Settings(Path(tmp), url, None, secrets.token_hex(32))
        app = bootstrap(settings, hasher=Argon2CodeHasher(time_cost=1, memory_cost=1024))
        cid, _, _ = congress(app, 10)
        options = tuple(f"Candidate {i + 1}" for i in range(STV_CANDIDATES))
        (poll,) = open_polls(app, cid, 1, method=method, options=options, seats=seats)
        app.outbox.sequence()
        fill(app, poll, n)
        for command in (ClosePoll(poll), TallyPoll(poll), PublishResult(poll)):
            app.bus.handle(command)
            app.outbox.sequence()
        app.bus.handle(SignCheckpoint(poll, "close"))
        app.outbox.sequence()
        record = build_record(app.queries, app.trust, settings.secret_key, cid)
        tmp_path = path.with_suffix(".tmp")
        tmp_path.write_bytes(record_bytes(record))
        tmp_path.replace(path)
        app.dispose()
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--method", default="scottish-stv")
    ap.add_argument("--seats", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    started = time.perf_counter()
    path = build(args.n, args.method, args.seats)
    print(
        f"record {path} ({path.stat().st_size / 2**20:.1f} MiB), "
        f"ready in {time.perf_counter() - started:.1f} s"
    )
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}")
    cmds = {
        "suara verify": [SUARA, "verify", str(path)],
        "python -m governance.records.verifier": [
            PYTHON,
            "-m",
            "governance.records.verifier",
            str(path),
        ],
    }
    runs: dict[str, list[Run]] = {name: [] for name in cmds}
    for _ in range(args.repeat):
        for name, cmd in cmds.items():
            run = run_process(cmd, ok=(1,))
            failed = [x for x in run.stdout.decode().splitlines() if x.startswith("FAIL")]
            recounted = b"transcript identical" in run.stdout
            if len(failed) != 1 or "voting cards were issued" not in failed[0] or not recounted:
                raise SystemExit(f"{name}: unexpected report: {run.stdout[-600:]!r}")
            runs[name].append(run)
    print(f"medians of {args.repeat} alternated runs")
    print(f"{'command':40} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8}")
    for name, rs in runs.items():
        print(
            f"{name:40} {statistics.median(r.wall for r in rs):7.2f} "
            f"{statistics.median(r.cpu for r in rs):7.2f} "
            f"{statistics.median(r.rss_mib for r in rs):8.0f}"
        )
    print(f"done {time.strftime('%H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
