"""The on-disk index: create/open, incremental adds, dedupe, remove/compact, segments, stats."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.corpus import wikinews
from index.legacy import downgrade, strip_new_settings
from unspun.clean.lines import split_lines
from unspun.config import FingerprintConfig, RetrievalConfig
from unspun.data import Document, Span, sentence_at
from unspun.errors import BadIndex
from unspun.fingerprint import sentence_grams
from unspun.index import AddStats, Index, add_documents, prepare
from unspun.index.check import check_index
from unspun.index.records import _json_list, folded_hash, lower_utf8, read_meta, write_meta
from unspun.index.retrieve import candidate_docnos
from unspun.index.store import MAX_SEGMENTS, content_hash, pack_text, unpack_text
from unspun.text import split_sentences


def _candidates(index: Index, text: str) -> list[str]:
    """Ids of the documents retrieval proposes for ``text``."""
    grams = sentence_grams(text, split_sentences(text), index.config, sample_only=False)
    docnos = candidate_docnos(index, grams, RetrievalConfig())
    return [doc.id for doc, _ in index.fetch(docnos).values()]


def _seg_files(path: Path) -> set[str]:
    """The segment files, each checked to have its key filter beside it and nothing else."""
    names = {p.name for p in (path / "seg").iterdir()}
    segments = {n for n in names if n.endswith(".seg")}
    assert names == segments | {n.removesuffix(".seg") + ".kf" for n in segments}
    return segments


def test_create_open_and_reopen_see_everything(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    docs = wikinews(5)
    cfg = FingerprintConfig(word_n=3, sample=4)
    with Index.create(path, config=cfg) as index:
        stats = add_documents(index, docs, batch_size=2)
        assert (stats.added, stats.batches) == (5, 3)
    meta = json.loads((path / "index.json").read_text())
    assert meta["format"] == "unspun-index" and meta["version"] == 5
    with Index.open(path) as index:
        assert not index.writable and len(index) == 5
        assert index.config == cfg  # stored settings win over defaults
        got = {d.id: d for d in index.documents()}
        for d in docs:
            assert got[d.id].text == d.text
            assert got[d.id].title == d.title and got[d.id].url == d.url
            assert got[d.id].meta["license"] == "CC BY 2.5"
        assert index.get("nope") is None
    with Index.create(path) as index:  # create on an existing index reopens it
        assert index.writable and len(index) == 5 and index.config == cfg


def test_close_releases_the_segments_descriptors(tmp_path: Path) -> None:
    """A long-running service opens indexes again and again: closing one must give back the
    descriptors its segments read through, not wait for the garbage collector."""
    import os

    path = tmp_path / "ix"
    with Index.create(path, config=FingerprintConfig(word_n=3, sample=4)) as index:
        add_documents(index, wikinews(4), batch_size=2)
    index = Index.open(path)
    text = wikinews(1)[0].text
    assert _candidates(index, text)
    fds = [seg._fd for seg in index._segments]
    assert fds and all(os.fstat(fd) for fd in fds)
    keep = list(index._segments)  # held elsewhere: the collector cannot be what closes them
    index.close()
    for fd in fds:
        with pytest.raises(OSError):
            os.fstat(fd)
    with pytest.raises(OSError):  # a late lookup fails, it does not read another file
        keep[0].lookup(np.asarray(keep[0].firsts), 60)


def test_fetch_returns_the_stored_sentences(tmp_path: Path) -> None:
    doc = wikinews(1)[0]
    with Index.create(tmp_path / "ix") as index:
        add_documents(index, [doc])
        [(stored, sentences)] = index.fetch([1]).values()
    assert stored.id == doc.id
    assert sentences and all(s.span.of(stored.text) == s.text for s in sentences)
    assert [s.text for s in sentences] == [s.text for s in prepare(doc, FingerprintConfig())
                                           .sentences]  # type: ignore[union-attr]


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-3, 70), st.integers(-3, 70)),
                                      max_size=8))
def test_stored_sentences_in_c_are_the_sentence_at_objects(body: str,
                                                           pairs: list[tuple[int, int]]) -> None:
    """A fetch builds its candidates' sentences with the compiled loop of the splitter; they
    must be ``sentence_at``'s, in type and value, and any span out of range (which the
    loop refuses) falls back to ``sentence_at`` for the whole document."""
    from unspun.data import Sentence
    from unspun.text.sentences import stored_sentences

    spans = np.array(pairs, np.int32).reshape(-1, 2)
    want = [sentence_at(i, a, b, body[a:b]) for i, (a, b) in enumerate(spans.tolist())]
    got = stored_sentences(body, spans.tobytes())
    assert got == want and all(type(s) is Sentence and type(s.span) is Span for s in got)
    assert [(s.index, s.span.start, s.span.end, s.text) for s in got] == [
        (s.index, s.span.start, s.span.end, s.text) for s in want]


def test_fetch_splits_only_the_documents_asked_for(tmp_path: Path) -> None:
    docs = wikinews(3)
    with Index.create(tmp_path / "ix") as index:
        add_documents(index, docs)
        whole = index.fetch([1, 2, 3])
        some = index.fetch([1, 2, 3], split={2})
    assert {n: d.text for n, (d, _) in some.items()} == {n: d.text for n, (d, _) in whole.items()}
    assert {n: len(s) for n, (_, s) in some.items()} == {1: 0, 2: len(whole[2][1]), 3: 0}
    assert [s.text for s in some[2][1]] == [s.text for s in whole[2][1]]


def test_incremental_add_keeps_old_documents(tmp_path: Path) -> None:
    docs = wikinews(8)
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, docs[:5])
    with Index.create(path) as index:
        stats = add_documents(index, docs[3:])
        assert (stats.added, stats.duplicate_id) == (3, 2)
        assert sorted(stats.skipped_ids) == sorted(d.id for d in docs[3:5])
    with Index.open(path) as index:
        assert [d.id for d in index.documents()] == [d.id for d in docs]
        # The old documents are still found by retrieval.
        assert docs[0].id in _candidates(index, docs[0].text)
        assert docs[7].id in _candidates(index, docs[7].text)


def test_dedupe_by_id_and_by_normalised_content(tmp_path: Path) -> None:
    a, b = wikinews(2)
    same_id = Document(id=a.id, text=b.text + " Something else entirely.")
    same_text = Document(id="copy-of-a", text="  " + a.text.upper().replace(" ", "   \n") + "\n")
    junk = Document(id="junk", text="***\n\n---")
    with Index.create(tmp_path / "ix") as index:
        stats = add_documents(index, [a, same_id, same_text, junk, b, b], batch_size=10)
        assert stats == AddStats(added=2, duplicate_id=2, duplicate_content=1, empty=1,
                                 batches=1, skipped_ids=[a.id, "copy-of-a", b.id])
        assert len(index) == 2 and index.get(a.id).text == a.text  # type: ignore[union-attr]
        again = add_documents(index, [Document(id="new-id", text=a.text)])
        assert (again.added, again.duplicate_content) == (0, 1)


def test_remove_hides_document_and_compact_drops_its_postings(tmp_path: Path) -> None:
    docs = wikinews(4)
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, docs, batch_size=2)
        before = index.stats()
        gone = docs[1]
        assert index.remove([gone.id, "no-such-id"]) == [gone.id]
        assert index.get(gone.id) is None and len(index) == 3
        assert gone.id not in _candidates(index, gone.text)
        assert docs[0].id in _candidates(index, docs[0].text)
        mid = index.stats()
        assert mid["removed_pending_compaction"] == 1
        assert mid["postings"] == before["postings"]  # not yet dropped
        assert index.compact(force=True)
        after = index.stats()
    assert after["segments"] == 1 and after["removed_pending_compaction"] == 0
    assert after["postings"] < before["postings"]
    with Index.open(path) as index:
        seg = index._segments[0]
        assert not np.isin(seg.key_range(0, None)[1], [2]).any()  # docno 2 held docs[1]
        assert [d.id for d in index.documents()] == [docs[0].id, docs[2].id, docs[3].id]
        assert gone.id not in _candidates(index, gone.text)
    # A removed id can be added again, under a new document number.
    with Index.create(path) as index:
        assert add_documents(index, [gone]).added == 1
        assert gone.id in _candidates(index, gone.text)


def test_segments_merge_when_more_than_max(tmp_path: Path) -> None:
    docs = wikinews(MAX_SEGMENTS + 2)
    path = tmp_path / "ix"
    with Index.create(path) as index:
        for d in docs[: MAX_SEGMENTS]:
            add_documents(index, [d])
        assert index.stats()["segments"] == MAX_SEGMENTS
        assert not index.compact()  # not more than MAX_SEGMENTS yet
        postings = index.stats()["postings"]
        # The first new batch makes MAX_SEGMENTS + 1 small segments: they are merged at once.
        add_documents(index, docs[MAX_SEGMENTS:], batch_size=1)
        info = index.stats()
        assert info["segments"] == 2
        assert info["postings"] > postings
    assert len(_seg_files(path)) == 2  # the merged segment and the last batch, nothing else
    assert sorted(name[0] for name in _seg_files(path)) == ["m", "s"]
    with Index.open(path) as index:
        for d in docs:
            assert d.id in _candidates(index, d.text)


def test_stats_fields(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as index:
        assert index.stats()["documents"] == 0
        add_documents(index, wikinews(3))
        info = index.stats()
    assert info["documents"] == 3 and info["segments"] == 1
    assert info["postings"] > 0 and info["postings_bytes"] > 0
    assert info["postings_bytes_per_document"] == round(info["postings_bytes"] / 3, 1)
    assert info["bytes_on_disk"] > info["postings_bytes"]
    assert info["sites"] == ["en.wikinews.org"]
    assert info["fingerprint"] == FingerprintConfig().to_dict()
    assert info["format"] == "unspun-index" and info["version"] == 5
    assert json.loads(json.dumps(info)) == info


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path):
        with pytest.raises(BadIndex, match="another process is writing"):
            Index.open(path, writable=True)
        with Index.open(path) as reader:  # readers are never blocked
            assert len(reader) == 0
    Index.open(path, writable=True).close()  # the lock is released on close


def test_read_only_index_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(2))
    with Index.open(path) as index:
        prepared = prepare(wikinews(1, skip=2)[0], index.config)
        assert prepared is not None
        with pytest.raises(BadIndex, match="read-only"):
            index.commit_batch([prepared], AddStats())
        with pytest.raises(BadIndex, match="read-only"):
            index.remove([wikinews(1)[0].id])
        with pytest.raises(BadIndex, match="read-only"):
            index.compact(force=True)
        assert len(index) == 2


@pytest.mark.parametrize(("setup", "reason"), [
    (lambda p: None, "no index here"),
    (lambda p: p.mkdir(), "index.json is missing"),
    (lambda p: (p.mkdir(), (p / "index.json").write_text("{not json")), "unreadable index.json"),
    (lambda p: (p.mkdir(), (p / "index.json").write_text('{"format": "x"}')),
     "not an unspun index"),
    (lambda p: p.write_text("a file"), "no index here"),
])
def test_bad_index_directories(tmp_path: Path, setup: object, reason: str) -> None:
    path = tmp_path / "ix"
    setup(path)  # type: ignore[operator]
    with pytest.raises(BadIndex, match=reason) as err:
        Index.open(path)
    assert err.value.path == str(path)


def test_texts_round_trip_compressed() -> None:
    for text in ["", "plain ASCII", "Curly \u201cquotes\u201d, caf\u00e9, \u6771\u4eac " * 50]:
        blob = pack_text(text)
        assert unpack_text(blob) == text
        assert unpack_text(zlib.compress(text.encode())) == text  # format-2 rows
    long = "The council met again on Tuesday. " * 100
    assert len(pack_text(long)) < len(long) // 10


@pytest.mark.parametrize("version", [2, 3])
def test_older_formats_are_read_and_upgraded_on_write(tmp_path: Path, version: int) -> None:
    """Format 2 (zlib texts) and 3 (zstd) indexes, with their ``.npy`` segments and no
    checksums, still open; writing moves them to format 5, and they keep working."""
    path = tmp_path / "ix"
    old, new = wikinews(4)[:2], wikinews(4)[2:]
    with Index.create(path, config=FingerprintConfig.stored({})) as index:
        add_documents(index, old)
    downgrade(path, version)
    before = {p.name: p.read_bytes() for p in path.rglob("*") if p.is_file()}
    with Index.open(path) as index:
        assert index.config == FingerprintConfig.stored({})  # no opening keys
        assert {d.id: d.text for d in index.documents()} == {d.id: d.text for d in old}
        assert old[0].id in _candidates(index, old[0].text)
    # Reading changes nothing (SQLite may add its WAL side files to a format-3 directory).
    after = {p.name: p.read_bytes() for p in path.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if not k.endswith(("-wal", "-shm"))} == before
    assert not check_index(path).problems
    with Index.open(path, writable=True) as index:
        add_documents(index, new)
    assert json.loads((path / "index.json").read_text())["version"] == 5
    with Index.open(path) as index:
        assert {d.id: d.text for d in index.documents()} == {d.id: d.text for d in old + new}
        for d in old + new:
            assert d.id in _candidates(index, d.text)
    report = check_index(path)
    assert report.ok and any("before format 4" in n for n in report.notes)
    with Index.open(path, writable=True) as index:  # compaction rewrites the old segments
        index.compact(force=True)
    assert {p.suffix for p in (path / "seg").iterdir()} == {".seg", ".kf"}
    assert all(p.suffix == ".seg" or p.with_suffix(".seg").exists()
               for p in (path / "seg").iterdir())
    with Index.open(path) as index:
        for d in old + new:
            assert d.id in _candidates(index, d.text)


def test_index_without_the_opening_settings_keeps_its_keys(tmp_path: Path) -> None:
    """An index written before ``skeleton_min`` and ``opening_n`` existed opens with the settings
    it was built with; queries use them, and more documents are added with them."""
    path = tmp_path / "ix"
    docs = wikinews(4)
    legacy = FingerprintConfig.stored({})
    assert (legacy.skeleton_min, legacy.opening_n) == (True, 0) != (
        FingerprintConfig().skeleton_min, FingerprintConfig().opening_n)
    with Index.create(path, config=legacy) as index:
        add_documents(index, docs[:2])
    meta = read_meta(path)
    write_meta(path, {**meta, "fingerprint": strip_new_settings(meta["fingerprint"])})
    with Index.open(path, writable=True) as index:
        assert index.config == legacy
        add_documents(index, docs[2:])
    with Index.open(path) as index:
        assert index.config == legacy and not check_index(path).problems
        for d in docs:
            assert d.id in _candidates(index, d.text)
    with pytest.raises(BadIndex, match="other fingerprint settings"):
        Index.create(path, config=FingerprintConfig())


def test_incompatible_version_and_corrupt_database(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(3))
    original = (path / "index.json").read_bytes()
    meta = json.loads(original)
    (path / "index.json").write_text(json.dumps({**meta, "version": 999}))
    with pytest.raises(BadIndex, match="version 999 is not supported"):
        Index.open(path)
    (path / "index.json").write_text(json.dumps(meta))  # not byte-identical
    with pytest.raises(BadIndex, match="index.json: fails its checksum"):
        Index.open(path)
    (path / "index.json").write_bytes(original)
    raw = bytearray((path / "docs.sqlite").read_bytes())
    for off in range(2048, len(raw), 997):
        raw[off : off + 40] = b"\xff" * 40
    (path / "docs.sqlite").write_bytes(bytes(raw))
    with pytest.raises(BadIndex, match="docs.sqlite"):
        Index.open(path)
    (path / "docs.sqlite").write_bytes(b"garbage" * 100)
    with pytest.raises(BadIndex, match="docs.sqlite: is 700 bytes"):
        Index.open(path)


def test_missing_segment_file_is_bad_index(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(2))
    next((path / "seg").glob("*.seg")).unlink()
    with pytest.raises(BadIndex, match=r"\.seg: missing"):
        Index.open(path)


_WS_TEXT = st.lists(st.sampled_from(["Word", "\u00c9t\u00c9", "caf\u00e9", " ", "  ", "\n", "\n\n",
                                     "\n\n\n", "\t", "\u00a0", "\u2003", "\r\n", "x"]),
                    max_size=30).map("".join)


@given(_WS_TEXT)
def test_content_hash_normal_form(text: str) -> None:
    """The fast path and the general one hash the same normal form: lower case, words
    separated by single spaces."""
    want = hashlib.blake2b(" ".join(text.lower().split()).encode(), digest_size=16).hexdigest()
    assert content_hash(text) == want


@given(st.lists(st.sampled_from(["Word", "\u00c9t\u00c9", "\u03a3\u03a3", " ", "  ", "\n", "\n\n",
                                  "\t", "\u00a0", "\u2028", "\r\n", "\x1c", "x", "."]),
                max_size=30).map("".join))
def test_content_hash_of_cleaning_lines(text: str) -> None:
    """The index hashes cleaning's folded lines, joined: the same hash as of the text."""
    folded = " ".join(ln.folded for ln in split_lines(text))
    assert folded_hash(folded) == content_hash(text)


@given(st.lists(st.sampled_from(["Word", "ABC", "\u00c9", "\u00e9", "\u03a3", "\u03c3",
                                  "\u0130", "\u00df", "\u1e9e", "\u2019", "\u201c", "\u2014",
                                  "\u212a", "\U0001d400", "\U0001f600", " ", "."]),
                max_size=20).map("".join))
def test_lower_utf8_is_lower_then_encode(text: str) -> None:
    """The bytes.lower() route gives str.lower()'s bytes: with capitals beyond ASCII (a
    context-dependent sigma, a dotted I that lowers to two characters, the Kelvin sign) or
    only characters that lower to themselves."""
    assert lower_utf8(text) == text.lower().encode()


@given(st.lists(st.none() | st.integers(-2**70, 2**70) | st.text() | st.booleans()
                | st.floats(allow_nan=True) | st.just("\ud800 \u2028 \x00 \" \\ \u00e9")))
def test_row_checksum_header_is_json(values: list[object]) -> None:
    """The checksum header is json.dumps' text, for every value a row can hold (and others)."""
    assert _json_list(values) == json.dumps(values)


def test_content_hash_ignores_case_and_spacing_only() -> None:
    assert content_hash("One two.\n\nThree") == content_hash("  one   TWO.\nthree\n")
    assert content_hash("One two.") != content_hash("One two!")


def test_commits_keep_mapped_segments(tmp_path: Path) -> None:
    """A commit maps only its new segment; earlier ones stay the same objects."""
    with Index.create(tmp_path / "ix") as index:
        add_documents(index, wikinews(2)[:1])
        first = index._segments[0]
        add_documents(index, wikinews(2)[1:])
        assert len(index._segments) == 2 and index._segments[0] is first
        assert index.stats()["documents"] == 2


def test_unwritable_index_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        add_documents(index, wikinews(1))
    (path / "LOCK").unlink()
    (path / "LOCK").mkdir()  # the lock file cannot be opened for writing
    with pytest.raises(BadIndex, match="cannot write .Is a directory.; nothing was changed"):
        Index.open(path, writable=True)
    with Index.open(path) as index:  # reading is unaffected
        assert len(index) == 1


def test_a_large_lookup_read_in_chunks_gives_the_same_postings(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """The reader looks keys up in sorted chunks and unmaps between them (to bound RSS on
    large segments); chunk by chunk it must return exactly the postings of one lookup."""
    import unspun.index.reading as reading

    index = Index.create(tmp_path / "ix")
    add_documents(index, wikinews(40))
    grams = sentence_grams(wikinews(3)[2].text, split_sentences(wikinews(3)[2].text),
                           index.config, sample_only=False)
    keys = np.concatenate([grams.keys[::-1], np.array([1, 2**32 - 1], np.uint32)])
    whole = sorted(zip(*(a.tolist() for a in index.lookup(keys, max_df=10**6)), strict=True))
    monkeypatch.setattr(reading, "_CHUNK_KEYS", 7)
    monkeypatch.setattr(reading, "_RELEASE_EVERY", 0)  # unmap after every chunk
    chunked = sorted(zip(*(a.tolist() for a in index.lookup(keys, max_df=10**6)),
                         strict=True))
    assert len(whole) > 100 and chunked == whole
    assert sorted(zip(*(a.tolist() for a in index.lookup(keys, max_df=3)), strict=True)) == [
        p for p in whole if sum(1 for q, _ in whole if q == p[0]) <= 3]
