"""Candidate pairs: documents sharing two or more rare grams (one sentence of either document
only when one of its grams is rare enough and they share three), or three rare content words;
numpy and DuckDB agree, and DuckDB's table sorted by ranges of gram hashes is the whole
table's."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from unspun.data import Document
from unspun.scan import candidates
from unspun.scan.candidates import (
    SharedRows,
    candidate_pairs,
    candidate_pairs_duckdb,
    gram_table,
    shared_rows,
)
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared

from .helpers import OTHER, prep

S1 = "The committee approved the new harbour budget after a long debate on Tuesday evening."
S2 = "Local fishermen said the decision would protect hundreds of jobs along the coast."
S3 = "Engineers expect the first stage of the work to begin before the winter storms arrive."


def _grams(max_df: int, min_grams: int) -> ScanConfig:
    """The gram tier alone."""
    return ScanConfig(max_df=max_df, min_grams=min_grams, min_words=0, min_sentences=0)


def _shared(docs: list, max_df: int, min_grams: int, narrow_max_df: int = 10,
            narrow_least: int = 3, narrow_words: int = 8) -> list[list[int]]:
    """The candidate pairs by brute force over the documents' grams and the sentences (units)
    holding them."""
    units: list[dict[int, set[int]]] = []
    for d in docs:
        held: dict[int, set[int]] = {}
        for g, u in zip(d.keys.tolist(), d.owners.tolist(), strict=True):
            held.setdefault(g, set()).add(u)
        units.append(held)
    df = Counter(g for held in units for g in held)
    word_df = Counter(w for d in docs for w in d.words.tolist())
    rare = [{w for w in d.words.tolist() if word_df[w] <= max_df} for d in docs]
    found = []
    for a in range(len(docs)):
        for b in range(a + 1, len(docs)):
            shared = [g for g in units[a].keys() & units[b].keys() if df[g] <= max_df]
            if len(shared) < min_grams:
                continue
            one = any(len(set().union(*(units[x][g] for g in shared))) == 1 for x in (a, b))
            rare_gram = not narrow_max_df or min(df[g] for g in shared) <= narrow_max_df
            many = len(shared) >= narrow_least or len(rare[a] & rare[b]) >= narrow_words
            if not one or (rare_gram and many):
                found.append([a, b])
    return found


def test_one_shared_sentence_makes_a_candidate_unrelated_text_does_not() -> None:
    docs = prep([f"{S1} {S2} {S3}", f"{OTHER[0]} {S1} {S2}", f"{OTHER[1]} {S3}",
                  f"{OTHER[2]}"])
    found = candidate_pairs(docs, _grams(10, 2)).tolist()
    assert found == [[0, 1], [0, 2]]  # one copied sentence is enough, as for trace
    assert found == _shared(docs, 10, 2)
    assert candidate_pairs(docs, _grams(10, 1000)).tolist() == []


def _fillers(n: int) -> list[str]:
    """``n`` sentences from different Wikinews articles (no grams in common)."""
    from unspun.bench.sample import load_wikinews

    out = []
    for doc in load_wikinews()[:n]:
        body = [p for p in doc.text.split("\n\n")[1:] if len(p.split()) > 12]
        out.append(body[0].split(". ")[0].rstrip(".") + ".")
    return out


def test_one_common_sentence_pairs_nobody_two_do() -> None:
    fillers = _fillers(12)
    one = prep([f"{f} {S1}" for f in fillers])
    assert candidate_pairs(one, _grams(200, 2)).tolist() == []  # S1 is on 12 pages: too common
    every = [[a, b] for a in range(12) for b in range(a + 1, 12)]
    assert candidate_pairs(one, replace(_grams(200, 2), narrow_max_df=0)).tolist() == every
    assert candidate_pairs(one, replace(_grams(200, 2), narrow_max_df=12)).tolist() == every
    two = prep([f"{f} {S1} {S2}" for f in fillers])  # two sentences: copying is possible
    assert candidate_pairs(two, _grams(200, 2)).tolist() == every
    assert _shared(one, 200, 2) == [] and _shared(two, 200, 2) == every


def _sharing(sentence: str, k: int) -> str:
    """A run of the words of ``sentence``, in order, that shares exactly ``k`` grams with it."""
    words = sentence.rstrip(".").split()
    for size in range(3, len(words)):
        for start in range(len(words) - size + 1):
            piece = " ".join(words[start : start + size])
            a, b = prep([sentence, f"{OTHER[0]} {piece}."])
            if len(np.intersect1d(a.keys, b.keys)) == k:
                return piece
    raise AssertionError(f"no run of {sentence!r} shares {k} grams with it")


def test_a_one_sentence_pair_needs_three_shared_grams() -> None:
    # Two rewordings of one statement share a couple of short grams by chance; a sentence
    # copied in order keeps most of its grams.
    docs = prep([S1, f"{OTHER[0]} {_sharing(S1, 2)}.", f"{OTHER[1]} {_sharing(S1, 3)}."])
    found = candidate_pairs(docs, _grams(10, 2)).tolist()
    assert [0, 2] in found and [0, 1] not in found
    assert found == _shared(docs, 10, 2)
    two = candidate_pairs(docs, replace(_grams(10, 2), narrow_min_grams=2)).tolist()
    assert [0, 1] in two and two == _shared(docs, 10, 2, narrow_least=2)
    # one gram in each of two sentences is not one sentence: two are enough
    wide = prep([f"{S1} {S2}", f"{OTHER[0]} {_sharing(S1, 1)}. {_sharing(S2, 1)}."])
    assert candidate_pairs(wide, _grams(10, 2)).tolist() == [[0, 1]]


def test_a_thin_pair_sharing_more_rare_words_than_a_sentence_is_a_candidate() -> None:
    # A reworded passage keeps its rare words, not its order: its second sentence shares
    # no gram, and the pair shares more rare words than one sentence holds.
    reversed_s3 = " ".join(reversed(S3.rstrip(".").split())).capitalize() + "."
    docs = prep([f"{S1} {S3} {S2}", f"{OTHER[0]} {_sharing(S1, 2)}. {reversed_s3}",
                 OTHER[1]])
    shared = np.intersect1d(docs[0].words, docs[1].words)
    assert len(shared) >= 8
    assert candidate_pairs(docs, _grams(10, 2)).tolist() == [[0, 1]]
    assert candidate_pairs(docs, replace(_grams(10, 2), narrow_words=len(shared) + 1)
                           ).tolist() == []
    assert _shared(docs, 10, 2) == [[0, 1]]


def test_common_grams_above_max_df_are_ignored() -> None:
    docs = prep([f"{S1} {S2} {OTHER[i]}" for i in range(3)])
    assert len(candidate_pairs(docs, _grams(3, 2))) == 3
    assert len(candidate_pairs(docs, _grams(2, 2))) == 0


def test_duckdb_gives_the_same_pairs() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(3)
    pool = [S1, S2, S3, *OTHER]
    texts = [" ".join(rng.choice(pool, size=4, replace=False)) for _ in range(30)]
    docs = prep(texts)
    for narrow, least, words in itertools.product((0, 4, 10), (2, 3, 5), (2, 8)):
        cfg = replace(_grams(30, 2), narrow_max_df=narrow, narrow_min_grams=least,
                      narrow_words=words)
        fast = candidate_pairs(docs, cfg)
        assert len(fast) > 10
        assert fast.tolist() == candidate_pairs_duckdb(docs, cfg).tolist()
        assert fast.tolist() == _shared(docs, 30, 2, narrow, least, words)


def test_reworded_text_is_a_candidate_through_its_rare_words() -> None:
    original = ("Mayor Ingrid Halvorsen opened the Tromsø aquarium, which cost 41 million "
                "kroner, after protests by Greenpeace.")
    reworded = ("After Greenpeace protested, the aquarium in Tromsø was inaugurated by "
                "Halvorsen; its price was 41 million kroner.")
    docs = prep([original, reworded, OTHER[0], OTHER[1]])
    assert candidate_pairs(docs, _grams(10, 2)).tolist() == []  # no 4-gram survives
    both = ScanConfig(max_df=10, min_grams=2, word_max_df=10, min_words=3, min_sentences=0)
    assert candidate_pairs(docs, both).tolist() == [[0, 1]]
    assert candidate_pairs(docs, replace(both, word_max_df=1)).tolist() == []


def test_duckdb_gives_the_same_pairs_with_the_word_tier() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(5)
    words = (S1 + " " + S2 + " " + S3 + " " + " ".join(OTHER)).split()
    texts = [" ".join(rng.choice(words, size=25)) + "." for _ in range(30)]
    docs = prep(texts)
    cfg = ScanConfig(max_df=30, min_grams=2, word_max_df=12, min_words=3, word_share=0.3,
                     min_sentences=0)
    fast = candidate_pairs(docs, cfg)
    grams = candidate_pairs(docs, _grams(30, 2)).tolist()
    assert len(fast) > len(grams)
    assert fast.tolist() == candidate_pairs_duckdb(docs, cfg).tolist()
    # brute force: the gram tier, or 3 rare words that are 30 % of the smaller one's
    sets = [set(d.words.tolist()) for d in docs]
    df = Counter(w for s in sets for w in s)
    rare = [{w for w in s if df[w] <= 12} for s in sets]
    want = sorted({*map(tuple, grams), *(
        (a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))
        if len(rare[a] & rare[b]) >= 3
        and len(rare[a] & rare[b]) >= 0.3 * min(len(rare[a]), len(rare[b])))})
    assert [tuple(p) for p in fast.tolist()] == want


def _keyed(rows: list[list[tuple[int, int]]]) -> list[Prepared]:
    """Documents with the given ``(gram, unit)`` rows (as the cleaning workers leave them:
    one row per gram and sentence, in any order) and each gram's key as a content word."""
    return [Prepared(i, Document(f"d{i}", ""), "", [], [],
                     keys=np.array([k for k, _ in r], np.uint32),
                     owners=np.array([u for _, u in r], np.int32),
                     words=np.unique(np.array([k for k, _ in r], np.uint32)))
            for i, r in enumerate(rows)]


def _expected(docs: list[Prepared], words: bool, max_df: int) -> list[tuple[int, ...]]:
    """The rows of ``gram_table`` whose gram ``shared_rows`` keeps, with its frequency."""
    t = gram_table(docs, words=words)
    df = Counter(t.keys.tolist())
    return [(k, d, lo, hi, df[k]) for k, d, lo, hi in zip(*(c.tolist() for c in t), strict=True)
            if 2 <= df[k] <= max_df]


def _rows(r: SharedRows) -> list[tuple[int, ...]]:
    assert [c.dtype for c in r] == [np.uint32, np.int32, np.int32, np.int32, np.int32]
    return list(zip(*(c.tolist() for c in r), strict=True))


@pytest.mark.parametrize("part_rows", [1, 3, 7, 10**9])
@pytest.mark.parametrize("words", [False, True])
def test_shared_rows_by_key_ranges_are_the_whole_tables_rows(
        monkeypatch: pytest.MonkeyPatch, part_rows: int, words: bool) -> None:
    rng = np.random.default_rng(9)
    # keys over the whole uint32 range (the ends included) and a few shared by many
    pool = np.concatenate([[0, 1, 2**31, 2**32 - 1], rng.integers(0, 2**32, 20)])
    docs = _keyed([[(int(rng.choice(pool)), int(rng.integers(0, 4)))
                    for _ in range(int(rng.integers(0, 12)))] for _ in range(25)])
    want = _expected(docs, words, 6)
    assert len(want) > 20 and (words or any(lo < hi for _, _, lo, hi, _ in want))
    monkeypatch.setattr(candidates, "PART_ROWS", part_rows)  # 1: many empty key ranges
    assert _rows(shared_rows(docs, words=words, max_df=6)) == want


def test_shared_rows_of_nothing_and_of_grams_held_once() -> None:
    assert _rows(shared_rows([], max_df=5)) == []
    assert _rows(shared_rows(_keyed([[], []]), max_df=5)) == []
    # a gram in three sentences of one document, and another document's gram: nothing shared
    assert _rows(shared_rows(_keyed([[(5, 2), (5, 0), (5, 1)], [(6, 0)]]), max_df=5)) == []
    docs = _keyed([[(5, 2), (5, 0), (5, 1)], [(6, 0)], [(5, 3)]])
    assert _rows(shared_rows(docs, max_df=5)) == [(5, 0, 0, 2, 2), (5, 2, 3, 3, 2)]
    assert _rows(shared_rows(docs, max_df=1)) == []


@pytest.mark.parametrize("part_rows", [1, 10**9])
def test_duckdb_by_key_ranges_gives_the_same_pairs_and_leaves_no_spill_directory(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, part_rows: int) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(4)
    words = (S1 + " " + S2 + " " + S3 + " " + " ".join(OTHER)).split()
    docs = prep([" ".join(rng.choice(words, size=30)) + "." for _ in range(30)])
    cfg = ScanConfig(max_df=20, min_grams=2, word_max_df=12, min_words=3, word_share=0.2,
                     min_sentences=0)
    want = candidate_pairs(docs, cfg)
    assert len(want) > 10
    monkeypatch.setattr(candidates, "PART_ROWS", part_rows)
    assert candidate_pairs_duckdb(docs, cfg, spill=tmp_path).tolist() == want.tolist()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("part_rows", [1, 3, 5, 10])  # 10 rows: 10, 4, 2 or 1 key ranges
def test_shared_rows_keep_the_keys_on_the_ends_of_key_ranges(
        monkeypatch: pytest.MonkeyPatch, part_rows: int) -> None:
    ends = [0, 2**30 - 1, 2**30, 2**31, 3 * 2**30, 2**32 - 1]  # 4 ranges: from 0, 2**30, ...
    docs = _keyed([[(k, 0) for k in ends[:5]], [(k, 1) for k in ends[1:]]])
    monkeypatch.setattr(candidates, "PART_ROWS", part_rows)
    assert _rows(shared_rows(docs, max_df=2)) == [(k, d, d, d, 2) for k in ends[1:5]
                                                  for d in (0, 1)]
