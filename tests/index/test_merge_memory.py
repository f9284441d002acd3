"""The merge's memory: the writer's directory spills to scratch files, inputs are read in
windows; the bytes written are those of the in-memory path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.index import segments
from unspun.index.merge import merge
from unspun.index.segments import BLOCK, Segment, SegmentWriter, sort_postings, write_segment


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
    # no scratch file is left; the key filter is written beside the segment
    assert sorted(p.name for p in directory.iterdir()) == ["s1.kf", "s1.seg"]
    return (directory / "s1.seg").read_bytes() + (directory / "s1.kf").read_bytes()


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


def test_key_ranges_read_in_windows_match_the_whole_layout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows found from the cursor, forwards, backwards and in small steps, read what the
    whole segment's layout reads."""
    monkeypatch.setattr(segments, "_WINDOW", 3)
    keys, docs = _postings(30 * BLOCK + 100, 5)
    write_segment(tmp_path, "s1", keys, docs)
    seg = Segment(tmp_path / "s1.seg", "s1")
    middle = Segment(tmp_path / "s1.seg", "s1")  # a first window that starts past block 0
    got_keys, got_docs = middle.key_range(2**31, None)
    assert (got_keys == keys[keys >= 2**31]).all() and (got_docs == docs[keys >= 2**31]).all()
    cuts = [0, 2**28, 2**30, 2**31 + 5, 3 * 2**30, 3 * 2**30 + 7, 2**32 - 2**20]
    bounds = list(zip(cuts, [*cuts[1:], None], strict=True))
    for lo, hi in [*bounds, bounds[4], bounds[1], bounds[6], bounds[0]]:
        got_keys, got_docs = seg.key_range(lo, hi)
        inside = (keys >= lo) & (keys < (2**32 if hi is None else hi))
        assert (got_keys == keys[inside]).all() and (got_docs == docs[inside]).all()
    assert "_layout" not in seg.__dict__  # no per-block layout of the whole segment
    whole = Segment(tmp_path / "s1.seg", "s1")
    whole.lookup(keys[:5], 10)  # builds the whole layout, which key_range then uses
    for lo, hi in bounds:
        a, b = whole.key_range(lo, hi), seg.key_range(lo, hi)
        assert (a[0] == b[0]).all() and (a[1] == b[1]).all()


def test_a_merge_reads_its_inputs_in_windows_and_writes_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = [_postings(n, 10 + n) for n in (9 * BLOCK + 3, 20 * BLOCK, 500)]
    for i, (keys, docs) in enumerate(parts):
        write_segment(tmp_path, f"s{i}", keys, docs + i * 10**6)
    monkeypatch.setattr(segments, "_SPILL", 100)
    inputs = [Segment(tmp_path / f"s{i}.seg", f"s{i}") for i in range(3)]
    dead = np.array([parts[0][1][0], 10**6 + parts[1][1][5]], np.uint32)
    merge(inputs, tmp_path, "m", dead, chunk=2 * BLOCK)
    assert all("_layout" not in s.__dict__ for s in inputs)
    keys = np.concatenate([k for k, _ in parts])
    docs = np.concatenate([d + i * 10**6 for i, (_, d) in enumerate(parts)])
    keep = ~np.isin(docs, dead)
    write_segment(tmp_path, "w", keys[keep], docs[keep])
    assert (tmp_path / "m.seg").read_bytes() == (tmp_path / "w.seg").read_bytes()
