"""The real cast path over HTTP, and close-to-published latency (issue 7).

Each virtual client signs in once with its own voting card (session cookie and CSRF token kept),
then casts one ballot per poll through `POST /polls/{id}/ballot`: session, CSRF, card check,
nullifier and the guarded ballot row, exactly as a phone does. Many polls are opened
beforehand so a client never repeats a poll. The bare ceiling (`bench.bare_ceiling`) runs in
the same invocation with the same backend, workers, clients and duration, for the ratio.

    .venv/bin/python -m bench.cast_path --backend postgres --workers 2 --duration 60
    .venv/bin/python -m bench.cast_path --backend sqlite --duration 60
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx2
import sqlalchemy as sa

from bench.loadgen import PreparedRequest, run_load
from governance.adapters.hashing import Argon2CodeHasher
from governance.adapters.tables import ballots, checkpoints
from governance.bootstrap import Suara, bootstrap
from governance.config import Settings
from governance.domain import codes
from governance.domain.commands import CreatePoll, OpenPoll
from governance.domain.delegates import Role
from governance.migrations.runner import upgrade
from governance.service_layer import setup

PG_URL = os.environ.get("SUARA_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SUARA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CHAIR = 900
STV_CANDIDATES = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("page has no CSRF token")
    return found.group(1)


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh, migrated database, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'suara.sqlite3'}"
        upgrade(url)
        yield url
        return
    admin_url = "postgresql+psycopg://" + PG_URL.split("://", 1)[1]
    name = f"bench_cast_{secrets.token_hex(4)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def congress(app: Suara, cards: int) -> tuple[str, list[str], str]:
    """A congress with `cards` voting cards and a chair; returns (id, voting codes, chair code)."""
    congress_id = setup.create_congress(app.uow_factory, f"bench-{codes.new_id()[:8]}", "Bench")
    voting = [codes.new_voting_code() for _ in range(cards)]
    tags = [codes.card_tag(app.settings.secret_key, c) for c in voting]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)
    printed = setup.issue_identity_cards(
        app.uow_factory, app.hasher, congress_id, [(CHAIR, Role.CHAIR, None, "Chair")]
    )
    return congress_id, voting, printed[CHAIR]


def open_polls(app: Suara, congress_id: str, count: int, **kwargs: Any) -> list[str]:
    ids = []
    for i in range(count):
        command = CreatePoll(
            congress_id=congress_id,
            title=f"Motion {i + 1}",
            method=kwargs.get("method", "yes-no-abstain"),
            options=kwargs.get("options", ("yes", "no", "abstain")),
            seats=kwargs.get("seats", 1),
        )
        poll_id: str = app.bus.handle(command)
        app.bus.handle(OpenPoll(poll_id))
        ids.append(poll_id)
    return ids


def start_stack(backend: str, workers: int, env: dict[str, str], port: int) -> list[Any]:
    if backend == "sqlite":  # the embedded default: one process, worker and relay inside
        suara = str(Path(sys.executable).parent / "suara")
        # Its start-up lines (data folder, URL, ready) would land in this script's JSON output.
        serve = [suara, "serve", "--port", str(port)]
        return [subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL)]
    web = [sys.executable, "-m", "uvicorn", "--factory", "web.app:production_app"]
    web += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    web += ["--no-access-log"]
    suara = str(Path(sys.executable).parent / "suara")
    return [
        subprocess.Popen(web, env=env),
        subprocess.Popen([suara, "relay"], env=env),
        subprocess.Popen([suara, "worker", "--threads", "2"], env=env),
    ]


def wait_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(httpx2.TransportError):
            if httpx2.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not become healthy")


def settle(app: Suara, opened: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    query = sa.select(sa.func.count()).where(checkpoints.c.kind == "open")
    while time.monotonic() < deadline:
        with app.engine.connect() as conn:
            if int(conn.execute(query).scalar_one()) >= opened:
                return
        time.sleep(0.5)
    raise RuntimeError("the opening checkpoints were not all signed in time")


def sign_in_voters(base: str, congress_id: str, codes_: list[str], poll_id: str) -> list[dict]:
    """One session per voting card: the cookie and the CSRF token a phone would hold."""
    sessions = []
    with httpx2.Client(base_url=base, timeout=30) as client:
        for code in codes_:
            client.cookies.clear()
            page = client.get(f"/congresses/{congress_id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": code}
            client.post(f"/congresses/{congress_id}/voting-card", data=data)
            token = csrf(client.get(f"/polls/{poll_id}").text)
            sessions.append({"cookie": client.cookies["suara_session"], "csrf": token})
    return sessions


def ballot_request(session: dict, poll_id: str, choice: str) -> PreparedRequest:
    return PreparedRequest.form(
        "POST",
        f"/polls/{poll_id}/ballot",
        {"csrf_token": session["csrf"], "choice": choice},
        headers={"Cookie": f"suara_session={session['cookie']}"},
    )


def sustained(base: str, port: int, cid: str, sessions: list[dict], polls: list[str],
              args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    rng = random.Random(1)
    choices = [str(rng.randrange(3)) for _ in range(len(polls))]

    def next_request(client: int, n: int) -> PreparedRequest | None:
        return ballot_request(sessions[client], polls[n], choices[n]) if n < len(polls) else None

    report = run_load(
        "127.0.0.1", port, next_request, len(sessions), args.duration, warmup_s=args.warmup
    )
    return report.to_dict()


def burst(port: int, sessions: list[dict], poll_id: str) -> dict[str, Any]:
    """Every voter at once, right after the poll opens: one ballot each."""

    def next_request(client: int, n: int) -> PreparedRequest | None:
        return ballot_request(sessions[client], poll_id, str(client % 3)) if n == 0 else None

    started = time.monotonic()
    report = run_load("127.0.0.1", port, next_request, len(sessions), total=len(sessions))
    figures = report.to_dict()
    figures["span_s"] = round(time.monotonic() - started, 3)
    return figures


def close_to_published(base: str, cid: str, chair_code: str, poll_id: str) -> float:
    """Seconds from the chair's close (HTTP) to the result on the public result page."""
    with httpx2.Client(base_url=base, timeout=60) as laptop:
        page = laptop.get(f"/congresses/{cid}/signin")
        laptop.post(
            f"/congresses/{cid}/signin", data={"csrf_token": csrf(page.text), "code": chair_code}
        )
        token = csrf(laptop.get(f"/polls/{poll_id}").text)
        started = time.monotonic()
        closed = laptop.post(f"/polls/{poll_id}/close", data={"csrf_token": token})
        if closed.status_code != 303:
            raise RuntimeError(f"close answered {closed.status_code}")
        while time.monotonic() - started < 120:
            if "outcome-" in laptop.get(f"/polls/{poll_id}/result").text:
                return time.monotonic() - started
            time.sleep(0.01)
    raise RuntimeError("result not published within 120 s")


def bulk_ranked_ballots(engine: sa.Engine, poll_id: str, count: int) -> None:
    rng = random.Random(2017)
    weights = [1 / (i + 1) ** 0.5 for i in range(STV_CANDIDATES)]
    rows = []
    for _ in range(count):
        order = sorted(range(STV_CANDIDATES), key=lambda c: -weights[c] * rng.random())
        rows.append(
            {
                "id": codes.new_id(),
                "poll_id": poll_id,
                "choices": ",".join(map(str, order[: rng.randint(1, STV_CANDIDATES)])),
                "receipt": codes.new_receipt(),
                "nullifier": secrets.token_hex(32),
            }
        )
    with engine.begin() as conn:
        for start in range(0, count, 5000):
            conn.execute(ballots.insert(), rows[start : start + 5000])


def ceiling(args: argparse.Namespace) -> dict[str, Any]:
    backend = "postgres" if args.backend == "postgres" else "sqlite"
    workers = args.workers if backend == "postgres" else 1
    command = [sys.executable, "-m", "bench.bare_ceiling", "--backend", backend, "--json"]
    command += ["--workers", str(workers), "--duration", str(args.duration)]
    command += ["--warmup", str(args.warmup), "--concurrency", str(args.concurrency)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> dict[str, Any]:
    workers = args.workers if args.backend == "postgres" else 1
    figures: dict[str, Any] = {"backend": args.backend, "web_processes": workers}
    with tempfile.TemporaryDirectory() as tmp, database(args.backend, Path(tmp)) as url:
        secret = secrets.token_hex(32)
        namespace = f"bench_cast_{secrets.token_hex(4)}"
        settings = Settings(Path(tmp), url, None, secret, relay_interval_s=0.05)
        app = bootstrap(settings, hasher=Argon2CodeHasher(time_cost=1, memory_cost=1024))
        cid, voting, chair = congress(app, args.concurrency + 52)
        per_client = int((args.duration + args.warmup) * args.max_rate / args.concurrency) + 1
        polls = open_polls(app, cid, per_client)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUARA_")}
        env |= {"SUARA_DATABASE_URL": url, "SUARA_SECRET_KEY": secret, "SUARA_DATA_DIR": tmp}
        env |= {"SUARA_RELAY_INTERVAL": "0.05", "SUARA_LOG_LEVEL": "WARNING"}
        if args.backend == "postgres":
            env |= {"SUARA_REDIS_URL": REDIS_URL, "SUARA_BROKER_NAMESPACE": namespace}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        processes = start_stack(args.backend, args.workers, env, port)
        try:
            wait_healthy(base)
            # Every poll opened above owes a signed opening checkpoint: let the worker finish
            # that backlog first, or the measurement counts it against the cast path.
            settle(app, len(polls))
            sessions = sign_in_voters(base, cid, voting[: args.concurrency], polls[0])
            figures["cast"] = sustained(base, port, cid, sessions, polls, args)
            with app.engine.connect() as conn:
                stored = conn.execute(sa.select(sa.func.count()).select_from(ballots)).scalar()
            figures["cast"]["ballots_stored"] = stored
            (burst_poll,) = open_polls(app, cid, 1)
            voters = sign_in_voters(base, cid, voting[args.concurrency :], burst_poll)
            figures["burst_52"] = burst(port, voters, burst_poll)
            figures["close_52_s"] = round(close_to_published(base, cid, chair, burst_poll), 3)
            options = tuple(f"Candidate {i + 1}" for i in range(STV_CANDIDATES))
            (stv,) = open_polls(app, cid, 1, method=args.stv, options=options, seats=7)
            bulk_ranked_ballots(app.engine, stv, args.stv_ballots)
            figures[f"close_{args.stv_ballots}_stv_s"] = round(
                close_to_published(base, cid, chair, stv), 3
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            app.dispose()
    if not args.no_ceiling:
        figures["ceiling"] = ceiling(args)
        figures["ratio"] = round(figures["cast"]["rps"] / figures["ceiling"]["rps"], 3)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (PostgreSQL)")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--max-rate", type=float, default=2500, help="sizes the polls pre-opened")
    parser.add_argument("--stv", default="scottish-stv", help="method of the large count")
    parser.add_argument("--stv-ballots", type=int, default=100_000)
    parser.add_argument("--no-ceiling", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(run(args), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
