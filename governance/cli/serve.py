"""`suara serve`, `demo`, `migrate`, `worker` and `relay`: the processes of a running site."""

from __future__ import annotations

import os
import signal
import sys
import threading

import click

from governance.bootstrap import Suara, bootstrap
from governance.config import settings_from_env
from governance.migrations.runner import upgrade
from governance.rehearsal.demo import DemoCodes, load_demo, read_codes, write_codes


def _print_demo(demo: DemoCodes, url: str) -> None:
    click.echo("")
    click.echo(f"Suara is running at {url}")
    click.echo(f"Demo congress: {url}/congresses/{demo.congress_id}")
    click.echo("Demo sign-in codes (identity cards):")
    for role, code in demo.identity.items():
        click.echo(f"  {role:<12} {code}")
    click.echo("Demo voting cards (anonymous; one per delegate):")
    for code in demo.voting_cards[:3]:
        click.echo(f"  {code}")
    click.echo("  (more in the data folder: demo-codes.txt)")
    click.echo("")


def _ensure_demo(app: Suara) -> DemoCodes:
    path = app.settings.data_dir / "demo-codes.txt"
    existing = read_codes(path)
    if app.queries.congresses():
        if existing is None:
            raise click.UsageError("the database already holds a congress that is not the demo")
        return existing
    demo = load_demo(app)
    write_codes(path, demo)
    return demo


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic)."""
    settings = settings_from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    click.echo("database is up to date")


@click.command()
def demo() -> None:
    """Load the demo congress into the database and print its codes."""
    settings = settings_from_env()
    upgrade(settings.database_url)
    app = bootstrap(settings)
    _print_demo(_ensure_demo(app), settings.base_url)
    app.dispose()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--demo", "with_demo", is_flag=True, help="Load the demo congress if the database is empty."
)
def serve(host: str, port: int, with_demo: bool) -> None:
    """Run the web app; without SUARA_REDIS_URL the worker and relay run in this process too."""
    import uvicorn

    from web.app import create_app
    from workers.embedded import start_embedded

    settings = settings_from_env()
    if settings.is_sqlite:
        upgrade(settings.database_url)
    app = bootstrap(settings)
    embedded = None if settings.redis_url else start_embedded(app)
    if with_demo:
        _print_demo(_ensure_demo(app), f"http://{host}:{port}")
    try:
        web = create_app(app, serving=True)
        uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
    finally:
        if embedded is not None:
            embedded.stop()
        app.dispose()


@click.command()
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def worker(processes: int, threads: int) -> None:
    """Run Dramatiq worker processes on the Redis broker (production shape)."""
    if not os.environ.get("SUARA_REDIS_URL"):
        raise click.UsageError(
            "SUARA_REDIS_URL is not set; `suara serve` runs the worker in-process"
        )
    from workers.actors import QUEUES

    args = [
        sys.executable,
        "-m",
        "dramatiq",
        "workers.main",
        "--processes",
        str(processes),
        "--threads",
        str(threads),
        "--queues",
        *QUEUES,
    ]
    # Fixed arguments, no shell: this process becomes the dramatiq CLI (ruff S606, bandit B606).
    os.execv(sys.executable, args)  # noqa: S606  # nosec B606


@click.command()
def relay() -> None:
    """Move stored events to the broker in log order, and sweep for lost effects."""
    from workers.actors import declare_actors
    from workers.broker import configure_broker
    from workers.relay import Relay

    settings = settings_from_env()
    if not settings.redis_url:
        raise click.UsageError(
            "SUARA_REDIS_URL is not set; `suara serve` runs the relay in-process"
        )
    app = bootstrap(settings)
    broker = configure_broker(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    Relay(app, declare_actors(broker, app)).loop(stop)
    app.dispose()
