"""Immutable postings segments: bit-packed blocks of sorted (key, docno) with a checksummed directory.

A format-5 segment is one file, ``seg/NAME.seg``, written once and never changed::

    block 0 .. block B-1   each: BLOCK postings sorted by key, then docno (the last block may
                           be shorter), in four bit-packed sections of whole 64-bit words:
                           anchors, key bases, keys, docnos (below)
    directory              per block: xxh3-64 of the block, first key, last key, smallest
                           docno (uint32 each), key width, docno width (uint8): 22 bytes
    footer (64 bytes)      magic, block size, posting and block counts, payload bytes, xxh3 of
                           the directory, xxh3 of the footer itself

Packing keeps every value randomly accessible (fixed widths), so lookups stay binary searches:

* a block's postings form groups of 64 (ranks ``64g .. 64g+63``); the **anchor** of group
  ``g`` is its first key (group 0's is the block's first key, in the directory; anchor ``G``,
  past the last group, is the block's last key, also in the directory). Anchors 1 .. G-1 are
  stored as offsets from the first key, in ``bits(last - first)`` bits each;
* a key is stored as its offset from the straight line from its group's anchor to the next
  (:func:`_predict`), plus the group's **key base** (minus the smallest such offset in the
  group, stored in the key width), so every stored value is non-negative:
  ``key = line - base + value``. Keys are hashes, so within 64 postings they lie close to
  that line (runs of a common key bend the line of a whole block, but of few groups);
* a docno is stored as its offset from the block's smallest docno, in the docno width.

A value of width ``w`` at index ``i`` of its section occupies bits ``i*w .. i*w+w-1``, least
significant bit first, of the section's little-endian 64-bit words.

Opening reads only the footer and the directory (kept in memory) and checks both checksums
and the file size. A lookup finds the few blocks each key can be in from the directory,
verifies each block's checksum the first time it is read, and searches the anchors, then the
group, on the packed values: it reads a few blocks, never a whole file (with pread into one
buffer: reading through the mapping cost a page fault per block). A segment may have key
filters beside it (``NAME.kf``, :mod:`unspun.index.keyfilter`, written by the writer after the
segment): a key whose block's filter rejects it is absent, and its block is not read. Segments of format 2
and 3 (``NAME.keys.npy`` and ``NAME.docs.npy``) are still read; format-4 indexes (8-byte
postings) are refused by :func:`unspun.index.records.read_meta`.
"""

from __future__ import annotations

import functools
import mmap
import os
import struct
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import xxhash

from unspun._native import speedups
from unspun.errors import BadIndex
from unspun.index.keyfilter import FilterWriter, KeyFilter, read_filter

BLOCK = 1024
_RANK_BITS = 10  # log2(BLOCK)
MAGIC = b"UNSPSEG5"
# magic, block, 0, postings, blocks, payload bytes, directory sum
_FOOTER = struct.Struct("<8sIIQQQQ8x")
FOOTER_BYTES = _FOOTER.size + 8
_SPILL = 1 << 18  # bytes of a writer's directory kept in memory (about 11,000 blocks)
_WINDOW = 1 << 16  # blocks whose layout key_range computes at once to find a window's start
_DIR_BYTES = 24  # per block: sum 8, first 4, last 4, smallest docno 4, key words 2, widths 2
_U32 = np.dtype("<u4")
_U64 = np.dtype("<u8")
_U16 = np.dtype("<u2")
_SHIFT = np.uint64(32)
_GROUP = 64  # postings per key line (a group)
_GROUPS = BLOCK // _GROUP
_OFFSET_BITS = 10  # a group's end word in its block's key section (at most 16 * 33 words)
_EMPTY = (np.empty(0, np.int64), np.empty(0, np.uint32))
# The compiled search and read loops of a lookup's pread copy (None: numpy and os.preadv).
_block_search = None if speedups is None else speedups.block_search
_pread_runs = None if speedups is None else speedups.pread_runs
# The whole lookup of a pread copy in one call (None: the Python steps below).
_copy_lookup = None if speedups is None else speedups.copy_lookup
# The blocks and directory of encode in one compiled pass (None: the numpy code below).
_encode_blocks = None if speedups is None else speedups.encode_blocks
# _gather of consecutive blocks in one compiled pass (None: numpy).
_decode_blocks = None if speedups is None else speedups.decode_blocks
_SAMPLE = 32  # blocks per value of copy_lookup's sample of the directory's last keys
# A block's row of copy_lookup's layout table (BlockRow in _speedups.c, the same offsets).
_BLOCK_ROW = np.dtype({
    "names": ["start", "end", "first", "last", "dmin", "anchor", "group", "base", "key", "doc",
              "lens", "groups", "aw", "kw", "dw", "flines", "fline"],
    "formats": ["<i8", "<i8", "<u4", "<u4", "<u4", "<u4", "<u4", "<u4", "<u4", "<u4", "<u2",
                "u1", "u1", "u1", "u1", "<u2", "<u4"],
    "offsets": [0, 8, 16, 20, 24, 28, 32, 36, 40, 44, 48, 50, 51, 52, 53, 54, 56],
    "itemsize": 64})


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


def _bits(x: np.ndarray) -> np.ndarray:
    """Bits needed to write each value of ``x`` (non-negative; 0 for 0), as uint8."""
    return np.frexp(x.astype(np.float64))[1].astype(np.uint8)


def _words(count: np.ndarray, width: np.ndarray) -> np.ndarray:
    """64-bit words of a section of ``count`` values of ``width`` bits."""
    return (count.astype(np.int64) * width + 63) >> 6


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each block's sections start and how to decode them (derived from the directory)."""

    lens: np.ndarray        # postings per block (int64)
    groups: np.ndarray      # groups of 64 per block
    first: np.ndarray       # first and last key (int64)
    last: np.ndarray
    aw: np.ndarray          # widths of the anchors, bases (the widest key group), docnos
    kw: np.ndarray
    dw: np.ndarray
    anchor_bit: np.ndarray  # bit offsets of the sections in the payload
    group_bit: np.ndarray
    base_bit: np.ndarray
    key_bit: np.ndarray
    doc_bit: np.ndarray
    dmin: np.ndarray        # smallest docno (int64)
    ends: np.ndarray        # byte offset of each block's end in the payload
    payload: int            # byte offset of the last block's end (all blocks: their bytes)
    start: int              # the first block described (row 0; a window of the file's blocks)
    origin: int             # byte offset of that block

    @classmethod
    def of(cls, postings: int, firsts: np.ndarray, lasts: np.ndarray, dmin: np.ndarray,
           key_words: np.ndarray, kw: np.ndarray, dw: np.ndarray, *, start: int = 0,
           origin: int = 0) -> _Layout:
        """The layout of blocks ``start ..`` (one per row of the directory columns given) of
        a segment of ``postings`` postings, the first of them at byte ``origin``."""
        lens = np.minimum(BLOCK, postings - (start + np.arange(len(firsts), dtype=np.int64))
                          * BLOCK)
        groups = (lens + _GROUP - 1) // _GROUP
        first, last = firsts.astype(np.int64), lasts.astype(np.int64)
        aw = _bits(last - first).astype(np.int64)
        kw64, dw64 = kw.astype(np.int64), dw.astype(np.int64)
        sizes = np.stack([_words(groups - 1, aw), _words(groups, np.full(1, _OFFSET_BITS)),
                          _words(groups, kw64), key_words.astype(np.int64),
                          groups * dw64])  # words of each section
        ends = np.cumsum(sizes.T.ravel()).reshape(-1, 5) << 6  # bit offset of each end
        ends += origin * 8
        anchor, group, base, key, doc = (ends - sizes.T * 64).T
        return cls(lens, groups, first, last, aw, kw64, dw64, anchor, group, base, key, doc,
                   dmin.astype(np.int64), ends[:, 4] >> 3,
                   int(ends[-1, 4] >> 3) if len(ends) else origin, start, origin)

    def divisor(self, block: np.ndarray, group: np.ndarray) -> np.ndarray:
        """Ranks from a group's anchor to the next: 64, or a short last group's size."""
        return np.minimum(_GROUP, self.lens[block] - group * _GROUP)


def _predict(anchor: np.ndarray, following: np.ndarray, step: np.ndarray,
             divisor: np.ndarray) -> np.ndarray:
    """The key line of a group at ``step`` ranks past its anchor (int64, floor)."""
    return anchor + (step * (following - anchor)) // divisor


def _pack_bits(words: np.ndarray, bit: np.ndarray, values: np.ndarray) -> None:
    """OR ``values`` (uint64) into ``words`` at bit offsets ``bit`` (ascending, the values'
    bit ranges disjoint, each value under 33 bits): for the few anchors and bases of a block."""
    word = bit >> 6
    shift = (bit & 63).astype(np.uint64)
    starts = np.flatnonzero(np.diff(word, prepend=-1))
    words[word[starts]] |= np.add.reduceat(values << shift, starts)  # disjoint: sum == or
    spill = np.flatnonzero(shift > 31)
    words[word[spill] + 1] |= values[spill] >> (np.uint64(64) - shift[spill])


def _groups(lens: np.ndarray, width: np.ndarray, bit: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The groups of 64 values of blocks with ``lens`` postings, section widths ``width`` and
    section bit offsets ``bit``: which of the blocks' 16 groups exist, and each existing
    group's width and first word."""
    live = (np.arange(len(lens) * _GROUPS) % _GROUPS) * _GROUP < np.repeat(lens, _GROUPS)
    w = np.repeat(width.astype(np.int64), _GROUPS)[live]
    at = np.repeat(bit >> 6, _GROUPS)[live] + np.tile(np.arange(_GROUPS), len(lens))[live] * w
    return live, w, at


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where value ``j`` (0..63) of a group of width ``w`` lies: word ``word[j]`` from bit
    ``shift[j]``, spilling into the next word when ``spill[j]``."""

    word: np.ndarray    # int64
    shift: np.ndarray   # uint64
    back: np.ndarray    # uint64: 64 - shift (numpy shifts by 64 to 0)
    spill: np.ndarray   # bool
    starts: np.ndarray  # the first value in each of the w words
    mask: np.uint64


_columns: dict[int, _Columns] = {}


def _columns_of(w: int) -> _Columns:
    """The :class:`_Columns` of width ``w`` (cached)."""
    cols = _columns.get(w)
    if cols is None:
        bit = np.arange(64, dtype=np.int64) * w
        word, shift = bit >> 6, (bit & 63).astype(_U64)
        cols = _Columns(word, shift, np.uint64(64) - shift, (bit & 63) + w > 64,
                        np.flatnonzero(np.diff(word, prepend=-1)), np.uint64((1 << w) - 1))
        _columns[w] = cols
    return cols


def _pack(values: np.ndarray, width: np.ndarray, words: np.ndarray, at: np.ndarray) -> None:
    """Write groups of 64 values into ``words``: group ``g`` (row ``g`` of ``values``, each value
    below ``2**width[g]``) fills the ``width[g]`` words from ``at[g]``.

    Value ``j`` of a group of width ``w`` sits at bit ``j*w``: the same word and shift for every
    group of that width, so the groups of one width are packed together, all 64 values at
    once: a word is the OR of the values starting in it and the spill of the one before.
    """
    for w in np.unique(width).tolist():
        if not w:
            continue
        rows = np.flatnonzero(width == w)
        group = (values if len(rows) == len(values) else values[rows]).astype(_U64, copy=False)
        cols = _columns_of(w)
        out = np.bitwise_or.reduceat(group << cols.shift, cols.starts, axis=1)
        if cols.spill.any():
            out[:, cols.word[cols.spill] + 1] |= group[:, cols.spill] >> cols.back[cols.spill]
        words[at[rows][:, None] + np.arange(w)] = out


def _unpack(words: np.ndarray, width: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The groups :func:`_pack` wrote, as a (groups, 64) uint64 array."""
    values = np.zeros((len(width), 64), _U64)
    for w in np.unique(width).tolist():
        if not w:
            continue
        rows = np.flatnonzero(width == w)
        packed = words[at[rows][:, None] + np.arange(w)]  # the w words of each group
        cols = _columns_of(w)
        out = packed[:, cols.word] >> cols.shift
        if cols.spill.any():
            out[:, cols.spill] |= packed[:, cols.word[cols.spill] + 1] << cols.back[cols.spill]
        out &= cols.mask
        values[rows] = out
    return values


def _blocked(values: np.ndarray, nb: int) -> np.ndarray:
    """``values`` as (nb, BLOCK) rows, the last block padded with its own first value."""
    pad = nb * BLOCK - len(values)
    if not pad:
        return values.reshape(nb, BLOCK)
    fill = np.full(pad, values[len(values) - (BLOCK - pad)], values.dtype)
    return np.concatenate([values, fill]).reshape(nb, BLOCK)


def _anchor_table(first: np.ndarray, last: np.ndarray, inner: np.ndarray, groups: np.ndarray
                  ) -> np.ndarray:
    """(blocks, 17) anchors: the first key, the stored ``inner`` anchors (blocks, 15), then the
    last key from each block's last group on."""
    table = np.empty((len(first), _GROUPS + 1), np.int64)
    table[:, 0] = first
    table[:, 1:_GROUPS] = inner
    after = np.arange(_GROUPS + 1) >= groups[:, None]
    table[after] = np.broadcast_to(last[:, None], table.shape)[after]
    return table


def _lines(lens: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """The key line of every rank of blocks of ``lens`` postings: (blocks, BLOCK) int64."""
    line = np.multiply.outer(np.diff(anchors, axis=1), np.arange(_GROUP))
    line >>= 6  # // _GROUP
    line += anchors[:, :-1, None]
    short = np.flatnonzero(lens < BLOCK)  # the last group of a short block: its own divisor
    for b, g in zip(short.tolist(), ((lens[short] - 1) // _GROUP).tolist(), strict=True):
        line[b, g] = _predict(anchors[b, g], anchors[b, g + 1], np.arange(_GROUP),
                              np.array(max(int(lens[b]) - g * _GROUP, 1)))
    return line.reshape(len(lens), BLOCK)


def encode(keys: np.ndarray, docs: np.ndarray) -> tuple[bytes, dict[str, np.ndarray]]:
    """Bit-pack sorted postings (uint32 both) into blocks of BLOCK (the last may be shorter).

    Returns:
        The blocks' bytes and their directory columns (``firsts``, ``lasts``, ``dmin``,
        ``kw``, ``dw``, ``ends``: each block's end offset in the bytes).
    """
    if _encode_blocks is not None:
        return _compiled_encode(keys, docs)
    n = len(keys)
    nb = -(-n // BLOCK)
    lens = np.minimum(BLOCK, n - np.arange(nb) * BLOCK)
    k = _blocked(keys, nb).astype(np.int64)
    d = _blocked(docs, nb)
    firsts = keys[np.arange(nb) * BLOCK]
    lasts = keys[np.cumsum(lens) - 1]
    groups = (lens + _GROUP - 1) // _GROUP
    inner = k[:, _GROUP::_GROUP]
    anchors = _anchor_table(firsts, lasts, inner, groups)
    off = k - _lines(lens, anchors)
    if lens[-1] < BLOCK:
        off[-1, lens[-1]:] = 0  # the padding: inside the group's range
    grouped = off.reshape(nb, _GROUPS, _GROUP)
    bases = -grouped.min(axis=2)  # >= 0: a group's first key lies on its line
    grouped += bases[:, :, None]
    widths = _bits(grouped.max(axis=2)).astype(np.int64)  # (blocks, 16)
    dmin = d.min(axis=1)
    dval = d - dmin[:, None]
    dw = _bits(dval.max(axis=1))
    g = np.arange(_GROUPS)
    widths[g[None, :] >= groups[:, None]] = 0
    offsets = np.cumsum(widths, axis=1)  # each group's end word in the key section
    lay = _Layout.of(n, firsts, lasts, dmin, offsets[:, -1], widths.max(axis=1), dw)
    words = np.zeros(lay.payload // 8 + 1, _U64)
    has = g[None, 1:] < groups[:, None]  # stored anchors: groups 1 .. G-1
    _pack_bits(words, (lay.anchor_bit[:, None] + (g[1:] - 1) * lay.aw[:, None])[has],
               (inner - firsts[:, None].astype(np.int64))[has].astype(_U64))
    has = g[None, :] < groups[:, None]
    _pack_bits(words, (lay.group_bit[:, None] + g * _OFFSET_BITS)[has],
               offsets[has].astype(_U64))
    _pack_bits(words, (lay.base_bit[:, None] + g * lay.kw[:, None])[has],
               bases[has].astype(_U64))
    at = (lay.key_bit >> 6)[:, None] + offsets - widths
    _pack(off.view(_U64).reshape(-1, _GROUP)[has.ravel()], widths[has], words, at[has])
    live, w, at = _groups(lens, dw, lay.doc_bit)
    _pack(dval.reshape(-1, _GROUP)[live], w, words, at)
    return words[:-1].tobytes(), {"firsts": firsts, "lasts": lasts, "dmin": dmin,
                                  "key_words": offsets[:, -1], "kw": lay.kw, "dw": dw,
                                  "ends": lay.ends}


def _compiled_encode(keys: np.ndarray, docs: np.ndarray) -> tuple[bytes, dict[str, np.ndarray]]:
    """:func:`encode` by ``_speedups.encode_blocks``: the same bytes and columns, in one pass
    over the postings (numpy makes some 40 array passes, the build's merges several times a
    posting)."""
    assert _encode_blocks is not None
    data, *columns = _encode_blocks(np.ascontiguousarray(keys, dtype=_U32),
                                    np.ascontiguousarray(docs, dtype=_U32))
    names = ("firsts", "lasts", "dmin", "key_words", "kw", "dw", "ends")
    types: tuple[np.dtype, ...] = (_U32, _U32, _U32, _U16, np.dtype(np.uint8),
                                   np.dtype(np.uint8), np.dtype("<i8"))
    return data, {name: np.frombuffer(column, dtype) for name, column, dtype
                  in zip(names, columns, types, strict=True)}


#: The directory's columns after the blocks' checksums, in file order, and their types.
_DIRECTORY_COLUMNS = (("firsts", _U32), ("lasts", _U32), ("dmin", _U32), ("key_words", _U16),
                      ("kw", np.dtype(np.uint8)), ("dw", np.dtype(np.uint8)))


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
        # The blocks' key filters, written beside the blocks (unspun.index.keyfilter).
        try:
            self._filter: FilterWriter | None = FilterWriter(directory / f"{name}.seg")
        except BaseException:
            self._fh.close()
            self._tmp.unlink(missing_ok=True)
            raise
        self._keys: list[np.ndarray] = []
        self._docs: list[np.ndarray] = []
        self._pending = 0
        # The directory, a fixed-width row per block: each column's bytes (the blocks'
        # checksums first) are kept in memory up to _SPILL bytes in all, then appended to a
        # scratch file per column, so a merge's memory does not grow with its output (kept
        # in memory, 24 bytes a block grew the heap of a 150M-posting merge by some 30 MB).
        self._rows = [bytearray() for _ in range(len(_DIRECTORY_COLUMNS) + 1)]
        self._spilled: list[IO[bytes]] = []
        self.blocks = 0
        self.postings = 0
        self.payload = 0

    def __enter__(self) -> SegmentWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self.abort()

    def _write(self, data: bytes | bytearray) -> None:
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
        keys, docs = _joined(self._keys), _joined(self._docs)
        full = len(keys) if final else len(keys) - len(keys) % BLOCK
        if full:
            data, columns = encode(keys[:full], docs[:full])
            view = memoryview(data)
            start = 0
            sums = []
            for end in columns["ends"].tolist():
                sums.append(checksum(view[start:end]))
                start = end
            self._add_rows([np.array(sums, _U64).tobytes(), *(
                columns[name].astype(dtype).tobytes() for name, dtype in _DIRECTORY_COLUMNS)])
            self._write(data)
            self.payload += len(data)
            if self._filter is not None:
                self._filter.add(keys[:full], np.arange(full) >> _RANK_BITS,
                                 len(columns["ends"]))
        self.postings += full
        # A copy of the rest, not a view that would keep the whole chunk alive.
        self._keys, self._docs = (([keys[full:].copy()], [docs[full:].copy()])
                                  if full < len(keys) else ([], []))
        self._pending = len(keys) - full

    def _add_rows(self, pieces: list[bytes]) -> None:
        """Append each directory column's rows of the blocks just written."""
        for row, piece in zip(self._rows, pieces, strict=True):
            row += piece
        self.blocks += len(pieces[0]) // 8
        if sum(len(row) for row in self._rows) < _SPILL:
            return
        if not self._spilled:  # unnamed where the system allows: nothing is left by a crash
            self._spilled = [tempfile.TemporaryFile(dir=self.directory)  # noqa: SIM115
                             for _ in self._rows]  # (closed in finish/abort)
        for fh, row in zip(self._spilled, self._rows, strict=True):
            fh.write(row)
            row.clear()

    def _write_directory(self) -> int:
        """Write the directory, column by column, in bounded pieces; return its checksum."""
        digest = xxhash.xxh3_64()
        for i, row in enumerate(self._rows):
            if self._spilled:
                fh = self._spilled[i]
                fh.seek(0)
                while piece := fh.read(1 << 20):
                    self._write(piece)
                    digest.update(piece)
            self._write(row)
            digest.update(row)
        self._close_spilled()
        return int(digest.intdigest())

    def _close_spilled(self) -> None:
        for fh in self._spilled:
            fh.close()
        self._spilled = []

    def finish(self) -> SegmentInfo:
        """Write the directory and footer and commit the file under its final name."""
        self._flush(final=True)
        directory_sum = self._write_directory()
        footer = _FOOTER.pack(MAGIC, BLOCK, 0, self.postings, self.blocks, self.payload,
                              directory_sum)
        footer_sum = checksum(footer)
        self._write(footer + footer_sum.to_bytes(8, "little"))
        self._fh.flush()
        os.fsync(self._fh.fileno())
        size = self._fh.tell()
        self._fh.close()
        os.replace(self._tmp, self.directory / f"{self.name}.seg")
        fsync_dir(self.directory)
        if self._filter is not None:  # after the segment: a filter never lacks its segment
            self._filter.finish(footer_sum)
            self._filter = None
        return SegmentInfo(self.name, self.postings, size, self._whole.intdigest())

    def abort(self) -> None:
        """Drop the unfinished file (used after an error such as a full disk)."""
        self._close_spilled()
        self._fh.close()
        self._tmp.unlink(missing_ok=True)
        if self._filter is not None:
            self._filter.abort()
            self._filter = None


def _joined(pieces: list[np.ndarray]) -> np.ndarray:
    """The pieces as one array (a lone piece as it is: no copy of a merge's whole range)."""
    if len(pieces) == 1:
        return pieces[0]
    return np.concatenate(pieces) if pieces else np.empty(0, _U32)


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
            directory / f"{name}.docs.npy", directory / f"{name}.kf"]


def file_checksum(path: Path) -> int:
    """xxh3-64 of a whole file, read in 1 MiB pieces."""
    digest = xxhash.xxh3_64()
    with open(path, "rb") as fh:
        while piece := fh.read(1 << 20):
            digest.update(piece)
    return int(digest.intdigest())


class Segment:
    """A committed format-5 segment, memory-mapped (lookups read their blocks with pread),
    with its directory in memory."""

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
                magic, block, _, self.postings, blocks, payload, dir_sum = _FOOTER.unpack(
                    footer[:-8])
                self.footer_sum = int.from_bytes(footer[-8:], "little")
                if magic != MAGIC or block != BLOCK or actual != (
                        payload + blocks * _DIR_BYTES + FOOTER_BYTES) or blocks != -(
                        -self.postings // BLOCK):
                    raise self._bad("not a segment of this format (or truncated)")
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                # Lookups read their blocks with pread (see _copy_blocks).
                self._fd = os.dup(fh.fileno())
                self._release = weakref.finalize(self, os.close, self._fd)
        except FileNotFoundError:
            raise self._bad("missing") from None
        except OSError as exc:
            raise self._bad(f"unreadable ({exc.strerror})") from None
        self._map.madvise(mmap.MADV_RANDOM)
        # The directory is read where it lies in the mapped file: its pages leave RSS with
        # the blocks' at each release (a merge keeps nothing per block of its inputs).
        if checksum(memoryview(self._map)[payload:payload + blocks * _DIR_BYTES]) != dir_sum:
            raise self._bad("key directory fails its checksum")

        def column(dtype: np.dtype, at: int) -> np.ndarray:
            return np.frombuffer(self._map, dtype, blocks, payload + blocks * at)

        self.sums = column(_U64, 0)
        self.firsts = column(_U32, 8)
        self.lasts = column(_U32, 12)
        self._dmin = column(_U32, 16)
        self._key_words = column(_U16, 20)
        self._kw = column(np.dtype(np.uint8), 22)
        self._dw = column(np.dtype(np.uint8), 23)
        if np.any(self._kw > 33) or np.any(self._dw > 32) or np.any(self.lasts < self.firsts):
            raise self._bad("key directory does not match the file")
        self._payload = payload
        # A block and the byte offsets of its start and end, where key_range looks for its
        # next window (the merge reads each segment's blocks in order).
        self._cursor = (-1, 0, 0)
        self._u64 = np.frombuffer(self._map, _U64, payload // 8)
        raw = np.frombuffer(self._map, np.uint8)
        # Every 8 bytes starting at each byte offset (the directory and footer follow the
        # last block, so a read never runs past the file).
        self._words = np.lib.stride_tricks.as_strided(
            raw[:8].view(_U64), shape=(len(raw) - 7,), strides=(1,), writeable=False)
        self._verified = np.zeros(blocks, dtype=bool)
        # The blocks of the last lookup's pread copy, where they start in it, and its bytes.
        self._last_copy: tuple[np.ndarray, np.ndarray, memoryview] | None = None
        self.blocks_read = 0  # by lookups since the last release
        self._map.madvise(mmap.MADV_DONTNEED)  # the directory's pages, read by the checks

    def close(self) -> None:
        """Release the descriptor lookups read through (a collected segment releases it too).
        The mapping stays while arrays view it; a lookup after ``close`` fails (EBADF) rather
        than read whatever file gets the descriptor's number next."""
        self._release()
        self._fd = -1
        self._last_copy = None

    def _bad(self, reason: str) -> BadIndex:
        return BadIndex(str(self.path), reason)

    @functools.cached_property
    def _layout(self) -> _Layout:
        """Every block's layout (112 bytes a block), for lookups: built by the first one, not
        by a merge (:meth:`key_range` reads in windows)."""
        lay = self._window(0, len(self.firsts), 0)
        if lay.payload != self._payload:
            raise self._bad("key directory does not match the file")
        return lay

    def _window(self, first: int, last: int, origin: int) -> _Layout:
        """The layout of blocks ``first .. last-1``, block ``first`` at byte ``origin``."""
        cut = slice(first, last)
        return _Layout.of(self.postings, self.firsts[cut], self.lasts[cut], self._dmin[cut],
                          self._key_words[cut], self._kw[cut], self._dw[cut], start=first,
                          origin=origin)

    def _window_from(self, first: int, last: int) -> _Layout:
        """The layout of blocks ``first .. last-1``, found from the cursor in bounded steps."""
        if "_layout" in self.__dict__:
            return self._layout
        block, origin, end = self._cursor
        if block != first:  # from the block after the cursor, or (backwards) from the start
            block, origin = (block + 1, end) if block < first else (0, 0)
        while block < first:
            step = min(first, block + _WINDOW)
            origin = self._window(block, step, origin).payload
            block = step
        lay = self._window(first, last, origin)
        # The last block read (the next window starts there or just after it).
        self._cursor = (last - 1, int(lay.ends[-2]) if last - first > 1 else origin,
                        int(lay.ends[-1]))
        if last == len(self.firsts) and lay.payload != self._payload:
            raise self._bad("key directory does not match the file")
        return lay

    def verify_blocks(self, blocks: np.ndarray, lay: _Layout | None = None) -> None:
        """Check the checksum of each block not yet verified by this process.

        Raises:
            BadIndex: a block does not match its checksum.
        """
        todo = blocks[~self._verified[blocks]]
        if not len(todo):
            return
        lay = self._layout if lay is None else lay
        view = memoryview(self._map)
        ends = lay.ends
        for b, end in zip(todo.tolist(), ends[todo - lay.start].tolist(), strict=True):
            start = int(ends[b - lay.start - 1]) if b > lay.start else lay.origin
            if checksum(view[start:end]) != int(self.sums[b]):
                raise self._bad(f"postings block {b} fails its checksum "
                                "(run 'unspun index check')")
            self._verified[b] = True

    def _read(self, bit: np.ndarray, width: np.ndarray, words: np.ndarray | None = None
              ) -> np.ndarray:
        """The ``width``-bit values at payload bit offsets ``bit`` (of ``words``: by default
        the mapped file's), as int64."""
        word = (self._words if words is None else words)[bit >> 3] >> (bit & 7).astype(np.uint64)
        mask = (np.uint64(1) << width.astype(np.uint64)) - np.uint64(1)
        return (word & mask).astype(np.int64)

    def _anchor(self, lay: _Layout, block: np.ndarray, group: np.ndarray,
                words: np.ndarray | None = None) -> np.ndarray:
        """Anchor ``group`` (0 .. the block's group count) of each block (rows of ``lay``)."""
        stored = lay.first[block] + self._read(
            lay.anchor_bit[block] + np.maximum(group - 1, 0) * lay.aw[block], lay.aw[block],
            words)
        return np.where(group == 0, lay.first[block],
                        np.where(group >= lay.groups[block], lay.last[block], stored))

    def _doc_at(self, pos: np.ndarray, lay: _Layout | None = None,
                words: np.ndarray | None = None) -> np.ndarray:
        """The docnos of postings ``pos`` (``row * BLOCK + rank`` of ``lay``, by default
        every block of the file), uint32."""
        lay = self._layout if lay is None else lay
        block, rank = pos >> _RANK_BITS, pos & (BLOCK - 1)
        dw = lay.dw[block]
        return (lay.dmin[block] + self._read(lay.doc_bit[block] + rank * dw, dw, words)
                ).astype(_U32)

    def _gather(self, blocks: np.ndarray, lay: _Layout | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
        """Keys and docnos of ``blocks`` (ascending; rows ``blocks - lay.start`` of ``lay``,
        by default the whole layout), verified, as two in-memory arrays."""
        lay = self._layout if lay is None else lay
        self.verify_blocks(blocks, lay)
        if _decode_blocks is not None and len(blocks) and blocks[-1] - blocks[0] == len(blocks) - 1:
            try:
                return self._compiled_gather(int(blocks[0]), int(blocks[-1]) + 1, lay)
            except ValueError:
                pass  # a directory that does not describe the bytes: numpy's way below
        blocks = blocks - lay.start
        lens = lay.lens[blocks]

        def section(width: np.ndarray, bit: np.ndarray) -> np.ndarray:
            live, w, at = _groups(lens, width[blocks], bit[blocks])
            values = np.zeros((len(live), 64), _U64)
            values[live] = _unpack(self._u64, w, at)
            return values.reshape(len(blocks), BLOCK).view(np.int64)

        g = np.arange(_GROUPS)
        inner = self._anchor(lay, np.repeat(blocks, _GROUPS - 1),
                             np.tile(g[1:], len(blocks))).reshape(len(blocks), -1)
        anchors = _anchor_table(lay.first[blocks], lay.last[blocks], inner, lay.groups[blocks])
        kw = lay.kw[blocks, None]
        bases = self._read(lay.base_bit[blocks, None] + g * kw,
                           np.broadcast_to(kw, (len(blocks), _GROUPS)))
        has = g[None, :] < lay.groups[blocks, None]
        ends = np.where(has, self._read(lay.group_bit[blocks, None] + g * _OFFSET_BITS,
                                        np.full((1, 1), _OFFSET_BITS)), 0)
        widths = np.diff(ends, axis=1, prepend=0)
        values = np.zeros((len(blocks) * _GROUPS, _GROUP), _U64)
        at = (lay.key_bit[blocks] >> 6)[:, None] + ends - widths
        values[has.ravel()] = _unpack(self._u64, widths[has], at[has])
        keys = values.reshape(len(blocks), BLOCK).view(np.int64)
        keys += _lines(lens, anchors)
        keys -= np.repeat(bases, _GROUP, axis=1)
        docs = section(lay.dw, lay.doc_bit)
        docs += lay.dmin[blocks, None]
        if np.all(lens == BLOCK):
            return keys.astype(_U32).ravel(), docs.astype(_U32).ravel()
        real = np.arange(BLOCK) < lens[:, None]
        return keys[real].astype(_U32), docs[real].astype(_U32)

    def _compiled_gather(self, first: int, last: int, lay: _Layout
                         ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_gather` of blocks ``first .. last-1`` (verified) by
        ``_speedups.decode_blocks``: the same arrays, without numpy's passes over every
        block's sections (a merge decodes each posting of its inputs)."""
        assert _decode_blocks is not None
        a, b = first - lay.start, last - lay.start
        start = int(lay.ends[a - 1]) if a > 0 else lay.origin
        keys, docs = _decode_blocks(
            memoryview(self._map)[start:int(lay.ends[b - 1])],
            np.ascontiguousarray(lay.lens[a:b], dtype=np.int64), self.firsts[first:last],
            self.lasts[first:last], self._dmin[first:last], self._key_words[first:last],
            self._kw[first:last], self._dw[first:last])
        return np.frombuffer(keys, _U32), np.frombuffer(docs, _U32)

    def _search(self, blocks: np.ndarray, queries: np.ndarray, *, right: bool,
                lay: _Layout | None = None, words: np.ndarray | None = None) -> np.ndarray:
        """For each query, the position (``row * BLOCK + rank``; rows of ``lay``, by default
        every block of the file) of its first key (``right``: past its last key) within its
        block: a binary search on the anchors finds the group, then one in the group, both run
        on all queries at once."""
        lay = self._layout if lay is None else lay
        q = queries.astype(np.int64)

        def before(values: np.ndarray) -> np.ndarray:
            return (values <= q) if right else (values < q)

        # The last group whose anchor is before the query (anchor 0 is the block's first key).
        group = _bisect(np.ones_like(blocks), lay.groups[blocks],
                        lambda g: before(self._anchor(lay, blocks, g, words))) - 1
        group = np.maximum(group, 0)
        start = group * _GROUP
        anchor = self._anchor(lay, blocks, group, words)
        following = self._anchor(lay, blocks, group + 1, words)
        divisor = lay.divisor(blocks, group)
        kw = lay.kw[blocks]
        base = self._read(lay.base_bit[blocks] + group * kw, kw, words)
        offset_bit = lay.group_bit[blocks] + group * _OFFSET_BITS
        end = self._read(offset_bit, np.full(1, _OFFSET_BITS), words)
        begin = np.where(group > 0, self._read(np.maximum(offset_bit - _OFFSET_BITS, 0),
                                               np.full(1, _OFFSET_BITS), words), 0)
        width = end - begin
        value_bit = lay.key_bit[blocks] + begin * 64 - start * width

        def key(rank: np.ndarray) -> np.ndarray:
            return (_predict(anchor, following, rank - start, divisor) - base
                    + self._read(value_bit + rank * width, width, words))

        rank = _bisect(start, start + divisor, lambda r: before(key(r)))
        return blocks * BLOCK + rank

    def lookup(self, queries: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings for each query key, skipping keys in over ``max_df`` documents.

        The key directory gives the first and last block a key can be in; only those blocks
        are read (and verified), by a binary search inside each.

        Returns:
            ``(query_index, docno, df)``: one row per posting, and each query's document
            frequency in this segment (a lower bound above ``max_df`` for very common keys).
        """
        return self._lookup(queries, max_df, copy=max_df < BLOCK)

    def _lookup(self, queries: np.ndarray, max_df: int, *, copy: bool
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`lookup`, reading the blocks from a pread copy (``copy``: only when no key
        read can fill a whole block) or through the mapping (tests compare the two)."""
        queries = np.ascontiguousarray(queries, dtype=_U32)
        if copy and _copy_lookup is not None:
            done = self._compiled_lookup(queries, max_df)
            if done is not None:
                return done
        first, last = _block_span(*self._bounds[:2], queries)
        span = last - first + 1
        df = np.zeros(len(queries), dtype=np.int64)
        # A key filling 3 blocks or more is in more than BLOCK documents: never read it.
        wide = span > 2
        df[wide] = (span[wide] - 2) * BLOCK + 1
        near = (span > 0) & (~wide | (max_df >= BLOCK))
        keys = self.key_filter
        if keys is not None:  # a key its block's filter rejects is absent: df 0, no read
            one = np.flatnonzero(span == 1)
            near[one[~keys.maybe_present(first[one], queries[one])]] = False
        near = np.flatnonzero(near)
        if not len(near):
            return *_EMPTY, df
        blocks = np.unique(np.concatenate([first[near], last[near]]))
        if not copy:
            return self._mapped_lookup(queries, first, last, near, blocks, df, max_df)
        # A key's postings lie in its first block and maybe the next one, so its blocks are
        # neighbours in ``blocks`` too, and positions counted in the copy run as in the file.
        lay, words, buf = self._copy_blocks(blocks)
        q = queries[near]
        left = self._copy_search(np.searchsorted(blocks, first[near]), q, False, lay, words, buf)
        right = self._copy_search(np.searchsorted(blocks, last[near]), q, True, lay, words, buf)
        found = _matches(left, right, near, df, max_df)
        if found is None:
            return *_EMPTY, df
        rows, pos = found
        return rows, self._doc_at(pos, lay, words), df

    @functools.cached_property
    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        """The layout as ``copy_lookup`` reads it, one 64-byte row (a cache line) a block:
        where the fourteen int64 columns of :class:`_Layout` cost ~14 cache misses a block
        read and 112 bytes a block, a row costs one and 64 (its section offsets counted from
        the block's start fit 32 bits); and every ``_SAMPLE``-th block's last key (with the
        last block's), the first step of each key's directory search."""
        lay = self._layout if "_layout" in self.__dict__ else self._window(0, len(self.firsts), 0)
        if lay.payload != self._payload:
            raise self._bad("key directory does not match the file")
        n = len(lay.ends)
        table = np.zeros(n, _BLOCK_ROW)
        table["start"][1:] = lay.ends[:-1]
        table["end"] = lay.ends
        bit = table["start"] * 8
        for name in ("anchor", "group", "base", "key", "doc"):
            rel = getattr(lay, f"{name}_bit") - bit
            if n and (rel.min() < 0 or rel.max() >= 2**32):
                raise self._bad("key directory does not match the file")
            table[name] = rel
        for name, column in (("first", self.firsts), ("last", self.lasts), ("dmin", self._dmin),
                             ("lens", lay.lens), ("groups", lay.groups), ("aw", lay.aw),
                             ("kw", self._kw), ("dw", self._dw)):
            table[name] = column
        keys = self.key_filter
        if keys is not None:
            table["flines"] = keys.counts
            table["fline"] = keys.first
        lasts = self._bounds[1]
        sample = lasts[np.minimum(np.arange(_SAMPLE - 1, n + _SAMPLE - 1, _SAMPLE), n - 1)]
        return table, np.ascontiguousarray(sample)

    @functools.cached_property
    def key_filter(self) -> KeyFilter | None:
        """The blocks' key filters (``NAME.kf``), read and verified by the first lookup;
        None when there are none, or they are damaged or another file's (lookups then read
        every block a key may be in, as without; ``unspun index check`` reports damage)."""
        try:
            return read_filter(self.path, len(self.sums), self.footer_sum)
        except (OSError, ValueError):
            return None

    def _compiled_lookup(self, queries: np.ndarray, max_df: int
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The copy lookup below in one compiled call (``_speedups.copy_lookup``): the same
        blocks read, verified and searched, without the ~60 numpy steps and the checksum
        loop that cost more CPU than the reads (docs/performance.md, "retrievefast").
        None when a value falls outside the copy: the steps below then fail as they did."""
        if _copy_lookup is None:
            return None
        firsts, lasts, sums = self._bounds
        table, sample = self._table
        keys = self.key_filter
        try:
            out = _copy_lookup(self._fd, table, firsts, lasts, sample, sums, self._verified,
                               xxhash.xxh3_64_intdigest, queries, max_df, self._last_copy,
                               None if keys is None else keys.words,
                               0 if keys is None else keys.hashes)
        except EOFError:
            raise self._bad("truncated") from None
        except ValueError:
            return None
        if isinstance(out, int):
            raise self._bad(f"postings block {out} fails its checksum "
                            "(run 'unspun index check')")
        rows, docs, df, blocks, at, buf = out
        if blocks is not None:
            self._last_copy = (np.frombuffer(blocks, np.int64), np.frombuffer(at, np.int64),
                               memoryview(buf))
        return np.frombuffer(rows, np.int64), np.frombuffer(docs, _U32), np.frombuffer(df, np.int64)

    def _copy_search(self, rows: np.ndarray, queries: np.ndarray, right: bool, lay: _Layout,
                     words: np.ndarray, buf: bytearray) -> np.ndarray:
        """:meth:`_search` of the rows ``rows`` of a pread copy (``lay``, ``words`` and its
        bytes ``buf``), by the compiled loop when there is one: the numpy bisection costs
        some twenty numpy steps a round, a trace's two lookups ~3 ms of its ~8."""
        if _block_search is None or not len(rows):
            return self._search(rows, queries, right=right, lay=lay, words=words)
        params = np.stack([lay.anchor_bit[rows], lay.aw[rows], lay.first[rows],
                           lay.last[rows], lay.groups[rows], lay.lens[rows], lay.kw[rows],
                           lay.base_bit[rows], lay.group_bit[rows], lay.key_bit[rows]],
                          axis=1).astype(np.int64)
        try:
            ranks = _block_search(buf, params, queries.astype(np.int64), right)
        except ValueError:  # a read past the buffer: numpy raises as it did
            return self._search(rows, queries, right=right, lay=lay, words=words)
        return rows * BLOCK + np.frombuffer(ranks, np.int64)

    def _mapped_lookup(self, queries: np.ndarray, first: np.ndarray, last: np.ndarray,
                       near: np.ndarray, blocks: np.ndarray, df: np.ndarray, max_df: int
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`lookup` through the mapped file, as for ``max_df >= BLOCK`` (a key's
        postings may then fill whole blocks between its first and its last)."""
        self.verify_blocks(blocks)
        self.blocks_read += len(blocks)
        q = queries[near]
        left = self._search(first[near], q, right=False)
        right = self._search(last[near], q, right=True)
        found = _matches(left, right, near, df, max_df)
        if found is None:
            return *_EMPTY, df
        rows, pos = found
        if max_df >= BLOCK:  # postings may lie in blocks between the first and the last
            inner = np.unique(pos >> _RANK_BITS)
            self.verify_blocks(inner)
            self.blocks_read += len(inner)
        return rows, self._doc_at(pos), df

    @functools.cached_property
    def _bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The directory's first keys, last keys and checksums, copied out of the mapping
        for lookups (16 bytes a block): a release unmaps the directory's pages too, and every
        lookup's binary searches faulted them back in."""
        return np.array(self.firsts), np.array(self.lasts), np.array(self.sums)

    def _copy_blocks(self, blocks: np.ndarray) -> tuple[_Layout, np.ndarray, bytearray]:
        """``blocks`` (ascending) read with pread into one buffer and verified, with their
        layout (row ``i``: ``blocks[i]``, bit offsets into the buffer), the buffer's words
        and the buffer.

        Reading through the mapping cost a page fault per block (each mapping a few hundred
        KB of the page cache around it on this kernel) and then a release to keep RSS
        bounded; a copy of the ~3.4 KB of each block is several times cheaper
        (docs/performance.md, "Issue 14 trace bar: retrieval by pread")."""
        full = self._layout
        ends = full.ends[blocks]
        starts = np.where(blocks > 0, full.ends[np.maximum(blocks - 1, 0)], 0)
        at = np.zeros(len(blocks) + 1, np.int64)
        np.cumsum(ends - starts, out=at[1:])
        buf = bytearray(int(at[-1]) + 8)  # a word read at a block's last byte stays inside
        view = memoryview(buf)
        offsets = at.tolist()
        read = self._reuse(blocks, at, ends - starts, view)
        # Neighbouring blocks are one read.
        todo = np.flatnonzero(read)
        runs = todo[np.concatenate(([True], (np.diff(todo) != 1)
                                    | (starts[todo[1:]] != ends[todo[:-1]])))[:len(todo)]]
        # Past each run's last block: before the next run's first, or after the last to read.
        last = np.append(todo[np.searchsorted(todo, runs[1:]) - 1], todo[-1:]) + 1
        if not len(todo):
            pass
        elif _pread_runs is not None:  # the same reads, without a Python call each
            try:
                _pread_runs(self._fd, buf, np.stack([at[runs], starts[runs],
                                                     at[last] - at[runs]], axis=1))
            except EOFError:
                raise self._bad("truncated") from None
        else:
            fd, preadv = self._fd, os.preadv
            for lo, hi, where in zip(runs.tolist(), last.tolist(), starts[runs].tolist(),
                                     strict=True):
                a, b = offsets[lo], offsets[hi]
                if preadv(fd, [view[a:b]], where) != b - a:
                    raise self._bad("truncated")
        todo = np.flatnonzero(~self._verified[blocks])
        digest = xxhash.xxh3_64_intdigest  # checksum(), called directly: ~2,000 blocks a trace
        for i, b, want in zip(todo.tolist(), blocks[todo].tolist(),
                              self._bounds[2][blocks[todo]].tolist(), strict=True):
            if digest(view[offsets[i]:offsets[i + 1]]) != want:
                raise self._bad(f"postings block {b} fails its checksum "
                                "(run 'unspun index check')")
        self._verified[blocks[todo]] = True
        # Kept for the next lookup only now that it is filled and verified (a lookup in
        # another thread never copies from a buffer still being read).
        self._last_copy = (blocks, at, view)
        shift = (starts - at[:-1]) * 8
        lay = _Layout(full.lens[blocks], full.groups[blocks], full.first[blocks],
                      full.last[blocks], full.aw[blocks], full.kw[blocks], full.dw[blocks],
                      full.anchor_bit[blocks] - shift, full.group_bit[blocks] - shift,
                      full.base_bit[blocks] - shift, full.key_bit[blocks] - shift,
                      full.doc_bit[blocks] - shift, full.dmin[blocks], at[1:], int(at[-1]),
                      0, 0)
        raw = np.frombuffer(buf, np.uint8)
        words = np.lib.stride_tricks.as_strided(raw[:8].view(_U64), shape=(len(raw) - 7,),
                                                strides=(1,), writeable=False)
        return lay, words, buf

    def _reuse(self, blocks: np.ndarray, at: np.ndarray, sizes: np.ndarray,
               view: memoryview) -> np.ndarray:
        """Copy into ``view`` (block ``i`` at ``at[i]``) the ``blocks`` that the previous
        lookup's copy holds; which blocks are still to read.

        A trace looks up its quotes' and headline's keys just after its text's: nine in ten
        of the blocks of the second lookup were read by the first
        (docs/performance.md, "Issue 14: index side")."""
        read = np.ones(len(blocks), bool)
        prev = self._last_copy
        if prev is None or not len(blocks):
            return read
        had, had_at, had_view = prev
        i = np.minimum(np.searchsorted(had, blocks), len(had) - 1)
        read = had[i] != blocks
        for dst, src, size in zip(at[:-1][~read].tolist(), had_at[i[~read]].tolist(),
                                  sizes[~read].tolist(), strict=True):
            view[dst:dst + size] = had_view[src:src + size]
        return read

    def key_range(self, lo: int, hi: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Every posting with ``lo <= key < hi`` (``hi`` None: no upper end), in order."""
        # Bounds as uint32 scalars: with a Python int numpy casts the whole uint32 array to
        # int64 before searching (about 2 ms a million keys: as much as decoding them).
        lo_at, hi_at = _key_scalar(lo), None if hi is None else _key_scalar(hi)
        first = int(np.searchsorted(self.lasts, lo_at, side="left"))
        last = len(self.firsts) if hi_at is None else int(
            np.searchsorted(self.firsts, hi_at, side="left"))
        if first >= last:
            return np.empty(0, _U32), np.empty(0, _U32)
        keys, docs = self._gather(np.arange(first, last), self._window_from(first, last))
        a = int(np.searchsorted(keys, lo_at, side="left"))
        b = len(keys) if hi_at is None else int(np.searchsorted(keys, hi_at, side="left"))
        return keys[a:b], docs[a:b]

    def sample_keys(self) -> np.ndarray:
        """The first key of every block: a sparse sample for choosing merge ranges."""
        return np.asarray(self.firsts)

    def all_docs(self) -> Iterator[np.ndarray]:
        """Every docno, block by block, verified (for ``index check``)."""
        for start in range(0, len(self.sums), 256):
            end = min(start + 256, len(self.sums))
            yield self._gather(np.arange(start, end), self._window_from(start, end))[1]

    def write_key_filter(self) -> None:
        """Write this segment's key filter (``NAME.kf``) from its blocks, read in windows and
        verified, in bounded memory: for segments written before filters existed (a crash
        leaves no filter or a ``.tmp`` file; the segment is not touched). The filter is not
        used by this object (its lookups have started without it); an index opened again
        uses it."""
        writer = FilterWriter(self.path)
        try:
            for start in range(0, len(self.sums), 256):
                end = min(start + 256, len(self.sums))
                keys, _ = self._gather(np.arange(start, end), self._window_from(start, end))
                lens = np.minimum(BLOCK, self.postings - np.arange(start, end) * BLOCK)
                writer.add(keys, np.repeat(np.arange(end - start), lens), end - start)
                self.release()
            writer.finish(self.footer_sum)
        except BaseException:
            writer.abort()
            raise

    def release(self) -> None:
        """Unmap the pages read so far (they stay in the page cache): bounds the reader's RSS."""
        self._map.madvise(mmap.MADV_DONTNEED)
        self.blocks_read = 0


def _key_scalar(value: int) -> np.uint32 | int:
    """A key bound for ``np.searchsorted`` on uint32 arrays: a uint32 scalar when it fits
    (the same positions, no cast of the array), else the int itself."""
    return np.uint32(value) if 0 <= value <= 0xFFFFFFFF else value


def _block_span(firsts: np.ndarray, lasts: np.ndarray, queries: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """The first block whose last key is not below each query, and the last block whose first
    key is not above it: ``searchsorted(lasts, q)`` and ``searchsorted(firsts, q, "right") -
    1``, the second found from the first.

    Blocks are sorted, so every block before the first starts below the query and every one
    after it starts at or above its last key: the last block is the first one or the one
    before, unless the next blocks start at the query itself (a key spanning blocks), for
    which alone the second search runs (a search of a 1M index's directory costs ~0.15 ms
    for a trace's 1,000 keys)."""
    n = len(firsts)
    first = np.searchsorted(lasts, queries, side="left")
    if not n:
        return first, first - 1
    at = np.minimum(first, n - 1)
    last = first - 1 + ((first < n) & (firsts[at] <= queries))
    after = np.minimum(first + 1, n - 1)
    spanning = np.flatnonzero((first + 1 < n) & (firsts[after] == queries))
    if len(spanning):
        last[spanning] = np.searchsorted(firsts, queries[spanning], side="right") - 1
    return first, last


def _bisect(lo: np.ndarray, hi: np.ndarray, before: Callable[[np.ndarray], np.ndarray]
            ) -> np.ndarray:
    """For each row, the first index in ``[lo, hi)`` not ``before`` (``hi`` if none): one
    binary search on all rows at once; ``before`` is monotone along each row."""
    low = lo.copy()
    hi = hi.copy()
    while True:
        active = low < hi
        if not active.any():
            return low
        mid = np.where(active, (low + hi) >> 1, lo)
        go = active & before(mid)
        low = np.where(go, mid + 1, low)
        hi = np.where(active & ~go, mid, hi)


def _matches(left: np.ndarray, right: np.ndarray, near: np.ndarray, df: np.ndarray,
             max_df: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Each found key's query row (``near``) and posting position, once a posting, from the
    keys' first and past-last positions; ``df`` gets every key's count. None: nothing kept
    (no key found, or each held by more than ``max_df`` documents)."""
    df[near] = right - left
    ok = (right > left) & (right - left <= max_df)
    counts = (right - left)[ok]
    if not counts.sum():
        return None
    return np.repeat(near[ok], counts), np.repeat(left[ok], counts) + _ranks(counts)


def _ranks(counts: np.ndarray) -> np.ndarray:
    """``0..c-1`` for each ``c`` in ``counts``, concatenated."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
