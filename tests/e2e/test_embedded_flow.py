"""The README's first command, end to end: `suara serve --demo` on SQLite with its own worker."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.flow import (
    SUARA,
    env_for,
    free_port,
    parse_demo,
    read_until,
    stop,
    vote_close_and_see_result,
    wait_for_health,
)

pytestmark = pytest.mark.e2e


def test_a_delegate_votes_and_the_result_appears_on_the_embedded_default(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [SUARA, "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env_for(tmp_path),
    )
    try:
        demo = parse_demo(read_until(server, "demo-codes.txt"))
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, server)
        page = vote_close_and_see_result(base, demo)
        assert "Diterima" in page  # Indonesian by default
        assert (tmp_path / "suara.sqlite3").exists()
    finally:
        stop(server)
    assert server.returncode in (0, -15)


def test_a_restarted_server_prints_the_same_demo_codes(tmp_path: Path) -> None:
    outputs = []
    for _ in range(2):
        port = free_port()
        server = subprocess.Popen(
            [SUARA, "serve", "--demo", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env_for(tmp_path),
        )
        try:
            outputs.append(parse_demo(read_until(server, "demo-codes.txt")))
        finally:
            stop(server)
    assert outputs[0].identity == outputs[1].identity
