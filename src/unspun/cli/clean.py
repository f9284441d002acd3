"""`unspun clean`: placeholder until its issue lands."""

from __future__ import annotations

import click


@click.command(name="clean")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")
