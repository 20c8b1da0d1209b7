"""Server-side record commands: export, observer registration, the signing key, purge.

These read the database named by SUARA_DATABASE_URL; refusals are one line, exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click
import redis

from governance.adapters import record_export
from governance.bootstrap import Suara, bootstrap
from governance.cli.common import OneLineCommand, OneLineError
from governance.domain.commands import PurgeCongress, RegisterObserver
from governance.domain.errors import DomainError, PollNotFound
from governance.service_layer.ports import ConcurrentWrite, StorageUnavailable
from governance.service_layer.trust import congress_public_key


def _app() -> Suara:
    return bootstrap()


def export_record(app: Suara, congress_id: str | None, poll_id: str | None) -> bytes:
    """The record bytes, or a one-line refusal naming what is missing."""
    if not poll_id and not congress_id:
        raise OneLineError("suara export: give --poll ID or --congress ID")
    try:
        return record_export.export_record(
            app.queries, app.trust, app.settings.secret_key, app.settings.min_group,
            congress_id, poll_id,
        )  # fmt: skip
    except PollNotFound:
        raise OneLineError(f"suara export: no poll {poll_id}") from None
    except DomainError as error:
        raise OneLineError(f"suara export: {error.code}") from None


@click.command(cls=OneLineCommand)
@click.option("--poll", "poll_id", default=None, help="Export one poll.")
@click.option("--congress", "congress_id", default=None, help="Export every poll of a congress.")
@click.option("--out", required=True, type=click.Path(path_type=Path))
def export(poll_id: str | None, congress_id: str | None, out: Path) -> None:
    """Write the election record (JSON, docs/RECORD_FORMAT.md) for `suara verify`."""
    app = _app()
    try:
        out.write_bytes(export_record(app, congress_id, poll_id))
    finally:
        app.dispose()
    click.echo(f"record written to {out}")


@click.command(cls=OneLineCommand)
@click.option("--congress", "congress_id", required=True)
def key(congress_id: str) -> None:
    """Print the congress signing key's public half and fingerprint (for cards and minutes)."""
    app = _app()
    try:
        if app.queries.congress(congress_id) is None:
            raise OneLineError(f"suara key: no congress {congress_id}")
        public, fp = congress_public_key(app.settings.secret_key, congress_id)
    finally:
        app.dispose()
    click.echo(f"public key:  {public}")
    click.echo(f"fingerprint: {fp}")


@click.command(cls=OneLineCommand)
@click.option("--congress", "congress_id", required=True)
@click.option("--label", required=True, help="The observer's public label (an alias).")
@click.option("--public-key", "public_key", required=True, help="From `suara keygen` (hex).")
def observer(congress_id: str, label: str, public_key: str) -> None:
    """Register an observer's public key for a congress (secretariat)."""
    app = _app()
    try:
        fp = app.bus.handle(RegisterObserver(congress_id, label, public_key))
    except DomainError as error:
        raise OneLineError(f"suara observer: {error.detail or error.code}") from None
    finally:
        app.dispose()
    click.echo(f"registered observer {label}, fingerprint {fp}")


def flush_redis(url: str, prefixes: list[str]) -> int:
    """Delete the app's keys (broker queues, rate limits) by prefix; other apps' keys stay."""
    client = redis.Redis.from_url(url)
    deleted = 0
    try:
        for prefix in prefixes:
            keys = list(client.scan_iter(f"{prefix}*"))
            if keys:
                deleted += int(client.delete(*keys))
    finally:
        client.close()
    return deleted


@click.command(cls=OneLineCommand)
@click.option("--congress", "congress_id", required=True)
@click.option("--yes", is_flag=True, help="Confirm: this cannot be undone.")
def purge(congress_id: str, yes: bool) -> None:
    """After the congress: remove identity, card and nullifier data and the app's Redis keys."""
    if not yes:
        raise OneLineError("suara purge: this removes identity data for good; add --yes")
    app = _app()
    try:
        removed = app.bus.handle(PurgeCongress(congress_id))
        flushed = 0
        if app.settings.redis_url:
            prefixes = [app.settings.broker_namespace, f"{app.settings.broker_namespace}:rl:"]
            flushed = flush_redis(app.settings.redis_url, prefixes)
    except DomainError as error:
        raise OneLineError(f"suara purge: {error.detail or error.code}") from None
    except ConcurrentWrite as error:  # the transaction was rolled back: nothing removed
        raise OneLineError(f"suara purge: nothing removed ({error})") from None
    except StorageUnavailable as error:
        raise OneLineError(f"suara purge: the database is busy ({error}); run it again") from None
    finally:
        app.dispose()
    counts = ", ".join(f"{n} {what}" for what, n in removed.items())
    click.echo(f"purged: {counts}; {flushed} Redis keys")
