"""Candidate pairs: documents whose sentences share rare grams, by an inverted index (numpy).

The index is a sorted array of ``(gram, document, sentence)`` rows. Grams in one document
only, or in more than ``max_df`` documents, are dropped; every other gram pairs up the
documents that hold it. A pair is a candidate when at least ``min_shared`` sentences of one
of its documents share a gram with the other. :func:`candidate_pairs_duckdb` computes the
same with DuckDB's joins (``benchmarks/scan_bench.py`` measures both).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from unspun.scan.records import Prepared

#: Most pair rows built at once; the pairs of larger gram groups are built in several chunks.
CHUNK_ROWS = 4_000_000
_SENT_BITS = 16
_SENT_MAX = (1 << _SENT_BITS) - 1


def gram_table(docs: Sequence[Prepared]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ``(gram, docno, sentence)`` rows of ``docs``, sorted by gram then docno."""
    if not docs:
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    keys = np.concatenate([d.keys for d in docs]).astype(np.int64)
    docnos = np.concatenate([np.full(len(d.keys), d.docno, np.int64) for d in docs])
    sents = np.minimum(np.concatenate([d.owners for d in docs]).astype(np.int64), _SENT_MAX)
    return sort_rows(keys, docnos, sents)


def sort_rows(keys: np.ndarray, docnos: np.ndarray,
              sents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gram rows sorted by gram, docno and sentence, without repeats."""
    order = np.lexsort((sents, docnos, keys))
    keys, docnos, sents = keys[order], docnos[order], sents[order]
    keep = np.ones(len(keys), bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (docnos[1:] != docnos[:-1]) | (sents[1:] != sents[:-1])
    return keys[keep], docnos[keep], sents[keep]


def _groups(keys: np.ndarray, docnos: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end rows of each gram held by 2 to ``max_df`` documents."""
    if not len(keys):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    new_key = np.ones(len(keys), bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_doc = new_key.copy()
    new_doc[1:] |= docnos[1:] != docnos[:-1]
    starts = np.flatnonzero(new_key)
    ends = np.append(starts[1:], len(keys))
    df = np.add.reduceat(new_doc.astype(np.int64), starts)
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


def pair_sentence_codes(keys: np.ndarray, docnos: np.ndarray, sents: np.ndarray, *,
                        max_df: int, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """For rows of :func:`gram_table` (whole gram groups), the distinct sentence codes of
    each side of each document pair: ``(a * n_docs + b) << 16 | sentence``.

    Every row of a gram must be in the same call; calls over disjoint sets of grams can be
    combined with :func:`pairs_from_codes` (this is how the Spark engine splits the work).
    """
    starts, ends = _groups(keys, docnos, max_df)
    cost = (ends - starts) * (ends - starts - 1) // 2
    side_a: list[np.ndarray] = [np.empty(0, np.int64)]
    side_b: list[np.ndarray] = [np.empty(0, np.int64)]
    lo = 0
    bounds = np.cumsum(cost)
    while lo < len(starts):
        hi = max(lo + 1, int(np.searchsorted(bounds, bounds[lo] - cost[lo] + CHUNK_ROWS)))
        left, right = _chunk_pairs(starts[lo:hi], ends[lo:hi])
        lo = hi
        da, db = docnos[left], docnos[right]
        cross = da != db
        left, right, da, db = left[cross], right[cross], da[cross], db[cross]
        pair = da * n_docs + db  # rows are sorted by docno inside a gram, so da < db
        side_a.append(np.unique((pair << _SENT_BITS) | sents[left]))
        side_b.append(np.unique((pair << _SENT_BITS) | sents[right]))
    return np.unique(np.concatenate(side_a)), np.unique(np.concatenate(side_b))


def pairs_from_codes(codes_a: list[np.ndarray], codes_b: list[np.ndarray], *, n_docs: int,
                     min_shared: int) -> np.ndarray:
    """Candidate pairs from the codes of :func:`pair_sentence_codes` (from one or many calls).

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    counts = []
    for side in (codes_a, codes_b):
        codes = np.unique(np.concatenate([np.empty(0, np.int64), *side])) >> _SENT_BITS
        counts.append(np.unique(codes, return_counts=True))
    (pa, ca), (_, cb) = counts
    # Both sides hold the same pairs (every pair row has a sentence on each side).
    pairs = pa[np.maximum(ca, cb) >= min_shared]
    return np.stack((pairs // n_docs, pairs % n_docs), axis=1)


def candidate_pairs(docs: Sequence[Prepared], *, max_df: int, min_shared: int,
                    n_docs: int | None = None) -> np.ndarray:
    """The candidate pairs of ``docs``.

    Args:
        docs: Prepared documents with their grams.
        max_df: Ignore grams held by more documents than this.
        min_shared: Least number of sentences of one document sharing grams with the other.
        n_docs: One more than the largest docno (computed when omitted).

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    keys, docnos, sents = gram_table(docs)
    n = int(n_docs if n_docs is not None else (docnos.max() + 1 if len(docnos) else 1))
    codes_a, codes_b = pair_sentence_codes(keys, docnos, sents, max_df=max_df, n_docs=n)
    return pairs_from_codes([codes_a], [codes_b], n_docs=n, min_shared=min_shared)


def candidate_pairs_duckdb(docs: Sequence[Prepared], *, max_df: int,
                           min_shared: int) -> np.ndarray:
    """:func:`candidate_pairs` computed by DuckDB joins over an Arrow table (same result).

    Raises:
        MissingExtra: duckdb or pyarrow is not installed.
    """
    from unspun.errors import require

    duckdb = require("duckdb", "duckdb")
    pa = require("pyarrow", "parquet")
    keys, docnos, sents = gram_table(docs)
    grams = pa.table({"k": keys, "d": docnos, "s": sents})  # type: ignore[attr-defined]
    con = duckdb.connect()  # type: ignore[attr-defined]
    con.register("grams", grams)
    rows = con.execute(f"""
        WITH df AS (SELECT k FROM grams GROUP BY k
                    HAVING count(DISTINCT d) BETWEEN 2 AND {int(max_df)}),
             e AS (SELECT g.* FROM grams g SEMI JOIN df USING (k))
        SELECT x.d AS a, y.d AS b FROM e x JOIN e y ON x.k = y.k AND x.d < y.d
        GROUP BY x.d, y.d
        HAVING greatest(count(DISTINCT x.s), count(DISTINCT y.s)) >= {int(min_shared)}
        ORDER BY a, b""").fetchnumpy()
    con.close()
    return np.stack((rows["a"].astype(np.int64), rows["b"].astype(np.int64)), axis=1) \
        if len(rows["a"]) else np.empty((0, 2), np.int64)
