"""The `suara` command: one module per command group, loaded only when its command runs.

This package is the process-level composition root, so it alone in `governance` may start the
web app and the workers (an import-linter contract checks it). `suara tally` and `suara
verify` run on an observer's laptop: the group below imports no command module until one is
asked for, so they start without the server's database and web stacks.
"""

from __future__ import annotations

import importlib
import logging
import os

import click

# command name -> "module:attribute", in the order `suara --help` lists them.
COMMANDS = {
    "serve": "governance.cli.serve:serve",
    "demo": "governance.cli.serve:demo",
    "migrate": "governance.cli.serve:migrate",
    "worker": "governance.cli.serve:worker",
    "relay": "governance.cli.serve:relay",
    "rehearse": "governance.cli.rehearse:rehearse",
    "congress": "governance.cli.setup:congress",
    "delegates": "governance.cli.setup:delegates",
    "cards": "governance.cli.setup:cards",
    "adart": "governance.cli.adart:adart_command",
    "export": "governance.cli.congress_records:export",
    "key": "governance.cli.congress_records:key",
    "observer": "governance.cli.congress_records:observer",
    "purge": "governance.cli.congress_records:purge",
    "backup": "governance.cli.backup:backup",
    "restore": "governance.cli.backup:restore",
    "backup-key": "governance.cli.backup:backup_key",
    "tally": "governance.cli.tally:tally_command",
    "verify": "governance.cli.records:verify",
    "keygen": "governance.cli.records:keygen",
    "cosign": "governance.cli.records:cosign",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> object:
        from governance.config import ConfigError

        try:
            return super().invoke(ctx)
        except ConfigError as error:  # a setting the operator must fix: one line, exit 2
            click.echo(f"error: {error}", err=True)
            raise SystemExit(2) from None


# The observer's commands start in a tenth of a second and write no log worth structuring;
# everything else (servers, workers, the relay, set-up) logs one JSON object a line.
LIGHT = frozenset({"tally", "verify", "keygen", "cosign"})


@click.group(cls=LazyGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Suara: congress governance and secret voting."""
    level = os.environ.get("SUARA_LOG_LEVEL", "INFO")
    if ctx.invoked_subcommand in LIGHT:
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
        return
    from governance.logs import configure

    # SUARA_LOG_FORMAT=text for a person reading a terminal.
    configure(level, json=os.environ.get("SUARA_LOG_FORMAT", "json") != "text")
