"""`unspun eval`: placeholder until its issue lands."""

from __future__ import annotations

import click


@click.command(name="eval")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")
