"""The ``unspun`` command line: a thin layer over the library; each subcommand is a module."""

from __future__ import annotations

import contextlib
import os
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
from unspun.text.safe import terminal_safe  # noqa: E402


class _Group(click.Group):
    """A click group that turns :class:`UnspunError` into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or closed pipe shows here, not at interpreter exit
            return result
        except UnspunError as exc:
            click.echo(terminal_safe(f"unspun: error: {exc}"), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("unspun: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _drop_stdout()
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:  # the output could not be written (disk full, device error)
            reason = exc.strerror or str(exc)
            if exc.filename is None:  # no file named: the write to stdout failed
                _drop_stdout()
                where, reason = "<stdout>", f"cannot write ({reason})"
            else:
                where = str(exc.filename)
            click.echo(terminal_safe(f"unspun: error: {where}: {reason}"), err=True)
            ctx.exit(2)
        return None


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unspun")
def cli() -> None:
    """Find where a news article really came from, and what was changed along the way."""


def _register() -> None:
    from unspun.cli import align, bench, clean, demo, eval, index, ingest, serve, spins, trace

    for module in (ingest, clean, index, trace, align, spins, eval, bench, serve, demo):
        cli.add_command(module.command)


_register()


def main() -> None:
    """Console entry point."""
    cli(prog_name="unspun")
