"""WARC files (plain or gzipped): one Document per HTML ``response`` record, via fastwarc."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from unspun.data import Document
from unspun.errors import BadInput, require
from unspun.ingest.base import IngestErrors, check_file, human_size, report
from unspun.ingest.html import html_document

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def iter_warc(path: Path, *, max_bytes: int | None, errors: IngestErrors | None
              ) -> Iterator[Document]:
    """Yield a Document for every HTML ``response`` record of a WARC file.

    Records are numbered from 1 in file order (all record types count), and each Document's
    source is ``path#record=N``; its url is WARC-Target-URI and its date the page's own date,
    else WARC-Date (always kept in ``meta["warc_date"]``). Non-HTML records and non-2xx
    responses are passed over silently.

    Args:
        path: the .warc or .warc.gz file.
        max_bytes: records bigger than this are skipped (the file itself may be any size).
        errors: skip bad records and record them here; None raises instead.

    Raises:
        BadInput: unreadable, empty, not a WARC file, truncated (including a truncated gzip),
            or, in strict mode, a bad record.
        MissingExtra: fastwarc is not installed.
    """
    require("fastwarc", "warc")
    from fastwarc.warc import ArchiveIterator

    where = str(path)
    check_file(path, max_bytes=None)
    n = 0
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream: Any = gzip.GzipFile(fileobj=raw) if gzipped else raw
            for record in ArchiveIterator(stream, parse_http=False, stream_detect=False):
                n += 1
                doc = _record(record, where=f"{where}#record={n}", max_bytes=max_bytes,
                              path=where, errors=errors)
                if doc is not None:
                    yield doc
    except (EOFError, gzip.BadGzipFile, zlib.error):
        raise BadInput(where, f"truncated or corrupt gzip (stopped after {n} WARC records)"
                       ) from None
    except PermissionError:
        raise BadInput(where, "permission denied") from None
    except OSError as exc:
        if n == 0:
            raise BadInput(where, f"not a WARC file ({exc})") from None
        raise BadInput(where, f"corrupt WARC after record {n} ({exc})") from None
    if n == 0:
        raise BadInput(where, "no WARC records (empty or not a WARC file)")


def _record(record: Any, *, where: str, path: str, max_bytes: int | None,
            errors: IngestErrors | None) -> Document | None:
    """Turn one WARC record into a Document, or None when it is not an HTML response."""
    declared = record.headers.get("Content-Length")
    if declared is None or not declared.strip().isdigit():
        raise BadInput(path, f"truncated WARC: record {where.rsplit('=', 1)[1]} has no length")
    size = int(declared)
    if max_bytes is not None and size > max_bytes:
        record.consume()  # skip its bytes without holding them
        report(BadInput(where, f"record is {human_size(size)}, over the "
                               f"{human_size(max_bytes)} limit"), errors)
        return None
    block = record.reader.read()
    if len(block) != size:
        raise BadInput(path, f"truncated WARC: record {where.rsplit('=', 1)[1]} ends early "
                             f"({len(block)} of {size} bytes)")
    if record.headers.get("WARC-Type") != "response":
        return None
    try:
        status, headers, payload = _parse_http(block)
        if not 200 <= status < 300 or not headers.get("content-type", "").lower().startswith(
                _HTML_TYPES):
            return None
        payload = _undo_encodings(payload, headers)
        charset = _charset(headers.get("content-type", ""))
        record_id = (record.headers.get("WARC-Record-ID") or "").strip("<>")
        warc_date = record.headers.get("WARC-Date")
        doc = html_document(
            payload, source=where, url=record.headers.get("WARC-Target-URI"),
            charset=charset, fallback_date=warc_date,
            id=record_id.removeprefix("urn:uuid:") or None,
        )
    except BadInput as exc:
        report(BadInput(where, exc.reason), errors)
        return None
    doc.meta["format"] = "warc"
    if warc_date:
        doc.meta["warc_date"] = warc_date
    return doc


def _parse_http(block: bytes) -> tuple[int, dict[str, str], bytes]:
    """Split an HTTP response into status, lower-cased headers and body."""
    end = block.find(b"\r\n\r\n")
    cut = end + 4
    if end < 0:
        end = block.find(b"\n\n")
        cut = end + 2
    if end < 0:
        raise BadInput("", "response record without HTTP headers")
    lines = block[:end].decode("latin-1").splitlines()
    parts = lines[0].split() if lines else []
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise BadInput("", "response record without an HTTP status line")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers, block[cut:]


def _undo_encodings(body: bytes, headers: dict[str, str]) -> bytes:
    """Undo chunked transfer encoding and gzip/deflate content encoding."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    coding = headers.get("content-encoding", "").lower().strip()
    if coding in ("gzip", "x-gzip", "deflate"):
        # gzip; or deflate, which servers send zlib-wrapped (RFC 9110) or raw
        tries = (47,) if coding != "deflate" else (15, -15)
        for wbits in tries:
            try:
                body = zlib.decompress(body, wbits=wbits)
                break
            except zlib.error:
                continue
        else:
            raise BadInput("", f"cannot undo Content-Encoding: {coding}")
    elif coding not in ("", "identity"):
        raise BadInput("", f"unsupported Content-Encoding: {coding}")
    return body


def _dechunk(body: bytes) -> bytes:
    """Join the chunks of a chunked HTTP body (leaving it as is if it is not chunked).

    Tolerates what crawlers store: bare ``\n`` line ends, a missing final ``\r\n`` after the
    last-chunk ``0``, and a body cut inside a chunk (what arrived is kept).
    """
    out, pos = bytearray(), 0
    while pos < len(body):
        eol = body.find(b"\n", pos)
        line = body[pos:] if eol < 0 else body[pos:eol]
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            return body if pos == 0 else bytes(out)  # not chunked at all, or junk at the end
        if size == 0 or eol < 0:
            break
        start = eol + 1
        out += body[start:start + size]
        pos = start + size
        if body.startswith(b"\r\n", pos):
            pos += 2
        elif body.startswith(b"\n", pos):
            pos += 1
    return bytes(out)


def _charset(content_type: str) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
