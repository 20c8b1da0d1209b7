"""Real processes for fault tests: web, worker, relay, a private Redis, and database probes."""

from __future__ import annotations

import json
import random
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
import sqlalchemy as sa

from governance.adapters.tables import ballots, events, relay_cursors, results
from governance.domain import codes
from tests.e2e.flow import SUARA, env_for, free_port, stop, wait_for_health


def wait_until(check: Callable[[], bool], timeout: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Stack:
    """The production shape's processes for one test, each killable on its own."""

    tmp_path: Path
    database_url: str
    redis_url: str
    namespace: str
    secret_key: str
    sweep_after: str = "1"
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        return env_for(
            self.tmp_path,
            SUARA_DATABASE_URL=self.database_url,
            SUARA_REDIS_URL=self.redis_url,
            SUARA_BROKER_NAMESPACE=self.namespace,
            SUARA_SECRET_KEY=self.secret_key,
            SUARA_RELAY_INTERVAL="0.05",
            SUARA_SWEEP_AFTER=self.sweep_after,
            **extra,
        )

    def _log_path(self, index: int) -> Path:
        return self.tmp_path / f"process-{index}.log"

    def log(self, process: subprocess.Popen[str]) -> str:
        """What a started process has written to stderr so far."""
        return self._log_path(self.processes.index(process)).read_text(errors="replace")

    def _spawn(self, args: list[str], **extra: str) -> subprocess.Popen[str]:
        log = self._log_path(len(self.processes))
        with log.open("w") as stderr:  # kept for a failing test's post-mortem
            process = subprocess.Popen(
                args,
                env=self.env(**extra),
                text=True,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def web(self, port: int | None = None, **extra: str) -> tuple[str, subprocess.Popen[str]]:
        port = port or free_port()
        args = [sys.executable, "-m", "uvicorn", "--factory", "web.app:production_app"]
        process = self._spawn([*args, "--port", str(port)], **extra)
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, process)
        return base, process

    def webs(self, count: int, **extra: str) -> list[tuple[str, subprocess.Popen[str]]]:
        """Several web processes on their own ports, started together (each imports slowly)."""
        args = [sys.executable, "-m", "uvicorn", "--factory", "web.app:production_app"]
        started = []
        for port in [free_port() for _ in range(count)]:
            process = self._spawn([*args, "--port", str(port)], **extra)
            started.append((f"http://127.0.0.1:{port}", process))
        for base, process in started:
            wait_for_health(base, process)
        return started

    def worker(self) -> subprocess.Popen[str]:
        return self._spawn([SUARA, "worker", "--threads", "2"])

    def relay(self) -> subprocess.Popen[str]:
        return self._spawn([SUARA, "relay"])

    def stop(self) -> None:
        stop(*self.processes)


def kill9(process: subprocess.Popen[str]) -> None:
    """SIGKILL the process group: dramatiq's worker runs in children of the started process."""
    try:
        import os

        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port())
    try:
        yield server
    finally:
        server.kill()


class PrivateRedis:
    """A redis-server of this test's own on a free port, never the shared one."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        try:
            wait_until(lambda: _pings(client), 10, "private redis")
        finally:
            client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


class Probe:
    """Read what the processes committed, straight from the database."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def count_events(self, event_type: str, poll_id: str) -> int:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(events.c.payload).where(events.c.type == event_type))
            return sum(1 for (p,) in rows if json.loads(p).get("poll_id") == poll_id)

    def relayed(self, event_type: str, poll_id: str) -> bool:
        """Whether the relay's cursor has passed this poll's event of this type."""
        with self.engine.connect() as conn:
            cursor = conn.execute(
                sa.select(relay_cursors.c.seq).where(relay_cursors.c.name == "relay")
            ).scalar()
            rows = conn.execute(
                sa.select(events.c.seq, events.c.payload).where(events.c.type == event_type)
            ).all()
        seqs = [seq for seq, p in rows if json.loads(p).get("poll_id") == poll_id and seq]
        return bool(seqs) and cursor is not None and int(cursor) >= max(seqs)

    def results(self, poll_id: str) -> list[sa.Row[tuple[str, str, str]]]:
        with self.engine.connect() as conn:
            query = sa.select(results.c.outcome, results.c.digest, results.c.data)
            return list(conn.execute(query.where(results.c.poll_id == poll_id)))

    def receipts(self, poll_id: str) -> list[str]:
        with self.engine.connect() as conn:
            query = sa.select(ballots.c.receipt).where(ballots.c.poll_id == poll_id)
            return [r for (r,) in conn.execute(query)]

    def logged_receipts_sha256(self, poll_id: str) -> str | None:
        """The digest of the receipts that the poll's close logged (None before the close)."""
        with self.engine.connect() as conn:
            query = sa.select(events.c.payload).where(
                events.c.type == "poll.closed", events.c.poll_id == poll_id
            )
            payload = conn.execute(query).scalar()
        return None if payload is None else json.loads(payload)["snapshot"]["receipts_sha256"]

    def add_ranked_ballots(self, poll_id: str, count: int, candidates: int, seed: int) -> None:
        """Bulk ballots for a large tally (the cast path is tested elsewhere; this is volume)."""
        rng = random.Random(seed)
        rows = []
        for _ in range(count):
            ranking = rng.sample(range(candidates), rng.randint(1, candidates))
            rows.append(
                {
                    "id": codes.new_id(),
                    "poll_id": poll_id,
                    "choices": ",".join(map(str, ranking)),
                    "receipt": codes.new_receipt(),
                    "nullifier": secrets.token_hex(32),
                }
            )
        with self.engine.begin() as conn:
            for start in range(0, len(rows), 5000):
                conn.execute(ballots.insert(), rows[start : start + 5000])

    def dispose(self) -> None:
        self.engine.dispose()
