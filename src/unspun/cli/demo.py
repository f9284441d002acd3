"""`unspun demo`: index the bundled sample, trace a bundled content-farm page, write a report."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from unspun.cli.trace import show, write_html
from unspun.demo import run_demo


@click.command(name="demo")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to put the demo index and the HTML report (reused when run again). "
                   "Default: a new temporary directory, named on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the trace result as JSON.")
def command(out: Path | None, as_json: bool) -> None:
    """Index the bundled Wikinews sample (212 articles, CC BY 2.5), trace a bundled
    content-farm page stitched and spun from some of them, print where every sentence came
    from and what was changed, and write a self-contained HTML report."""
    fresh = out is None
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="unspun-demo-"))
    run = run_demo(out)
    where = "a new temporary directory; --out DIR puts it elsewhere" if fresh else "--out"
    click.echo(f"demo files: {out.resolve()} ({where})", err=True)
    if not as_json:
        click.echo(f"index: {run.index_path} ({run.documents} Wikinews articles; "
                   f"{run.added.added} added now)", err=True)
    show(run.result, as_json=as_json)
    report = out / "report.html"
    write_html(run.result, report)
    click.echo(f"HTML report: {report.resolve()}", err=as_json)
    from unspun.scan.demo import run_demo_scan

    scanned = run_demo_scan(out)
    click.echo(f"corpus scan: {scanned.documents} generated pages, {scanned.copies} copy pairs, "
               f"{scanned.clusters} stories; site graph and clusters in "
               f"{(scanned.out / 'report.html').resolve()}", err=as_json)
