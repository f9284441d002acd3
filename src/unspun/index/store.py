"""The reference index: one local directory holding documents (SQLite) and postings segments.

Layout of an index directory::

    index.json        format name, version and the fingerprint settings
    docs.sqlite       documents, their kept sentence spans, segment and tombstone tables (WAL)
    seg/NAME.*.npy    immutable postings segments, sorted by key
    LOCK              held by the one writer

A batch is committed in one SQLite transaction that inserts its documents and names its
segment, after the segment's files are fsynced. A process killed at any moment leaves either
the whole batch or none of it; unreferenced segment files are swept by the next writer.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import threading
import uuid
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from unspun.config import FingerprintConfig
from unspun.data import Document, Sentence, sentence_at
from unspun.errors import BadIndex
from unspun.index.segments import Segment, merge
from unspun.text.tokens import fold_whitespace

FORMAT = "unspun-index"
# 3: document texts are stored zstd-compressed (2 stored them with zlib; still read).
VERSION = 3
_READABLE = (2, 3)
MAX_SEGMENTS = 8
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_codecs = threading.local()  # zstd contexts are not thread-safe: one pair per thread


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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    docno INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE,
    title TEXT, url TEXT, site TEXT, date TEXT, source TEXT, meta TEXT,
    text BLOB NOT NULL,
    sents BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS segments (name TEXT PRIMARY KEY, postings INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tombstones (docno INTEGER PRIMARY KEY);
"""


@dataclass(slots=True)
class Prepared:
    """A document ready to commit: its sentences and index keys are computed."""

    doc: Document
    sentences: list[Sentence]
    keys: np.ndarray
    hash: str


@dataclass(slots=True)
class AddStats:
    """What one ``add`` did."""

    added: int = 0
    duplicate_id: int = 0
    duplicate_content: int = 0
    empty: int = 0
    batches: int = 0
    skipped_ids: list[str] = field(default_factory=list)


def content_hash(text: str) -> str:
    """A hash of the text with whitespace and case normalised, for duplicate detection.

    The normal form is ``" ".join(text.lower().split())``. Most articles separate paragraphs
    by one or two newlines, which two replacements turn into single spaces, so that
    :func:`fold_whitespace` can usually skip splitting the text into words.
    """
    flat = text.replace("\n\n", "\n").replace("\n", " ")
    return hashlib.blake2b(fold_whitespace(flat).lower().encode(), digest_size=16).hexdigest()


def _span_bytes(sentences: list[Sentence]) -> bytes:
    """Sentence spans as stored: (start, end) pairs of native int32."""
    return array("i", [x for s in sentences for x in (s.span.start, s.span.end)]).tobytes()


def _write_meta(root: Path, meta: dict[str, Any]) -> None:
    """Replace ``index.json`` atomically."""
    tmp = root / "index.json.tmp"
    tmp.write_text(json.dumps(meta, indent=2))
    os.replace(tmp, root / "index.json")


class Index:
    """An on-disk reference index; open it with :meth:`open` or :meth:`create`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, config: FingerprintConfig,
                 *, writable: bool) -> None:
        self.path = path
        self.config = config
        self.writable = writable
        self._conn = conn
        self._lock_fd: int | None = None
        self._segments: list[Segment] = []
        self._dead: set[int] = set()
        self.reload()

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, config: FingerprintConfig | None = None) -> Index:
        """Create a new index directory (or open an existing one for writing)."""
        root = Path(path)
        if (root / "index.json").exists():
            return cls.open(root, writable=True)
        if root.exists() and not root.is_dir():
            raise BadIndex(str(root), "exists and is not a directory")
        (root / "seg").mkdir(parents=True, exist_ok=True)
        cfg = config or FingerprintConfig()
        _write_meta(root, {"format": FORMAT, "version": VERSION, "fingerprint": cfg.to_dict()})
        return cls.open(root, writable=True)

    @classmethod
    def open(cls, path: str | Path, *, writable: bool = False) -> Index:
        """Open an existing index.

        Raises:
            BadIndex: the directory is missing, unreadable, or from an incompatible version.
        """
        root = Path(path)
        if not root.is_dir():
            raise BadIndex(str(root), "no index here (create one with 'unspun index add')")
        try:
            meta = json.loads((root / "index.json").read_text())
        except FileNotFoundError:
            raise BadIndex(str(root), "not an unspun index (index.json is missing)") from None
        except (OSError, ValueError) as exc:
            raise BadIndex(str(root), f"unreadable index.json ({exc.__class__.__name__})") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise BadIndex(str(root), "not an unspun index")
        if meta.get("version") not in _READABLE:
            raise BadIndex(str(root), f"index format version {meta.get('version')} is not "
                                      f"supported by this unspun (needs {VERSION}); rebuild it")
        try:
            config = FingerprintConfig(**meta["fingerprint"])
            conn = sqlite3.connect(root / "docs.sqlite", isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript(_SCHEMA)
        except (TypeError, KeyError, sqlite3.DatabaseError) as exc:
            raise BadIndex(str(root), f"unreadable index ({exc})") from None
        index = cls(root, conn, config, writable=writable)
        if writable:
            try:
                index._take_lock()
                index._sweep()
                if meta["version"] != VERSION:
                    # New texts will be zstd: only this version can read the index from now on.
                    _write_meta(root, {**meta, "version": VERSION})
            except OSError as exc:
                index.close()
                raise BadIndex(str(root), f"cannot write here ({exc.strerror})") from None
        return index

    def _take_lock(self) -> None:
        fd = os.open(self.path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise BadIndex(str(self.path), "another process is writing to this index") from None
        self._lock_fd = fd

    def _sweep(self) -> None:
        """Delete segment files no committed batch refers to (left by a killed writer)."""
        live = {name for name, in self._conn.execute("SELECT name FROM segments")}
        for file in (self.path / "seg").iterdir():
            if file.name.split(".")[0] not in live:
                file.unlink(missing_ok=True)

    def reload(self) -> None:
        """Re-read the committed segment list and tombstones.

        Segments are immutable, so those already mapped are kept and only new ones are opened
        (a writer reloads after every batch: reopening them all slowed each commit as a
        build grew).
        """
        try:
            names = [n for n, in self._conn.execute("SELECT name FROM segments ORDER BY rowid")]
            self._dead = {d for d, in self._conn.execute("SELECT docno FROM tombstones")}
            mapped = {seg.name: seg for seg in self._segments}
            self._segments = [mapped[n] if n in mapped else Segment.load(self.path / "seg", n)
                              for n in names]
        except (sqlite3.DatabaseError, OSError, ValueError) as exc:
            raise BadIndex(str(self.path), f"unreadable index ({exc})") from None

    def close(self) -> None:
        self._conn.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if not self.writable:
            raise BadIndex(str(self.path), "index is open read-only")

    def commit_batch(self, batch: list[Prepared], stats: AddStats) -> None:
        """Commit one batch atomically: documents, then their segment, in one transaction.

        A document whose id or content hash is already indexed (or earlier in the batch) is
        skipped and counted.
        """
        self._check_writable()
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            ids = self._existing("id", [item.doc.id for item in batch])
            hashes = self._existing("hash", [item.hash for item in batch])
            new: list[Prepared] = []
            for item in batch:
                duplicate = item.doc.id in ids
                if duplicate or item.hash in hashes:
                    if duplicate:
                        stats.duplicate_id += 1
                    else:
                        stats.duplicate_content += 1
                    stats.skipped_ids.append(item.doc.id)
                    continue
                ids.add(item.doc.id)
                hashes.add(item.hash)
                new.append(item)
            conn.executemany(
                "INSERT INTO docs (id, hash, title, url, site, date, source, meta, text, sents)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(d.id, item.hash, d.title, d.url, d.site, d.date, d.source,
                  json.dumps(d.meta, default=str), pack_text(d.text), _span_bytes(item.sentences))
                 for item in new for d in (item.doc,)])
            if new:
                docno = dict(conn.execute(
                    "SELECT id, docno FROM docs WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps([item.doc.id for item in new]),)))
                docnos = np.array([docno[item.doc.id] for item in new], dtype=np.uint32)
                seg = Segment.build(np.concatenate([item.keys for item in new]),
                                    np.repeat(docnos, [len(item.keys) for item in new]),
                                    f"s{uuid.uuid4().hex[:16]}")
                seg.write(self.path / "seg")
                conn.execute("INSERT INTO segments VALUES (?, ?)", (seg.name, len(seg.keys)))
            conn.execute("COMMIT")
            stats.added += len(new)
            stats.batches += 1
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.reload()

    def _existing(self, column: str, values: list[str]) -> set[str]:
        """Which of ``values`` the ``docs`` column (``id`` or ``hash``) already holds."""
        return {v for v, in self._conn.execute(
            f"SELECT {column} FROM docs WHERE {column} IN (SELECT value FROM json_each(?))",
            (json.dumps(values),))}

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove documents by id; returns the ids that were found and removed."""
        self._check_writable()
        removed: list[str] = []
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        for doc_id in ids:
            row = conn.execute("SELECT docno FROM docs WHERE id=?", (doc_id,)).fetchone()
            if row:
                conn.execute("DELETE FROM docs WHERE docno=?", row)
                conn.execute("INSERT OR IGNORE INTO tombstones VALUES (?)", row)
                removed.append(doc_id)
        conn.execute("COMMIT")
        self.reload()
        return removed

    def compact(self, *, force: bool = False) -> bool:
        """Merge segments into one when there are many (or ``force``); drops removed docs."""
        self._check_writable()
        if len(self._segments) <= (1 if force else MAX_SEGMENTS) and not (force and self._dead):
            return False
        old = list(self._segments)
        dead = set(self._dead)
        seg = merge(old, f"s{uuid.uuid4().hex[:16]}", dead)
        seg.write(self.path / "seg")
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("DELETE FROM segments WHERE name=?", [(s.name,) for s in old])
        conn.execute("INSERT INTO segments VALUES (?, ?)", (seg.name, len(seg.keys)))
        conn.executemany("DELETE FROM tombstones WHERE docno=?", [(d,) for d in dead])
        conn.execute("COMMIT")
        self.reload()
        for s in old:
            for file in Segment.files(self.path / "seg", s.name):
                file.unlink(missing_ok=True)
        return True

    # -- reading -------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM docs").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        """Document, posting and size counts, for ``unspun index stats`` and the web API."""
        postings = sum(len(s.keys) for s in self._segments)
        files = [p for p in self.path.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        seg_bytes = sum(p.stat().st_size for p in (self.path / "seg").iterdir())
        docs = len(self)
        return {
            "path": str(self.path),
            "format": FORMAT,
            "version": VERSION,
            "documents": docs,
            "removed_pending_compaction": len(self._dead),
            "segments": len(self._segments),
            "postings": postings,
            "postings_bytes": seg_bytes,
            "postings_bytes_per_document": round(seg_bytes / docs, 1) if docs else 0.0,
            "bytes_on_disk": size,
            "sites": [r[0] for r in self._conn.execute(
                "SELECT site FROM docs WHERE site IS NOT NULL GROUP BY site "
                "ORDER BY count(*) DESC LIMIT 10")],
            "fingerprint": self.config.to_dict(),
        }

    def lookup(self, keys: np.ndarray, *, max_df: int) -> tuple[np.ndarray, np.ndarray]:
        """All live postings of ``keys``: ``(query_index, docno)`` rows over every segment.

        A key's document frequency is summed over segments before the ``max_df`` cut.
        """
        if not self._segments or not len(keys):
            return np.empty(0, np.int64), np.empty(0, np.uint32)
        parts = [s.lookup(keys, max_df) for s in self._segments]
        df = np.sum([p[2] for p in parts], axis=0)
        q = np.concatenate([p[0] for p in parts])
        d = np.concatenate([p[1] for p in parts])
        keep = df[q] <= max_df
        if self._dead:
            keep &= ~np.isin(d, np.fromiter(self._dead, dtype=np.uint32))
        return q[keep], d[keep]

    def _row_to_doc(self, row: tuple[Any, ...]) -> tuple[Document, list[Sentence]]:
        (docno, doc_id, title, url, site, date, source, meta, text, sents) = row
        body = unpack_text(text)
        doc = Document(id=doc_id, text=body, title=title, url=url, site=site, date=date,
                       source=source, meta=json.loads(meta) if meta else {})
        spans = np.frombuffer(sents, dtype=np.int32).reshape(-1, 2)
        sentences = [sentence_at(i, a, b, body[a:b]) for i, (a, b) in enumerate(spans.tolist())]
        return doc, sentences

    _COLUMNS = "docno, id, title, url, site, date, source, meta, text, sents"

    def fetch(self, docnos: Iterable[int]) -> dict[int, tuple[Document, list[Sentence]]]:
        """Documents and their stored sentences by document number."""
        wanted = [int(d) for d in docnos]
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._conn.execute(
            f"SELECT {self._COLUMNS} FROM docs WHERE docno IN ({marks})", wanted)
        return {row[0]: self._row_to_doc(row) for row in rows}

    def get(self, doc_id: str) -> Document | None:
        """A document by id, or None."""
        row = self._conn.execute(f"SELECT {self._COLUMNS} FROM docs WHERE id=?",
                                 (doc_id,)).fetchone()
        return self._row_to_doc(row)[0] if row else None

    def documents(self) -> Iterator[Document]:
        """Every live document, in insertion order."""
        for row in self._conn.execute(f"SELECT {self._COLUMNS} FROM docs ORDER BY docno"):
            yield self._row_to_doc(row)[0]
