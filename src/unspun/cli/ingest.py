"""`unspun ingest`: read inputs of any format and print their documents as JSON Lines.

Also holds the input options and the corpus-run driver (progress bar, skip summary) that
other subcommands reuse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, TypeVar

import click

from unspun.data import Document
from unspun.errors import BadInput
from unspun.ingest import IngestErrors, JsonlFields, iter_documents
from unspun.ingest.dispatch import STDIN, format_of
from unspun.progress import progress

F = TypeVar("F", bound=Callable[..., Any])
_FIELD_NAMES = [f.name for f in dataclass_fields(JsonlFields)]


def input_options(func: F) -> F:
    """Add ``--field`` and ``--max-mb`` to a command that reads inputs."""
    func = click.option(
        "--max-mb", type=click.FloatRange(min=0, min_open=True), default=50.0,
        show_default=True,
        help="Largest single document (text/HTML file, WARC record, JSONL line) in MB.",
    )(func)
    return click.option(
        "--field", "field_map", multiple=True, metavar="KEY=NAME",
        help="Where JSONL/Parquet records keep a field, e.g. --field text=body. "
             f"KEY is one of {', '.join(_FIELD_NAMES)}; repeat for several.",
    )(func)


def parse_fields(pairs: Sequence[str]) -> JsonlFields | None:
    """Turn ``--field KEY=NAME`` options into a :class:`JsonlFields` (None when none given).

    Raises:
        click.BadParameter: a pair is malformed or names an unknown key.
    """
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        key, sep, name = pair.partition("=")
        if not sep or not name or key not in _FIELD_NAMES:
            raise click.BadParameter(
                f"{pair!r}: expected KEY=NAME with KEY one of {', '.join(_FIELD_NAMES)}",
                param_hint="--field")
        mapping[key] = name
    return JsonlFields(**mapping)


class Inputs:
    """The documents of a command's PATH arguments, read leniently as a corpus run.

    One regular file (or ``-``) is a *single* input (unless ``corpus`` is set): if the file
    itself is bad the run stops with :class:`BadInput` (exit 2). Otherwise bad files and
    records are skipped, counted, and listed by :meth:`finish`.
    """

    def __init__(self, paths: Sequence[str], *, field_map: Sequence[str] = (),
                 max_mb: float = 50.0, description: str = "reading",
                 corpus: bool = False) -> None:
        self.paths = list(paths)
        self.fields = parse_fields(field_map)
        self.max_bytes = int(max_mb * 1024 * 1024)
        self.errors = IngestErrors()
        self.description = description
        self.single = not corpus and len(self.paths) == 1 and (
            self.paths[0] == STDIN or not Path(self.paths[0]).is_dir())
        #: The single input is a JSONL, WARC or Parquet file, which may hold many documents.
        self.container = self.single and format_of(self.paths[0]) in ("jsonl", "warc",
                                                                       "parquet")

    def documents(self) -> Iterator[Document]:
        """Yield every good document; raise BadInput when a single input file is bad."""
        docs = iter_documents(self.paths, fields=self.fields, errors=self.errors,
                              max_bytes=self.max_bytes)
        if not self.single or self.container:
            docs = progress(docs, description=self.description)
        yield from docs
        if self.single:
            given = "<stdin>" if self.paths[0] == STDIN else str(Path(self.paths[0]))
            for where, reason in self.errors.skipped:
                if where == given:
                    raise BadInput(where, reason)
            if self.errors.documents == 0 and self.errors.skipped:
                where, reason = self.errors.skipped[0]
                raise BadInput(given, f"no usable documents (first problem: {where}: {reason})")

    def finish(self, *, label: str = "") -> None:
        """Print ``N documents, K skipped`` and the skipped inputs to stderr (corpus runs)."""
        if self.single and not self.errors.skipped:
            return
        prefix = f"{label}: " if label else ""
        click.echo(f"{prefix}{self.errors.documents} documents, {self.errors.count} skipped",
                   err=True)
        for where, reason in self.errors.skipped:
            click.echo(f"  skipped {where}: {reason}", err=True)


@click.command(name="ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@input_options
def command(paths: tuple[str, ...], field_map: tuple[str, ...], max_mb: float) -> None:
    """Read PATH... (text, HTML, WARC, JSONL, Parquet files, directories, or - for stdin)
    and print one JSON document per line: id, title, url, site, date, source, text."""
    inputs = Inputs(paths, field_map=field_map, max_mb=max_mb, description="ingest")
    for doc in inputs.documents():
        record = {key: getattr(doc, key)
                  for key in ("id", "title", "url", "site", "date", "source", "text")}
        click.echo(json.dumps(record, ensure_ascii=False))
    inputs.finish()
