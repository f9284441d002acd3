"""Parquet corpora: one Document per row, read in batches, with configurable column names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from unspun.data import Document
from unspun.errors import BadInput, require
from unspun.ingest.base import (
    IngestErrors,
    JsonlFields,
    check_file,
    human_size,
    record_document,
    report,
)


def iter_parquet(path: Path, *, fields: JsonlFields, max_bytes: int | None,
                 errors: IngestErrors | None) -> Iterator[Document]:
    """Yield one Document per row of a Parquet file, reading it in batches.

    Rows are numbered from 1; each Document's source is ``path#row=N``.

    Args:
        path: the file.
        fields: which columns hold the id, text, title, url, site and date.
        max_bytes: rows whose text is longer than this are skipped.
        errors: skip bad rows and record them here; None raises instead.

    Raises:
        BadInput: unreadable, not Parquet, no text column, or (strict mode) a bad row.
        MissingExtra: pyarrow is not installed.
    """
    require("pyarrow", "parquet")
    import pyarrow as pa
    import pyarrow.parquet as pq

    where = str(path)
    check_file(path, max_bytes=None)
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise BadInput(where, f"not a readable Parquet file ({exc})") from None
    names = set(parquet.schema_arrow.names)
    if fields.text not in names:
        raise BadInput(where, f"no '{fields.text}' column (columns: {', '.join(sorted(names))};"
                              " set another with --field text=NAME)")
    wanted = [name for name in dict.fromkeys(
        (fields.id, fields.text, fields.title, fields.url, fields.site, fields.date))
        if name in names]
    n = 0
    try:
        for batch in parquet.iter_batches(batch_size=512, columns=wanted):
            for row in batch.to_pylist():
                n += 1
                source = f"{where}#row={n}"
                text = row.get(fields.text)
                if max_bytes is not None and isinstance(text, str) and len(text) > max_bytes:
                    report(BadInput(source, f"text is over the {human_size(max_bytes)} limit"),
                           errors)
                    continue
                try:
                    yield record_document(row, fields=fields, source=source, fmt="parquet")
                except BadInput as exc:
                    report(exc, errors)
    except (pa.ArrowException, OSError) as exc:
        raise BadInput(where, f"corrupt Parquet file after {n} rows ({exc})") from None
