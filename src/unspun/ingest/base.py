"""Shared pieces of ingest: field mapping, skip statistics, safe file reading and document ids."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from unspun.data import Document
from unspun.errors import BadInput

#: Largest single document (a text or HTML file, a WARC record, a JSONL line) read by default.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_CONTROL_OK = {9, 10, 12, 13, 27}  # tab, newline, form feed, carriage return, escape


@dataclass(frozen=True, slots=True)
class JsonlFields:
    """Which record fields (JSONL keys or Parquet columns) hold each part of a document."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    url: str = "url"
    site: str = "site"
    date: str = "date"


@dataclass(slots=True)
class IngestErrors:
    """What a lenient (corpus) run skipped: one ``(where, reason)`` pair per bad file or record.

    ``where`` is the file path for a file-level problem and ``path#line=N`` (or ``#record=N``,
    ``#row=N``) for one bad record inside a container file.
    """

    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Number of skipped files and records."""
        return len(self.skipped)

    def skip(self, where: str, reason: str) -> None:
        """Record one skipped file or record."""
        self.skipped.append((where, reason))


def report(err: BadInput, errors: IngestErrors | None) -> None:
    """Record ``err`` in ``errors`` (lenient mode) or raise it (strict mode)."""
    if errors is None:
        raise err
    errors.skip(err.path, err.reason)


def doc_id(source: str) -> str:
    """A stable short id derived from a document's source location."""
    return hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def site_of(url: str | None) -> str | None:
    """The host name of ``url`` without a leading ``www.``, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def human_size(n: int) -> str:
    """``n`` bytes as a short human size: ``812 bytes``, ``3.4 KB``, ``5 MB``, ``1.5 MB``."""
    if n < 1024:
        return f"{n} bytes"
    value, unit = (n / 1024, "KB") if n < 1024 * 1024 else (n / 1024 / 1024, "MB")
    shown = f"{value:.1f}".removesuffix(".0")
    return f"{shown} {unit}"


def check_file(path: Path, *, max_bytes: int | None) -> int:
    """Check that ``path`` is a readable regular file within the size limit; return its size.

    Raises:
        BadInput: missing, a dangling link, a directory or special file, empty, or too big.
    """
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise BadInput(where, "dangling symbolic link (its target does not exist)") from None
        raise BadInput(where, "no such file") from None
    except PermissionError:
        raise BadInput(where, "permission denied") from None
    except OSError as exc:
        raise BadInput(where, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise BadInput(where, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(where, "not a regular file (a device, socket or pipe)")
    if info.st_size == 0:
        raise BadInput(where, "empty file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise BadInput(where, f"file is {human_size(info.st_size)}, over the "
                              f"{human_size(max_bytes)} limit (raise it with --max-mb)")
    if not os.access(path, os.R_OK):
        raise BadInput(where, "permission denied")
    return info.st_size


def read_bytes(path: Path, *, max_bytes: int | None) -> bytes:
    """Read a whole single-document file after :func:`check_file` said it is safe to.

    Raises:
        BadInput: as :func:`check_file`, or when reading fails.
    """
    check_file(path, max_bytes=max_bytes)
    try:
        with open(path, "rb") as handle:
            return handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except PermissionError:
        raise BadInput(str(path), "permission denied") from None
    except OSError as exc:
        raise BadInput(str(path), f"cannot read: {exc.strerror or exc}") from None


def check_binary(data: bytes, where: str) -> None:
    """Refuse bytes that look like a binary file (NUL bytes or many control characters).

    Raises:
        BadInput: the bytes are not text.
    """
    head = data[:65536]
    if b"\x00" in head:
        raise BadInput(where, "binary file (contains NUL bytes), not text")
    controls = sum(1 for b in head if b < 32 and b not in _CONTROL_OK)
    if head and controls / len(head) > 0.05:
        raise BadInput(where, "binary file (many control characters), not text")


def as_text(value: Any) -> str | None:
    """A record field as a string (dates in ISO form), or None when absent or empty."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def record_document(record: Mapping[str, Any], *, fields: JsonlFields, source: str,
                    fmt: str) -> Document:
    """Build a Document from one JSONL object or Parquet row.

    Raises:
        BadInput: the text field is missing, not a string, or empty.
    """
    text = record.get(fields.text)
    if text is None:
        raise BadInput(source, f"no '{fields.text}' field (set another with --field text=NAME)")
    if not isinstance(text, str):
        raise BadInput(source, f"field '{fields.text}' is {type(text).__name__}, not a string")
    if not text.strip():
        raise BadInput(source, f"field '{fields.text}' is empty")
    url = as_text(record.get(fields.url))
    return Document(
        id=as_text(record.get(fields.id)) or doc_id(source),
        text=normalise_newlines(text),
        title=as_text(record.get(fields.title)),
        url=url,
        site=as_text(record.get(fields.site)) or site_of(url),
        date=as_text(record.get(fields.date)),
        source=source,
        meta={"format": fmt},
    )


def normalise_newlines(text: str) -> str:
    """Turn CRLF and CR line ends into LF and drop a leading byte-order mark."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
