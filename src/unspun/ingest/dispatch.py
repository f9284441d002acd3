"""Pick the reader for each input (file by extension, directory walk, or stdin) and run it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

from unspun.data import Document
from unspun.errors import BadInput
from unspun.ingest.base import (
    DEFAULT_MAX_BYTES,
    IngestErrors,
    JsonlFields,
    human_size,
    read_bytes,
    report,
)

Format = Literal["text", "html", "warc", "jsonl", "parquet"]

#: File name endings ingest knows, longest first.
EXTENSIONS: dict[str, Format] = {
    ".warc.gz": "warc", ".jsonl.gz": "jsonl", ".ndjson.gz": "jsonl",
    ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
}
STDIN = "-"


def format_of(path: str | Path) -> Format | None:
    """The format a file name's ending says, or None for an unknown ending."""
    name = str(path).lower()
    for ending, fmt in EXTENSIONS.items():
        if name.endswith(ending):
            return fmt
    return None


def read_document(path: str | Path, *, fields: JsonlFields | None = None,
                  max_bytes: int | None = DEFAULT_MAX_BYTES) -> Document:
    """Read one single-document input: a text or HTML file, or ``-`` for stdin.

    A file with an unknown ending is read as text, or as HTML when it looks like a page.

    Args:
        path: the file, or ``-``.
        fields: unused for single documents; accepted so callers can pass one config.
        max_bytes: refuse files bigger than this (checked before reading); None for no limit.

    Returns:
        The Document, with ``source`` set to the path (``<stdin>`` for stdin).

    Raises:
        BadInput: the input is missing, unreadable, too big, empty, binary, undecodable,
            holds no text, or is a container format (use :func:`iter_documents`).
    """
    from unspun.ingest.html import html_document
    from unspun.ingest.text import text_document

    if str(path) == STDIN:
        return text_document(_read_stdin(max_bytes=max_bytes), source="<stdin>", sniff=True)
    path = Path(path)
    fmt = format_of(path)
    if fmt in ("warc", "jsonl", "parquet"):
        raise BadInput(str(path), f"a {fmt} file can hold many documents; "
                                  "read it with iter_documents")
    data = read_bytes(path, max_bytes=max_bytes)
    if max_bytes is not None and len(data) > max_bytes:
        raise BadInput(str(path), f"file grew over the {human_size(max_bytes)} limit while read")
    if fmt == "html":
        return html_document(data, source=str(path))
    return text_document(data, source=str(path), sniff=fmt is None)


def iter_documents(paths: Sequence[str | Path], *, fields: JsonlFields | None = None,
                   errors: IngestErrors | None = None,
                   max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    """Yield the documents of any mix of files, directories (walked recursively) and ``-``.

    In a directory walk, hidden entries are passed over and files with an unknown ending are
    skipped with a reason; a file named directly is read whatever its ending.

    Args:
        paths: files, directories, or ``-`` for stdin.
        fields: field names for JSONL and Parquet records (defaults: id, text, title, ...).
        errors: lenient (corpus) mode: skip bad files and records and record them here.
            When None, the first bad file or record raises.
        max_bytes: the largest single document (text/HTML file, WARC record, JSONL line,
            Parquet text); container files themselves are streamed and may be any size.

    Yields:
        Documents in input order (directories in sorted order).

    Raises:
        BadInput: in strict mode, for the first bad file or record.
    """
    fields = fields or JsonlFields()
    for given in paths:
        if str(given) != STDIN and Path(given).is_dir():
            for path in _walk(Path(given)):
                if format_of(path) is None:
                    if path.is_symlink() and not path.exists():
                        report(BadInput(str(path), "dangling symbolic link (its target does "
                                                   "not exist)"), errors)
                        continue
                    kind = "".join(path.suffixes[-2:]) or "no extension"
                    report(BadInput(str(path), f"unsupported file type ({kind})"), errors)
                    continue
                yield from _counted(path, fields=fields, errors=errors, max_bytes=max_bytes)
        else:
            yield from _counted(given, fields=fields, errors=errors, max_bytes=max_bytes)


def _counted(path: str | Path, *, fields: JsonlFields, errors: IngestErrors | None,
             max_bytes: int | None) -> Iterator[Document]:
    """Yield one input's documents, recording a file-level failure in lenient mode."""
    try:
        for doc in _one(path, fields=fields, errors=errors, max_bytes=max_bytes):
            if errors is not None:
                errors.documents += 1
            yield doc
    except BadInput as exc:
        report(exc, errors)


def _one(path: str | Path, *, fields: JsonlFields, errors: IngestErrors | None,
         max_bytes: int | None) -> Iterator[Document]:
    """Yield the documents of one file (or stdin) with the reader its format needs."""
    fmt = None if str(path) == STDIN else format_of(path)
    if fmt == "warc":
        from unspun.ingest.warc import iter_warc

        yield from iter_warc(Path(path), max_bytes=max_bytes, errors=errors)
    elif fmt == "jsonl":
        from unspun.ingest.jsonl import iter_jsonl

        yield from iter_jsonl(Path(path), fields=fields, max_bytes=max_bytes, errors=errors)
    elif fmt == "parquet":
        from unspun.ingest.parquet import iter_parquet

        yield from iter_parquet(Path(path), fields=fields, max_bytes=max_bytes, errors=errors)
    else:
        yield read_document(path, max_bytes=max_bytes)


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` in sorted order, without hidden files or directories."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def _read_stdin(*, max_bytes: int | None, stream: BinaryIO | None = None) -> bytes:
    """Read stdin as bytes, refusing more than ``max_bytes``."""
    stream = stream or sys.stdin.buffer
    data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise BadInput("<stdin>", f"input is over the {human_size(max_bytes)} limit "
                                  "(raise it with --max-mb)")
    return data
