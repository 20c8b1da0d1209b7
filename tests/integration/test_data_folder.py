"""The embedded default's files are its owner's alone: the SQLite file, its write-ahead log and
shared-memory files, the data folder and the secret key are not readable by other accounts,
whatever the umask; a secret placed in the data folder stops every command with one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from governance.bootstrap import bootstrap
from governance.config import settings_from_env
from governance.domain.commands import CastBallot
from governance.migrations.runner import upgrade
from tests import factories
from tests.conftest import FAST_HASHER
from tests.e2e.flow import folders


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The usual umask (022), under which files are world-readable unless made otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.usefixtures("permissive_umask")
def test_the_database_its_log_the_folder_and_the_key_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = settings_from_env(folders(data))
    upgrade(settings.database_url)
    app = bootstrap(settings, hasher=FAST_HASHER)
    try:
        congress = factories.congress(app, delegates=2, cards=2)
        poll_id = factories.open_motion(app, congress.id)
        app.bus.handle(CastBallot(poll_id, congress.tags[0], (0,)))
        database = data / "suara.sqlite3"
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            assert path.exists() and mode(path) == 0o600, path
        assert mode(data) == 0o700
        assert settings.secret_file is not None and mode(settings.secret_file) == 0o600
    finally:
        app.dispose()


@pytest.mark.usefixtures("permissive_umask")
def test_a_world_readable_database_from_before_is_made_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "suara.sqlite3"
    database.touch(mode=0o644)
    assert mode(database) == 0o644
    upgrade(f"sqlite:///{database}")
    assert mode(database) == 0o600


def test_a_secret_file_inside_the_data_folder_stops_a_command_with_one_line(
    tmp_path: Path,
) -> None:
    env = {
        "SUARA_DATA_DIR": str(tmp_path),
        "SUARA_SECRET_FILE": str(tmp_path / "secret_key"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "suara"), "migrate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "inside the data folder" in done.stderr and "SUARA_SECRET_FILE" in done.stderr
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "suara.sqlite3").exists()
