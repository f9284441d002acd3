"""What an index stores besides postings: the SQLite schema, row checksums, texts, index.json."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import zlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Any

import zstandard

from unspun._native import speedups
from unspun.data import Sentence
from unspun.errors import BadIndex
from unspun.index.segments import checksum, fsync_dir
from unspun.text.tokens import fold_whitespace

FORMAT = "unspun-index"
# 5: bit-packed postings blocks (segments.py). 4: checksums (index.json, every document row
#    and tombstone, per block and per segment file), single-file segments with a key directory,
#    a sealed docs.sqlite. 3: zstd texts. 2: zlib. Formats 2 and 3 are read and upgraded (their
#    .npy segments stay readable); format 4's segments are not read: such an index is rebuilt.
VERSION = 5
READABLE = (2, 3, 5)
UNREADABLE = {4: "its postings segments are format 4 (8 bytes a posting); this unspun reads "
                 "the bit-packed format 5 only"}
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_codecs = threading.local()  # zstd contexts are not thread-safe: one pair per thread
_PLACEHOLDER = "0" * 16
# The bytes row_sum hashes, built in C (None for a row of unusual types: the Python path).
_row_bytes = None if speedups is None else speedups.row_bytes
# span_bytes read from the Sentence and Span slots in C (None for unusual items: Python).
_span_bytes = None if speedups is None else speedups.span_bytes

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    docno INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE,
    title TEXT, url TEXT, site TEXT, date TEXT, source TEXT, meta TEXT,
    text BLOB NOT NULL,
    sents BLOB NOT NULL,
    sum INTEGER
);
CREATE TABLE IF NOT EXISTS segments (name TEXT PRIMARY KEY, postings INTEGER NOT NULL,
                                     size INTEGER, sum INTEGER);
CREATE TABLE IF NOT EXISTS tombstones (docno INTEGER PRIMARY KEY, sum INTEGER);
"""
# Columns format 4 added to the tables of formats 2 and 3 (NULL in old rows: not checked).
NEW_COLUMNS = {"docs": ["sum INTEGER"], "segments": ["size INTEGER", "sum INTEGER"],
               "tombstones": ["sum INTEGER"]}
DOC_COLUMNS = "docno, id, hash, title, url, site, date, source, meta, text, sents, sum"


def pack_text(text: str) -> bytes:
    """A document text as stored: UTF-8, zstd level 1 (3x faster than zlib's fastest, as small)."""
    if not hasattr(_codecs, "compress"):
        _codecs.compress = zstandard.ZstdCompressor(level=1).compress
    data: bytes = _codecs.compress(text.encode())
    return data


def unpack_text(blob: bytes) -> str:
    """The text :func:`pack_text` stored (or a version-2 index's zlib stream)."""
    if blob[:4] != _ZSTD_MAGIC:
        return zlib.decompress(blob).decode()
    if not hasattr(_codecs, "decompress"):
        _codecs.decompress = zstandard.ZstdDecompressor().decompress
    data: bytes = _codecs.decompress(blob)
    return data.decode()


def content_hash(text: str) -> str:
    """A hash of the text with whitespace and case normalised, for duplicate detection.

    The normal form is ``" ".join(text.lower().split())``. Most articles separate paragraphs
    by one or two newlines, which two replacements turn into single spaces, so that
    :func:`fold_whitespace` can usually skip splitting the text into words.
    """
    flat = text.replace("\n\n", "\n").replace("\n", " ")
    return folded_hash(fold_whitespace(flat))


def folded_hash(folded: str) -> str:
    """:func:`content_hash` of a text whose words are already joined by single spaces
    (``" ".join(text.split())``, for example the folded lines of cleaning, joined)."""
    return hashlib.blake2b(lower_utf8(folded), digest_size=16).hexdigest()


_ASCII = bytes(range(128))
# Non-ASCII characters seen so far: whether ``str.lower()`` leaves each alone.
_LOWER_FIXED: dict[str, bool] = {}


def lower_utf8(text: str) -> bytes:
    """``text.lower().encode()``, by ``bytes.lower()`` when it gives the same bytes.

    ``str.lower()`` looks every character up in the Unicode tables as soon as a text holds one
    non-ASCII character (a curly quote): 7x the time of an ASCII text (about 80 us on a
    3.5 KB article). ``bytes.lower()`` maps A-Z only, which is all ``str.lower()`` changes when
    every non-ASCII character of the text lowers to itself (quotes, dashes, lower-case accented
    letters: most pages). Each character is tested alone: the one rule of ``str.lower()`` that
    depends on context (a capital sigma) applies to a character that is no fixed point.
    """
    data = text.encode()
    if text.isascii():
        return data.lower()
    for c in set(data.translate(None, _ASCII).decode()):
        fixed = _LOWER_FIXED.get(c)
        if fixed is None:
            fixed = _LOWER_FIXED[c] = c.lower() == c
        if not fixed:
            return text.lower().encode()
    return data.lower()


def span_bytes(sentences: list[Sentence]) -> bytes:
    """Sentence spans as stored: (start, end) pairs of native int32."""
    data = None if _span_bytes is None else _span_bytes(sentences)
    if data is not None:
        return data
    return array("i", [x for s in sentences for x in (s.span.start, s.span.end)]).tobytes()


def row_sum(row: tuple[Any, ...]) -> int:
    """The checksum of a ``docs`` row: every column from docno to sents (63 bits, for SQLite)."""
    data = None if _row_bytes is None else _row_bytes(row)
    if data is None:
        *fields, text, sents = row[:11]
        head = _json_list([*fields, len(text), len(sents)]).encode()
        data = head + bytes(text) + bytes(sents)
    return checksum(data) >> 1


def checked_sum(row: tuple[Any, ...]) -> int | None:
    """:func:`row_sum` of a :func:`well_formed` row, None for a row that is not.

    A fetch checks ~100 rows a trace; the compiled twin does both in one call (a row of the
    usual types, every row the index writes) instead of about 5 us of Python a row.
    """
    data = None if _row_bytes is None else _row_bytes(row)
    if data is not None:
        return checksum(data) >> 1
    return row_sum(row) if well_formed(row) else None


_json_str = encode_basestring_ascii


def _json_list(values: list[Any]) -> str:
    """``json.dumps(values)`` for a list of str, int and None, the same text without the
    encoder object ``json.dumps`` builds per call (6 of the 10 us of a row's checksum)."""
    parts: list[str] = []
    for v in values:
        if v is None:
            parts.append("null")
        elif type(v) is str:
            parts.append(_json_str(v))
        elif type(v) is int:
            parts.append(int.__repr__(v))
        else:  # any other type (bool, float, a subclass): json's own rules
            return json.dumps(values)
    return "[" + ", ".join(parts) + "]"


@contextmanager
def database_errors(db: Path) -> Iterator[None]:
    """Turn SQLite's errors, and text SQLite hands back undecodable, into a :class:`BadIndex`."""
    try:
        yield
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise BadIndex(str(db), f"unreadable index database ({exc})") from None


def well_formed(row: tuple[Any, ...]) -> bool:
    """Whether a ``docs`` row has the types the index wrote (damage can change them)."""
    docno, doc_id, digest, *meta, text, sents, total = row
    return (isinstance(docno, int) and isinstance(doc_id, str) and isinstance(digest, str)
            and all(v is None or isinstance(v, str) for v in meta)
            and isinstance(text, bytes) and isinstance(sents, bytes)
            and (total is None or isinstance(total, int)))


def unchecked_below(meta: dict[str, Any]) -> int:
    """Rows with a lower document number may lack a checksum (written before format 4)."""
    if meta.get("version", 0) < 4:
        return 1 << 63
    start = meta.get("checksums_from", 0)
    return start if isinstance(start, int) else 0


def tombstone_sum(docno: int) -> int:
    """The checksum of a tombstone row."""
    return checksum(b"tombstone:%d" % docno) >> 1


def write_meta(root: Path, meta: dict[str, Any]) -> None:
    """Replace ``index.json`` atomically and durably, with a checksum of its exact bytes."""
    body = {k: v for k, v in meta.items() if k != "checksum"}
    text = json.dumps({**body, "checksum": _PLACEHOLDER}, indent=2) + "\n"
    text = text.replace(f'"{_PLACEHOLDER}"', f'"{checksum(text.encode()):016x}"')
    tmp = root / "index.json.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, root / "index.json")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(root)


def read_meta(root: Path) -> dict[str, Any]:
    """``index.json``, its checksum verified when it has one (format 4).

    Raises:
        BadIndex: it is missing, not JSON, not an unspun index, or fails its checksum.
    """
    try:
        raw = (root / "index.json").read_bytes()
        meta = json.loads(raw)
    except FileNotFoundError:
        raise BadIndex(str(root), "not an unspun index (index.json is missing)") from None
    except (OSError, ValueError) as exc:
        raise BadIndex(str(root), f"unreadable index.json ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BadIndex(str(root), "not an unspun index")
    old = UNREADABLE.get(meta.get("version"))  # type: ignore[arg-type]
    if old:
        raise BadIndex(str(root), f"index format {meta['version']}: {old}; rebuild it into a "
                                  "new directory with 'unspun index add'")
    if meta.get("version") not in READABLE:
        raise BadIndex(str(root), f"index format version {meta.get('version')} is not "
                                  f"supported by this unspun (needs {VERSION}); rebuild it")
    if meta["version"] >= 4:
        stored = meta.get("checksum")
        text = raw.decode("utf-8", "replace")
        field = f'"checksum": "{stored}"'
        zeroed = text.replace(field, f'"checksum": "{_PLACEHOLDER}"').encode()
        if (not isinstance(stored, str) or text.count(field) != 1
                or f"{checksum(zeroed):016x}" != stored):
            raise BadIndex(str(root / "index.json"), "fails its checksum")
    return meta
