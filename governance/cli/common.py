"""What every `suara` command shares: a refusal is one line on stderr and exit code 2."""

from __future__ import annotations

from typing import NoReturn

import click


class OneLineError(click.ClickException):
    """A refusal printed as a single `Error: ...` line, with exit code 2."""

    exit_code = 2


class OneLineCommand(click.Command):
    """A click command whose usage errors are one line, even when run inside a group."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            # Click lists choices over several lines; the contract is one line on stderr.
            message = " ".join(e.format_message().split())
            raise OneLineError(f"suara {ctx.info_name}: {message}") from None


def refuse(text: str) -> NoReturn:
    """Stop with `error: TEXT` on stderr and exit code 2."""
    click.echo(f"error: {text}", err=True)
    raise SystemExit(2)
