"""`suara backup`, `suara restore` and `suara backup-key`: encrypted copies of a running
congress, and bringing one back on another machine. Refusals are one line, exit code 2."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from governance.adapters import backup as store
from governance.cli.common import OneLineCommand, OneLineError
from governance.config import (
    ConfigError,
    default_secret_file,
    locations_from_env,
    settings_from_env,
)

PHRASE_VARIABLE = "SUARA_BACKUP_PASSPHRASE"


def _refuse(command: str, text: str) -> OneLineError:
    return OneLineError(f"suara {command}: {text}")


def _read(command: str, path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _refuse(command, f"{path}: no such file") from None
    except OSError as error:
        raise _refuse(command, f"cannot read {what} {path}: {error.strerror}") from None


def _passphrase(command: str, given: Path | None, *, confirm: bool) -> str | None:
    """From --passphrase-file, else SUARA_BACKUP_PASSPHRASE, else asked on a terminal."""
    if given is not None:
        lines = _read(command, given, "the passphrase file").decode().splitlines()
        return lines[0] if lines and lines[0] else None
    if os.environ.get(PHRASE_VARIABLE):
        return os.environ[PHRASE_VARIABLE]
    if sys.stdin.isatty():
        return str(click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm))
    return None


def _write_private(command: str, path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _refuse(command, f"{path} exists; choose another file") from None
    except OSError as error:
        raise _refuse(command, f"cannot write {path}: {error.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@click.command("backup", cls=OneLineCommand)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The backup file.")
@click.option(
    "--recipient", "-r", "recipients", multiple=True, help="An age public key (age1…); repeat."
)
@click.option(
    "--recipients-file", type=click.Path(path_type=Path), help="A file of age public keys."
)
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path),
    help=f"Encrypt to the passphrase on the file's first line (or set {PHRASE_VARIABLE}).",
)
@click.option(
    "--without-secret",
    is_flag=True,
    help="Leave the secret key out (keep it apart; a restore then needs it given).",
)
def backup(
    out: Path,
    recipients: tuple[str, ...],
    recipients_file: Path | None,
    passphrase_file: Path | None,
    without_secret: bool,
) -> None:
    """Write an encrypted, consistent copy of the database while the congress runs."""
    keys = list(recipients)
    if recipients_file is not None:
        text = _read("backup", recipients_file, "the recipients file").decode()
        keys += [line.strip() for line in text.splitlines() if line.strip()[:1] not in ("", "#")]
    passphrase = None if keys else _passphrase("backup", passphrase_file, confirm=True)
    if not keys and not passphrase:
        raise _refuse(
            "backup", f"give --recipient KEY, --passphrase-file FILE or set {PHRASE_VARIABLE}"
        )
    if out.exists():
        raise _refuse("backup", f"{out} exists; choose another file")
    settings = settings_from_env()
    archive = store.Archive("sqlite" if settings.is_sqlite else "postgresql")
    try:
        if settings.is_sqlite:
            database = Path(settings.database_url.removeprefix("sqlite:///"))
            archive.files[store.SQLITE_MEMBER] = store.sqlite_copy(database)
            demo = settings.data_dir / store.DEMO_MEMBER
            if demo.exists():
                archive.files[store.DEMO_MEMBER] = demo.read_bytes()
        else:
            dump, ballot_rows = store.pg_copy(settings.database_url)
            archive.files[store.PG_MEMBER] = dump
            archive.files[store.PG_BALLOTS_MEMBER] = ballot_rows
        if not without_secret:
            archive.files[store.KEY_MEMBER] = settings.secret_key.encode()
        sealed = store.encrypt(store.pack(archive), recipients=keys, passphrase=passphrase)
    except store.BackupError as error:
        raise _refuse("backup", str(error)) from None
    _write_private("backup", out, sealed)
    held = "database and secret key" if not without_secret else "database only, no secret key"
    click.echo(f"backup written: {out} ({len(sealed):,} bytes, {archive.backend}, {held})")


@click.command("restore", cls=OneLineCommand)
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--identity", "-i", "identity_files", multiple=True, type=click.Path(path_type=Path),
    help="An age identity file (AGE-SECRET-KEY-1…), for a backup made to a public key.",
)  # fmt: skip
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path),
    help=f"The passphrase on the file's first line (or set {PHRASE_VARIABLE}).",
)
def restore(file: Path, identity_files: tuple[Path, ...], passphrase_file: Path | None) -> None:
    """Bring a backup back into an empty database (SUARA_DATA_DIR or SUARA_DATABASE_URL)."""
    sealed = _read("restore", file, "the backup")
    try:
        identities = []
        for path in identity_files:
            identities += store.identities_in(_read("restore", path, "the identity").decode())
        wants_passphrase = store.is_passphrase_file(sealed)
        passphrase = (
            _passphrase("restore", passphrase_file, confirm=False) if wants_passphrase else None
        )
        archive = store.unpack(store.decrypt(sealed, identities=identities, passphrase=passphrase))
        where = locations_from_env()
    except (store.BackupError, ConfigError) as error:
        raise _refuse("restore", str(error)) from None
    try:
        if archive.backend == "sqlite":
            _restore_sqlite(archive, where.database_url, where.data_dir, where.secret_file)
        else:
            _restore_postgresql(archive, where.database_url)
        ballots, polls = store.ballot_count(where.database_url)
    except store.BackupError as error:
        raise _refuse("restore", str(error)) from None
    click.echo(
        f"restored {ballots:,} ballots in {polls:,} polls (backup of {archive.manifest['created']})"
    )


def _check_key(archive: store.Archive, secret_file: Path | None) -> Path | None:
    """Refuse a restore whose key would differ from the one this machine's processes use;
    return the file to write the backup's key to, if it must be written."""
    key = archive.secret_key
    given = os.environ.get("SUARA_SECRET_KEY", "")
    if key is None:
        if not given and (secret_file is None or not secret_file.exists()):
            click.echo(
                "note: the backup holds no secret key; give the original one "
                "(SUARA_SECRET_FILE or SUARA_SECRET_KEY) or no card will sign in",
                err=True,
            )
        return None
    if given:
        if given != key:
            raise store.BackupError(
                "SUARA_SECRET_KEY differs from the backup's key: cards would not sign in"
            )
        return None
    if secret_file is not None and secret_file.exists():
        if secret_file.read_text().strip() != key:
            raise store.BackupError(
                f"{secret_file} holds another secret key: move it away or set "
                "SUARA_SECRET_FILE to a new file"
            )
        return None
    return secret_file


def _write_key(path: Path, key: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)


def _restore_sqlite(
    archive: store.Archive, database_url: str, data_dir: Path, secret_file: Path | None
) -> None:
    if not database_url.startswith("sqlite"):
        raise store.BackupError("this is a SQLite backup but SUARA_DATABASE_URL is not SQLite")
    database = Path(database_url.removeprefix("sqlite:///"))
    if store.sqlite_has_data(database):
        raise store.BackupError(
            f"{database} already holds a database: restore into an empty data folder "
            "(set SUARA_DATA_DIR)"
        )
    write_key = _check_key(archive, secret_file)
    store.sqlite_put(database, archive.files[store.SQLITE_MEMBER])
    demo = archive.files.get(store.DEMO_MEMBER)
    if demo is not None and not (data_dir / store.DEMO_MEMBER).exists():
        _write_private("restore", data_dir / store.DEMO_MEMBER, demo)
    if write_key is not None and archive.secret_key is not None:
        _write_key(write_key, archive.secret_key)
        click.echo(f"secret key written: {write_key}")


def _restore_postgresql(archive: store.Archive, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        raise store.BackupError(
            "this is a PostgreSQL backup: set SUARA_DATABASE_URL to an empty database"
        )
    if store.pg_has_data(database_url):
        raise store.BackupError("the database at SUARA_DATABASE_URL is not empty")
    given = os.environ.get("SUARA_SECRET_FILE", "").strip()
    key_file = Path(given).expanduser().resolve() if given else default_secret_file()
    write_key = _check_key(archive, key_file)
    store.pg_put(
        database_url, archive.files[store.PG_MEMBER], archive.files[store.PG_BALLOTS_MEMBER]
    )
    if write_key is not None and archive.secret_key is not None:
        _write_key(write_key, archive.secret_key)
        click.echo(
            f"secret key written: {write_key} (give it to every process as SUARA_SECRET_KEY)"
        )


@click.command("backup-key", cls=OneLineCommand)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Identity file.")
def backup_key(out: Path) -> None:
    """Make an age key pair for backups: OUT (secret, keep it off the server) and its public key."""
    secret, public = store.new_identity()
    _write_private("backup-key", out, f"# public key: {public}\n{secret}\n".encode())
    Path(f"{out}.pub").write_text(public + "\n")
    click.echo(f"identity (secret): {out}  keep it away from the server and its backups")
    click.echo(f"public key: {public}  use it with suara backup --recipient")
