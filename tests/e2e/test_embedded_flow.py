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


def test_plain_serve_says_where_its_data_is_and_when_it_is_ready_from_any_folder(
    tmp_path: Path,
) -> None:
    env = env_for(tmp_path)
    for name in ("SUARA_DATA_DIR", "SUARA_SECRET_FILE"):
        env.pop(name)
    env |= {"XDG_DATA_HOME": str(tmp_path / "share"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    data = tmp_path / "share" / "suara"
    for here in ("first", "second"):
        (tmp_path / here).mkdir()
        port = free_port()
        server = subprocess.Popen(
            [SUARA, "serve", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=tmp_path / here,
        )
        try:
            said = read_until(server, "Suara is ready")
            assert f"Data folder: {data}\n" in said
            assert f"Secret key file: {tmp_path / 'config' / 'suara' / 'secret_key'}\n" in said
            assert f"Suara is ready at http://127.0.0.1:{port} " in said
            wait_for_health(f"http://127.0.0.1:{port}", server)
        finally:
            stop(server)
        assert not (tmp_path / here / "data").exists()
    assert (data / "suara.sqlite3").exists() and not (data / "secret_key").exists()
