"""JSON Lines corpora (plain or gzipped): one Document per line, with configurable field names."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from unspun.data import Document
from unspun.errors import BadInput
from unspun.ingest.base import (
    IngestErrors,
    JsonlFields,
    check_file,
    human_size,
    record_document,
    report,
)


def iter_jsonl(path: Path, *, fields: JsonlFields, max_bytes: int | None,
               errors: IngestErrors | None) -> Iterator[Document]:
    """Yield one Document per JSON object line of a ``.jsonl`` or ``.jsonl.gz`` file.

    Lines are numbered from 1; each Document's source is ``path#line=N``. Blank lines are
    passed over. A bad line (not JSON, not an object, no text) is skipped and recorded in
    lenient mode.

    Args:
        path: the file.
        fields: which keys hold the id, text, title, url, site and date.
        max_bytes: longest line read; a longer one is skipped without reading it whole.
        errors: skip bad lines and record them here; None raises instead.

    Raises:
        BadInput: unreadable, empty, a truncated gzip, or (strict mode) a bad line.
    """
    where = str(path)
    check_file(path, max_bytes=None)
    limit = max_bytes if max_bytes is not None else -1
    n = 0
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream: Any = gzip.GzipFile(fileobj=raw) if gzipped else raw
            while line := stream.readline(limit + 1 if limit >= 0 else -1):
                n += 1
                source = f"{where}#line={n}"
                if limit >= 0 and len(line) > limit and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # skip the rest of this line
                        line = stream.readline(1 << 20)
                    report(BadInput(source, f"line is over the {human_size(limit)} limit"), errors)
                    continue
                if not line.strip():
                    continue
                try:
                    yield _line_document(line, source=source, fields=fields)
                except BadInput as exc:
                    report(exc, errors)
    except (EOFError, gzip.BadGzipFile, zlib.error):
        raise BadInput(where, f"truncated or corrupt gzip (stopped after {n} lines)") from None
    except PermissionError:
        raise BadInput(where, "permission denied") from None
    except OSError as exc:
        raise BadInput(where, f"cannot read: {exc.strerror or exc}") from None


def _line_document(line: bytes, *, source: str, fields: JsonlFields) -> Document:
    """Parse one JSONL line into a Document."""
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise BadInput(source, "line is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise BadInput(source, f"not valid JSON ({_json_reason(exc)})") from None
    except ValueError as exc:  # e.g. a number too long to convert
        raise BadInput(source, f"not valid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise BadInput(source, f"a JSON {type(record).__name__}, not an object")
    return record_document(record, fields=fields, source=source, fmt="jsonl")


def _json_reason(exc: json.JSONDecodeError) -> str:
    """The whole parser message with its column, and a hint for raw control characters."""
    msg = exc.msg.removesuffix(" at")
    reason = f"{msg} at column {exc.colno}"
    if msg == "Invalid control character":
        reason += "; a tab or line break inside a string must be written \\t or \\n"
    return reason
