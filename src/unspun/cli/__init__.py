"""The ``unspun`` command line: a thin layer over the library; each subcommand is a module."""

from __future__ import annotations

import inspect
import os
import re
import sys

# Alignment multiplies many small matrices; a threaded BLAS spends more time waking and spinning
# its threads than computing, which doubles trace latency on a busy machine. The command line
# owns its process, so it asks for one BLAS thread unless the user set otherwise. This must run
# before numpy is first imported. (Library users can set these variables themselves.)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click  # noqa: E402

from unspun import __version__  # noqa: E402
from unspun.errors import UnspunError  # noqa: E402


class _Group(click.Group):
    """A click group that turns :class:`UnspunError` into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UnspunError as exc:
            click.echo(f"unspun: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("unspun: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unspun")
def cli() -> None:
    """Find where a news article really came from, and what was changed along the way."""


#: One line per command for ``unspun --help``, short enough for 80 columns (never cut).
SHORT_HELP = {
    "ingest": "Read inputs of any format; print their documents as JSON Lines.",
    "clean": "Remove the junk inside articles; show each removal and why.",
    "index": "Build and inspect the reference index (one local directory).",
    "trace": "Trace articles to their sources; show what was changed.",
    "align": "Find the reused passages of one suspect and one source.",
    "scan": "Scan a corpus: copy pairs, clusters, lineage, sites, a site graph.",
    "spins": "Mine, list or use a spinner's dictionary.",
    "eval": "Measure a detector against the quality floors (PAN-13, bench).",
    "bench": "Generate and check the content-farm benchmark.",
    "serve": "Serve the web page and the HTTP API on this machine.",
    "demo": "Index the bundled sample, trace a content-farm page, write a report.",
}


_SENTENCE_END = re.compile(r"(?<=[^.]\.)\s+(?=[A-Z])")  # not inside "PATH..." or "e.g. x"


def _full_short_help(command: click.Command) -> None:
    """Give ``command`` and its subcommands a short help that click will not cut."""
    if command.short_help is None and command.help:
        first = " ".join(inspect.cleandoc(command.help).split("\n\n")[0].split())
        command.short_help = _SENTENCE_END.split(first, maxsplit=1)[0]  # the first sentence
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _full_short_help(sub)


def _register() -> None:
    from unspun.cli import (
        align,
        bench,
        clean,
        demo,
        eval,
        index,
        ingest,
        scan,
        serve,
        spins,
        trace,
    )

    for module in (ingest, clean, index, trace, align, scan, spins, eval, bench, serve, demo):
        command = module.command
        command.short_help = SHORT_HELP[command.name or ""]
        _full_short_help(command)
        cli.add_command(command)


_register()


def main() -> None:
    """Console entry point."""
    cli(prog_name="unspun")
