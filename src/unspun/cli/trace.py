"""`unspun trace`: find where articles came from and what was changed, and report it.

One article gives one report; several files, a directory or a JSONL file are a batch, traced
in one process against one open index, one report (or one JSON line) per article.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import click

from unspun.cli.index import index_option
from unspun.cli.ingest import Inputs, input_options
from unspun.data import Document, TraceResult
from unspun.errors import BadInput
from unspun.index import Index
from unspun.text.safe import json_terminal_safe
from unspun.trace import prepare_sources, trace_against, trace_document


class _TraceCommand(click.Command):
    """A command whose ``--against`` takes every path that follows it, up to the next option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_against(args))


def spread_against(args: Sequence[str]) -> list[str]:
    """Rewrite ``--against a b`` as ``--against a --against b`` so click reads both.

    The paths after ``--against`` run to the next argument that starts with ``-`` (an option,
    ``--`` or ``-`` for stdin); the suspects therefore go before ``--against``.
    """
    out: list[str] = []
    needs_value = taking = False
    for arg in args:
        if needs_value:
            out.append(arg)
            needs_value, taking = False, True
        elif arg == "--against":
            out.append(arg)
            needs_value = True
        elif arg.startswith("--against="):
            out.append(arg)
            taking = True
        elif taking and not arg.startswith("-"):
            out += ["--against", arg]
        else:
            out.append(arg)
            taking = False
    return out


def write_html(result: TraceResult, path: Path) -> None:
    """Write the self-contained HTML report of ``result`` to ``path``."""
    from unspun.report.html import render_html

    try:
        path.write_text(render_html(result), encoding="utf-8")
    except OSError as exc:
        raise BadInput(str(path), f"cannot write the report ({exc.strerror})") from None


def show(result: TraceResult, *, as_json: bool) -> None:
    """Print ``result`` as JSON or as the terminal report."""
    if as_json:
        from unspun.report.jsonout import trace_to_dict

        click.echo(json_terminal_safe(json.dumps(trace_to_dict(result), ensure_ascii=False,
                                                 indent=2)))
        return
    from unspun.report.terminal import SafeConsole, render_trace

    render_trace(result, SafeConsole())  # rich honours NO_COLOR itself


def _json_line(result: TraceResult) -> None:
    """Print ``result`` as one compact JSON line."""
    from unspun.report.jsonout import trace_to_dict

    click.echo(json.dumps(trace_to_dict(result), ensure_ascii=False))


def traced(inputs: Inputs, tracer: Callable[[Document], TraceResult]) -> Iterator[TraceResult]:
    """Trace every document of ``inputs``; in a batch, skip (and record) articles trace refuses.

    Raises:
        BadInput: a single article is bad, or a batch held no usable article.
    """
    done = 0
    for doc in inputs.documents():
        try:
            result = tracer(doc)
        except BadInput as exc:
            if inputs.single and not inputs.container:
                raise
            inputs.errors.documents -= 1  # counted as read; it is listed as skipped instead
            inputs.errors.skip(exc.path, exc.reason)
            continue
        done += 1
        yield result
    if done == 0 and inputs.errors.skipped:
        where, reason = inputs.errors.skipped[0]
        inputs.finish()
        raise BadInput(where if len(inputs.errors.skipped) == 1 else ", ".join(inputs.paths),
                       reason if len(inputs.errors.skipped) == 1 else
                       f"no article could be traced ({len(inputs.errors.skipped)} skipped)")


@click.command(name="trace", cls=_TraceCommand)
@click.argument("paths", nargs=-1, required=True, metavar="FILE|DIR|-...")
@index_option
@click.option("--against", "against", multiple=True, metavar="OTHER...",
              help="Compare directly with OTHER... (files or directories: every path up to "
                   "the next option) instead of searching an index.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the result as JSON (schema unspun/trace/2); several articles give "
                   "JSON Lines.")
@click.option("--jsonl", "as_jsonl", is_flag=True,
              help="Print one compact JSON line per article as it is traced (a batch).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report to this file (one article only).")
@click.option("--exclude-self", is_flag=True,
              help="Leave the article itself (same id or same text) out of the index's "
                   "candidates, to trace an article against an index that contains it.")
@click.option("--fail-on-reuse", is_flag=True,
              help="Exit with status 1 when any sentence of any article is traced to a source.")
@input_options
def command(paths: tuple[str, ...], index_path: Path, against: tuple[str, ...],
            as_json: bool, as_jsonl: bool, html_path: Path | None, exclude_self: bool,
            fail_on_reuse: bool, field_map: tuple[str, ...], max_mb: float) -> None:
    """Trace the articles in FILE|DIR|-... (text, HTML, WARC, JSONL, Parquet, directories, or
    - for stdin): clean each, find its sources in the index, align every sentence to its
    source span, label every change, and judge it. Several articles are traced in one run; bad
    ones are skipped and listed on stderr."""
    inputs = Inputs(list(paths), field_map=field_map, max_mb=max_mb, description="tracing")
    if html_path is not None and not inputs.single:
        raise click.UsageError("--html writes the report of one article; give one file")
    with ExitStack() as stack:
        tracer = _tracer(stack, index_path, against, field_map=field_map, max_mb=max_mb,
                         exclude_self=exclude_self)
        reused = _report_all(traced(inputs, tracer), inputs, as_json=as_json,
                             as_jsonl=as_jsonl, html_path=html_path)
    if not inputs.single or inputs.errors.skipped:
        inputs.finish(label="traced")
    if fail_on_reuse and reused:
        raise SystemExit(1)


def _tracer(stack: ExitStack, index_path: Path, against: tuple[str, ...], *,
            field_map: tuple[str, ...], max_mb: float,
            exclude_self: bool = False) -> Callable[[Document], TraceResult]:
    """The function that traces one article: against the given documents, or the index."""
    if against:
        others_in = Inputs(list(against), field_map=field_map, max_mb=max_mb, corpus=True,
                           description="reading --against")
        others = list(others_in.documents())
        others_in.finish(label="--against")
        if not others:
            raise BadInput(", ".join(against), "no usable documents to compare with")
        prepared = prepare_sources(others)
        return lambda doc: trace_against(doc, others, prepared=prepared)
    index = stack.enter_context(Index.open(index_path))
    return lambda doc: trace_document(doc, index=index, exclude_self=exclude_self)


def _report_all(results: Iterator[TraceResult], inputs: Inputs, *, as_json: bool,
                as_jsonl: bool, html_path: Path | None) -> bool:
    """Print every result in the chosen form; return True when any article reused a source."""
    reused = False
    pending: TraceResult | None = None
    count = 0
    for result in results:
        count += 1
        reused = reused or bool(result.sources)
        if as_jsonl:
            _json_line(result)
        elif as_json:  # one article: indented JSON; more: JSON Lines (decided one step late)
            if pending is not None:
                _json_line(pending)
            pending = result
        else:
            _terminal(result, first=count == 1, batch=not inputs.single)
        if html_path is not None:
            if count > 1:
                raise click.UsageError("--html writes the report of one article; "
                                       f"{inputs.paths[0]} holds several")
            write_html(result, html_path)
            if not (as_json or as_jsonl):
                click.echo(f"HTML report: {html_path}")
    if pending is not None and count == 1:
        show(pending, as_json=True)
    elif pending is not None:
        _json_line(pending)
    return reused


def _terminal(result: TraceResult, *, first: bool, batch: bool) -> None:
    """The terminal report, headed by the article's file in a batch."""
    if batch or not first:
        if not first:
            click.echo("")
        doc = result.doc
        click.echo(click.style(f"== {doc.source or doc.id}", bold=True))
    show(result, as_json=False)
