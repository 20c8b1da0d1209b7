"""The verifier runs from a copy of two folders, with no server code and no database."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from governance.adapters.record_export import build_record, record_bytes
from governance.bootstrap import Suara
from tests.trust.helpers import Driver, voted_poll

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from governance.records.verifier import run
code = run(sys.argv[1])
loaded = sorted(m.split('.')[0] for m in sys.modules)
for name in ("sqlalchemy", "starlette", "dramatiq", "click", "numpy", "web", "workers"):
    assert name not in loaded, name
assert not any(m.startswith("governance.adapters") for m in sys.modules)
sys.exit(code)
"""


def test_the_verifier_runs_from_a_copy_of_records_and_tally_only(
    sqlite_app: Suara, tmp_path: Path
) -> None:
    driver = Driver(sqlite_app)
    c, _ = voted_poll(sqlite_app, driver, [0, 1, 0, 0, 2, 1], method="plurality")
    driver.close()
    record = build_record(
        sqlite_app.queries, sqlite_app.trust, sqlite_app.settings.secret_key, c.id
    )
    path = tmp_path / "record.json"
    path.write_bytes(record_bytes(record))
    laptop = tmp_path / "laptop"
    (laptop / "governance").mkdir(parents=True)
    shutil.copy(ROOT / "governance" / "__init__.py", laptop / "governance")
    for folder in ("records", "tally"):
        shutil.copytree(ROOT / "governance" / folder, laptop / "governance" / folder)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        cwd=laptop,
        env={"PYTHONPATH": str(laptop), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "RECORD VERIFIED" in done.stdout
    tampered = json.loads(path.read_text())
    tampered["polls"][0]["board"]["document"]["ballots"].pop()
    path.write_text(json.dumps(tampered))
    again = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        cwd=laptop,
        env={"PYTHONPATH": str(laptop), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1 and "differ from the digest logged at the close" in again.stdout
