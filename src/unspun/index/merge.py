"""Merging segments: a streaming k-way merge in bounded memory, and which segments to merge.

The merge walks the key space in ranges chosen from the segments' key directories, so each
range holds about ``chunk`` postings whatever the size of the index; each range is read from
every input, sorted, stripped of removed documents and appended to the output segment, and
the inputs' pages are then unmapped, so memory does not grow with the index.

Segments are merged by tiers, as in a log-structured merge tree: a tier holds the segments
whose size is within a factor ``MAX_SEGMENTS`` of each other, and a tier is merged into one
segment when it holds more than ``MAX_SEGMENTS``. Adding 1% to a large index therefore writes
the new batches and at most a few small merges; the large segments are not rewritten.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from unspun._native import speedups
from unspun.index.segments import SegmentInfo, SegmentWriter, sort_postings

# The inputs' sorted ranges merged by a heap in C (None: concatenated and sorted by numpy).
_merge_runs = None if speedups is None else speedups.merge_runs
_U32 = np.dtype(np.uint32)

MAX_SEGMENTS = 8
# Segments below this many postings (about 6,000 articles) share the lowest tier.
TIER_BASE = 1 << 20
# Postings per merge range: about 8 MB of keys and docnos (and some 50 MB of temporaries).
CHUNK = 1 << 20


class Mergeable(Protocol):
    """What the merge needs of a segment (either format)."""

    name: str
    postings: int

    def key_range(self, lo: int, hi: int | None) -> tuple[np.ndarray, np.ndarray]: ...

    def sample_keys(self) -> np.ndarray: ...

    def release(self) -> None: ...


def tier(postings: int) -> int:
    """The tier of a segment of ``postings`` postings."""
    if postings < TIER_BASE:
        return 0
    return 1 + int(math.log(postings / TIER_BASE, MAX_SEGMENTS))


def pick(sizes: Sequence[int]) -> list[int]:
    """Indexes of the segments to merge next (the lowest over-full tier), or none."""
    tiers: dict[int, list[int]] = {}
    for i, size in enumerate(sizes):
        tiers.setdefault(tier(size), []).append(i)
    for level in sorted(tiers):
        if len(tiers[level]) > MAX_SEGMENTS:
            return tiers[level]
    return []


def ranges(segments: Sequence[Mergeable], chunk: int) -> list[tuple[int, int | None]]:
    """Key ranges ``[lo, hi)`` (``hi`` None: to the end) of about ``chunk`` postings each."""
    sample = np.sort(np.concatenate([s.sample_keys() for s in segments] or [np.empty(0)]))
    step = max(1, chunk // 1024)
    cuts = [int(k) for k in np.unique(sample[step::step]) if k > 0]
    lows = [0, *cuts]
    return list(zip(lows, [*cuts, None], strict=True))


def merge(segments: Sequence[Mergeable], directory: Path, name: str, dead: np.ndarray,
          *, chunk: int = CHUNK) -> SegmentInfo:
    """Write one segment holding every posting of ``segments`` except those of ``dead``.

    Args:
        segments: The inputs, each sorted by (key, docno).
        directory: Where to write the output.
        name: The output segment's name.
        dead: Document numbers whose postings are dropped.
        chunk: Postings per key range (bounds the memory used).

    Returns:
        The written segment (fsynced, under its final name, not yet committed).
    """
    with SegmentWriter(directory, name) as writer:
        for lo, hi in ranges(segments, chunk):
            writer.append(*_postings_in(segments, lo, hi, dead))
            for s in segments:  # the inputs' pages stay cached but leave this process's RSS
                s.release()
        return writer.finish()


def _postings_in(segments: Sequence[Mergeable], lo: int, hi: int | None, dead: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The postings of keys ``lo <= key < hi``, sorted, without ``dead``'s (a function of its
    own, so that the pieces are freed before the next range is read)."""
    parts = [s.key_range(lo, hi) for s in segments]
    if _merge_runs is not None and all(k.dtype == _U32 and d.dtype == _U32 for k, d in parts):
        if len(dead):
            parts = [(k[keep], d[keep]) for k, d in parts for keep in (~np.isin(d, dead),)]
        try:  # each input's range is sorted: merged, not sorted again
            merged = _merge_runs([np.ascontiguousarray(k) for k, _ in parts],
                                 [np.ascontiguousarray(d) for _, d in parts])
            return np.frombuffer(merged[0], _U32), np.frombuffer(merged[1], _U32)
        except ValueError:
            pass  # an input out of order: sorted below, as without the extension
    keys = np.concatenate([p[0] for p in parts])
    docs = np.concatenate([p[1] for p in parts])
    del parts
    if len(dead):
        keep = ~np.isin(docs, dead)
        keys, docs = keys[keep], docs[keep]
    return sort_postings(keys, docs)
