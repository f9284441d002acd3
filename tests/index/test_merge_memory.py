"""The merge's memory: the writer's directory spills to scratch files, inputs are read in
windows; the bytes written are those of the in-memory path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.index import segments
from unspun.index.segments import BLOCK, Segment, SegmentWriter, sort_postings


def _postings(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    docs = rng.integers(0, 10**6, n).astype(np.uint32)
    return sort_postings(keys, docs)


def _write_in_pieces(directory: Path, keys: np.ndarray, docs: np.ndarray) -> bytes:
    directory.mkdir()
    with SegmentWriter(directory, "s1") as writer:
        for lo in range(0, len(keys), 3 * BLOCK + 17):  # flushes of a few blocks each
            writer.append(keys[lo:lo + 3 * BLOCK + 17], docs[lo:lo + 3 * BLOCK + 17])
        writer.finish()
    assert [p.name for p in directory.iterdir()] == ["s1.seg"]  # no scratch file is left
    return (directory / "s1.seg").read_bytes()


def test_a_spilled_directory_gives_the_same_segment_bytes(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    keys, docs = _postings(40 * BLOCK + 5, 3)
    kept = _write_in_pieces(tmp_path / "memory", keys, docs)
    monkeypatch.setattr(segments, "_SPILL", 100)  # spill after every flush
    spilled = _write_in_pieces(tmp_path / "spilled", keys, docs)
    assert spilled == kept
    seg = Segment(tmp_path / "spilled" / "s1.seg", "s1")
    got_keys, got_docs = seg.key_range(0, None)
    assert (got_keys == keys).all() and (got_docs == docs).all()


def test_an_aborted_writer_leaves_no_scratch_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "_SPILL", 100)
    keys, docs = _postings(10 * BLOCK, 4)
    with pytest.raises(RuntimeError), SegmentWriter(tmp_path, "s1") as writer:
        writer.append(keys, docs)
        assert writer._spilled  # the directory went to scratch files
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []
