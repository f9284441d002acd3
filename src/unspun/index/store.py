"""The reference index: one local directory holding documents (SQLite) and postings segments.

Layout of an index directory::

    index.json        format, version, fingerprint settings, the seal of docs.sqlite, checksum
    docs.sqlite       documents, their kept sentence spans, segment and tombstone tables
    seg/NAME.seg      immutable postings segments (see :mod:`unspun.index.segments`)
    seg/NAME.kf       optional key filters of a segment's blocks (:mod:`unspun.index.keyfilter`)
    LOCK              held by the one writer

A batch is committed in one SQLite transaction that inserts its documents and names its
segment, after the segment's file is fsynced. A process killed at any moment leaves either
the whole batch or none of it; unreferenced segment files are swept by the next writer
that can empty the WAL (see ``Index._sweep``).
A writer marks ``index.json`` unsealed when it opens the index and, when it closes, records
the size and checksum of ``docs.sqlite`` (the seal). Readers open everything read-only.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unspun.config import FingerprintConfig
from unspun.data import Document, Sentence
from unspun.errors import BadIndex
from unspun.index import merge as merging
from unspun.index.legacy import LegacySegment
from unspun.index.merge import MAX_SEGMENTS
from unspun.index.opening import check_seal, connect, seal, take_lock, upgrade, write_failure
from unspun.index.reading import IndexReader
from unspun.index.records import (
    DOC_COLUMNS,
    FORMAT,
    SCHEMA,
    VERSION,
    content_hash,
    database_errors,
    pack_text,
    read_meta,
    row_sum,
    span_bytes,
    tombstone_sum,
    unpack_text,
    write_meta,
)
from unspun.index.segments import Segment, segment_files, write_segment

__all__ = ["MAX_SEGMENTS", "AddStats", "Index", "Prepared", "content_hash", "pack_text",
           "unpack_text"]

# Segments larger than this are unmapped after each lookup, so a reader's RSS stays small.
_RELEASE_ABOVE = 1 << 23


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


class Index(IndexReader):
    """An on-disk reference index; open it with :meth:`open` or :meth:`create`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, meta: dict[str, Any],
                 config: FingerprintConfig, *, writable: bool, lock_fd: int | None = None
                 ) -> None:
        self.path = path
        self.config = config
        self.writable = writable
        self.meta = meta
        self._conn = conn
        self._lock_fd = lock_fd
        self._segments: list[Segment | LegacySegment] = []
        self._dead: set[int] = set()
        self._columns = DOC_COLUMNS
        self._old = False  # an older format's tables: no checksum columns
        with database_errors(path / "docs.sqlite"):
            have = {row[1] for row in conn.execute("PRAGMA table_info(segments)")}
        if "size" not in have:
            self._columns = DOC_COLUMNS.replace(", sum", ", NULL")
            self._old = True
        self.reload()

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, config: FingerprintConfig | None = None) -> Index:
        """Create a new index directory, or open an existing one for writing.

        Raises:
            BadIndex: the path is a file, cannot be written, or holds an index built with
                fingerprint settings other than ``config``.
        """
        root = Path(path)
        if (root / "index.json").exists():
            index = cls.open(root, writable=True)
            if config is not None and config != index.config:
                index.close()
                raise BadIndex(str(root), "was built with other fingerprint settings "
                               f"({index.config.to_dict()}); they cannot change (use a new "
                               "index directory)")
            return index
        if root.exists() and not root.is_dir():
            raise BadIndex(str(root), "exists and is not a directory")
        cfg = config or FingerprintConfig()
        try:
            (root / "seg").mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(root / "docs.sqlite") as conn:
                conn.executescript(SCHEMA)
            conn.close()
            write_meta(root, {"format": FORMAT, "version": VERSION,
                              "fingerprint": cfg.to_dict(), "docs": None})
        except (OSError, sqlite3.Error) as exc:
            raise write_failure(root, exc, "no index was created") from None
        return cls.open(root, writable=True)

    @classmethod
    def open(cls, path: str | Path, *, writable: bool = False) -> Index:
        """Open an existing index; reading never creates or changes a file.

        Raises:
            BadIndex: the directory is missing, damaged (one line naming the file), from an
                incompatible version, or (``writable``) locked or not writable.
        """
        root = Path(path)
        if not root.is_dir():
            raise BadIndex(str(root), "no index here (create one with 'unspun index add')")
        meta = read_meta(root)
        try:
            config = FingerprintConfig.stored(meta["fingerprint"])
        except (TypeError, KeyError):
            raise BadIndex(str(root / "index.json"), "unreadable fingerprint settings") from None
        db = root / "docs.sqlite"
        if not db.is_file():
            raise BadIndex(str(db), "missing (the index cannot be used; rebuild it)")
        meta = check_seal(root, meta)
        if not writable:
            return cls(root, connect(db, writable=False), meta, config, writable=False)
        lock = take_lock(root)
        try:
            if meta.get("docs"):
                meta = {**meta, "docs": None}
                write_meta(root, meta)  # unsealed while this writer works
            conn = connect(db, writable=True)
            meta = upgrade(conn, root, meta)
            index = cls(root, conn, meta, config, writable=True, lock_fd=lock)
            index._sweep()
        except (OSError, sqlite3.Error) as exc:
            os.close(lock)
            raise write_failure(root, exc, "nothing was changed") from None
        except BaseException:
            os.close(lock)
            raise
        return index

    def _sweep(self) -> None:
        """Delete segment files no committed batch refers to (left by a killed writer).

        Only once the WAL is checkpointed and emptied. A writer killed between a commit's WAL
        write and its wal-index update leaves a batch that SQLite's recovery will find, but
        recovery runs only when no process has the database open: while a reader keeps it
        open, this writer reads the wal-index the killed one left and does not see the batch.
        Its segment file looked unreferenced, and once this writer ended without writing (a
        commit of its own overwrites those WAL frames), the next open recovered the batch
        and its segment was missing. Emptying the WAL discards the batch for good; if a
        reader's transaction blocks that, the files wait for a later writer.
        """
        conn = self._conn
        conn.execute("PRAGMA busy_timeout=50")  # not the 5 s default: readers may be busy
        try:
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:
            busy = 1
        finally:
            conn.execute("PRAGMA busy_timeout=5000")
        if busy:
            return
        live = {name for name, in conn.execute("SELECT name FROM segments")}
        for file in (self.path / "seg").iterdir():
            # A ".tmp" file of a live segment: a key filter a killed writer left unfinished.
            if file.name.split(".")[0] not in live or file.name.endswith(".tmp"):
                file.unlink(missing_ok=True)

    def reload(self, *, retry: bool = True) -> None:
        """Re-read the committed segment list and tombstones.

        Segments are immutable, so those already mapped are kept and only new ones are opened
        (a writer reloads after every batch).
        """
        with database_errors(self.path / "docs.sqlite"):
            rows = list(self._conn.execute(
                "SELECT name, " + ("NULL" if self._old else "size") +
                " FROM segments ORDER BY rowid"))
            dead = list(self._conn.execute(
                "SELECT docno, " + ("NULL" if self._old else "sum") + " FROM tombstones"))
        legacy = self.meta["version"] < VERSION
        for docno, total in dead:
            if not isinstance(docno, int) or (total != tombstone_sum(docno) if total is not None
                                              else not legacy):
                raise BadIndex(str(self.path / "docs.sqlite"),
                               f"tombstone {docno} fails its checksum")
        self._dead = {d for d, _ in dead}
        mapped = {seg.name: seg for seg in self._segments}
        try:
            self._segments = [mapped.get(name) or self._load(name, size) for name, size in rows]
        except BadIndex:
            if retry and not self.writable:  # a writer merged them away since the query?
                self.reload(retry=False)
                return
            raise

    def _load(self, name: str, size: int | None) -> Segment | LegacySegment:
        seg = self.path / "seg"
        if not isinstance(name, str) or not name.isalnum() or not (
                size is None or isinstance(size, int)):
            raise BadIndex(str(self.path / "docs.sqlite"), "unreadable segment table")
        if size is None and not (seg / f"{name}.seg").exists():
            return LegacySegment(seg, name)
        return Segment(seg / f"{name}.seg", name, size=size)

    def close(self) -> None:
        """Close the index; a writer seals ``docs.sqlite`` in ``index.json`` first."""
        for segment in self._segments:
            if isinstance(segment, Segment):
                segment.close()
        if self._lock_fd is None:
            self._conn.close()
            return
        try:
            self.meta = seal(self._conn, self.path, self.meta)
        finally:
            self._conn.close()
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

    def _transaction(self, work: Any, what: str, *, undo: list[Path]) -> Any:
        """Run ``work()`` in one write transaction; on a write error roll back, delete
        ``undo`` files and raise a one-line :class:`BadIndex`."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work()
            conn.execute("COMMIT")
            return result
        except BaseException as exc:
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            for file in undo:
                file.unlink(missing_ok=True)
            if isinstance(exc, OSError | sqlite3.Error):
                raise write_failure(self.path, exc, what) from None
            raise

    def commit_batch(self, batch: list[Prepared], stats: AddStats) -> None:
        """Commit one batch atomically: documents, then their segment, in one transaction.

        A document whose id or content hash is already indexed (or earlier in the batch) is
        skipped and counted.

        Raises:
            BadIndex: the disk is full or not writable; nothing of the batch is kept.
        """
        self._check_writable()
        name = f"s{uuid.uuid4().hex[:16]}"
        undo = segment_files(self.path / "seg", name)
        new = self._transaction(lambda: self._insert(batch, stats, name),
                                "nothing of this batch was kept", undo=undo)
        stats.added += new
        stats.batches += 1
        self.reload()

    def _insert(self, batch: list[Prepared], stats: AddStats, name: str) -> int:
        conn = self._conn
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
        if not new:
            return 0
        (top,) = conn.execute("SELECT max(coalesce((SELECT seq FROM sqlite_sequence "
                              "WHERE name='docs'), 0), coalesce(max(docno), 0)) FROM docs"
                              ).fetchone()
        rows = [(top + i, _text(d.id), item.hash, _text(d.title), _text(d.url), _text(d.site),
                 _text(d.date), _text(d.source), _meta(d.meta),
                 pack_text(d.text), span_bytes(item.sentences))
                for i, item in enumerate(new, 1) for d in (item.doc,)]
        conn.executemany(f"INSERT INTO docs ({DOC_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         [(*row, row_sum(row)) for row in rows])
        docnos = np.arange(top + 1, top + 1 + len(new), dtype=np.uint32)
        info = write_segment(self.path / "seg", name, np.concatenate([i.keys for i in new]),
                             np.repeat(docnos, [len(i.keys) for i in new]))
        conn.execute("INSERT INTO segments VALUES (?, ?, ?, ?)",
                     (info.name, info.postings, info.size, info.checksum >> 1))
        return len(new)

    def _existing(self, column: str, values: list[str]) -> set[str]:
        """Which of ``values`` the ``docs`` column (``id`` or ``hash``) already holds."""
        return {v for v, in self._conn.execute(
            f"SELECT {column} FROM docs WHERE {column} IN (SELECT value FROM json_each(?))",
            (json.dumps(values),))}

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove documents by id; returns the ids that were found and removed."""
        self._check_writable()
        conn = self._conn

        def work() -> list[str]:
            removed: list[str] = []
            for doc_id in ids:
                row = conn.execute("SELECT docno FROM docs WHERE id=?", (doc_id,)).fetchone()
                if row:
                    conn.execute("DELETE FROM docs WHERE docno=?", row)
                    conn.execute("INSERT OR IGNORE INTO tombstones VALUES (?, ?)",
                                 (row[0], tombstone_sum(row[0])))
                    removed.append(doc_id)
            return removed

        removed: list[str] = self._transaction(work, "nothing was removed", undo=[])
        self.reload()
        return removed

    def compact(self, *, force: bool = False) -> bool:
        """Merge segments: every over-full tier (see :mod:`unspun.index.merge`), or with
        ``force`` all of them into one, dropping removed documents' postings.

        Returns:
            Whether anything was merged.

        Raises:
            BadIndex: the disk is full or not writable; the index stays as it was.
        """
        self._check_writable()
        merged = False
        while True:
            if force:
                group = (list(range(len(self._segments)))
                         if len(self._segments) > 1 or self._dead else [])
            else:
                group = merging.pick([s.postings for s in self._segments])
            if not group or (merged and force):
                return merged
            self._merge([self._segments[i] for i in group])
            merged = True

    def add_filters(self) -> int:
        """Write the key filter of every segment that has none (or a damaged one): segments
        written before filters existed. Each is written to a temporary file, fsynced and
        renamed; a writer killed meanwhile leaves the index as it was and a ``.tmp`` file
        the next writer deletes. Lookups of this object do not use the new filters; an
        index opened again does.

        Returns:
            How many filters were written.

        Raises:
            BadIndex: the disk is full or not writable (no filter is half written), or a
                block fails its checksum.
        """
        self._check_writable()
        written = 0
        for segment in self._segments:
            if isinstance(segment, Segment) and segment.key_filter is None:
                try:
                    segment.write_key_filter()
                except OSError as exc:
                    raise write_failure(self.path, exc, "the index is unchanged") from None
                written += 1
        return written

    def _merge(self, old: list[Segment | LegacySegment]) -> None:
        """Replace ``old`` by one merged segment: write it, swap the names, delete the old."""
        full = len(old) == len(self._segments)
        dead = sorted(self._dead)
        name = f"m{uuid.uuid4().hex[:16]}"  # "m": written by a merge
        seg_dir = self.path / "seg"

        def work() -> None:
            info = merging.merge(old, seg_dir, name, np.array(dead, dtype=np.uint32))
            conn = self._conn
            conn.executemany("DELETE FROM segments WHERE name=?", [(s.name,) for s in old])
            conn.execute("INSERT INTO segments VALUES (?, ?, ?, ?)",
                         (info.name, info.postings, info.size, info.checksum >> 1))
            if full:
                conn.executemany("DELETE FROM tombstones WHERE docno=?", [(d,) for d in dead])

        self._transaction(work, "the segments were not merged",
                          undo=segment_files(seg_dir, name))
        self.reload()
        for s in old:
            for file in segment_files(seg_dir, s.name):
                file.unlink(missing_ok=True)


def _text(value: object) -> str | None:
    """A metadata value as SQLite's TEXT column gives it back (so row checksums match)."""
    return value if value is None or isinstance(value, str) else str(value)


def _meta(meta: object) -> str:
    """The ``meta`` column: the metadata as JSON (most documents have none)."""
    return "{}" if type(meta) is dict and not meta else json.dumps(meta, default=str)
