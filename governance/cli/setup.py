"""`suara congress create`, `suara delegates import` and `suara cards`: the secretariat's
offline commands.

Refusals print ONE line and exit with code 2, like `suara tally`.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from governance.domain.commands import ImportDelegates
from governance.domain.errors import DomainError, RosterInvalid

# The action log's name for what the server's own commands do (no card acts).
SERVER_ROLE = "server"


def _refuse(text: str) -> NoReturn:
    click.echo(f"error: {text}", err=True)
    raise SystemExit(2)


@click.group()
def congress() -> None:
    """Congresses on this server."""


@congress.command(name="create")
@click.option("--name", required=True, help="The congress's name, as printed on cards.")
@click.option("--slug", default="", help="A short name for URLs and files (default: from --name).")
@click.option(
    "--listed/--unlisted",
    default=False,
    help="Show its name on the home page to anyone (default: unlisted; reached by its address).",
)
def create_congress(name: str, slug: str, listed: bool) -> None:
    """Create a congress and the officials' identity cards; everything else is on its pages."""
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env
    from governance.domain.delegates import OFFICIALS
    from governance.migrations.runner import upgrade
    from governance.service_layer import setup

    settings = settings_from_env()
    if settings.is_sqlite:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        upgrade(settings.database_url)
    app = bootstrap(settings)
    try:
        slug = slug or "-".join(name.lower().split())[:60]
        congress_id = setup.create_congress(app.uow_factory, slug, name)
        setup.set_listed(app.uow_factory, congress_id, listed)
        holders = [(number, role, None, label) for number, role, label in OFFICIALS]
        printed = setup.issue_identity_cards(app.uow_factory, app.hasher, congress_id, holders)
    except DomainError as error:
        _refuse(f"{error.code}: {error.detail or error.code}")
    finally:
        app.dispose()
    click.echo(f"congress {congress_id}")
    click.echo(f"set-up checklist: {settings.base_url}/congresses/{congress_id}/setup")
    click.echo("officials' identity cards (shown once: copy or print them now):")
    for number, role, _label in OFFICIALS:
        click.echo(f"  {role.value:<12} {printed[number]}")


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


@click.group()
def cards() -> None:
    """Print identity and voting cards."""


@cards.command(name="voting")
@click.option("--count", type=int, required=True, help="How many cards (at most 20,000).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--name", default="Kongres", show_default=True, help="Printed on each card.")
def voting_cards(count: int, out: Path, name: str) -> None:
    """Generate voting cards offline: a PDF to print, and only HMACs for the server."""
    from governance.config import settings_from_env
    from governance.documents.cards import new_voting_cards, voting_cards_pdf
    from governance.domain.limits import MAX_VOTING_CARDS, TooManyVotingCards

    if count > MAX_VOTING_CARDS:
        _refuse(TooManyVotingCards().detail)
    if count < 1:
        _refuse("--count: paling sedikit 1 kartu (at least one card)")
    settings = settings_from_env()
    made = new_voting_cards(settings.secret_key, count)
    out.mkdir(parents=True, exist_ok=True)
    (out / "voting-cards.pdf").write_bytes(voting_cards_pdf(made, name))
    (out / "voting-card-tags.txt").write_text(made.tags_file())
    (out / "fingerprint.txt").write_text(made.fingerprint + "\n")
    click.echo(f"{count} voting cards; fingerprint {made.fingerprint}")


@cards.command(name="register")
@click.argument("tags_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--congress", "congress_id", required=True)
def register(tags_file: Path, congress_id: str) -> None:
    """Store the voting-card tags on the server; prints the fingerprint to publish."""
    from governance.bootstrap import bootstrap
    from governance.documents.cards import read_tags_file
    from governance.domain.limits import MAX_VOTING_CARDS, TooManyVotingCards
    from governance.service_layer.setup import register_voting_cards

    try:
        read = read_tags_file(tags_file.read_text())
    except (OSError, UnicodeDecodeError) as error:
        _refuse(f"cannot read {tags_file}: {error}")
    if not read or not read[0]:
        _refuse(f"{tags_file}: not a list of voting-card tags")
    tags, serials = read
    if len(tags) > MAX_VOTING_CARDS:
        _refuse(f"{tags_file}: {TooManyVotingCards().detail}")
    app = bootstrap()
    try:
        fingerprint = register_voting_cards(app.uow_factory, congress_id, tags, serials)
    except Exception as error:
        _refuse(f"cards not registered: {type(error).__name__}")
    finally:
        app.dispose()
    click.echo(f"registered {len(tags)} voting cards; fingerprint {fingerprint}")


@cards.command(name="identity")
@click.option("--congress", "congress_id", required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def identity_cards(congress_id: str, out: Path) -> None:
    """Issue identity cards to delegates who have none and write them as a PDF."""
    from governance.bootstrap import bootstrap
    from governance.documents.cards import identity_cards_pdf
    from governance.domain.commands import IssueIdentityCards
    from governance.domain.errors import CardsAlreadyIssued
    from governance.service_layer.audit import Actor

    app = bootstrap()
    try:
        congress = app.queries.congress(congress_id)
        if congress is None:
            _refuse(f"no congress {congress_id}")
        before = {d.id: d.number for d in app.queries.delegates(congress_id)}
        try:
            printed = app.bus.handle(
                IssueIdentityCards(congress_id), by=Actor(congress_id, SERVER_ROLE, 0)
            )
        except CardsAlreadyIssued:
            printed = []
        except DomainError as error:
            _refuse(f"{error.code}: {error.detail or error.code}")
        after = app.queries.delegates(congress_id)
        holding = app.queries.delegates_with_card(congress_id)
    finally:
        app.dispose()
    missing = [d for d in after if d.id not in holding]
    if missing:  # never again a silent "4997 cards" for 5000 delegates (issue 16)
        _refuse(f"{len(missing)} delegates still have no identity card (first: {missing[0].alias})")
    out.mkdir(parents=True, exist_ok=True)
    sheet = identity_cards_pdf(printed, congress.name)
    (out / "identity-cards.pdf").write_bytes(sheet)
    click.echo(f"{len(printed)} identity cards written to {out / 'identity-cards.pdf'}")
    for d in after:
        if d.id in before and before[d.id] != d.number:
            click.echo(
                f"  {d.alias}: number {before[d.id]} is an official's card; now number {d.number}"
            )
    click.echo(f"every delegate ({len(after)}) has an identity card")


@cards.command(name="reissue")
@click.argument("number", type=int)
@click.option("--congress", "congress_id", required=True)
@click.option("--revoke", is_flag=True, help="Revoke the card instead of giving it a new code.")
def reissue_card(number: int, congress_id: str, revoke: bool) -> None:
    """Re-issue (or revoke) an official's identity card: the chair's, the secretariat's or an
    observer's. Only this command on the server can; the web card desk cannot."""
    from governance.bootstrap import bootstrap
    from governance.domain.commands import ReissueOfficialCard
    from governance.service_layer.audit import Actor

    app = bootstrap()
    try:
        if app.queries.congress(congress_id) is None:
            _refuse(f"no congress {congress_id}")
        printed = app.bus.handle(
            ReissueOfficialCard(congress_id, number, reissue=not revoke),
            by=Actor(congress_id, SERVER_ROLE, 0),
        )
    except DomainError as error:
        _refuse(f"card {number}: {error.code}: {error.detail or error.code}")
    finally:
        app.dispose()
    if printed is None:
        click.echo(f"card {number} revoked")
    else:
        click.echo(f"card {number} re-issued; the new code (shown once: hand it over now):")
        click.echo(f"  {printed}")
