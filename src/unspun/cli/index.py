"""`unspun index`: add documents to a reference index, show its statistics, remove documents."""

from __future__ import annotations

import json
from pathlib import Path

import click

from unspun.cli.ingest import Inputs, input_options
from unspun.index import Index, add_documents
from unspun.index.check import check_index

DEFAULT_INDEX = "unspun-index"

index_option = click.option(
    "--index", "index_path", type=click.Path(path_type=Path), default=DEFAULT_INDEX,
    envvar="UNSPUN_INDEX", show_default=True, show_envvar=True,
    help="The index directory.")


@click.group(name="index")
def command() -> None:
    """Build and inspect the reference index: one local directory, no server."""


@command.command(name="add")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@index_option
@click.option("--batch-size", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Documents per committed batch; an interrupted run keeps finished batches.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@input_options
def add(paths: tuple[str, ...], index_path: Path, batch_size: int, as_json: bool,
        field_map: tuple[str, ...], max_mb: float) -> None:
    """Add the documents in PATH... (any format ingest reads) to the index, creating it if
    needed. Documents already present, by id or by normalised content, are skipped."""
    inputs = Inputs(paths, field_map=field_map, max_mb=max_mb, description="indexing",
                    corpus=True)
    with Index.create(index_path) as index:
        stats = add_documents(index, inputs.documents(), batch_size=batch_size)
        total = len(index)
    inputs.finish()
    summary = {"added": stats.added, "duplicate_id": stats.duplicate_id,
               "duplicate_content": stats.duplicate_content, "empty": stats.empty,
               "skipped_inputs": inputs.errors.count, "batches": stats.batches,
               "documents": total}
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(f"added {stats.added} documents to {index_path} ({total} in all); skipped "
                   f"{stats.duplicate_id} duplicate ids, {stats.duplicate_content} duplicate "
                   f"texts, {stats.empty} empty")


@command.command(name="stats")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(index_path: Path, as_json: bool) -> None:
    """Show how many documents and postings the index holds, and its size on disk."""
    with Index.open(index_path) as index:
        info = index.stats()
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        click.echo(f"{key:>28}: {value}")


@command.command(name="check")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(index_path: Path, as_json: bool) -> None:
    """Verify every checksum of the index, reading it all; changes nothing. Prints one line
    per damaged file and exits with status 2 when anything is damaged."""
    report = check_index(index_path)
    if as_json:
        click.echo(json.dumps({"ok": report.ok, "problems": report.problems,
                               "notes": report.notes, "documents": report.documents,
                               "postings": report.postings}))
    else:
        for note in report.notes:
            click.echo(f"note: {note}")
        for problem in report.problems:
            click.echo(f"unspun: error: {problem}", err=True)
        if report.ok:
            click.echo(f"{index_path}: ok ({report.documents} documents, {report.postings} "
                       "postings verified)")
    if not report.ok:
        raise SystemExit(2)


@command.command(name="rm")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@index_option
def rm(ids: tuple[str, ...], index_path: Path) -> None:
    """Remove documents by id. Their postings are dropped at the next compaction."""
    with Index.open(index_path, writable=True) as index:
        removed = index.remove(ids)
    missing = sorted(set(ids) - set(removed))
    click.echo(f"removed {len(removed)} documents")
    for doc_id in missing:
        click.echo(f"  not found: {doc_id}", err=True)


@command.command(name="compact")
@index_option
def compact(index_path: Path) -> None:
    """Merge all postings segments into one and drop removed documents' postings."""
    with Index.open(index_path, writable=True) as index:
        before = index.stats()["segments"]
        index.compact(force=True)
        after = index.stats()["segments"]
    click.echo(f"segments: {before} -> {after}")
