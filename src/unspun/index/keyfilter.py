"""Optional per-block key filters of a segment: a sidecar file that says a key is absent.

A trace looks up ~1,000 keys; over half of those that fall inside a block are absent from the
index, and only reading, verifying and searching their 3.4 KB block showed it (~3 us each,
docs/performance.md, "keyfilter"). A segment ``seg/NAME.seg`` may have a sidecar
``seg/NAME.kf``, written once beside it (by the segment's writer, or later by
:func:`write_filter` for an existing segment), holding one Bloom filter per postings block::

    lines                 64-byte lines (eight little-endian uint64 words), block by block:
                          block b owns ``count[b]`` lines (at least one)
    counts                per block: its line count (uint8)
    footer (48 bytes)     magic, hashes per key, blocks, lines, the segment's footer
                          checksum (the file it belongs to), xxh3 of lines and counts,
                          xxh3 of the footer itself

A key of block ``b`` sets ``HASHES`` bits of one line of the block's: :func:`mix` of the key
chooses the line from its high 32 bits and the bits from its low 27 (nine bits each). A
block's line count gives about ``BITS_PER_KEY`` bits to each of its distinct keys. A
filter never says "absent" for a stored key (no false negatives), so a lookup that skips
the blocks of keys its filter rejects finds exactly what it found before; a filter that is
missing, damaged or belongs to another file is not used (``unspun index check`` reports the
damage) and lookups read the blocks as before.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import xxhash

MAGIC = b"UNSPKF01"
HASHES = 3
BITS_PER_KEY = 5
LINE_BITS = 512
_FOOTER = struct.Struct("<8sIIQQQQ")  # magic, hashes, 0, blocks, lines, segment sum, body sum
FOOTER_BYTES = _FOOTER.size + 8
_U64 = np.dtype("<u8")
_PIECE = 1 << 16  # keys hashed at once when a filter is built (~3 MB of temporaries)
_C1, _C2, _C3 = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9),
                 np.uint64(0x94D049BB133111EB))


def filter_path(segment: Path) -> Path:
    """The sidecar of segment file ``segment`` (``NAME.seg`` -> ``NAME.kf``)."""
    return segment.with_suffix(".kf")


def mix(keys: np.ndarray) -> np.ndarray:
    """The filter's 64-bit hash of each key (splitmix64's finaliser: within a block keys
    differ only in their low bits, which it spreads over all 64)."""
    z = keys.astype(_U64) + _C1
    z = (z ^ (z >> np.uint64(30))) * _C2
    z = (z ^ (z >> np.uint64(27))) * _C3
    return z ^ (z >> np.uint64(31))


def _bits(z: np.ndarray, first: np.ndarray, count: np.ndarray, hashes: int) -> np.ndarray:
    """The bits (numbered from the filter's first, least significant first in each
    little-endian word) each hash of each key sets or tests: (keys, hashes), int64."""
    line = first + (((z >> np.uint64(32)) * count.astype(_U64)) >> np.uint64(32)).astype(np.int64)
    line <<= 9
    low = (z & np.uint64(0x7FFFFFF)).astype(np.int64)  # int64 steps: several times faster
    out = np.empty((len(z), hashes), np.int64)
    for j in range(hashes):
        np.add(line, (low >> (9 * j)) & 511, out=out[:, j])
    return out


def block_lines(distinct: np.ndarray) -> np.ndarray:
    """Lines given to blocks of ``distinct`` distinct keys each (at least one, under 256)."""
    want = (distinct.astype(np.int64) * BITS_PER_KEY + LINE_BITS // 2) // LINE_BITS
    return np.clip(want, 1, 255).astype(np.uint8)


def build_lines(keys: np.ndarray, block: np.ndarray, blocks: int) -> tuple[np.ndarray, np.ndarray]:
    """The filter lines and line counts of ``blocks`` blocks holding ``keys`` (sorted within
    each block; ``block[i]``: the block, 0 .. blocks-1, of ``keys[i]``, ascending)."""
    new = np.ones(len(keys), bool)
    new[1:] = (keys[1:] != keys[:-1]) | (block[1:] != block[:-1])
    keys, block = keys[new], block[new]
    counts = block_lines(np.bincount(block, minlength=blocks))
    first = np.zeros(blocks + 1, np.int64)
    np.cumsum(counts, out=first[1:])
    bits = np.zeros(int(first[-1]) * LINE_BITS, bool)
    for lo in range(0, len(keys), _PIECE):  # in pieces: the temporaries stay small
        part = slice(lo, lo + _PIECE)
        bits[_bits(mix(keys[part]), first[block[part]], counts[block[part]].astype(np.int64),
                   HASHES)] = True
    return np.packbits(bits, bitorder="little").view(_U64), counts


def maybe_present(words: np.ndarray, first: np.ndarray, count: np.ndarray, keys: np.ndarray,
                  hashes: int) -> np.ndarray:
    """For each key, whether the filter of its block (``first`` line and ``count`` lines;
    a count of 0: no filter) may hold it (False: it is absent)."""
    bit = _bits(mix(keys), first, count, hashes)
    outside = (bit[:, 0] >> 9) * 8 + 8 > len(words)  # a line past the words: maybe (as in C)
    word = np.where(outside[:, None], 0, bit >> 6)
    hit = np.all((words[word] >> (bit & 63).astype(_U64)) & np.uint64(1), axis=1)
    return hit | (count == 0) | outside


class FilterWriter:
    """Write a segment's filter block by block to ``NAME.kf.tmp``; :meth:`finish` commits
    it under ``NAME.kf`` (fsynced, renamed, directory fsynced): a crash leaves the old state
    or a temporary file, which a writer's sweep deletes."""

    def __init__(self, segment: Path) -> None:
        self.path = filter_path(segment)
        self._tmp = self.path.with_name(self.path.name + ".tmp")
        self._fh = open(self._tmp, "wb")  # noqa: SIM115 (closed in finish/abort)
        self._body = xxhash.xxh3_64()
        self._counts = bytearray()
        self.lines = 0

    def add(self, keys: np.ndarray, block: np.ndarray, blocks: int) -> None:
        """Add the next ``blocks`` blocks (see :func:`build_lines`)."""
        words, counts = build_lines(keys, block, blocks)
        data = words.tobytes()
        self._fh.write(data)
        self._body.update(data)
        self._counts += counts.tobytes()
        self.lines += len(words) // 8

    def finish(self, segment_sum: int) -> None:
        """Commit the filter of the segment whose footer checksum is ``segment_sum``."""
        self._fh.write(self._counts)
        self._body.update(self._counts)
        footer = _FOOTER.pack(MAGIC, HASHES, 0, len(self._counts), self.lines, segment_sum,
                              self._body.intdigest())
        self._fh.write(footer + xxhash.xxh3_64_intdigest(footer).to_bytes(8, "little"))
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)
        from unspun.index.segments import fsync_dir  # segments imports this module

        fsync_dir(self.path.parent)

    def abort(self) -> None:
        """Drop the unfinished file."""
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


class KeyFilter:
    """A segment's filter in memory: its words, each block's first line and line count."""

    def __init__(self, words: np.ndarray, counts: np.ndarray, hashes: int) -> None:
        self.words = words
        self.counts = counts
        self.first = np.zeros(len(counts), np.int64)
        np.cumsum(counts[:-1], out=self.first[1:])
        self.hashes = hashes

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes + self.counts.nbytes + self.first.nbytes)

    def maybe_present(self, blocks: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Whether each key may be in its block (``blocks``, one per key)."""
        return maybe_present(self.words, self.first[blocks], self.counts[blocks], keys,
                             self.hashes)


def read_filter(segment: Path, blocks: int, segment_sum: int) -> KeyFilter:
    """The filter of segment file ``segment`` (of ``blocks`` blocks and footer checksum
    ``segment_sum``).

    Raises:
        FileNotFoundError: there is none.
        ValueError: it is damaged, truncated or belongs to another segment file.
    """
    with open(filter_path(segment), "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = np.empty(size, np.uint8)  # read in place: no second copy of an 88 MB filter
        data = memoryview(raw.data)
        if fh.readinto(data) != size:
            raise ValueError("truncated")
    if size < FOOTER_BYTES:
        raise ValueError("truncated")
    footer = bytes(data[-FOOTER_BYTES:-8])
    if xxhash.xxh3_64_intdigest(footer) != int.from_bytes(data[-8:], "little"):
        raise ValueError("footer fails its checksum")
    magic, hashes, _, nblocks, lines, seg_sum, body_sum = _FOOTER.unpack(footer)
    body = data[:-FOOTER_BYTES]
    if magic != MAGIC or not 1 <= hashes <= 7 or nblocks != blocks or seg_sum != segment_sum \
            or len(body) != lines * 64 + blocks:
        raise ValueError("not the filter of this segment")
    if xxhash.xxh3_64_intdigest(body) != body_sum:
        raise ValueError("fails its checksum")
    counts = raw[lines * 64:lines * 64 + blocks].copy()
    if int(counts.sum()) != lines or (blocks and counts.min() == 0):
        raise ValueError("line counts do not match the file")
    return KeyFilter(raw[:lines * 64].view(_U64), counts, hashes)
