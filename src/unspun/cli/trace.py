"""`unspun trace`: find where an article came from and what was changed, and report it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from unspun.cli.index import index_option
from unspun.cli.ingest import Inputs, input_options
from unspun.data import Document, TraceResult
from unspun.errors import BadInput
from unspun.index import Index
from unspun.text.safe import json_terminal_safe
from unspun.trace import trace_against, trace_document


def _one(path: str, field_map: tuple[str, ...], max_mb: float) -> Document:
    docs = list(Inputs([path], field_map=field_map, max_mb=max_mb).documents())
    if len(docs) != 1:
        raise BadInput(path, f"expected one article, found {len(docs)}")
    return docs[0]


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


@click.command(name="trace")
@click.argument("path", metavar="FILE|-")
@index_option
@click.option("--against", "against", multiple=True, metavar="OTHER",
              help="Compare directly with OTHER (a file or directory; repeatable) "
                   "instead of searching an index.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (schema "
              "unspun/trace/1).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report to this file.")
@click.option("--fail-on-reuse", is_flag=True,
              help="Exit with status 1 when any sentence is traced to a source.")
@input_options
def command(path: str, index_path: Path, against: tuple[str, ...], as_json: bool,
            html_path: Path | None, fail_on_reuse: bool, field_map: tuple[str, ...],
            max_mb: float) -> None:
    """Trace the article in FILE (text, HTML, or - for stdin): clean it, find its sources in
    the index, align every sentence to its source span, label every change, and judge it."""
    doc = _one(path, field_map, max_mb)
    if against:
        others_in = Inputs(list(against), field_map=field_map, max_mb=max_mb, corpus=True)
        others = list(others_in.documents())
        others_in.finish()
        result = trace_against(doc, others)
    else:
        with Index.open(index_path) as index:
            result = trace_document(doc, index=index)
    show(result, as_json=as_json)
    if html_path is not None:
        write_html(result, html_path)
        if not as_json:
            click.echo(f"HTML report: {html_path}")
    if fail_on_reuse and result.sources:
        raise SystemExit(1)
