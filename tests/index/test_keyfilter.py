"""Key filters (``seg/NAME.kf``): optional, exact (no key lost), checked, crash safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import unspun.index.segments as segments
from index.corpus import wikinews
from unspun.cli import cli
from unspun.index import Index, add_documents
from unspun.index.check import check_index
from unspun.index.keyfilter import build_lines, filter_path, maybe_present
from unspun.index.segments import BLOCK, Segment, SegmentWriter, sort_postings, write_segment


@contextmanager
def _segment(seed: int, n: int, spread: int) -> Iterator[tuple[np.ndarray, np.ndarray, Path]]:
    """``n`` random postings (keys below ``spread``) as one segment with its filter."""
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, spread, n, dtype=np.uint64).astype(np.uint32)
    docs = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    with tempfile.TemporaryDirectory() as tmp:
        write_segment(Path(tmp), "s", keys, docs)
        yield keys, docs, Path(tmp) / "s.seg"


def _unfiltered(path: Path) -> Segment:
    seg = Segment(path, path.stem)
    seg.__dict__["key_filter"] = None  # as a segment without a sidecar
    return seg


def _queries(rng: np.random.Generator, keys: np.ndarray, take: int) -> np.ndarray:
    """Stored keys, their neighbours (mostly absent) and random keys."""
    some = rng.choice(keys, min(take, len(keys))).astype(np.int64)
    near = np.concatenate([some, some - 1, some + 1, rng.integers(0, 2**32, take)])
    return np.clip(near, 0, 2**32 - 1).astype(np.uint32)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6 * BLOCK),
       spread=st.sampled_from([3, 300, 40_000, 2**32 - 1]),
       max_df=st.sampled_from([0, 1, 5, 60, BLOCK - 1, BLOCK, 10**6]), take=st.integers(1, 300))
def test_a_filtered_lookup_is_the_unfiltered_lookup(seed: int, n: int, spread: int,
                                                    max_df: int, take: int) -> None:
    """The filter only skips blocks: rows, docnos, document frequencies and dtypes are those
    of the segment read without it, compiled or not, copied or mapped; and the compiled
    probe skips exactly the blocks the numpy probe skips."""
    with _segment(seed, n, spread) as (keys, _, path):
        queries = _queries(np.random.default_rng(seed), keys, take)
        want = _unfiltered(path).lookup(queries, max_df)
        filtered = Segment(path, "s")
        assert filtered.key_filter is not None
        got = filtered.lookup(queries, max_df)
        compiled, segments._copy_lookup = segments._copy_lookup, None
        try:
            python = Segment(path, "s")
            twin = python.lookup(queries, max_df)
        finally:
            segments._copy_lookup = compiled
        for a, b, c in zip(want, got, twin, strict=True):
            assert a.dtype == b.dtype == c.dtype and a.tolist() == b.tolist() == c.tolist()
        if max_df < BLOCK:
            assert filtered._verified.tolist() == python._verified.tolist()


def test_the_filter_holds_every_key_and_rejects_most_absent_ones() -> None:
    with _segment(3, 40 * BLOCK, 2**32 - 1) as (keys, _, path):
        seg = Segment(path, "s")
        kf = seg.key_filter
        assert kf is not None
        block = np.arange(len(keys)) // BLOCK
        stored = np.sort(keys)
        assert kf.maybe_present(block, stored).all()
        # Keys between two stored keys of a block, not stored themselves.
        absent = np.setdiff1d(stored[:-1] + 1, stored)
        inside = absent[(absent > stored[0]) & (absent < stored[-1])]
        at = np.searchsorted(seg.lasts, inside)
        within = seg.firsts[at] < inside  # not between two blocks (no block read there)
        inside, at = inside[within], at[within]
        rate = kf.maybe_present(at, inside).mean()
        assert 0.02 < rate < 0.2  # 5 bits a key, 3 hashes: ~10 %
        # A look-up of absent keys reads only the blocks of the few the filter lets through.
        spread = inside[np.unique(at, return_index=True)[1]]  # one a block
        seg.lookup(spread, 60)
        plain = _unfiltered(path)
        plain.lookup(spread, 60)
        assert plain._verified.all()
        assert 0 < seg._verified.sum() < 0.3 * plain._verified.sum()


def test_a_block_of_one_key_and_empty_filters() -> None:
    words, counts = build_lines(np.array([5, 5, 5, 9], np.uint32), np.array([0, 0, 0, 2]), 3)
    assert counts.tolist() == [1, 1, 1] and len(words) == 24  # one line a block at least
    first = np.array([0, 1, 2])
    got = maybe_present(words, first, counts.astype(np.int64), np.array([5, 9, 9], np.uint32), 3)
    assert got[0] and got[2]  # stored
    assert not maybe_present(words, first[1:2], counts[1:2].astype(np.int64),
                             np.array([9], np.uint32), 3)[0]  # an empty block: nothing
    assert maybe_present(words, first, np.zeros(3, np.int64), np.array([1, 2, 3], np.uint32),
                         3).all()  # no filter: maybe


def test_a_filter_written_later_is_the_writers(tmp_path: Path) -> None:
    """``write_key_filter`` (an existing segment) gives the bytes the writer gave in
    flushes of any size, and neither touches the segment."""
    rng = np.random.default_rng(5)
    keys, docs = sort_postings(rng.integers(0, 2**32, 9 * BLOCK + 77, dtype=np.uint64)
                               .astype(np.uint32), rng.integers(0, 99, 9 * BLOCK + 77)
                               .astype(np.uint32))
    keys[:2500] = 4  # a key over several blocks
    with SegmentWriter(tmp_path, "s") as writer:
        for lo in range(0, len(keys), 3 * BLOCK + 17):
            writer.append(keys[lo:lo + 3 * BLOCK + 17], docs[lo:lo + 3 * BLOCK + 17])
        writer.finish()
    segment = (tmp_path / "s.seg").read_bytes()
    written = filter_path(tmp_path / "s.seg").read_bytes()
    filter_path(tmp_path / "s.seg").unlink()
    Segment(tmp_path / "s.seg", "s").write_key_filter()
    assert filter_path(tmp_path / "s.seg").read_bytes() == written
    assert (tmp_path / "s.seg").read_bytes() == segment
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.kf", "s.seg"]


def _lookups(path: Path) -> list[list[int]]:
    """Look-ups of every stored key and its next value (mostly absent)."""
    with Index.open(path) as index:
        keys = np.unique(np.concatenate([s.key_range(0, None)[0] for s in index._segments]))
        probe = np.concatenate([keys, keys + 1]).astype(np.uint32)
        # (key, docno) pairs: their order depends on the segments, which compact merges
        return [sorted(zip(q.tolist(), d.tolist(), strict=True)) for q, d in (
            index.lookup(probe, max_df=60), index.lookup(probe[::7], max_df=BLOCK - 1))]


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(12), batch_size=4)
    return path


def test_damaged_or_foreign_filters_are_ignored_and_reported(built: Path) -> None:
    want = _lookups(built)
    kfs = sorted((built / "seg").glob("*.kf"))
    assert len(kfs) == 3
    data = bytearray(kfs[0].read_bytes())
    data[10] ^= 1
    kfs[0].write_bytes(data)  # a flipped bit in its lines
    kfs[1].write_bytes(kfs[2].read_bytes())  # another segment's filter
    with Index.open(built) as index:
        assert [s.key_filter is None for s in index._segments].count(True) == 2
    assert _lookups(built) == want
    report = check_index(built)
    assert {Path(p.split(": ")[0]) for p in report.problems} == {kfs[0], kfs[1]}
    with Index.open(built, writable=True) as index:
        assert index.add_filters() == 2
    assert check_index(built).ok and _lookups(built) == want


def test_an_index_without_filters_works_and_compact_adds_them(built: Path) -> None:
    want = _lookups(built)
    for kf in (built / "seg").glob("*.kf"):
        kf.unlink()
    assert _lookups(built) == want and check_index(built).ok
    with Index.open(built) as index:
        stats = index.stats()
    assert stats["key_filter_bytes"] == 0
    result = CliRunner().invoke(cli, ["index", "compact", "--index", str(built)])
    assert result.exit_code == 0 and "segments: 3 -> 1" in result.output
    assert "key filters written" not in result.output  # the merged segment has its own
    with Index.open(built) as index:
        assert all(s.key_filter is not None for s in index._segments)
        stats = index.stats()
    assert 0 < stats["key_filter_bytes"] < stats["postings_bytes"]
    assert _lookups(built) == want and check_index(built).ok


_ADD_FILTERS = """
import sys, time
from unspun.index import Index
from unspun.index import keyfilter
add = keyfilter.FilterWriter.add
def slow(self, *args):
    add(self, *args)
    self._fh.flush()
    print("writing", flush=True)
    time.sleep(30)
keyfilter.FilterWriter.add = slow
with Index.open(sys.argv[1], writable=True) as index:
    index.add_filters()
"""


def test_kill_9_while_adding_filters_loses_nothing(built: Path) -> None:
    """A writer killed while it writes the filters of an old index leaves it usable and as
    it was; the next writer deletes the unfinished file, and a compaction writes them."""
    want = _lookups(built)
    for kf in (built / "seg").glob("*.kf"):
        kf.unlink()
    before = {p.name: p.read_bytes() for p in (built / "seg").iterdir()}
    proc = subprocess.Popen([sys.executable, "-c", _ADD_FILTERS, str(built)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"writing\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = {p.name for p in (built / "seg").iterdir()} - set(before)
    assert len(left) == 1 and left.pop().endswith(".kf.tmp")
    assert _lookups(built) == want  # readers ignore it
    assert check_index(built).ok
    with Index.open(built, writable=True):  # the sweep
        pass
    assert {p.name: p.read_bytes() for p in (built / "seg").iterdir()} == before
    result = CliRunner().invoke(cli, ["index", "compact", "--index", str(built)])
    assert result.exit_code == 0
    assert _lookups(built) == want and check_index(built).ok
    assert len(list((built / "seg").glob("*.kf"))) == 1
