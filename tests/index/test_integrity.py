"""Checksums, `index check`, read-only readers, and write failures that leave the index as it was."""

from __future__ import annotations

import errno
import importlib.util
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus import wikinews, write_jsonl
from unspun.cli import cli
from unspun.config import FingerprintConfig
from unspun.errors import BadIndex
from unspun.index import Index, add_documents
from unspun.index.check import check_index
from unspun.index.segments import BLOCK, SegmentWriter
from unspun.trace import trace_document

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(path).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in path.rglob("*") if p.is_file()}


def _one_line(result: Any, *needles: str) -> None:
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unspun: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(6), batch_size=3)
        index.remove([wikinews(6)[4].id])
    return path


def test_check_passes_on_a_sound_index_and_changes_nothing(built: Path) -> None:
    before = _snapshot(built)
    report = check_index(built)
    assert report.ok and report.documents == 5 and report.postings > 0 and not report.notes
    result = CliRunner().invoke(cli, ["index", "check", "--index", str(built)])
    assert result.exit_code == 0 and "ok (5 documents" in result.stdout
    as_json = json.loads(CliRunner().invoke(
        cli, ["index", "check", "--index", str(built), "--json"]).stdout)
    assert as_json["ok"] and as_json["problems"] == []
    doc = wikinews(1)[0]
    (built.parent / "s.txt").write_text(doc.text)
    traced = CliRunner().invoke(cli, ["trace", str(built.parent / "s.txt"), "--index",
                                      str(built), "--json"])
    assert traced.exit_code == 0, traced.output
    assert CliRunner().invoke(cli, ["index", "stats", "--index", str(built)]).exit_code == 0
    assert _snapshot(built) == before  # reading created and changed nothing


@pytest.mark.parametrize("damage", ["delete", "truncate", "empty"])
def test_a_damaged_database_is_never_replaced_by_an_empty_index(built: Path,
                                                                 damage: str) -> None:
    db = built / "docs.sqlite"
    if damage == "delete":
        db.unlink()
    else:
        db.write_bytes(db.read_bytes()[: 0 if damage == "empty" else 8192])
    before = _snapshot(built)
    (built.parent / "s.txt").write_text(wikinews(1)[0].text)
    for args in (["index", "stats"], ["trace", str(built.parent / "s.txt")], ["index", "check"],
                 ["index", "add", str(built.parent / "s.txt")]):
        _one_line(CliRunner().invoke(cli, [*args, "--index", str(built)]), str(db))
    assert _snapshot(built) == before


def test_a_flipped_postings_block_is_an_error_not_a_wrong_answer(built: Path) -> None:
    seg = next((built / "seg").glob("*.seg"))
    data = bytearray(seg.read_bytes())
    data[100] ^= 0x40  # a key in block 0
    seg.write_bytes(bytes(data))
    # Opening checks the directory and footer only; a lookup that reads the block fails.
    with (Index.open(built) as index,
          pytest.raises(BadIndex, match=rf"{seg.name}: postings block 0 fails")):
        for doc in wikinews(6):
            trace_document(doc, index=index)
    problems = check_index(built).problems
    assert problems and all(seg.name in p for p in problems)


def test_a_flipped_document_row_is_an_error(built: Path) -> None:
    with sqlite3.connect(built / "docs.sqlite") as conn:
        conn.execute("UPDATE docs SET title='Forged' WHERE docno=1")
    conn.close()
    assert check_index(built).problems == [
        f"{built / 'docs.sqlite'}: does not match its checksum in index.json"]
    with (Index.open(built) as index,
          pytest.raises(BadIndex, match="docs.sqlite: document 1 fails its checksum")):
        index.get(wikinews(1)[0].id)


def test_every_kind_of_damage_is_detected_sampled(tmp_path: Path) -> None:
    """A sample of the full fault run (benchmarks/index_faults.py; figures in
    docs/reliability.md): every flip and truncation is caught by `check`, and open-and-trace
    either fails with one line or answers exactly as before."""
    spec = importlib.util.spec_from_file_location("index_faults",
                                                  ROOT / "benchmarks" / "index_faults.py")
    assert spec and spec.loader
    faults = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(faults)
    root = tmp_path / "ix"
    suspects = faults.build(root)
    baseline = faults.answer(root, suspects)
    originals = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    outcomes = [faults.run_case(f, kind, off, originals[f], root, suspects, baseline)
                for f, kind, off in faults.cases(root, sample=20, seed=1)]
    assert {p: p.read_bytes() for p in originals} == originals
    assert len(outcomes) >= 150
    assert {found for found, _ in outcomes} == {"detected"}
    assert {traced for _, traced in outcomes} <= {"error", "same"}


def test_create_refuses_other_fingerprint_settings(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    cfg = FingerprintConfig(word_n=3)
    Index.create(path, config=cfg).close()
    with pytest.raises(BadIndex, match="other fingerprint settings"):
        Index.create(path, config=FingerprintConfig())
    with Index.create(path, config=cfg) as index:  # the same settings are fine
        assert index.config == cfg
    Index.open(path, writable=True).close()  # and the lock was released


def _disk_full(*_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _no_permission(*_: object) -> None:
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize("where", ["segment", "database", "merge", "permission"])
def test_disk_full_is_one_line_and_leaves_the_index_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(4), batch_size=1)  # 4 segments
    before = {d.id: d.text for d in Index.open(path).documents()}
    corpus = write_jsonl(tmp_path / "more.jsonl", wikinews(8, skip=4))
    if where == "segment":
        monkeypatch.setattr(SegmentWriter, "_write", _disk_full)
    elif where == "permission":  # (tests run as root, so chmod cannot show it)
        monkeypatch.setattr(SegmentWriter, "__init__", _no_permission)
    elif where == "database":
        original = Index._insert

        def insert_then_fail(self: Index, *args: Any) -> int:
            original(self, *args)  # rows inserted and the segment written: then SQLite fails
            raise sqlite3.OperationalError("database or disk is full")
        monkeypatch.setattr(Index, "_insert", insert_then_fail)
    else:
        class FullDisk(SegmentWriter):
            def finish(self) -> Any:
                self._flush(final=True)  # the blocks are written, then the disk fills up
                _disk_full()

        monkeypatch.setattr("unspun.index.merge.MAX_SEGMENTS", 2)
        monkeypatch.setattr("unspun.index.merge.SegmentWriter", FullDisk)
    result = CliRunner().invoke(cli, ["index", "add", str(corpus), "--index", str(path),
                                      "--batch-size", "8"])
    reason = {"database": "database or disk is full",
              "permission": "Permission denied"}.get(where, "No space left on device")
    _one_line(result, str(path), reason)
    monkeypatch.undo()
    after = {d.id: d.text for d in Index.open(path).documents()}
    if where == "merge":  # the batch was committed; only the merge failed
        assert after == {**before, **{d.id: d.text for d in wikinews(8, skip=4)}}
    else:
        assert after == before
    files = list((path / "seg").iterdir())
    assert {p.suffix for p in files} <= {".seg", ".kf"}
    assert {p.stem for p in files if p.suffix == ".kf"} <= {p.stem for p in files
                                                           if p.suffix == ".seg"}
    report = check_index(path)
    assert report.ok and not report.notes, report  # sealed again by the failed writer
    assert CliRunner().invoke(cli, ["index", "add", str(corpus), "--index",
                                    str(path)]).exit_code == 0
    assert len(Index.open(path)) == 12


def test_killed_writer_leaves_an_unsealed_index_that_opens_and_checks(built: Path) -> None:
    index = Index.open(built, writable=True)  # a writer that never closes (as if killed)
    add_documents(index, wikinews(2, skip=6))
    assert json.loads((built / "index.json").read_text())["docs"] is None
    with Index.open(built) as reader:
        assert len(reader) == 7
    report = check_index(built)
    assert report.ok and any("not sealed" in n for n in report.notes)
    index.close()
    assert check_index(built).notes == []


@contextmanager
def _random_segment(seed: int, n: int, spread: int) -> Iterator[tuple[Any, Any, Any,
                                                                       Callable[[], Any]]]:
    """``n`` random postings (keys below ``spread``) written as one segment in a temporary
    directory (a hypothesis test cannot take ``tmp_path``): the generator they were drawn
    from, to draw queries; the keys; the docnos; and a function opening the segment anew."""
    import tempfile

    import numpy as np

    from unspun.index.segments import Segment, write_segment
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, spread, n, dtype=np.uint64).astype(np.uint32)
    docs = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    with tempfile.TemporaryDirectory() as tmp:
        info = write_segment(Path(tmp), "s", keys, docs)
        yield rng, keys, docs, lambda: Segment(Path(tmp) / "s.seg", "s", size=info.size)


def test_segment_blocks_and_directory(tmp_path: Path) -> None:
    """Postings across many blocks, keys spanning blocks, and a key in more than BLOCK docs."""
    import numpy as np

    from unspun.index.segments import Segment, write_segment
    rng = np.random.default_rng(0)
    keys = rng.integers(0, 5000, 6 * BLOCK).astype(np.uint32)
    keys[: BLOCK + 7] = 77  # one key in more than BLOCK documents
    docs = rng.integers(0, 10**6, len(keys)).astype(np.uint32)
    info = write_segment(tmp_path, "s1", keys, docs)
    # Bit-packed: dense keys take a few bits, docnos below 10**6 twenty (raw: 8 bytes).
    assert info.size < 4 * len(keys)
    seg = Segment(tmp_path / "s1.seg", "s1", size=info.size)
    queries = np.unique(np.concatenate([keys[::7], [77, 5001, 0]])).astype(np.uint32)
    for max_df in (3, 60, 10**6):
        q, d, df = seg.lookup(queries, max_df)
        for i, key in enumerate(queries.tolist()):
            want = sorted(docs[keys == key].tolist())
            assert df[i] >= len(want) and (df[i] == len(want) or len(want) > max_df)
            got = sorted(d[q == i].tolist())
            assert got == (want if len(want) <= max_df else [])
    all_keys, all_docs = seg.key_range(0, None)
    order = np.lexsort((docs, keys))
    assert (all_keys == keys[order]).all() and (all_docs == docs[order]).all()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5 * BLOCK),
       spread=st.sampled_from([3, 300, 2**32 - 1]), max_df=st.sampled_from([1, 5, 60, BLOCK - 1]),
       take=st.integers(1, 400))
def test_a_lookup_from_a_pread_copy_is_the_mapped_lookup(seed: int, n: int, spread: int,
                                                         max_df: int, take: int) -> None:
    """Lookups below ``BLOCK`` read their blocks into a buffer with pread (rebasing every
    bit offset) instead of through the mapping: the rows, their order and the document
    frequencies must be the mapped lookup's exactly, for keys spanning two blocks (few
    distinct keys), short last blocks, absent keys and any subset of the blocks."""
    import numpy as np

    with _random_segment(seed, n, spread) as (rng, keys, docs, open_segment):
        queries = np.concatenate([rng.choice(keys, min(take, n)),
                                  rng.integers(0, 2**32, 5, dtype=np.uint64).astype(np.uint32)])
        seg = open_segment()
        copied = seg._lookup(queries, max_df, copy=True)
        mapped = seg._lookup(queries, max_df, copy=False)
        assert seg.lookup(queries, max_df)[1].tolist() == copied[1].tolist()
    for a, b in zip(copied, mapped, strict=True):
        assert a.dtype == b.dtype and a.tolist() == b.tolist()
    q, d, df = copied
    for i, key in enumerate(queries.tolist()[:20]):
        want = sorted(docs[keys == key].tolist())
        assert sorted(d[q == i].tolist()) == (want if len(want) <= max_df else [])


def test_metadata_that_is_not_text_round_trips_with_checksums(tmp_path: Path) -> None:
    doc = wikinews(1)[0]
    doc.date = 20101009  # type: ignore[assignment]  # a library caller may pass anything
    with Index.create(tmp_path / "ix") as index:
        add_documents(index, [doc])
    with Index.open(tmp_path / "ix") as index:
        assert index.get(doc.id).date == "20101009"  # type: ignore[union-attr]
    assert check_index(tmp_path / "ix").ok


def test_postings_sort_by_key_then_docno_over_the_whole_uint32_range() -> None:
    """Keys and docnos packed into one 64-bit sort keep their order at the range's ends."""
    import numpy as np

    from unspun.index.segments import sort_postings
    rng = np.random.default_rng(1)
    keys = rng.choice(np.array([0, 1, 2**31, 2**32 - 2, 2**32 - 1], np.uint32), 5000)
    docs = rng.integers(0, 2**32, 5000, dtype=np.uint64).astype(np.uint32)
    got_keys, got_docs = sort_postings(keys, docs)
    order = np.lexsort((docs, keys))
    assert got_keys.dtype == got_docs.dtype == np.dtype("<u4")
    assert (got_keys == keys[order]).all() and (got_docs == docs[order]).all()


@pytest.mark.parametrize("n", [1, 63, 64, 65, BLOCK - 1, BLOCK, 3 * BLOCK + 130])
def test_packed_segments_round_trip_at_the_ends_of_every_range(tmp_path: Path, n: int) -> None:
    """Format 5 bit-packs keys and docnos per block and group: every posting reads back, by
    lookup and by key range, for short last blocks and groups, keys and docnos at both ends
    of uint32, long runs of one key (a flat group: width 0) and one document."""
    import numpy as np

    from unspun.index.segments import Segment, write_segment
    rng = np.random.default_rng(n)
    keys = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    docs = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    keys[: n // 3] = 2**32 - 1  # a run of one key
    keys[n // 3: n // 2] = 0
    docs[n // 2: n // 2 + 70] = 7  # the same document many times
    info = write_segment(tmp_path, "s1", keys, docs)
    seg = Segment(tmp_path / "s1.seg", "s1", size=info.size)
    order = np.lexsort((docs, keys))
    got_keys, got_docs = seg.key_range(0, None)
    assert (got_keys == keys[order]).all() and (got_docs == docs[order]).all()
    lo, hi = 2**31, 2**31 + 2**30
    part_keys, part_docs = seg.key_range(lo, hi)
    inside = (keys[order] >= lo) & (keys[order] < hi)
    assert (part_keys == keys[order][inside]).all() and (part_docs == docs[order][inside]).all()
    queries = np.unique(np.concatenate([keys, rng.integers(0, 2**32, 50, dtype=np.uint64)
                                        .astype(np.uint32), [0, 1, 2**32 - 2]]))
    q, d, df = seg.lookup(queries.astype(np.uint32), 10**6)
    for i, key in enumerate(queries.tolist()):
        want = sorted(docs[keys == key].tolist())
        assert sorted(d[q == i].tolist()) == want
        assert df[i] == len(want) or len(want) > 2 * BLOCK


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4 * BLOCK),
       spread=st.sampled_from([3, 300, 70_000, 2**32 - 1]), right=st.booleans())
def test_the_compiled_block_search_is_the_numpy_search(seed: int, n: int, spread: int,
                                                       right: bool) -> None:
    """``_copy_search`` (the C loop of ``_speedups.block_search``) gives the numpy
    bisection's positions for every query, present or absent, in full and short blocks,
    and each is the rank a plain ``searchsorted`` of the block's decoded keys gives."""
    import numpy as np

    from unspun.index import segments
    if segments._block_search is None:
        pytest.skip("the extension is off")
    with _random_segment(seed, n, spread) as (rng, keys, _, open_segment):
        seg = open_segment()
        nb = len(seg.firsts)
        blocks = np.unique(rng.integers(0, nb, max(1, nb // 2 + 1)))
        lay, words, buf = seg._copy_blocks(blocks)
        rows = rng.integers(0, len(blocks), 300)
        lo, hi = lay.first[rows], lay.last[rows]
        queries = np.concatenate([
            rng.choice(keys, 200), lo[:50], hi[:50],
            (lo + rng.integers(0, 2, len(rows)) * (hi - lo + 1) // 2)[:100],
        ]).astype(np.uint32)[:len(rows)]
        got = seg._copy_search(rows, queries, right, lay, words, buf)
        want = seg._search(rows, queries, right=right, lay=lay, words=words)
        assert got.tolist() == want.tolist()
        whole, _ = seg._gather(blocks)
        starts = np.concatenate(([0], np.cumsum(lay.lens)))
        for r, qv, pos in zip(rows.tolist(), queries.tolist(), got.tolist(), strict=True):
            block_keys = whole[starts[r]:starts[r + 1]]
            side = "right" if right else "left"
            assert pos == r * BLOCK + int(np.searchsorted(block_keys, qv, side=side))


def test_the_compiled_block_search_refuses_reads_past_its_buffer() -> None:
    """Offsets that point past the buffer (damage the checksums missed, or a caller's
    mistake) raise ValueError before any read: the lookup then runs the numpy search."""
    import numpy as np

    from unspun.index import segments
    if segments._block_search is None:
        pytest.skip("the extension is off")
    params = np.array([[0, 8, 10, 20, 2, 100, 4, 16, 20, 40]], np.int64)
    buf = bytearray(64)
    assert len(segments._block_search(buf, params, np.array([15], np.int64), False)) == 8
    for col, value in ((0, 10_000), (9, 10_000), (4, 17), (1, 60), (5, 0)):
        bad = params.copy()
        bad[0, col] = value
        with pytest.raises(ValueError):
            segments._block_search(buf, bad, np.array([15], np.int64), True)
    with pytest.raises(ValueError):
        segments._block_search(buf, params, np.array([15, 16], np.int64), True)


def test_pread_runs_reads_what_preadv_reads(tmp_path: Path) -> None:
    """The compiled read loop fills each run from its file offset; a run past the end of the
    file is an EOFError (the segment reports it as truncated), one past the buffer a
    ValueError."""
    import os

    import numpy as np

    from unspun.index import segments
    if segments._pread_runs is None:
        pytest.skip("the extension is off")
    data = bytes(range(256)) * 40
    path = tmp_path / "f"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        buf = bytearray(100)
        segments._pread_runs(fd, buf, np.array([[0, 5000, 30], [30, 7, 70]], np.int64))
        assert bytes(buf) == data[5000:5030] + data[7:77]
        with pytest.raises(EOFError):
            segments._pread_runs(fd, buf, np.array([[0, len(data) - 10, 20]], np.int64))
        with pytest.raises(ValueError):
            segments._pread_runs(fd, buf, np.array([[90, 0, 20]], np.int64))
    finally:
        os.close(fd)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6 * BLOCK),
       spread=st.sampled_from([3, 300, 2**32 - 1]), max_df=st.sampled_from([1, 60, 500]))
def test_a_lookup_reusing_the_last_copy_is_a_fresh_lookup(seed: int, n: int, spread: int,
                                                          max_df: int) -> None:
    """A lookup copies the blocks the previous lookup's copy holds from it and reads the
    others: any run of lookups with overlapping blocks gives each one's fresh result."""
    import numpy as np

    with _random_segment(seed, n, spread) as (rng, keys, _, open_segment):
        seg = open_segment()
        for _ in range(4):
            queries = np.concatenate([rng.choice(keys, int(rng.integers(1, 300))),
                                      rng.integers(0, 2**32, 3, dtype=np.uint64)
                                      ]).astype(np.uint32)
            fresh = open_segment()
            for a, b in zip(seg.lookup(queries, max_df), fresh.lookup(queries, max_df),
                            strict=True):
                assert a.dtype == b.dtype and a.tolist() == b.tolist()


def test_a_repeated_lookup_reads_no_block_again(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The second of two lookups of the same keys takes every block from the first's copy:
    no read at all (the trace's quote lookup after its text's)."""
    import os

    import numpy as np

    from unspun.index import segments
    from unspun.index.segments import Segment, write_segment
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 2**32, 20 * BLOCK, dtype=np.uint64).astype(np.uint32)
    info = write_segment(tmp_path, "s", keys, np.arange(len(keys), dtype=np.uint32))
    seg = Segment(tmp_path / "s.seg", "s", size=info.size)
    queries = rng.choice(keys, 50)
    first = seg.lookup(queries, 60)
    # The compiled lookup reads in C: from an empty file, any read would be "truncated".
    (tmp_path / "empty").write_bytes(b"")
    empty = os.open(tmp_path / "empty", os.O_RDONLY)
    try:
        fresh = Segment(tmp_path / "s.seg", "s", size=info.size)
        monkeypatch.setattr(fresh, "_fd", empty)
        with pytest.raises(BadIndex, match="truncated"):  # no copy yet: the blocks are read
            fresh.lookup(queries, 60)
        reads: list[object] = []
        monkeypatch.setattr(segments, "_pread_runs", lambda *a: reads.append(a))
        monkeypatch.setattr(os, "preadv", lambda *a: reads.append(a))
        monkeypatch.setattr(seg, "_fd", empty)
        again = seg.lookup(queries, 60)
        assert not reads
        assert [a.tolist() for a in again] == [a.tolist() for a in first]
        assert len(first[1]) == 50
    finally:
        os.close(empty)


def _edge_queries(seg: Any, keys: Any, rng: Any) -> Any:
    """Keys present and absent, at every block's edges and just outside them, the ends of
    the key space, repeated and unsorted: what a lookup's directory search and bisections
    must each get right."""
    import numpy as np

    firsts = seg.firsts.astype(np.int64)
    lasts = seg.lasts.astype(np.int64)
    edges = np.concatenate([firsts, lasts, firsts - 1, lasts + 1, [0, 2**32 - 1]])
    edges = edges[(edges >= 0) & (edges < 2**32)]
    q = np.concatenate([rng.choice(keys, 100), edges,
                        rng.integers(0, 2**32, 40, dtype=np.uint64), keys[:3]])
    return rng.permutation(q).astype(np.uint32)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6 * BLOCK),
       spread=st.sampled_from([3, 300, 70_000, 2**32 - 1]),
       max_df=st.sampled_from([0, 1, 5, 60, 500, BLOCK - 1]))
def test_the_compiled_lookup_is_the_python_lookup(seed: int, n: int, spread: int,
                                                   max_df: int) -> None:
    """``_speedups.copy_lookup`` (the whole pread-copy lookup in C) gives the Python steps'
    rows, docnos and document frequencies, in order and type, for keys at and beside
    every block edge, absent keys, keys spanning two blocks or more, short last blocks,
    and a run of lookups reusing each other's copies (in both paths)."""

    from unspun.index import segments
    if segments._copy_lookup is None:
        pytest.skip("the extension is off")
    with _random_segment(seed, n, spread) as (rng, keys, _, open_segment):
        compiled, twin = open_segment(), open_segment()
        for _ in range(3):
            queries = _edge_queries(compiled, keys, rng)[:int(rng.integers(1, 400))]
            got = compiled._lookup(queries, max_df, copy=True)
            mp = pytest.MonkeyPatch()
            mp.setattr(segments, "_copy_lookup", None)
            try:
                want = twin._lookup(queries, max_df, copy=True)
            finally:
                mp.undo()
            for a, b in zip(got, want, strict=True):
                assert a.dtype == b.dtype and a.tolist() == b.tolist()
            assert compiled._verified.tolist() == twin._verified.tolist()
            if compiled._last_copy is not None and twin._last_copy is not None:
                assert compiled._last_copy[0].tolist() == twin._last_copy[0].tolist()
                assert bytes(compiled._last_copy[2]) == bytes(twin._last_copy[2])


def test_the_compiled_lookup_reports_a_bad_block_as_the_python_lookup_does(
        tmp_path: Path) -> None:
    """A block failing its checksum is reported by number, by the first lookup that reads
    it, in both paths; no block of a failed lookup is marked verified."""
    import numpy as np

    from unspun.index import segments
    from unspun.index.segments import Segment, write_segment
    rng = np.random.default_rng(3)
    keys = np.sort(rng.integers(0, 2**32, 8 * BLOCK, dtype=np.uint64).astype(np.uint32))
    info = write_segment(tmp_path, "s", keys, np.arange(len(keys), dtype=np.uint32))
    path = tmp_path / "s.seg"
    seg = Segment(path, "s", size=info.size)
    start = int(seg._layout.ends[4])  # block 5's first byte: its first key's group
    data = bytearray(path.read_bytes())
    data[start + 40] ^= 0x10
    path.write_bytes(bytes(data))
    queries = keys[[10, 5 * BLOCK + 3, 7 * BLOCK]]
    for compiled in (True, False):
        mp = pytest.MonkeyPatch()
        if not compiled:
            mp.setattr(segments, "_copy_lookup", None)
        try:
            damaged = Segment(path, "s", size=info.size)
            assert damaged.lookup(keys[[1, 2 * BLOCK]], 60)[1].tolist() == [1, 2 * BLOCK]
            with pytest.raises(BadIndex, match="postings block 5 fails its checksum"):
                damaged.lookup(queries, 60)
            assert np.flatnonzero(damaged._verified).tolist() == [0, 2]
        finally:
            mp.undo()


def test_the_compiled_lookup_refuses_bad_arguments(tmp_path: Path) -> None:
    """A layout table or directory of the wrong size, or a ``max_df`` the copy cannot
    answer (a key may then fill whole blocks between its first and last), is a ValueError
    before any read: the segment then runs the Python steps."""
    import numpy as np

    from unspun.index import segments
    from unspun.index.segments import Segment, write_segment
    if segments._copy_lookup is None:
        pytest.skip("the extension is off")
    keys = np.arange(3 * BLOCK, dtype=np.uint32)
    info = write_segment(tmp_path, "s", keys, keys)
    seg = Segment(tmp_path / "s.seg", "s", size=info.size)
    table, sample = seg._table
    firsts, lasts, sums = seg._bounds
    args = [seg._fd, table, firsts, lasts, sample, sums, seg._verified, lambda b: 0,
            keys[:5], 60, None]
    for at, bad in ((1, table[1:]), (2, firsts[1:]), (4, sample[:0]), (9, BLOCK), (9, -1),
                    (10, (1, 2))):
        wrong = list(args)
        wrong[at] = bad
        with pytest.raises(ValueError):
            segments._copy_lookup(*wrong)
    assert isinstance(segments._copy_lookup(*args), int)  # the "sum" 0 fails: block 0


@settings(max_examples=200, deadline=None)
@given(data=st.lists(st.integers(0, 40), min_size=0, max_size=60),
       queries=st.lists(st.integers(0, 45), min_size=1, max_size=30))
def test_block_span_is_the_two_directory_searches(data: list[int], queries: list[int]) -> None:
    """The last block of a key found from its first block is the second directory search's
    answer, for keys before, between, inside and after blocks and keys spanning many."""
    import numpy as np

    from unspun.index.segments import _block_span
    keys = np.sort(np.array(data, np.uint32))
    size = 3
    firsts, lasts = keys[::size], keys[np.minimum(np.arange(size - 1, len(keys) + size - 1,
                                                            size), len(keys) - 1)]
    lasts = lasts[:len(firsts)]
    q = np.array(queries, np.uint32)
    first, last = _block_span(firsts, lasts, q)
    assert first.tolist() == np.searchsorted(lasts, q, side="left").tolist()
    assert last.tolist() == (np.searchsorted(firsts, q, side="right") - 1).tolist()


def test_a_fetch_without_sentences_still_refuses_a_partial_span_row(tmp_path: Path) -> None:
    """Documents fetched without their sentences skip decoding the spans, but a row whose
    spans are not whole (start, end) pairs is reported unreadable all the same; metadata,
    empty or not, comes back as it went in."""
    from dataclasses import replace

    from unspun.index.records import DOC_COLUMNS, row_sum
    plain, tagged = wikinews(2)
    plain = replace(plain, meta={})
    tagged = replace(tagged, meta={"lang": "en", "n": 3})
    with Index.create(tmp_path / "ix") as index:
        add_documents(index, [plain, tagged])
    with Index.open(tmp_path / "ix") as index:
        got = {d.id: d for d, _ in index.fetch([1, 2], split=set()).values()}
        assert got[plain.id].meta == {} and got[tagged.id].meta == {"lang": "en", "n": 3}
    db = sqlite3.connect(tmp_path / "ix" / "docs.sqlite")
    row = list(db.execute(f"SELECT {DOC_COLUMNS} FROM docs WHERE docno = 1").fetchone())
    row[10] = row[10][:-4]  # half a pair; the row's checksum made to match
    db.execute("UPDATE docs SET sents = ?, sum = ? WHERE docno = 1", (row[10], row_sum(row)))
    db.commit()
    db.close()
    with Index.open(tmp_path / "ix") as index:
        for split in (set(), {1}):
            with pytest.raises(BadIndex, match="document 1 is unreadable"):
                index.fetch([1], split=split)
