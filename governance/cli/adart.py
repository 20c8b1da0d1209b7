"""`suara adart import FILE --congress ID`: read a draft AD/ART into a congress.

Every refusal (unreadable file, malformed draft, unknown congress) is exit code 2 and one line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from governance.adart.commands import ImportDraft
from governance.adart.consolidated import consolidate, to_markdown
from governance.adart.model import DEFAULT_RULES
from governance.bootstrap import bootstrap
from governance.cli.common import OneLineCommand, OneLineError
from governance.config import settings_from_env
from governance.domain.errors import DomainError


@click.group(name="adart")
def adart_command() -> None:
    """The articles of association and bylaws (AD/ART)."""


@adart_command.command(name="import", cls=OneLineCommand)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--congress", "congress_id", required=True, help="The congress id.")
@click.option(
    "--support",
    default=DEFAULT_RULES.required_support,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Supporters an amendment needs besides its proposer.",
)
@click.option("--named-votes", is_flag=True, help="Open (named) votes, where the rules allow.")
def import_draft(file: Path, congress_id: str, support: int, named_votes: bool) -> None:
    """Import a draft AD/ART from Markdown (# part, ## chapter, ### article, paragraphs)."""
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OneLineError(f"suara adart import: cannot read {file}: {error}") from None
    app = bootstrap(settings_from_env())
    try:
        rules = replace(DEFAULT_RULES, required_support=support, named_votes=named_votes)
        app.bus.handle(ImportDraft(congress_id, source, rules))
        statute = app.queries.adart.statute(congress_id)
    except DomainError as error:
        raise OneLineError(f"suara adart import: {file}: {error.detail or error.code}") from None
    finally:
        app.dispose()
    counts = (len(statute.chapters), len(statute.articles)) if statute else (0, 0)
    click.echo(f"imported {counts[0]} chapters, {counts[1]} articles")


@adart_command.command(name="export", cls=OneLineCommand)
@click.option("--congress", "congress_id", required=True, help="The congress id.")
def export_text(congress_id: str) -> None:
    """Print the consolidated AD/ART (adopted articles as amended) as Markdown."""
    app = bootstrap(settings_from_env())
    try:
        statute = app.queries.adart.statute(congress_id)
    finally:
        app.dispose()
    if statute is None:
        raise OneLineError("suara adart export: this congress has no AD/ART")
    click.echo(to_markdown(consolidate(statute)), nl=False)
