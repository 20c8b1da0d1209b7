"""The stack's ceiling: a bare Starlette endpoint doing the database work of one ballot.

One POST inserts a participation row and a ballot row in one transaction (optionally also
sending one Dramatiq message to Redis), with nothing else around it: no session, no CSRF, no
card check. Whatever the real cast path reaches is measured against this figure (issue 7).

This module is both the benchmark driver (``python -m bench.bare_ceiling ...``) and the ASGI app
(``bench.bare_ceiling:app``) that the driver starts under uvicorn; the driver passes the variant
to the uvicorn workers through ``BENCH_CEILING_*`` environment variables.

Everything it creates is dropped afterwards: PostgreSQL schema ``bench_ceiling``, a temporary
SQLite file, Redis keys under the ``bench_ceiling`` namespace.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

# Run as a script from anywhere: make ``bench`` importable.
_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from bench.loadgen import LoadReport, PreparedRequest, run_load  # noqa: E402

SCHEMA = "bench_ceiling"
REDIS_NAMESPACE = "bench_ceiling"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
POLL_ID = 1

# The two rows of a cast, shaped like Suara's: participation says who took part (for quorum and
# the roll), the ballot has no delegate reference, no time and no autoincrement id.
PG_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.bench_participation (
    poll_id integer NOT NULL,
    delegate_id bytea NOT NULL,
    PRIMARY KEY (poll_id, delegate_id)
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.bench_ballot (
    ballot_id bytea PRIMARY KEY,
    poll_id integer NOT NULL,
    choices text NOT NULL,
    receipt text NOT NULL UNIQUE,
    nullifier bytea NOT NULL UNIQUE
);
"""
SQLITE_DDL = """
CREATE TABLE IF NOT EXISTS bench_participation (
    poll_id integer NOT NULL,
    delegate_id blob NOT NULL,
    PRIMARY KEY (poll_id, delegate_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bench_ballot (
    ballot_id blob PRIMARY KEY,
    poll_id integer NOT NULL,
    choices text NOT NULL,
    receipt text NOT NULL UNIQUE,
    nullifier blob NOT NULL UNIQUE
) WITHOUT ROWID;
"""
INSERT_PARTICIPATION = "INSERT INTO {p}bench_participation (poll_id, delegate_id) VALUES ({ph})"
INSERT_BALLOT = (
    "INSERT INTO {p}bench_ballot (ballot_id, poll_id, choices, receipt, nullifier) VALUES ({ph})"
)


def _sql(template: str, prefix: str, placeholder: str, n: int) -> str:
    return template.format(p=prefix, ph=", ".join([placeholder] * n))


# ---------------------------------------------------------------------------------------------
# The app (runs inside the uvicorn workers)
# ---------------------------------------------------------------------------------------------

Row = tuple[bytes, str, str, bytes]  # delegate_id, choices, receipt, nullifier
Store = Callable[[Row], Awaitable[None]]


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"BENCH_CEILING_{name}", default)


@contextlib.asynccontextmanager
async def _psycopg_store(url: str, pool_size: int, pipeline: bool) -> AsyncIterator[Store]:
    # psycopg_pool is not a dependency; a queue of open connections is all a fixed-size pool
    # needs, and keeps the measurement about psycopg itself.
    import psycopg

    conns = [await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(pool_size)]
    if _env("ASYNC_COMMIT") == "1":
        # Diagnostic only: commits no longer wait for the WAL flush, so the difference to the
        # durable run is what fsync costs. Acknowledged ballots could be lost: never a headline.
        for conn in conns:
            await conn.execute("SET synchronous_commit = off")
    idle: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
    for conn in conns:
        idle.put_nowait(conn)
    ins_p = _sql(INSERT_PARTICIPATION, f"{SCHEMA}.", "%s", 2)
    ins_b = _sql(INSERT_BALLOT, f"{SCHEMA}.", "%s", 5)

    async def store(row: Row) -> None:
        delegate, choices, receipt, nullifier = row
        conn = await idle.get()
        try:
            # Pipeline mode sends BEGIN, both INSERTs and COMMIT in one network round trip
            # instead of four; the transaction and its errors are the same.
            async with (
                conn.pipeline() if pipeline else contextlib.nullcontext(),
                conn.transaction(),
            ):
                await conn.execute(ins_p, (POLL_ID, delegate))
                await conn.execute(
                    ins_b, (secrets.token_bytes(16), POLL_ID, choices, receipt, nullifier)
                )
        finally:
            idle.put_nowait(conn)

    try:
        yield store
    finally:
        for conn in conns:
            await conn.close()


def _sqlite_connect(path: str, synchronous: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so the write lock is taken up
    # front and a busy writer makes us wait (busy_timeout) instead of failing on upgrade.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


@contextlib.asynccontextmanager
async def _sqlite_store(path: str, synchronous: str) -> AsyncIterator[Store]:
    # One connection per worker process, used directly on the event loop: a WAL insert+commit
    # takes tens of microseconds, less than a thread hop costs. Writers in other processes are
    # serialised by SQLite's lock (busy_timeout waits, blocking this loop: that is the cost of
    # more than one process on SQLite, and what the 1-vs-2 worker runs measure).
    conn = _sqlite_connect(path, synchronous)
    ins_p = _sql(INSERT_PARTICIPATION, "", "?", 2)
    ins_b = _sql(INSERT_BALLOT, "", "?", 5)

    async def store(row: Row) -> None:
        delegate, choices, receipt, nullifier = row
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(ins_p, (POLL_ID, delegate))
            conn.execute(ins_b, (secrets.token_bytes(16), POLL_ID, choices, receipt, nullifier))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    try:
        yield store
    finally:
        conn.close()


@contextlib.asynccontextmanager
async def _sqlalchemy_store(
    backend: str, url_or_path: str, pool_size: int, synchronous: str
) -> AsyncIterator[Store]:
    # The usual shape of a sync SQLAlchemy 2 app on Starlette: the transaction runs in the
    # threadpool. (SQLAlchemy's asyncio extension would need greenlet, which is not installed.)
    from sqlalchemy import create_engine, event, text

    if backend == "postgres":
        url = url_or_path.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(url, pool_size=pool_size, max_overflow=0)
        prefix = f"{SCHEMA}."
    else:
        engine = create_engine(f"sqlite:///{url_or_path}", pool_size=4, max_overflow=0)
        prefix = ""

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            for pragma in ("journal_mode=WAL", f"synchronous={synchronous}", "busy_timeout=5000"):
                dbapi_conn.execute(f"PRAGMA {pragma}")

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    ins_p = text(INSERT_PARTICIPATION.format(p=prefix, ph=":p, :d"))
    ins_b = text(INSERT_BALLOT.format(p=prefix, ph=":b, :p, :c, :r, :n"))

    def work(row: Row) -> None:
        delegate, choices, receipt, nullifier = row
        with engine.begin() as conn:
            conn.execute(ins_p, {"p": POLL_ID, "d": delegate})
            conn.execute(
                ins_b,
                {
                    "b": secrets.token_bytes(16),
                    "p": POLL_ID,
                    "c": choices,
                    "r": receipt,
                    "n": nullifier,
                },
            )

    async def store(row: Row) -> None:
        await run_in_threadpool(work, row)

    try:
        yield store
    finally:
        engine.dispose()


@contextlib.asynccontextmanager
async def _null_store() -> AsyncIterator[Store]:
    # No database: what uvicorn + Starlette (+ the load generator) cost on their own.
    async def store(row: Row) -> None:
        return None

    yield store


def _make_sender() -> Callable[[str], None] | None:
    if _env("DRAMATIQ") != "1":
        return None
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    # Dramatiq 2.x: the broker must be set before any actor is declared.
    broker = RedisBroker(url=_env("REDIS_URL", DEFAULT_REDIS_URL), namespace=REDIS_NAMESPACE)
    dramatiq.set_broker(broker)

    @dramatiq.actor(queue_name="bench_ceiling", broker=broker)
    def ballot_cast(receipt: str) -> None:  # never consumed: only the send is measured
        pass

    def send(receipt: str) -> None:
        ballot_cast.send(receipt)

    return send


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    backend = _env("BACKEND", "postgres")
    driver = _env("DRIVER", "direct")
    pool_size = int(_env("POOL_SIZE", "8"))
    sync = _env("SQLITE_SYNC", "FULL")
    target = _env("PG_URL", DEFAULT_PG_URL) if backend == "postgres" else _env("SQLITE_PATH")
    if backend == "none":
        cm = _null_store()
    elif driver == "sqlalchemy":
        cm = _sqlalchemy_store(backend, target, pool_size, sync)
    elif backend == "postgres":
        cm = _psycopg_store(target, pool_size, pipeline=_env("PIPELINE") == "1")
    else:
        cm = _sqlite_store(target, sync)
    async with cm as store:
        app.state.store = store
        app.state.send = _make_sender()
        yield


async def cast(request: Request) -> Response:
    form = await request.form()  # Starlette's form parsing is part of the stack being measured
    choice = form.get("choice")
    if choice not in ("yes", "no", "abstain"):
        return PlainTextResponse("bad choice", status_code=422)
    receipt = secrets.token_urlsafe(16)
    row = (secrets.token_bytes(16), json.dumps([choice]), receipt, secrets.token_bytes(32))
    await request.app.state.store(row)
    send = request.app.state.send
    if send is not None:
        # A sync Redis round trip on the loop: cheaper than a thread hop for one LPUSH.
        send(receipt)
    # Post/Redirect/Get, as the real cast path answers.
    return Response(status_code=303, headers={"Location": f"/receipt/{receipt}"})


app = Starlette(routes=[Route("/cast", cast, methods=["POST"])], lifespan=lifespan)


# ---------------------------------------------------------------------------------------------
# The driver
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited early with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError("uvicorn did not start listening in time")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # SIGTERM to the supervisor lets it stop and reap its workers (lifespan shutdown closes the
    # pools). uvicorn runs in its own session, so if it hangs, killing its process group hits
    # only the processes this script started.
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def _cpu_snapshot() -> dict[int, tuple[int, int, str]]:
    """{pid: (utime+stime ticks, ppid, comm)} for every process now."""
    snap: dict[int, tuple[int, int, str]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                raw = f.read().decode(errors="replace")
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        snap[int(entry.name)] = (int(fields[11]) + int(fields[12]), int(fields[1]), comm)
    return snap


def _foreign_cpu_s(before: dict[int, tuple[int, int, str]], after: dict[int, Any]) -> float:
    """CPU seconds other people's processes used during the run (this box is shared).

    Counts processes alive at both snapshots that are neither descendants of this script nor
    the PostgreSQL and Redis servers: a noisy neighbour shows up here and the figures of that
    run should not be trusted. Short-lived foreign processes are missed, so it is a lower bound.
    """
    me = os.getpid()

    def ours(pid: int) -> bool:
        seen = 0
        while pid > 1 and seen < 64:
            if pid == me:
                return True
            pid = after.get(pid, before.get(pid, (0, 0, "")))[1]
            seen += 1
        return False

    ticks = 0
    for pid, (t1, _ppid, comm) in after.items():
        if pid not in before or ours(pid) or comm == "postgres" or comm.startswith("redis"):
            continue
        ticks += max(0, t1 - before[pid][0])
    return ticks / os.sysconf("SC_CLK_TCK")


def _idle_fraction(window_s: float = 1.0) -> float:
    def read() -> tuple[int, int]:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total

    idle0, total0 = read()
    time.sleep(window_s)
    idle1, total1 = read()
    return (idle1 - idle0) / max(1, total1 - total0)


def _wait_until_quiet(max_wait_s: float, threshold: float = 0.9) -> float:
    """Wait (bounded) for a second in which the box is mostly idle; return the last idle share."""
    deadline = time.monotonic() + max_wait_s
    idle = _idle_fraction()
    while idle < threshold and time.monotonic() < deadline:
        idle = _idle_fraction()
    return idle


def _pg_setup(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        conn.execute(PG_DDL)


def _pg_commits(url: str) -> int:
    """Commits in the whole cluster so far: other people's transactions share the WAL fsync."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT sum(xact_commit) FROM pg_stat_database").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _pg_count_and_drop(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        # SCHEMA is a module constant, not input.
        row = conn.execute(f"SELECT count(*) FROM {SCHEMA}.bench_ballot").fetchone()  # noqa: S608
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    return int(row[0]) if row else 0


def _redis_cleanup(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{REDIS_NAMESPACE}:*", count=1000))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


def run_variant(args: argparse.Namespace, backend: str, workers: int) -> dict[str, Any]:
    """Start uvicorn for one variant, load it, stop it, clean up; return the figures."""
    port = _free_port()
    env = {
        **os.environ,
        "BENCH_CEILING_BACKEND": backend,
        "BENCH_CEILING_DRIVER": args.driver,
        "BENCH_CEILING_POOL_SIZE": str(args.pool_size),
        "BENCH_CEILING_PG_URL": args.pg_url,
        "BENCH_CEILING_REDIS_URL": args.redis_url,
        "BENCH_CEILING_DRAMATIQ": "1" if args.dramatiq else "0",
        "BENCH_CEILING_SQLITE_SYNC": args.sqlite_sync,
        "BENCH_CEILING_PIPELINE": "1" if args.pipeline else "0",
        "BENCH_CEILING_ASYNC_COMMIT": "1" if args.pg_async_commit else "0",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(_REPO), args.extra_path, os.environ.get("PYTHONPATH")) if p
        ),
    }
    tmpdir = None
    if backend == "sqlite":
        tmpdir = tempfile.TemporaryDirectory(prefix="bench_ceiling_")
        path = str(Path(tmpdir.name) / "ceiling.sqlite3")
        conn = _sqlite_connect(path, args.sqlite_sync)
        conn.executescript(SQLITE_DDL)
        conn.close()
        env["BENCH_CEILING_SQLITE_PATH"] = path
    elif backend == "postgres":
        _pg_setup(args.pg_url)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bare_ceiling:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--loop",
        args.loop,
        "--http",
        args.http,
    ]
    idle_before = _wait_until_quiet(args.wait_idle) if args.wait_idle > 0 else math.nan
    proc = subprocess.Popen(cmd, cwd=_REPO, env=env, start_new_session=True)
    stored = -1
    try:
        _wait_listening(port, proc)
        time.sleep(0.5 * workers)  # let every worker finish its lifespan startup

        def request_for(client_id: int, n: int) -> PreparedRequest:
            # Per-client bodies, as real delegates send; a fixed small set keeps encoding cheap.
            return BODIES[(client_id + n) % len(BODIES)]

        cpu_before = _cpu_snapshot()
        commits_before = _pg_commits(args.pg_url) if backend == "postgres" else 0
        report: LoadReport = run_load(
            "127.0.0.1",
            port,
            BODIES if args.processes == 1 else request_for,
            args.concurrency,
            args.duration,
            processes=args.processes,
            warmup_s=args.warmup,
        )
        foreign = _foreign_cpu_s(cpu_before, _cpu_snapshot())
        # Statistics are flushed about once a second: this is approximate.
        commits = _pg_commits(args.pg_url) - commits_before if backend == "postgres" else 0
    finally:
        _stop(proc)
        if backend == "sqlite":
            conn = sqlite3.connect(env["BENCH_CEILING_SQLITE_PATH"])
            stored = conn.execute("SELECT count(*) FROM bench_ballot").fetchone()[0]
            conn.close()
            assert tmpdir is not None
            tmpdir.cleanup()
        elif backend == "postgres":
            stored = _pg_count_and_drop(args.pg_url)
        if args.dramatiq:
            _redis_cleanup(args.redis_url)
    figures = report.to_dict()
    figures.update(
        backend=backend,
        workers=workers,
        driver=args.driver,
        dramatiq=args.dramatiq,
        ballots_stored=stored,
        foreign_cpu_s=round(foreign, 1),
        # Commits during the run that were not our ballots (ours include the warm-up's).
        pg_other_commits=max(0, commits - stored) if backend == "postgres" else 0,
        idle_before=round(idle_before, 2),
    )
    return figures


BODIES = [
    PreparedRequest.form("POST", "/cast", {"choice": c}) for c in ("yes", "no", "abstain", "yes")
]


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bare_ceiling",
        description=(
            "Stack ceiling: a bare Starlette endpoint inserting a participation row and a "
            "ballot row in one transaction, under uvicorn, driven by bench.loadgen."
        ),
    )
    parser.add_argument(
        "--backend",
        choices=["postgres", "sqlite", "none"],
        default="postgres",
        help="none: no database at all, the HTTP stack's own cost",
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--driver",
        choices=["direct", "sqlalchemy"],
        default="direct",
        help="direct: psycopg 3 async / sqlite3 on the event loop; sqlalchemy: SQLAlchemy 2 "
        "sync engine (psycopg / sqlite3) in Starlette's threadpool",
    )
    parser.add_argument("--dramatiq", action="store_true", help="send one message per request")
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="psycopg pipeline mode: the whole transaction in one round trip (direct driver)",
    )
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--concurrency", type=int, default=64, help="keep-alive clients")
    parser.add_argument("--processes", type=int, default=1, help="load generator processes")
    parser.add_argument(
        "--pg-async-commit",
        action="store_true",
        help="diagnostic: synchronous_commit=off (not durable), to see what the WAL fsync costs",
    )
    parser.add_argument("--pool-size", type=int, default=8, help="PostgreSQL conns per worker")
    parser.add_argument(
        "--sqlite-sync", choices=["FULL", "NORMAL"], default="FULL", help="PRAGMA synchronous"
    )
    parser.add_argument("--loop", choices=["auto", "asyncio", "uvloop"], default="auto")
    parser.add_argument("--http", choices=["auto", "h11", "httptools"], default="auto")
    parser.add_argument(
        "--extra-path",
        default="",
        help="directory prepended to the workers' PYTHONPATH (e.g. uvloop/httptools installed "
        "with pip --target, to measure them without changing the shared venv)",
    )
    parser.add_argument("--pg-url", default=os.environ.get("SUARA_BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument(
        "--redis-url", default=os.environ.get("SUARA_BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        help="before starting, wait up to this many seconds for the shared box to be >=90%% idle",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    figures = run_variant(args, args.backend, args.workers)
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['backend']} workers={figures['workers']} driver={figures['driver']} "
            f"dramatiq={figures['dramatiq']}: {figures['rps']} req/s, "
            f"p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms, p99 {figures['p99_ms']} ms, "
            f"max {figures['max_ms']} ms, errors {figures['errors']}, "
            f"status {figures['status_counts']}, transport errors {figures['error_counts']}, "
            f"ballots stored {figures['ballots_stored']}, "
            f"other processes' CPU {figures['foreign_cpu_s']} s, "
            f"other PostgreSQL commits ~{figures['pg_other_commits']} "
            f"(load: {figures['concurrency']} clients x {figures['processes']} process(es), "
            f"{figures['elapsed_s']} s)"
        )
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
