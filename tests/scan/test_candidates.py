"""Candidate pairs: documents sharing rare grams in two or more sentences; numpy and DuckDB agree."""

from __future__ import annotations

import numpy as np
import pytest

from unspun.data import Document
from unspun.scan.candidates import candidate_pairs, candidate_pairs_duckdb
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


def test_two_shared_sentences_make_a_candidate_one_does_not() -> None:
    docs = _prep([f"{S1} {S2} {S3}", f"{OTHER[0]} {S1} {S2}", f"{OTHER[1]} {S3}",
                  f"{OTHER[0]} {OTHER[2]}"])
    found = candidate_pairs(docs, max_df=10, min_shared=2)
    assert found.tolist() == [[0, 1]]
    assert candidate_pairs(docs, max_df=10, min_shared=1).tolist() == [[0, 1], [0, 2], [1, 3]]


def test_common_grams_above_max_df_are_ignored() -> None:
    docs = _prep([f"{S1} {S2} {OTHER[i]}" for i in range(3)])
    assert len(candidate_pairs(docs, max_df=3, min_shared=2)) == 3
    assert len(candidate_pairs(docs, max_df=2, min_shared=2)) == 0


def test_duckdb_gives_the_same_pairs() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(3)
    pool = [S1, S2, S3, *OTHER]
    texts = [" ".join(rng.choice(pool, size=4, replace=False)) for _ in range(30)]
    docs = _prep(texts)
    fast = candidate_pairs(docs, max_df=30, min_shared=2)
    assert len(fast) > 10
    assert fast.tolist() == candidate_pairs_duckdb(docs, max_df=30, min_shared=2).tolist()
