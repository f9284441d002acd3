"""Immutable postings segments: sorted (key, docno) arrays on disk, searched with searchsorted."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_array(path: Path, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` through a temporary file, fsynced, then renamed."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, array, allow_pickle=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass(slots=True)
class Segment:
    """One segment: ``keys`` sorted ascending, ``docs[i]`` the document number of ``keys[i]``."""

    name: str
    keys: np.ndarray  # uint32
    docs: np.ndarray  # uint32

    @staticmethod
    def build(keys: np.ndarray, docs: np.ndarray, name: str) -> Segment:
        order = np.lexsort((docs, keys))
        return Segment(name, keys[order].astype(np.uint32), docs[order].astype(np.uint32))

    def write(self, directory: Path) -> None:
        """Write both arrays durably; the caller commits the segment's name afterwards."""
        _write_array(directory / f"{self.name}.keys.npy", self.keys)
        _write_array(directory / f"{self.name}.docs.npy", self.docs)
        _fsync_dir(directory)

    @staticmethod
    def load(directory: Path, name: str) -> Segment:
        """Memory-map a committed segment."""
        keys = np.load(directory / f"{name}.keys.npy", mmap_mode="r")
        docs = np.load(directory / f"{name}.docs.npy", mmap_mode="r")
        return Segment(name, keys, docs)

    @staticmethod
    def files(directory: Path, name: str) -> list[Path]:
        return [directory / f"{name}.keys.npy", directory / f"{name}.docs.npy"]

    def lookup(self, queries: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings for each query key, skipping keys found in more than ``max_df`` documents.

        Returns:
            ``(query_index, docno, df)`` arrays, one row per posting, and the document
            frequency of every query key in this segment.
        """
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


def merge(segments: list[Segment], name: str, dropped: set[int]) -> Segment:
    """One segment holding every posting of ``segments`` except those of ``dropped`` docs."""
    keys = np.concatenate([np.asarray(s.keys) for s in segments])
    docs = np.concatenate([np.asarray(s.docs) for s in segments])
    if dropped:
        keep = ~np.isin(docs, np.fromiter(dropped, dtype=np.uint32))
        keys, docs = keys[keep], docs[keep]
    return Segment.build(keys, docs, name)
