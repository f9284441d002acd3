"""`unspun scan`: find reuse across a whole corpus and write pairs, clusters, lineage and sites."""

from __future__ import annotations

from pathlib import Path

import click

from unspun.cli.ingest import input_options, parse_fields


@click.command(name="scan")
@click.argument("paths", nargs=-1, required=True, metavar="CORPUS...")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for the tables, graph.gexf/graphml, report.html and checkpoints.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
              show_default=True, help="local: embedded, every core; spark: pyspark 4.")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master URL (with --engine spark).")
@click.option("--resume", is_flag=True,
              help="Continue a scan killed in OUT, redoing only unfinished batches.")
@click.option("--add", "add", is_flag=True,
              help="Add CORPUS... to the finished scan in OUT: only pairs with a new (or "
                   "re-cleaned) document are aligned; the outputs cover old and new.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes of the local engine (0: one per core).")
@click.option("--no-parquet", is_flag=True, help="Write the tables as JSON Lines only.")
@click.option("--no-furniture", is_flag=True,
              help="Keep captions, embedded posts, bylines and date lines.")
@input_options
def command(paths: tuple[str, ...], out: Path, engine: str, master: str, resume: bool,
            add: bool, jobs: int, no_parquet: bool, no_furniture: bool, field_map: tuple[str, ...],
            max_mb: float) -> None:
    """Scan CORPUS... (any format ingest reads) for documents that share text: copy pairs
    with aligned passages and edits, clusters, each copy's parent, per-site scores, the
    who-copies-whom site graph and a self-contained report.html, all in OUT."""
    from unspun.scan import ScanConfig, ScanInputs, scan_local

    inp = ScanInputs(list(paths), out, ScanConfig(furniture=not no_furniture),
                     fields=parse_fields(field_map), max_bytes=int(max_mb * 1024 * 1024),
                     jobs=jobs, parquet=not no_parquet)
    if add:
        if engine == "spark":
            raise click.UsageError("--add runs on the local engine (drop --engine spark)")
        from unspun.scan.incremental import scan_add

        run = scan_add(inp, resume=resume)
    elif engine == "spark":
        from unspun.scan.spark import scan_spark

        run = scan_spark(inp, master=master, resume=resume)
    else:
        run = scan_local(inp, resume=resume)
    if add:
        click.echo(f"added {run.stats['added']} documents: aligned {run.stats['aligned']} "
                   f"candidate pairs, reused {run.stats['reused']} stored ones", err=True)
    for where, reason in run.skipped:
        click.echo(f"  skipped {where}: {reason}", err=True)
    click.echo(f"{run.documents} documents ({len(run.skipped)} skipped), {run.candidates} "
               f"candidate pairs, {run.copies} copy pairs, "
               f"{run.stats['quote_sharing']} quote-sharing pairs, "
               f"{run.stats['reworded']} reworded pairs, {run.clusters} clusters")
    for note in run.stats.get("notes", []):
        click.echo(note, err=True)
    click.echo(f"wrote {out}/report.html and the tables in {out}")
