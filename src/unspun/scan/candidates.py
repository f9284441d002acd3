"""Candidate pairs: documents whose sentences share rare grams, by an inverted index (numpy).

The index is a sorted array of distinct ``(gram, document)`` rows. Grams in one document
only, or in more than ``max_df`` documents, are dropped; every other gram pairs up the
documents that hold it. A pair is a candidate when the two share at least ``min_grams``
distinct grams (in any sentences), as a source retrieved by ``trace`` must share
``RetrievalConfig.min_hits`` grams with the suspect; or (the second tier, for reworded text
that keeps few grams) at least ``min_words`` distinct content words held by at most
``word_max_df`` documents, and at least ``word_share`` of the smaller document's such words,
from the same kind of index over ``(word, document)`` rows.
:func:`candidate_pairs_duckdb` computes the same with DuckDB's joins
(``benchmarks/scan_bench.py`` measures both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from unspun.fingerprint import content_words
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared
from unspun.scan.sentence_tier import add_sentence_tier

#: Most pair rows built at once; the pairs of larger gram groups are built in several chunks.
CHUNK_ROWS = 4_000_000


def doc_words(doc: Prepared) -> np.ndarray:
    """The distinct content words of a document's compared sentences (the second tier)."""
    return content_words(doc.doc.text, doc.sentences)


def raw_rows(docs: Sequence[Prepared], *, words: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The ``(gram, docno)`` rows of ``docs`` (``(word, docno)`` with ``words``), unsorted."""
    if not docs:
        empty = np.empty(0, np.int64)
        return empty, empty
    keys = [doc_words(d) if words else d.keys for d in docs]
    return (np.concatenate(keys).astype(np.int64),
            np.concatenate([np.full(len(k), d.docno, np.int64) for k, d in zip(keys, docs,
                                                                               strict=True)]))


def gram_table(docs: Sequence[Prepared], *, words: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(gram, docno)`` rows of ``docs`` (``(word, docno)`` with ``words``),
    sorted by gram then docno."""
    return sort_rows(*raw_rows(docs, words=words))


def sort_rows(keys: np.ndarray, docnos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gram rows sorted by gram and docno, without repeats (a gram in several sentences of
    one document is one row: the sentence does not matter to a candidate pair)."""
    order = np.lexsort((docnos, keys))
    keys, docnos = keys[order], docnos[order]
    keep = np.ones(len(keys), bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (docnos[1:] != docnos[:-1])
    return keys[keep], docnos[keep]


def _groups(keys: np.ndarray, docnos: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end rows of each gram held by 2 to ``max_df`` documents (one row each)."""
    if not len(keys):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    new_key = np.ones(len(keys), bool)
    new_key[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(new_key)
    ends = np.append(starts[1:], len(keys))
    df = ends - starts
    ok = (df >= 2) & (df <= max_df)
    return starts[ok], ends[ok]


def _chunk_pairs(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row index pairs ``(i, j)``, ``i < j``, inside each group ``[start, end)``."""
    sizes = ends - starts
    offsets = np.cumsum(sizes) - sizes
    rows = np.arange(int(sizes.sum())) + np.repeat(starts - offsets, sizes)
    later = np.repeat(ends, sizes) - rows - 1  # rows after each row in its group
    left = np.repeat(rows, later)
    first = np.cumsum(later) - later
    right = left + 1 + (np.arange(len(left)) - np.repeat(first, later))
    return left, right


def _sum_counts(codes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``codes`` (sorted) with the sums of their ``counts``."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    return uniq, np.bincount(inverse, weights=counts, minlength=len(uniq)).astype(np.int64)


def pair_gram_counts(keys: np.ndarray, docnos: np.ndarray, *, max_df: int,
                     n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """For rows of :func:`sort_rows` (whole gram groups), every document pair sharing a gram
    held by at most ``max_df`` documents, as ``a * n_docs + b`` (sorted), and how many
    distinct grams it shares.

    Every row of a gram must be in the same call; calls over disjoint sets of grams are
    combined by :func:`pairs_from_counts` (this is how the Spark engine splits the work).
    """
    starts, ends = _groups(keys, docnos, max_df)
    cost = (ends - starts) * (ends - starts - 1) // 2
    pairs: list[np.ndarray] = [np.empty(0, np.int64)]
    counts: list[np.ndarray] = [np.empty(0, np.int64)]
    lo = 0
    bounds = np.cumsum(cost)
    while lo < len(starts):
        hi = max(lo + 1, int(np.searchsorted(bounds, bounds[lo] - cost[lo] + CHUNK_ROWS)))
        left, right = _chunk_pairs(starts[lo:hi], ends[lo:hi])
        lo = hi
        # rows are sorted by docno inside a gram and distinct, so a < b
        uniq, n = np.unique(docnos[left] * n_docs + docnos[right], return_counts=True)
        pairs.append(uniq)
        counts.append(n)
    return _sum_counts(np.concatenate(pairs), np.concatenate(counts))


def doc_totals(keys: np.ndarray, docnos: np.ndarray, *, max_df: int,
               n_docs: int) -> np.ndarray:
    """For rows of :func:`sort_rows` (whole gram groups), how many grams held by 2 to
    ``max_df`` documents each document has (calls over disjoint grams add up)."""
    starts, ends = _groups(keys, docnos, max_df)
    sizes = ends - starts
    rows = np.arange(int(sizes.sum())) + np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return np.bincount(docnos[rows], minlength=n_docs).astype(np.int64)


def pairs_from_counts(parts: Sequence[tuple[np.ndarray, np.ndarray]], *, n_docs: int,
                      min_grams: int, share: float = 0.0,
                      totals: np.ndarray | None = None) -> np.ndarray:
    """Candidate pairs from the results of :func:`pair_gram_counts` (from one or many calls).

    Args:
        parts: Pair codes and counts of shared grams.
        n_docs: One more than the largest docno.
        min_grams: Least number of shared grams.
        share: ... and least share of the smaller of the two documents' ``totals`` (the
            sums of :func:`doc_totals`; needed when ``share`` is set).

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    empty = np.empty(0, np.int64)
    codes, counts = _sum_counts(np.concatenate([empty, *(p for p, _ in parts)]),
                                np.concatenate([empty, *(c for _, c in parts)]))
    keep = counts >= min_grams
    if share:
        assert totals is not None
        keep &= counts >= share * np.minimum(totals[codes // n_docs], totals[codes % n_docs])
    pairs = codes[keep]
    return np.stack((pairs // n_docs, pairs % n_docs), axis=1)


class Tier(NamedTuple):
    """One rule that makes candidate pairs: documents sharing ``least`` distinct grams (or
    content words, with ``words``) held by at most ``max_df`` documents, and at least
    ``share`` of the smaller one's such grams."""

    words: bool
    max_df: int
    least: int
    share: float


def tiers(config: ScanConfig) -> list[Tier]:
    """The candidate tiers of ``config``; a pair is a candidate when any tier makes it one
    (no word tier when ``min_words`` is 0)."""
    out = [Tier(False, config.max_df, config.min_grams, 0.0)]
    if config.min_words:
        out.append(Tier(True, config.word_max_df, config.min_words, config.word_share))
    return out


def union_pairs(parts: Sequence[np.ndarray]) -> np.ndarray:
    """The distinct rows of several ``(n, 2)`` pair arrays, sorted."""
    rows = np.concatenate([np.empty((0, 2), np.int64), *parts])
    return np.unique(rows, axis=0) if len(rows) else rows


def candidate_pairs(docs: Sequence[Prepared], config: ScanConfig, *,
                    n_docs: int | None = None) -> np.ndarray:
    """The candidate pairs of ``docs``: pairs sharing ``config.min_grams`` distinct grams
    held by at most ``config.max_df`` documents, or ``config.min_words`` content words held
    by at most ``config.word_max_df``, which are ``config.word_share`` of the smaller
    document's such words.

    Args:
        docs: Prepared documents with their grams.
        config: The tiers' thresholds.
        n_docs: One more than the largest docno (computed when omitted).

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    n = int(n_docs if n_docs is not None else max((d.docno for d in docs), default=0) + 1)
    found = []
    for tier in tiers(config):
        keys, docnos = gram_table(docs, words=tier.words)
        counts = pair_gram_counts(keys, docnos, max_df=tier.max_df, n_docs=n)
        found.append(pairs_from_counts(
            [counts], n_docs=n, min_grams=tier.least, share=tier.share,
            totals=doc_totals(keys, docnos, max_df=tier.max_df, n_docs=n) if tier.share
            else None))
    return add_sentence_tier(docs, config, union_pairs(found), n_docs=n)


def candidate_pairs_duckdb(docs: Sequence[Prepared], config: ScanConfig) -> np.ndarray:
    """:func:`candidate_pairs` computed by DuckDB joins over an Arrow table (same result).

    Raises:
        MissingExtra: duckdb or pyarrow is not installed.
    """
    from unspun.errors import require

    duckdb = require("duckdb", "duckdb")
    pa = require("pyarrow", "parquet")
    con = duckdb.connect()  # type: ignore[attr-defined]
    found = []
    for tier in tiers(config):
        keys, docnos = gram_table(docs, words=tier.words)
        con.register("grams", pa.table({"k": keys, "d": docnos}))  # type: ignore[attr-defined]
        rows = con.execute(f"""
            WITH df AS (SELECT k FROM grams GROUP BY k
                        HAVING count(*) BETWEEN 2 AND {int(tier.max_df)}),
                 e AS (SELECT g.* FROM grams g SEMI JOIN df USING (k)),
                 n AS (SELECT d, count(*) AS n FROM e GROUP BY d),
                 p AS (SELECT x.d AS a, y.d AS b, count(*) AS c
                       FROM e x JOIN e y ON x.k = y.k AND x.d < y.d
                       GROUP BY x.d, y.d HAVING count(*) >= {int(tier.least)})
            SELECT a, b FROM p JOIN n na ON na.d = a JOIN n nb ON nb.d = b
            WHERE p.c >= {float(tier.share)!r}::DOUBLE * least(na.n, nb.n)""").fetchnumpy()
        con.unregister("grams")
        found.append(np.stack((rows["a"].astype(np.int64), rows["b"].astype(np.int64)), axis=1))
    con.close()
    n = max((d.docno for d in docs), default=-1) + 1
    return add_sentence_tier(docs, config, union_pairs(found), n_docs=n)
