"""`unspun index`: add documents to a reference index, show its statistics, remove documents."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import click

from unspun.cli.ingest import Inputs, input_options
from unspun.errors import BadInput
from unspun.index import Index, add_documents
from unspun.index.check import check_index

DEFAULT_INDEX = "unspun-index"
_LIST = 10  # duplicate ids listed by the human summary

#: The one ``--index`` option of trace, index, spins and serve: same default, same variable.
index_option = click.option(
    "--index", "index_path", type=click.Path(path_type=Path), metavar="DIR",
    default=DEFAULT_INDEX, envvar="UNSPUN_INDEX", show_default=True, show_envvar=True,
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
    needed. Documents already present, by id or by normalised content, are skipped and their
    ids listed. Exit 2 when PATH... holds no usable document (nothing is created then)."""
    inputs = Inputs(paths, field_map=field_map, max_mb=max_mb, description="indexing",
                    corpus=True)
    docs = inputs.documents()
    first = next(docs, None)
    if first is None:  # nothing usable: say why, and leave no empty index behind
        if inputs.errors.count == 1:
            raise BadInput(*inputs.errors.skipped[0])
        if not inputs.errors.skipped:
            raise BadInput(", ".join(paths), "no documents found")
        inputs.finish(label="index add")
        raise BadInput(", ".join(paths),
                       f"no usable documents ({inputs.errors.count} inputs skipped)")
    with Index.create(index_path) as index:
        stats = add_documents(index, itertools.chain([first], docs), batch_size=batch_size)
        total = len(index)
    inputs.finish(label="index add")
    read = inputs.errors.documents
    summary = {"read": read, "added": stats.added, "duplicate_id": stats.duplicate_id,
               "duplicate_content": stats.duplicate_content, "empty": stats.empty,
               "skipped_inputs": inputs.errors.count, "batches": stats.batches,
               "documents": total, "duplicates": stats.skipped_ids}
    if as_json:
        click.echo(json.dumps(summary))
        return
    line = (f"read {read} documents: added {stats.added} to {index_path} ({total} in all); "
            f"skipped {stats.duplicate_id} duplicate ids, {stats.duplicate_content} duplicate "
            f"texts, {stats.empty} empty")
    if inputs.errors.count:
        line += f"; {inputs.errors.count} inputs not read (listed on stderr)"
    click.echo(line)
    for doc_id in stats.skipped_ids[:_LIST]:
        click.echo(f"  duplicate: {doc_id}")
    if len(stats.skipped_ids) > _LIST:
        click.echo(f"  ... and {len(stats.skipped_ids) - _LIST} more duplicates "
                   "(--json lists them all)")


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
    """Merge all postings segments into one and drop removed documents' postings; give
    segments written before key filters existed their filter."""
    with Index.open(index_path, writable=True) as index:
        before = index.stats()["segments"]
        index.compact(force=True)
        after = index.stats()["segments"]
        filters = index.add_filters()
    click.echo(f"segments: {before} -> {after}")
    if filters:
        click.echo(f"key filters written: {filters}")
