"""`suara rehearse`: the whole reference congress through the app's HTTP, on a fresh database."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from governance.bootstrap import bootstrap
from governance.config import settings_from_env
from governance.migrations.runner import upgrade
from governance.service_layer.ports import CodeHasher


def run_rehearsal(
    out: Path, data_dir: Path, hasher: CodeHasher | None = None, secret_key: str | None = None
) -> list[str]:
    """Run the reference congress against a fresh SQLite database in `data_dir` (with a
    new random server secret unless one is given, e.g. to keep using the database after)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from governance.rehearsal.driver import Rehearsal
    from governance.rehearsal.steps import rehearse
    from web.app import create_app
    from workers.embedded import start_embedded

    # A key of its own, never written anywhere: the rehearsal's database is thrown away.
    key = secret_key or secrets.token_hex(32)
    env = {"SUARA_DATA_DIR": str(data_dir), "SUARA_SECRET_KEY": key}
    settings = replace(settings_from_env(env), relay_interval_s=0.05)
    database = data_dir / "suara.sqlite3"
    if database.exists():
        raise click.UsageError(f"{database} exists: the rehearsal needs a fresh database")
    upgrade(settings.database_url)
    app = bootstrap(settings, hasher=hasher)
    embedded = start_embedded(app)
    out.mkdir(parents=True, exist_ok=True)
    web = create_app(app)
    try:
        # A thread of its own: the caller may already run an event loop (a test, a notebook).
        with ThreadPoolExecutor(max_workers=1) as pool:
            results = pool.submit(lambda: asyncio.run(rehearse(Rehearsal(app, web, out)))).result()
    finally:
        embedded.stop()
        app.dispose()
    return list(results)


@click.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
def rehearse(out: Path) -> None:
    """Run the whole reference congress through HTTP on a fresh database; write results."""
    from governance.rehearsal.driver import RehearsalFailed

    with tempfile.TemporaryDirectory(prefix="suara-rehearsal-") as data_dir:
        try:
            names = run_rehearsal(out, Path(data_dir))
        except RehearsalFailed as error:
            click.echo(f"error: {error}", err=True)
            raise SystemExit(2) from error
    click.echo(f"{len(names)} results written to {out}: {', '.join(names)}")
