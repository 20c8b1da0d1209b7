"""`suara backup` while delegates vote, `suara restore` on a "new machine" (another data folder
and key file, or another PostgreSQL database): every ballot acknowledged before the backup
began is there, nothing is invented, cards still sign in, and every poll's record verifies
once the polls are closed on the restored server. Bad input is one line and exit code 2."""

from __future__ import annotations

import re
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa

from governance.bootstrap import Suara, bootstrap
from governance.config import settings_from_env
from governance.domain.commands import ClosePoll
from governance.migrations.runner import upgrade
from tests import factories
from tests.conftest import FAST_HASHER, _admin, make_settings
from tests.e2e.flow import (
    SUARA,
    assert_record_verifies,
    csrf,
    env_for,
    folders,
    free_port,
    stop,
    wait_for_health,
)

pytestmark = pytest.mark.e2e

VOTERS = 16
POLLS = 4
PASSPHRASE = "kongres aman " + "x" * 8


@dataclass
class Machine:
    """One server's environment: where its data is, and how to start `suara` there."""

    env: dict[str, str]
    log: Path
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [SUARA, *args], env={**self.env, **extra}, capture_output=True, text=True, check=False
        )

    def serve(self) -> str:
        port = free_port()
        with self.log.open("a") as log:
            server = subprocess.Popen(
                [SUARA, "serve", "--port", str(port)],
                env=self.env,
                text=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(server)
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, server)
        return base

    def stop(self) -> None:
        stop(*self.processes)


@dataclass
class Backend:
    old: Machine
    new: Machine
    old_app: Suara
    new_url: str


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        old_env = env_for(tmp_path / "old")
        settings = settings_from_env(folders(tmp_path / "old"))
        upgrade(settings.database_url)
        app = bootstrap(settings, hasher=FAST_HASHER)
        new_env = env_for(tmp_path / "new")
        new_url = f"sqlite:///{tmp_path / 'new' / 'suara.sqlite3'}"
        created = None
    else:
        pg_url = request.getfixturevalue("pg_url")
        app = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
        old_env = env_for(
            tmp_path / "old", SUARA_DATABASE_URL=pg_url, SUARA_SECRET_KEY=app.settings.secret_key
        )
        admin = request.getfixturevalue("pg_admin_url")
        created = f"suara_restore_{secrets.token_hex(6)}"
        _admin(admin, f'CREATE DATABASE "{created}"')
        new_url = sa.make_url(admin).set(database=created).render_as_string(hide_password=False)
        new_env = env_for(tmp_path / "new", SUARA_DATABASE_URL=new_url)
    old = Machine(old_env, tmp_path / "old.log")
    new = Machine(new_env, tmp_path / "new.log")
    yield Backend(old, new, app, new_url)
    old.stop()
    new.stop()
    app.dispose()
    if created is not None:
        _admin(request.getfixturevalue("pg_admin_url"), f'DROP DATABASE "{created}" WITH (FORCE)')


class Phone:
    """A delegate's phone voting in each poll in turn; remembers when each 303 came back."""

    def __init__(self, base: str, congress_id: str, code: str, polls: list[str]) -> None:
        self.base, self.congress_id, self.code, self.polls = base, congress_id, code, polls
        self.acknowledged: list[tuple[float, str, str]] = []  # (when, poll, receipt)

    def run(self, pause: float) -> None:
        with httpx2.Client(base_url=self.base, timeout=10, follow_redirects=False) as client:
            page = client.get(f"/congresses/{self.congress_id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": self.code}
            assert client.post(page.url.path, data=data).status_code == 303
            for poll_id in self.polls:
                time.sleep(pause)
                token = csrf(client.get(f"/polls/{poll_id}").text)
                cast = client.post(
                    f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "0"}
                )
                assert cast.status_code == 303, cast.status_code
                when = time.monotonic()
                page = client.get(f"/polls/{poll_id}/receipt")
                found = re.search(r'id="receipt">([0-9A-Z-]{19})<', page.text)
                assert found, "no receipt shown"
                self.acknowledged.append((when, poll_id, found.group(1)))


def receipts(app: Suara, polls: list[str]) -> list[str]:
    return [receipt for poll_id in polls for receipt, _ in app.queries.board(poll_id)]


def test_a_backup_taken_during_voting_restores_every_acknowledged_ballot_and_verifies(
    backend: Backend,
) -> None:
    app = backend.old_app
    congress = factories.congress(app, delegates=VOTERS, cards=VOTERS)
    polls = [factories.open_motion(app, congress.id) for _ in range(POLLS)]
    base = backend.old.serve()
    phones = [Phone(base, congress.id, code, polls) for code in congress.voting_codes]
    threads = [threading.Thread(target=p.run, args=(0.15,)) for p in phones]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(receipts(app, polls)) < VOTERS * POLLS // 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    began = time.monotonic()
    made = backend.old.run("backup", "--out", str(backend.old.log.parent / "congress.age"),
                           SUARA_BACKUP_PASSPHRASE=PASSPHRASE)  # fmt: skip
    for thread in threads:
        thread.join(timeout=60)
    assert made.returncode == 0, made.stderr
    acknowledged = [a for p in phones for a in p.acknowledged]
    assert len(acknowledged) == VOTERS * POLLS
    before = {receipt for when, _, receipt in acknowledged if when < began}
    assert 0 < len(before) < VOTERS * POLLS  # the backup began while delegates voted
    backend.old.stop()  # the old machine is gone

    restored = backend.new.run(
        "restore", str(backend.old.log.parent / "congress.age"),
        SUARA_BACKUP_PASSPHRASE=PASSPHRASE,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert re.search(r"restored \d+ ballots in \d+ polls", restored.stdout)
    key_line = re.search(r"secret key written: (\S+)", restored.stdout)
    assert key_line, restored.stdout
    key = Path(key_line.group(1)).read_text().strip()
    assert key == app.settings.secret_key
    if not backend.new_url.startswith("sqlite"):
        backend.new.env["SUARA_SECRET_KEY"] = key
        # The dump does not carry the casting order: ballots are stored again in id order.
        engine = sa.create_engine(backend.new_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT id FROM ballots ORDER BY ctid")).scalars().all()
        engine.dispose()
        assert stored == sorted(stored) and len(stored) >= len(before)
    new_app = bootstrap(settings_from_env(backend.new.env), hasher=FAST_HASHER)
    try:
        board = receipts(new_app, polls)
        assert len(board) == len(set(board))
        assert before <= set(board), "an acknowledged ballot is missing after the restore"
        assert set(board) <= {receipt for _, _, receipt in acknowledged}  # nothing invented
        new_base = backend.new.serve()
        with httpx2.Client(base_url=new_base, timeout=10, follow_redirects=False) as phone:
            page = phone.get(f"/congresses/{congress.id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": congress.voting_codes[0]}
            assert phone.post(page.url.path, data=data).status_code == 303  # the key came along
        for poll_id in polls:
            new_app.bus.handle(ClosePoll(poll_id))
        with httpx2.Client(base_url=new_base, timeout=10) as public:
            for poll_id in polls:
                assert_record_verifies(public, poll_id, time.monotonic() + 60)
    finally:
        new_app.dispose()


def test_bad_backup_input_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    machine = Machine(env_for(tmp_path / "data"), tmp_path / "log")
    upgrade(settings_from_env(folders(tmp_path / "data")).database_url)
    out = tmp_path / "b.age"
    assert machine.run("backup", "--out", str(out), SUARA_BACKUP_PASSPHRASE="right").returncode == 0
    other = Machine(env_for(tmp_path / "other"), tmp_path / "log")
    garbage = tmp_path / "garbage.age"
    garbage.write_bytes(b"not a backup")
    cases = [
        machine.run("backup", "--out", str(out), SUARA_BACKUP_PASSPHRASE="right"),  # exists
        machine.run("backup", "--out", str(tmp_path / "c.age")),  # no key, no passphrase
        machine.run("backup", "--out", str(tmp_path / "d.age"), "--recipient", "age1nonsense"),
        other.run("restore", str(out), SUARA_BACKUP_PASSPHRASE="wrong"),
        other.run("restore", str(out)),  # no passphrase
        other.run("restore", str(tmp_path / "missing.age"), SUARA_BACKUP_PASSPHRASE="right"),
        other.run("restore", str(garbage), SUARA_BACKUP_PASSPHRASE="right"),
        machine.run("restore", str(out), SUARA_BACKUP_PASSPHRASE="right"),  # not empty
    ]
    for done in cases:
        assert done.returncode == 2, (done.args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "other" / "suara.sqlite3").exists()
    assert other.run("restore", str(out), SUARA_BACKUP_PASSPHRASE="right").returncode == 0
