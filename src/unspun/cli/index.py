"""`unspun index`: placeholder until its issue lands."""

from __future__ import annotations

import click


@click.command(name="index")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")
