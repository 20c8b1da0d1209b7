"""`suara tally` and `suara verify` import only what they use (issue 16, the observer's laptop).

Each command runs in a fresh interpreter; at exit it lists what was imported. Neither may load
the server's stacks (database, migrations, PDF, web, workers, adapters); a small `tally` does
not even load numpy, and `verify` loads no HTTP client.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.tally.test_scottish_wards import DATA

PROBE = """
import atexit, json, sys

def report() -> None:
    print("MODULES " + json.dumps(sorted(sys.modules)), file=sys.stderr)

atexit.register(report)
from governance.cli import main
main(sys.argv[1:])
"""

SERVER = (
    "sqlalchemy",
    "alembic",
    "fpdf",
    "starlette",
    "jinja2",
    "uvicorn",
    "dramatiq",
    "redis",
    "psycopg",
    "argon2",
    "segno",
    "web",
    "workers",
)


def modules_of(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done.returncode, set(json.loads(line.removeprefix("MODULES ")))


def assert_lean(loaded: set[str]) -> None:
    tops = {m.split(".")[0] for m in loaded}
    assert not tops & set(SERVER), sorted(tops & set(SERVER))
    prefixes = ("governance.adapters", "governance.service_layer", "governance.bootstrap")
    assert not [m for m in loaded if m.startswith(prefixes)]


def test_tally_of_a_small_file_imports_no_server_package_and_no_numpy() -> None:
    code, loaded = modules_of(
        "tally", str(DATA / "aberdeen_2017_ward1.blt"), "--method", "scottish-stv", "--json"
    )
    assert code == 0
    assert_lean(loaded)
    assert "numpy" not in loaded


@pytest.mark.parametrize("method", ["scottish-stv", "meek-stv"])
def test_tally_of_a_large_file_adds_only_numpy(tmp_path: Path, method: str) -> None:
    path = tmp_path / "big.blt"
    lines = [f"{1 + i % 3} {1 + i % 4} {1 + (i + 1) % 4} 0" for i in range(40_000)]
    path.write_text("4 2\n" + "\n".join(lines) + "\n0\nA\nB\nC\nD\nBig\n")
    code, loaded = modules_of("tally", str(path), "--method", method, "--json")
    assert code == 0
    assert_lean(loaded)
    assert "governance.tally.blt_numpy" in loaded


def test_verify_imports_no_server_package_and_no_http_client(tmp_path: Path) -> None:
    code, loaded = modules_of("verify", str(tmp_path / "missing.json"))
    assert code == 2  # the record cannot be read: one line, exit 2
    assert_lean(loaded)
    assert "urllib.request" not in loaded
    assert "http.client" not in loaded
