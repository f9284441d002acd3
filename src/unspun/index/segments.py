"""Immutable postings segments: sorted (key, docno) blocks with a checksummed key directory.

A format-4 segment is one file, ``seg/NAME.seg``, written once and never changed::

    block 0 .. block B-1   each: BLOCK keys (uint32, sorted) then their BLOCK docnos (uint32);
                           the last block may be shorter
    directory              first key, last key (uint32 each) and xxh3-64 of every block
    footer (64 bytes)      magic, block size, posting and block counts, xxh3 of the directory,
                           xxh3 of the footer itself

Opening reads only the footer and the directory (the in-memory key directory: 16 bytes per
1,024 postings) and checks both checksums and the file size. A lookup finds the few blocks
each key can be in from the directory, verifies each block's checksum the first time it is
read, and searches only those blocks, so it touches a few pages instead of the whole file.
Segments of format 2 and 3 (``NAME.keys.npy`` and ``NAME.docs.npy``) are still read.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xxhash

from unspun.errors import BadIndex

BLOCK = 1024
MAGIC = b"UNSPSEG4"
_FOOTER = struct.Struct("<8sIIQQQ16x")  # magic, block, 0, postings, blocks, directory sum
FOOTER_BYTES = _FOOTER.size + 8
_U32 = np.dtype("<u4")
_SHIFT = np.uint64(32)
_EMPTY = (np.empty(0, np.int64), np.empty(0, np.uint32))


def checksum(data: bytes | memoryview) -> int:
    """The xxh3-64 checksum used throughout the index."""
    return int(xxhash.xxh3_64_intdigest(data))


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """A written segment as the segment table records it."""

    name: str
    postings: int
    size: int
    checksum: int  # xxh3-64 of the whole file


class SegmentWriter:
    """Write one segment from (key, docno) chunks given in ascending order, in bounded memory.

    Blocks go to ``NAME.seg.tmp`` as they fill; :meth:`finish` appends the directory and
    footer, fsyncs and renames the file. On any error call :meth:`abort` (the context manager
    does), which removes the temporary file.
    """

    def __init__(self, directory: Path, name: str) -> None:
        self.directory = directory
        self.name = name
        self._tmp = directory / f"{name}.seg.tmp"
        self._fh = open(self._tmp, "wb")  # noqa: SIM115 (closed in finish/abort)
        self._whole = xxhash.xxh3_64()
        self._keys: list[np.ndarray] = []
        self._docs: list[np.ndarray] = []
        self._pending = 0
        self._firsts: list[int] = []
        self._lasts: list[int] = []
        self._sums: list[int] = []
        self.postings = 0

    def __enter__(self) -> SegmentWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self.abort()

    def _write(self, data: bytes) -> None:
        self._fh.write(data)
        self._whole.update(data)

    def append(self, keys: np.ndarray, docs: np.ndarray) -> None:
        """Add postings that sort after (or equal to) every posting appended before."""
        if len(keys):
            self._keys.append(np.ascontiguousarray(keys, dtype=_U32))
            self._docs.append(np.ascontiguousarray(docs, dtype=_U32))
            self._pending += len(keys)
        if self._pending >= BLOCK:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        keys = np.concatenate(self._keys) if self._keys else np.empty(0, _U32)
        docs = np.concatenate(self._docs) if self._docs else np.empty(0, _U32)
        full = len(keys) if final else len(keys) - len(keys) % BLOCK
        for start in range(0, full, BLOCK):
            k, d = keys[start:start + BLOCK], docs[start:start + BLOCK]
            block = k.tobytes() + d.tobytes()
            self._firsts.append(int(k[0]))
            self._lasts.append(int(k[-1]))
            self._sums.append(checksum(block))
            self._write(block)
        self.postings += full
        self._keys, self._docs = ([keys[full:]], [docs[full:]]) if full < len(keys) else ([], [])
        self._pending = len(keys) - full

    def finish(self) -> SegmentInfo:
        """Write the directory and footer and commit the file under its final name."""
        self._flush(final=True)
        directory = (np.array(self._firsts, _U32).tobytes() + np.array(self._lasts, _U32).tobytes()
                     + np.array(self._sums, np.dtype("<u8")).tobytes())
        self._write(directory)
        footer = _FOOTER.pack(MAGIC, BLOCK, 0, self.postings, len(self._sums), checksum(directory))
        self._write(footer + checksum(footer).to_bytes(8, "little"))
        self._fh.flush()
        os.fsync(self._fh.fileno())
        size = self._fh.tell()
        self._fh.close()
        os.replace(self._tmp, self.directory / f"{self.name}.seg")
        fsync_dir(self.directory)
        return SegmentInfo(self.name, self.postings, size, self._whole.intdigest())

    def abort(self) -> None:
        """Drop the unfinished file (used after an error such as a full disk)."""
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


def sort_postings(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The postings ``(keys[i], docs[i])`` sorted by key, then docno (uint32 both).

    One sort of the pairs packed into 64 bits takes a tenth of the time of ``np.lexsort``.
    """
    pairs = (np.asarray(keys).astype(np.uint64) << _SHIFT) | np.asarray(docs).astype(np.uint64)
    pairs.sort()
    return (pairs >> _SHIFT).astype(_U32), pairs.astype(_U32)


def write_segment(directory: Path, name: str, keys: np.ndarray, docs: np.ndarray) -> SegmentInfo:
    """Sort the postings ``(keys[i], docs[i])`` and write them as one segment."""
    with SegmentWriter(directory, name) as writer:
        writer.append(*sort_postings(keys, docs))
        return writer.finish()


def segment_files(directory: Path, name: str) -> list[Path]:
    """Every file a segment may consist of (either format)."""
    return [directory / f"{name}.seg", directory / f"{name}.keys.npy",
            directory / f"{name}.docs.npy"]


def file_checksum(path: Path) -> int:
    """xxh3-64 of a whole file, read in 1 MiB pieces."""
    digest = xxhash.xxh3_64()
    with open(path, "rb") as fh:
        while piece := fh.read(1 << 20):
            digest.update(piece)
    return int(digest.intdigest())


class Segment:
    """A committed format-4 segment, memory-mapped, with its key directory in memory."""

    def __init__(self, path: Path, name: str, *, size: int | None = None) -> None:
        self.name = name
        self.path = path
        try:
            with open(path, "rb") as fh:
                actual = os.fstat(fh.fileno()).st_size
                if size is not None and actual != size:
                    raise self._bad(f"is {actual} bytes, the segment table says {size}")
                if actual < FOOTER_BYTES:
                    raise self._bad("truncated")
                fh.seek(actual - FOOTER_BYTES)
                footer = fh.read(FOOTER_BYTES)
                if checksum(footer[:-8]) != int.from_bytes(footer[-8:], "little"):
                    raise self._bad("footer fails its checksum")
                magic, block, _, self.postings, blocks, dir_sum = _FOOTER.unpack(footer[:-8])
                if magic != MAGIC or block != BLOCK or actual != (
                        self.postings * 8 + blocks * 16 + FOOTER_BYTES):
                    raise self._bad("not a segment of this format (or truncated)")
                fh.seek(self.postings * 8)
                directory = fh.read(blocks * 16)
                if checksum(directory) != dir_sum:
                    raise self._bad("key directory fails its checksum")
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            raise self._bad("missing") from None
        except OSError as exc:
            raise self._bad(f"unreadable ({exc.strerror})") from None
        self._map.madvise(mmap.MADV_RANDOM)
        self.firsts = np.frombuffer(directory, _U32, blocks)
        self.lasts = np.frombuffer(directory, _U32, blocks, blocks * 4)
        self.sums = np.frombuffer(directory, np.dtype("<u8"), blocks, blocks * 8)
        self._data = np.frombuffer(self._map, _U32, self.postings * 2)
        self._verified = np.zeros(blocks, dtype=bool)
        self.blocks_read = 0  # by lookups since the last release

    def _bad(self, reason: str) -> BadIndex:
        return BadIndex(str(self.path), reason)

    def _block_len(self, block: np.ndarray) -> np.ndarray:
        return np.minimum(BLOCK, self.postings - block * BLOCK)

    def verify_blocks(self, blocks: np.ndarray) -> None:
        """Check the checksum of each block not yet verified by this process.

        Raises:
            BadIndex: a block does not match its checksum.
        """
        todo = blocks[~self._verified[blocks]]
        view = memoryview(self._map)
        for b, n in zip(todo.tolist(), self._block_len(todo).tolist(), strict=True):
            if checksum(view[b * BLOCK * 8:(b * BLOCK + n) * 8]) != int(self.sums[b]):
                raise self._bad(f"postings block {b} fails its checksum "
                                "(run 'unspun index check')")
            self._verified[b] = True

    def _gather(self, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keys and docnos of ``blocks`` (ascending), verified, as two in-memory arrays."""
        self.verify_blocks(blocks)
        lens = self._block_len(blocks)
        base = np.repeat(blocks * (2 * BLOCK), lens) + _ranks(lens)
        return self._data[base], self._data[base + np.repeat(lens, lens)]

    def _doc_index(self, pos: np.ndarray) -> np.ndarray:
        """Where the docno of global posting ``pos`` sits in the block layout."""
        block = pos // BLOCK
        return pos + block * BLOCK + self._block_len(block)

    def _search(self, blocks: np.ndarray, queries: np.ndarray, *, right: bool) -> np.ndarray:
        """For each query, the global position of its first key (``right``: past its last
        key) within its block: a binary search run on all queries at once."""
        lo = blocks * BLOCK
        hi = lo + self._block_len(blocks)
        top = max(self.postings - 1, 0)
        for _ in range(BLOCK.bit_length()):
            active = lo < hi
            if not active.any():
                break
            mid = np.minimum((lo + hi) >> 1, top)
            key = self._data[mid + (mid // BLOCK) * BLOCK]
            go = active & ((key <= queries) if right else (key < queries))
            lo = np.where(go, mid + 1, lo)
            hi = np.where(active & ~go, mid, hi)
        return lo

    def lookup(self, queries: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings for each query key, skipping keys in over ``max_df`` documents.

        The key directory gives the first and last block a key can be in; only those blocks
        are read (and verified), by a binary search inside each.

        Returns:
            ``(query_index, docno, df)``: one row per posting, and each query's document
            frequency in this segment (a lower bound above ``max_df`` for very common keys).
        """
        queries = np.asarray(queries, dtype=_U32)
        first = np.searchsorted(self.lasts, queries, side="left")
        last = np.searchsorted(self.firsts, queries, side="right") - 1
        span = last - first + 1
        df = np.zeros(len(queries), dtype=np.int64)
        # A key filling 3 blocks or more is in more than BLOCK documents: never read it.
        wide = span > 2
        df[wide] = (span[wide] - 2) * BLOCK + 1
        near = np.flatnonzero((span > 0) & (~wide | (max_df >= BLOCK)))
        if not len(near):
            return *_EMPTY, df
        blocks = np.unique(np.concatenate([first[near], last[near]]))
        self.verify_blocks(blocks)
        self.blocks_read += len(blocks)
        q = queries[near]
        left = self._search(first[near], q, right=False)
        right = self._search(last[near], q, right=True)
        df[near] = right - left
        ok = (right > left) & (right - left <= max_df)
        counts = (right - left)[ok]
        if not counts.sum():
            return *_EMPTY, df
        pos = np.repeat(left[ok], counts) + _ranks(counts)
        if max_df >= BLOCK:  # postings may lie in blocks between the first and the last
            self.verify_blocks(np.unique(pos // BLOCK))
        return np.repeat(near[ok], counts), self._data[self._doc_index(pos)], df

    def key_range(self, lo: int, hi: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Every posting with ``lo <= key < hi`` (``hi`` None: no upper end), in order."""
        first = int(np.searchsorted(self.lasts, lo, side="left"))
        last = len(self.firsts) if hi is None else int(
            np.searchsorted(self.firsts, hi, side="left"))
        if first >= last:
            return np.empty(0, _U32), np.empty(0, _U32)
        keys, docs = self._gather(np.arange(first, last))
        a = int(np.searchsorted(keys, lo, side="left"))
        b = len(keys) if hi is None else int(np.searchsorted(keys, hi, side="left"))
        return keys[a:b], docs[a:b]

    def sample_keys(self) -> np.ndarray:
        """The first key of every block: a sparse sample for choosing merge ranges."""
        return np.asarray(self.firsts)

    def all_docs(self) -> Iterator[np.ndarray]:
        """Every docno, block by block, verified (for ``index check``)."""
        for start in range(0, len(self.sums), 256):
            yield self._gather(np.arange(start, min(start + 256, len(self.sums))))[1]

    def release(self) -> None:
        """Unmap the pages read so far (they stay in the page cache): bounds the reader's RSS."""
        self._map.madvise(mmap.MADV_DONTNEED)
        self.blocks_read = 0


def _ranks(counts: np.ndarray) -> np.ndarray:
    """``0..c-1`` for each ``c`` in ``counts``, concatenated."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
