"""Read-only postings segments of index formats 2 and 3: two ``.npy`` arrays, no checksums."""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from unspun.errors import BadIndex
from unspun.index.segments import BLOCK


class LegacySegment:
    """A format-2/3 segment: ``NAME.keys.npy`` sorted, ``NAME.docs.npy`` aligned with it."""

    def __init__(self, directory: Path, name: str) -> None:
        self.name = name
        self.path = directory / f"{name}.keys.npy"
        try:
            self.keys = np.load(self.path, mmap_mode="r")
            self.docs = np.load(directory / f"{name}.docs.npy", mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise BadIndex(str(self.path), f"unreadable segment ({exc})") from None
        if self.keys.shape != self.docs.shape or self.keys.ndim != 1:
            raise BadIndex(str(self.path), "keys and docnos differ in length")
        self.postings = len(self.keys)
        self.blocks_read = 0  # (never grows: these segments are not read by blocks)

    def verify_blocks(self, blocks: np.ndarray) -> None:
        """Nothing to verify: these formats carry no checksums."""

    def lookup(self, queries: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings of each query key (see :meth:`Segment.lookup`)."""
        left = np.searchsorted(self.keys, queries, side="left")
        right = np.searchsorted(self.keys, queries, side="right")
        df = right - left
        ok = (df > 0) & (df <= max_df)
        counts = df[ok]
        if not counts.sum():
            return np.empty(0, np.int64), np.empty(0, np.uint32), df
        qidx = np.repeat(np.flatnonzero(ok), counts)
        starts = np.repeat(left[ok], counts)
        offsets = np.arange(len(qidx)) - np.repeat(np.cumsum(counts) - counts, counts)
        return qidx, np.asarray(self.docs[starts + offsets]), df

    def key_range(self, lo: int, hi: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Every posting with ``lo <= key < hi`` (``hi`` None: no upper end), in order."""
        a = int(np.searchsorted(self.keys, lo, side="left"))
        b = self.postings if hi is None else int(np.searchsorted(self.keys, hi, side="left"))
        return np.asarray(self.keys[a:b]), np.asarray(self.docs[a:b])

    def sample_keys(self) -> np.ndarray:
        """Every BLOCK-th key."""
        return np.asarray(self.keys[::BLOCK])

    def all_docs(self) -> Iterator[np.ndarray]:
        """Every docno, in pieces."""
        for start in range(0, self.postings, 1 << 20):
            yield np.asarray(self.docs[start:start + (1 << 20)])

    def release(self) -> None:
        """Unmap the pages read so far (they stay in the page cache)."""
        for array in (self.keys, self.docs):
            mapped = getattr(array, "_mmap", None)
            if mapped is not None:
                mapped.madvise(mmap.MADV_DONTNEED)
