"""`suara delegates import` and `suara cards`: the secretariat's offline commands.

Refusals print ONE line and exit with code 2, like `suara tally`.
"""

from __future__ import annotations

from pathlib import Path

import click

from governance.domain.commands import ImportDelegates
from governance.domain.errors import DomainError, RosterInvalid


def _refuse(text: str) -> None:
    click.echo(f"error: {text}", err=True)
    raise SystemExit(2)


@click.group()
def delegates() -> None:
    """The delegate list."""


@delegates.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--congress", "congress_id", required=True, help="Congress id.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def import_delegates(file: Path, congress_id: str, dry_run: bool) -> None:
    """Import delegates from a CSV file, all or nothing."""
    from governance.bootstrap import bootstrap

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _refuse(f"cannot read {file}: {error}")
    app = bootstrap()
    try:
        report = app.bus.handle(ImportDelegates(congress_id, text, dry_run=dry_run))
    except RosterInvalid as error:
        first = error.problems[0]
        more = len(error.problems) - 1
        _refuse(f"{file}: {first}" + (f" (and {more} more problems)" if more else ""))
    except DomainError as error:
        _refuse(f"{error.code}: {error.detail or error.code}")
    finally:
        app.dispose()
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{verb} {len(report.added)}, "
        f"{'would update' if dry_run else 'updated'} {len(report.updated)}, "
        f"unchanged {report.unchanged}"
    )
