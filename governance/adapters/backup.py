"""Encrypted backups: a consistent copy of the database (and, unless left out, the secret key)
in one file encrypted with age, and its restore on another machine.

The copy is taken while the congress runs. On SQLite it is SQLite's online backup API in one
step (one read transaction: writers carry on, the copy is the database as of one instant),
then the copy is compacted (VACUUM) so that its pages keep no trace of the order in which rows
were written. On PostgreSQL it is `pg_dump` (one snapshot of the whole database). The archive
is a tar file (a manifest with the SHA-256 of every member, the database, the key) encrypted
with age (https://age-encryption.org, through pyrage) to public keys or to a passphrase.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump and pg_restore, fixed arguments, no shell
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pyrage
import sqlalchemy as sa

FORMAT = "suara-backup"
VERSION = 1
SQLITE_MEMBER = "suara.sqlite3"
PG_MEMBER = "suara.pgdump"
PG_BALLOTS_MEMBER = "ballots.copy"
BALLOTS_TABLE = "public.ballots"
_BALLOTS_OUT = "COPY (SELECT * FROM public.ballots ORDER BY id) TO STDOUT"
_BALLOTS_IN = "COPY public.ballots FROM STDIN"
KEY_MEMBER = "secret_key"
DEMO_MEMBER = "demo-codes.txt"
_AGE_MAGIC = b"age-encryption.org/v1\n"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one plain line."""


@dataclass
class Archive:
    """What a backup holds: its manifest and its members' bytes."""

    backend: str
    files: dict[str, bytes] = field(default_factory=dict)
    manifest: dict[str, object] = field(default_factory=dict)

    @property
    def secret_key(self) -> str | None:
        key = self.files.get(KEY_MEMBER)
        return None if key is None else key.decode().strip()


# --- encryption -------------------------------------------------------------------------


def encrypt(data: bytes, *, recipients: list[str], passphrase: str | None) -> bytes:
    """Encrypt to age public keys (age1…, or ssh-ed25519/ssh-rsa lines), or to a passphrase."""
    if recipients:
        parsed: list[pyrage.x25519.Recipient | pyrage.ssh.Recipient] = []
        for text in recipients:
            try:
                if text.startswith("ssh-"):
                    parsed.append(pyrage.ssh.Recipient.from_str(text))
                else:
                    parsed.append(pyrage.x25519.Recipient.from_str(text))
            except pyrage.RecipientError:
                raise BackupError(f"not an age public key: {text[:24]}…") from None
        return pyrage.encrypt(data, parsed)
    if not passphrase:
        raise BackupError("give a public key (--recipient) or a passphrase")
    return pyrage.passphrase.encrypt(data, passphrase)


def is_passphrase_file(data: bytes) -> bool:
    """Whether an age file was encrypted to a passphrase (its header has a scrypt stanza)."""
    if not data.startswith(_AGE_MAGIC):
        raise BackupError("not a Suara backup (not an age-encrypted file)")
    header = data[: data.find(b"\n---")] if b"\n---" in data else data[:4096]
    return b"\n-> scrypt " in header


def decrypt(data: bytes, *, identities: list[str], passphrase: str | None) -> bytes:
    """Decrypt with age identities (AGE-SECRET-KEY-1… lines) or the passphrase."""
    if is_passphrase_file(data):
        if not passphrase:
            raise BackupError("this backup is encrypted to a passphrase: give it")
        try:
            return pyrage.passphrase.decrypt(data, passphrase)
        except pyrage.DecryptError:
            raise BackupError("wrong passphrase, or the file is damaged") from None
    if not identities:
        raise BackupError("this backup is encrypted to a public key: give --identity FILE")
    parsed = []
    for text in identities:
        try:
            parsed.append(pyrage.x25519.Identity.from_str(text))
        except pyrage.IdentityError:
            raise BackupError("the identity file holds no age secret key") from None
    try:
        return pyrage.decrypt(data, parsed)
    except pyrage.DecryptError:
        raise BackupError("this backup was not encrypted to that key, or is damaged") from None


def identities_in(text: str) -> list[str]:
    """The secret keys in an age identity file (comments and blank lines skipped)."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line.startswith("AGE-SECRET-KEY-")]


def new_identity() -> tuple[str, str]:
    """A new age key pair: (secret key line, public key)."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


# --- the archive ------------------------------------------------------------------------


def pack(archive: Archive) -> bytes:
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in archive.files.items()}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "backend": archive.backend,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sha256": digests,
        **archive.manifest,
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        members = {"manifest.json": json.dumps(manifest, sort_keys=True).encode(), **archive.files}
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o600, 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def unpack(data: bytes) -> Archive:
    """Read the archive by member name (nothing is extracted to disk) and check every digest."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
            files: dict[str, bytes] = {}
            for member in tar.getmembers():
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is not None:
                    files[member.name] = handle.read()
        manifest = json.loads(files.pop("manifest.json"))
    except (tarfile.TarError, KeyError, ValueError):
        raise BackupError("the decrypted file is not a Suara backup") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("not a Suara backup of a version this Suara reads")
    digests = manifest.get("sha256", {})
    if set(digests) != set(files):
        raise BackupError("the backup is incomplete")
    for name, content in files.items():
        if hashlib.sha256(content).hexdigest() != digests[name]:
            raise BackupError(f"the backup is damaged ({name} does not match its digest)")
    return Archive(str(manifest["backend"]), files, manifest)


# --- SQLite -----------------------------------------------------------------------------


def sqlite_copy(database: Path) -> bytes:
    """A consistent, compacted copy of a live SQLite database, as the bytes of one file."""
    if not database.exists():
        raise BackupError(f"there is no database at {database}")
    # The plain copy exists only for a moment, beside the database (as private as it is).
    with tempfile.TemporaryDirectory(prefix=".suara-backup-", dir=database.parent) as folder:
        copy = Path(folder) / SQLITE_MEMBER
        source = sqlite3.connect(database, timeout=5)
        target = sqlite3.connect(copy, isolation_level=None)
        try:
            source.execute("PRAGMA busy_timeout=5000")
            source.backup(target)  # all pages in one step: one read transaction
        finally:
            source.close()
        try:
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            target.execute("PRAGMA secure_delete=ON")
            target.execute("VACUUM")  # rebuilt in key order, no free pages left
            _check_sqlite(target)
        finally:
            target.close()
        return copy.read_bytes()


def _check_sqlite(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
        raise BackupError("the database copy fails SQLite's integrity check")


def sqlite_has_data(database: Path) -> bool:
    if not database.exists() or database.stat().st_size == 0:
        return Path(f"{database}-wal").exists()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        return bool(tables.fetchone()[0])


def sqlite_put(database: Path, content: bytes) -> None:
    """Write a restored database file (owner-only), replacing an empty one atomically."""
    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".restore-", dir=database.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        with sqlite3.connect(temporary) as conn:
            _check_sqlite(conn)
        for stale in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(temporary, database)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- PostgreSQL -------------------------------------------------------------------------


def _libpq(url: str) -> dict[str, str]:
    """The connection as libpq environment variables, so no password is on a command line."""
    parsed = sa.make_url(url)
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", str(parsed.port) if parsed.port else None),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
        ("PGDATABASE", parsed.database),
    ):
        if value:
            env[name] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def pg_copy(url: str) -> tuple[bytes, bytes]:
    """The whole database as of one snapshot: `pg_dump` of everything but the ballots' rows,
    and the ballots' rows in the order of their random ids (a dump would list them in their
    stored order, which while a poll is open follows the order of casting)."""
    env = _libpq(url)
    with psycopg.connect(_libpq_url(url), autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
        if snapshot is None:
            raise BackupError("PostgreSQL gave no snapshot to copy")
        args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        args += [f"--snapshot={snapshot[0]}", f"--exclude-table-data={BALLOTS_TABLE}"]
        done = subprocess.run(args, env=env, capture_output=True, check=False)  # noqa: S603  # nosec B603
        if done.returncode != 0:
            last = (done.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1]
            raise BackupError(f"pg_dump: {last}")
        rows = bytearray()
        with conn.cursor().copy(_BALLOTS_OUT) as copy:
            for chunk in copy:
                rows += chunk
        conn.execute("COMMIT")
    return done.stdout, bytes(rows)


def _libpq_url(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def pg_has_data(url: str) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            query = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            return bool(conn.execute(sa.text(query)).scalar())
    except sa.exc.OperationalError as error:
        raise BackupError(f"cannot reach the database: {str(error.orig).strip()[:120]}") from None
    finally:
        engine.dispose()


def pg_put(url: str, dump: bytes, ballot_rows: bytes) -> None:
    """`pg_restore` into an empty database, all or nothing, then the ballots in id order."""
    env = _libpq(url)
    with tempfile.TemporaryDirectory(prefix="suara-restore-") as folder:  # 0700
        path = Path(folder) / PG_MEMBER
        path.write_bytes(dump)
        args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction"]
        args += ["--exit-on-error", "--dbname", env.get("PGDATABASE", ""), str(path)]
        done = subprocess.run(args, env=env, capture_output=True, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"pg_restore: {last}")
    try:
        with (
            psycopg.connect(_libpq_url(url)) as conn,
            conn.cursor() as cursor,
            cursor.copy(_BALLOTS_IN) as copy,
        ):
            copy.write(ballot_rows)
    except psycopg.Error as error:
        raise BackupError(f"the ballots could not be restored: {error}") from None


# --- what a restored database holds -----------------------------------------------------


def ballot_count(url: str) -> tuple[int, int]:
    """(ballots, polls) in a database, for the line a restore prints."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            ballots = conn.execute(sa.text("SELECT count(*) FROM ballots")).scalar() or 0
            polls = conn.execute(sa.text("SELECT count(*) FROM polls")).scalar() or 0
        return int(ballots), int(polls)
    finally:
        engine.dispose()
