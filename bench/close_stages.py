"""Where the time from a poll's close to its published result goes, stage by stage (issue 7).

Fills one ranked poll with N ballots (as casting leaves them: rows, no events), then runs each
step of the close in this process and times it: the close itself (with the receipts digest),
the relay's sequencing of the close, the count, the publication, and then the close
checkpoint (signed once the result is published, so not on the way to it).

    .venv/bin/python -m bench.close_stages --backend postgres -n 100000
    .venv/bin/python -m bench.close_stages --backend sqlite -n 100000
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cast_path import STV_CANDIDATES, congress, database, open_polls
from governance.adapters.hashing import Argon2CodeHasher
from governance.adapters.tables import ballots
from governance.bootstrap import Suara, bootstrap
from governance.config import Settings
from governance.domain import codes
from governance.domain.commands import ClosePoll, PublishResult, SignCheckpoint, TallyPoll


def fill(app: Suara, poll_id: str, count: int) -> None:
    rng = random.Random(2017)
    weights = [1 / (i + 1) ** 0.5 for i in range(STV_CANDIDATES)]
    rows = []
    for _ in range(count):
        order = sorted(range(STV_CANDIDATES), key=lambda c: -weights[c] * rng.random())
        receipt = codes.new_receipt()
        rows.append(
            {
                "id": codes.new_id(),
                "poll_id": poll_id,
                "choices": ",".join(map(str, order[: rng.randint(1, STV_CANDIDATES)])),
                "receipt": receipt,
                "nullifier": secrets.token_hex(32),
            }
        )
    with app.engine.begin() as conn:
        for start in range(0, count, 5000):
            conn.execute(ballots.insert(), rows[start : start + 5000])


def timed(figures: dict[str, float], name: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = action()
    figures[name] = round(time.perf_counter() - started, 3)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("-n", type=int, default=100_000, help="ballots in the poll")
    parser.add_argument("--method", default="scottish-stv")
    parser.add_argument("--seats", type=int, default=7)
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {"backend": args.backend, "ballots": args.n}
    with tempfile.TemporaryDirectory() as tmp, database(args.backend, Path(tmp)) as url:
        settings = Settings(Path(tmp), url, None, secrets.token_hex(32))
        app = bootstrap(settings, hasher=Argon2CodeHasher(time_cost=1, memory_cost=1024))
        cid, _, _ = congress(app, 10)
        options = tuple(f"Candidate {i + 1}" for i in range(STV_CANDIDATES))
        (poll,) = open_polls(app, cid, 1, method=args.method, options=options, seats=args.seats)
        app.outbox.sequence()
        fill(app, poll, args.n)
        stages: dict[str, float] = {}
        timed(stages, "close", lambda: app.bus.handle(ClosePoll(poll)))
        timed(stages, "sequence", app.outbox.sequence)
        timed(stages, "count", lambda: app.bus.handle(TallyPoll(poll)))
        timed(stages, "sequence_result", app.outbox.sequence)
        timed(stages, "publish", lambda: app.bus.handle(PublishResult(poll)))
        stages["to_published"] = round(sum(stages.values()), 3)
        app.outbox.sequence()
        # Signed once the result is published (trust._count_settled): off the path above.
        signed = timed(
            stages, "close_checkpoint", lambda: app.bus.handle(SignCheckpoint(poll, "close"))
        )
        if not signed:
            raise RuntimeError("the close checkpoint was not signed")
        figures["stages_s"] = stages
        app.dispose()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
