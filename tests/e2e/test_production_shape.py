"""Production shape: PostgreSQL, Redis, uvicorn, a `dramatiq` worker process and the relay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.flow import (
    SUARA,
    env_for,
    free_port,
    parse_demo,
    stop,
    vote_close_and_see_result,
    wait_for_health,
)

pytestmark = pytest.mark.e2e


def test_the_flow_runs_on_postgresql_with_real_worker_and_relay_processes(
    tmp_path: Path, pg_url: str, redis_url: str, broker_namespace: str
) -> None:
    env = env_for(
        tmp_path,
        SUARA_DATABASE_URL=pg_url,
        SUARA_REDIS_URL=redis_url,
        SUARA_BROKER_NAMESPACE=broker_namespace,
        SUARA_SECRET_KEY="e2e-" + broker_namespace,
        SUARA_RELAY_INTERVAL="0.05",
    )
    subprocess.run([SUARA, "migrate"], env=env, check=True, capture_output=True, text=True)
    loaded = subprocess.run([SUARA, "demo"], env=env, check=True, capture_output=True, text=True)
    demo = parse_demo(loaded.stdout)
    port = free_port()
    uvicorn = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "web.app:production_app",
        "--port",
        str(port),
    ]
    web = subprocess.Popen(
        uvicorn, env=env, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    worker = subprocess.Popen(
        [SUARA, "worker", "--threads", "2"], env=env, text=True, stderr=subprocess.PIPE
    )
    relay = subprocess.Popen([SUARA, "relay"], env=env, text=True, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, web)
        page = vote_close_and_see_result(base, demo)
        assert "Diterima" in page
        assert worker.poll() is None and relay.poll() is None
    finally:
        stop(web, worker, relay)
