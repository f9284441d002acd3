"""Candidate pairs: documents sharing two or more rare grams, or three rare content words;
numpy and DuckDB agree."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from unspun.data import Document
from unspun.scan.candidates import candidate_pairs, candidate_pairs_duckdb, doc_words
from unspun.scan.config import ScanConfig
from unspun.scan.prepare import prepare_document

S1 = "The committee approved the new harbour budget after a long debate on Tuesday evening."
S2 = "Local fishermen said the decision would protect hundreds of jobs along the coast."
S3 = "Engineers expect the first stage of the work to begin before the winter storms arrive."
OTHER = ["A violinist from Lyon won the international competition held in the old opera house.",
         "Heavy rain flooded several roads in the northern districts overnight, police said.",
         "The museum will reopen its modern art wing next spring after two years of repairs."]


def _prep(texts: list[str]) -> list:
    cfg = ScanConfig(furniture=False)
    return [prepare_document(Document(f"d{i}", t), i, config=cfg) for i, t in enumerate(texts)]


def _grams(max_df: int, min_grams: int) -> ScanConfig:
    """The gram tier alone."""
    return ScanConfig(max_df=max_df, min_grams=min_grams, min_words=0, min_sentences=0)


def _shared(docs: list, max_df: int, min_grams: int) -> list[list[int]]:
    """The candidate pairs by brute force over the documents' gram sets."""
    sets = [set(d.keys.tolist()) for d in docs]
    df: dict[int, int] = {}
    for grams in sets:
        for g in grams:
            df[g] = df.get(g, 0) + 1
    return [[a, b] for a in range(len(docs)) for b in range(a + 1, len(docs))
            if sum(1 for g in sets[a] & sets[b] if df[g] <= max_df) >= min_grams]


def test_one_shared_sentence_makes_a_candidate_unrelated_text_does_not() -> None:
    docs = _prep([f"{S1} {S2} {S3}", f"{OTHER[0]} {S1} {S2}", f"{OTHER[1]} {S3}",
                  f"{OTHER[2]}"])
    found = candidate_pairs(docs, _grams(10, 2)).tolist()
    assert found == [[0, 1], [0, 2]]  # one copied sentence is enough, as for trace
    assert found == _shared(docs, 10, 2)
    assert candidate_pairs(docs, _grams(10, 1000)).tolist() == []


def test_common_grams_above_max_df_are_ignored() -> None:
    docs = _prep([f"{S1} {S2} {OTHER[i]}" for i in range(3)])
    assert len(candidate_pairs(docs, _grams(3, 2))) == 3
    assert len(candidate_pairs(docs, _grams(2, 2))) == 0


def test_duckdb_gives_the_same_pairs() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(3)
    pool = [S1, S2, S3, *OTHER]
    texts = [" ".join(rng.choice(pool, size=4, replace=False)) for _ in range(30)]
    docs = _prep(texts)
    fast = candidate_pairs(docs, _grams(30, 2))
    assert len(fast) > 10
    assert fast.tolist() == candidate_pairs_duckdb(docs, _grams(30, 2)).tolist()
    assert fast.tolist() == _shared(docs, 30, 2)


def test_reworded_text_is_a_candidate_through_its_rare_words() -> None:
    original = ("Mayor Ingrid Halvorsen opened the Tromsø aquarium, which cost 41 million "
                "kroner, after protests by Greenpeace.")
    reworded = ("After Greenpeace protested, the aquarium in Tromsø was inaugurated by "
                "Halvorsen; its price was 41 million kroner.")
    docs = _prep([original, reworded, OTHER[0], OTHER[1]])
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
    docs = _prep(texts)
    cfg = ScanConfig(max_df=30, min_grams=2, word_max_df=12, min_words=3, word_share=0.3,
                     min_sentences=0)
    fast = candidate_pairs(docs, cfg)
    grams = candidate_pairs(docs, _grams(30, 2)).tolist()
    assert len(fast) > len(grams)
    assert fast.tolist() == candidate_pairs_duckdb(docs, cfg).tolist()
    # brute force: the gram tier, or 3 rare words that are 30 % of the smaller one's
    sets = [set(doc_words(d).tolist()) for d in docs]
    df = Counter(w for s in sets for w in s)
    rare = [{w for w in s if df[w] <= 12} for s in sets]
    want = sorted({*map(tuple, grams), *(
        (a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))
        if len(rare[a] & rare[b]) >= 3
        and len(rare[a] & rare[b]) >= 0.3 * min(len(rare[a]), len(rare[b])))})
    assert [tuple(p) for p in fast.tolist()] == want
