"""`suara serve`, `demo`, `migrate`, `worker` and `relay`: the processes of a running site."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
import threading

import click

from governance.bootstrap import Suara, bootstrap
from governance.cli.common import refuse
from governance.config import Settings, settings_from_env
from governance.migrations.runner import upgrade
from governance.rehearsal.demo import DemoCodes, load_demo, read_codes, write_codes


def _print_where(settings: Settings) -> None:
    """Say where the data is, so a command run from another folder cannot surprise anyone."""
    if settings.is_sqlite:
        click.echo(f"Data folder: {settings.data_dir}")
    else:
        click.echo(f"Database: {settings.database_url.split('://', 1)[0]} (SUARA_DATABASE_URL)")
    if settings.secret_file is not None:
        click.echo(f"Secret key file: {settings.secret_file}")


def _local_url(host: str, port: int) -> str:
    """The address to open on this machine: a wildcard listen address is not one."""
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a name
        wildcard = not host
    shown = "127.0.0.1" if wildcard else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


def _print_demo(demo: DemoCodes, url: str) -> None:
    click.echo("")
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
    _print_where(settings)
    if settings.is_sqlite:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    upgrade(settings.database_url)
    click.echo("database is up to date")


@click.command()
def demo() -> None:
    """Load the demo congress into the database and print its codes."""
    settings = settings_from_env()
    _print_where(settings)
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

    class AnnouncingServer(uvicorn.Server):
        """uvicorn's server, saying once it listens that Suara is ready, and where."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                click.echo(f"Suara is ready at {url} (Ctrl+C to stop)")

    settings = settings_from_env()
    _print_where(settings)
    url = _local_url(host, port)
    if settings.is_sqlite:
        upgrade(settings.database_url)
    app = bootstrap(settings)
    embedded = None if settings.redis_url else start_embedded(app)
    if with_demo:
        _print_demo(_ensure_demo(app), url)
    click.echo(f"Suara is starting at {url}")
    try:
        web = create_app(app, serving=True)
        # X-Forwarded-* only from the proxies named in SUARA_TRUSTED_PROXIES (uvicorn would
        # otherwise believe any process on 127.0.0.1).
        proxies = list(settings.trusted_proxies)
        config = uvicorn.Config(
            web,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=bool(proxies),
            forwarded_allow_ips=proxies or None,
        )
        server = AnnouncingServer(config)
        server.run()
    finally:
        if embedded is not None:
            embedded.stop()
        app.dispose()
    if not server.started:  # e.g. the port is taken: uvicorn said why on stderr
        refuse(f"could not listen on {host}:{port}")


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
