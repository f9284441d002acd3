"""The reading side of an index: lookups, documents by number or id, statistics."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Container, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from unspun.config import FingerprintConfig
from unspun.data import Document, Sentence
from unspun.errors import BadIndex
from unspun.index.legacy import LegacySegment
from unspun.index.records import (
    FORMAT,
    checked_sum,
    database_errors,
    unchecked_below,
    unpack_text,
)
from unspun.index.segments import BLOCK, Segment
from unspun.text.sentences import stored_sequence

# Blocks a reader may read before it unmaps them all: the pages stay in the OS page cache, but
# the process's RSS stays bounded however large the index or long the run. Each page fault
# also maps the cached pages around it: about 50 KB of RSS per 8 KB block on the first
# machine (index format 4), about 290 KB per 3.4 KB block of format 5 on the kernel measured
# on 2026-12-04 (kernel 6.18; large page-cache folios, probably). So one lookup of a suspect's
# ~1,000 keys, ~2,000 blocks, mapped ~600 MB; a lookup now reads its keys in sorted chunks
# and unmaps between them once the budget is spent (docs/performance.md, "Tracer mapping
# budget" and "Issue 14 bars"). Format-5 lookups under BLOCK documents a key (every trace's)
# now copy their blocks with pread and map none; the budget bounds the others.
_RELEASE_EVERY = 256
_CHUNK_KEYS = 128


class IndexReader:
    """What every open index can do; :class:`unspun.index.Index` adds opening and writing."""

    path: Path
    config: FingerprintConfig
    meta: dict[str, Any]
    _conn: sqlite3.Connection
    _columns: str
    _segments: list[Segment | LegacySegment]
    _dead: set[int]

    def reload(self, *, retry: bool = True) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        with database_errors(self.path / "docs.sqlite"):
            return int(self._conn.execute("SELECT count(*) FROM docs").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        """Document, posting and size counts, for ``unspun index stats`` and the web API."""
        postings = sum(s.postings for s in self._segments)
        files = [p for p in self.path.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        seg_bytes = sum(p.stat().st_size for p in (self.path / "seg").iterdir())
        docs = len(self)
        with database_errors(self.path / "docs.sqlite"):
            sites = [r[0] for r in self._conn.execute(
                "SELECT site FROM docs WHERE site IS NOT NULL GROUP BY site "
                "ORDER BY count(*) DESC LIMIT 10")]
        return {
            "path": str(self.path),
            "format": FORMAT,
            "version": self.meta["version"],
            "documents": docs,
            "removed_pending_compaction": len(self._dead),
            "segments": len(self._segments),
            "postings": postings,
            "postings_bytes": seg_bytes,
            "postings_bytes_per_document": round(seg_bytes / docs, 1) if docs else 0.0,
            "bytes_on_disk": size,
            "sites": sites,
            "fingerprint": self.config.to_dict(),
        }

    def lookup(self, keys: np.ndarray, *, max_df: int) -> tuple[np.ndarray, np.ndarray]:
        """All live postings of ``keys``: ``(query_index, docno)`` rows over every segment.

        A key's document frequency is summed over segments before the ``max_df`` cut.

        Raises:
            BadIndex: a postings block read fails its checksum.
        """
        if not self._segments or not len(keys):
            return np.empty(0, np.int64), np.empty(0, np.uint32)
        parts = [_chunked_lookup(s, keys, max_df) for s in self._segments]
        df = np.sum([p[2] for p in parts], axis=0)
        q = np.concatenate([p[0] for p in parts])
        d = np.concatenate([p[1] for p in parts])
        keep = df[q] <= max_df
        if self._dead:
            keep &= ~np.isin(d, np.fromiter(self._dead, dtype=np.uint32))
        return q[keep], d[keep]

    def _row_to_doc(self, row: tuple[Any, ...], split: bool = True
                    ) -> tuple[Document, Sequence[Sentence]]:
        docno, doc_id, _, title, url, site, date, source, meta, text, sents, total = row
        computed = checked_sum(row)  # None: not well formed
        if computed is None or (total != computed if total is not None
                                else docno >= unchecked_below(self.meta)):
            raise BadIndex(str(self.path / "docs.sqlite"),
                           f"document {docno} fails its checksum (run 'unspun index check')")
        try:
            body = unpack_text(text)
            # Most documents have no metadata: "{}" needs no parser.
            doc = Document(doc_id, body, title, url, site, date, source,
                           json.loads(meta) if meta and meta != "{}" else {})
            if len(sents) % 8:
                raise ValueError("sentence spans of a partial row")
        except (ValueError, TypeError, UnicodeDecodeError) as exc:
            raise BadIndex(str(self.path / "docs.sqlite"),
                           f"document {docno} is unreadable ({exc.__class__.__name__})") from None
        # only the sentences of candidates are used, and only their spans in full
        return doc, stored_sequence(body, sents) if split else []

    def _rows(self, sql: str, args: Iterable[Any] = (), *, size: int = 0
              ) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of ``docs`` in pieces of ``size`` (0: all at once)."""
        with database_errors(self.path / "docs.sqlite"):
            cursor = self._conn.execute(f"SELECT {self._columns} FROM docs {sql}", tuple(args))
            while rows := (cursor.fetchmany(size) if size else cursor.fetchall()):
                yield rows
                if not size:
                    return

    def fetch(self, docnos: Iterable[int], *, split: Container[int] | None = None
              ) -> dict[int, tuple[Document, Sequence[Sentence]]]:
        """Documents and their stored sentences by document number.

        With ``split``, only the documents it holds get their sentences (the others an empty
        list): a trace aligns the sentences of its candidates, and reads only the text of the
        documents retrieved for its quotes and headline. Each sentence is made when it is
        first read (:func:`stored_sequence`).

        Raises:
            BadIndex: a document fails its checksum, or postings name a missing document.
        """
        wanted = sorted({int(d) for d in docnos})
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        found = {row[0]: self._row_to_doc(row, split is None or row[0] in split)
                 for rows in self._rows(f"WHERE docno IN ({marks})", wanted) for row in rows}
        missing = set(wanted) - found.keys() - self._dead
        phantoms = self.meta.get("phantoms_from")  # set by benchmarks/pad_index.py only
        if isinstance(phantoms, int):
            missing = {d for d in missing if d < phantoms}
        if missing:
            self.reload()  # removed by a writer since this reader's last look?
            if missing - self._dead:
                raise BadIndex(str(self.path / "docs.sqlite"),
                               f"document {min(missing - self._dead)} is missing "
                               "(run 'unspun index check')")
        return found

    def get(self, doc_id: str) -> Document | None:
        """A document by id, or None."""
        for row in [r for rows in self._rows("WHERE id=?", (doc_id,)) for r in rows]:
            doc = self._row_to_doc(row)[0]
            if doc.id != doc_id:
                raise BadIndex(str(self.path / "docs.sqlite"), "the id index is damaged")
            return doc
        return None

    def documents(self) -> Iterator[Document]:
        """Every live document, in insertion order."""
        for rows in self._rows("ORDER BY docno", size=256):
            for row in rows:
                yield self._row_to_doc(row)[0]


def _chunked_lookup(segment: Segment | LegacySegment, keys: np.ndarray, max_df: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``segment.lookup`` of ``keys`` in sorted chunks, unmapping whenever the reader's block
    budget is spent, so that one large lookup never maps much of a large segment at once."""
    order = np.argsort(keys, kind="stable")
    qs, ds = [], []
    df = np.zeros(len(keys), np.int64)
    # A format-5 segment copies the blocks of such a lookup out of the file (it maps
    # none), so the keys go in one piece: fewer, larger numpy steps.
    step = len(keys) if isinstance(segment, Segment) and max_df < BLOCK else _CHUNK_KEYS
    for lo in range(0, len(keys), max(step, 1)):
        at = order[lo:lo + step]
        q, d, chunk_df = segment.lookup(keys[at], max_df)
        qs.append(at[q])
        ds.append(d)
        df[at] = chunk_df
        if segment.blocks_read > _RELEASE_EVERY:
            segment.release()
    return np.concatenate(qs), np.concatenate(ds), df
