"""Ingest: read text, HTML, WARC, JSONL and Parquet inputs into Documents that keep their source.

Use :func:`read_document` for one text or HTML file (or ``-``) and :func:`iter_documents` for
anything, including directories; pass an :class:`IngestErrors` to skip bad inputs instead of
raising :class:`~unspun.errors.BadInput`.
"""

from __future__ import annotations

from unspun.ingest.base import DEFAULT_MAX_BYTES, IngestErrors, JsonlFields
from unspun.ingest.dispatch import EXTENSIONS, format_of, iter_documents, read_document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "IngestErrors",
    "JsonlFields",
    "format_of",
    "iter_documents",
    "read_document",
]
