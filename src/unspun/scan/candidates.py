"""Candidate pairs: documents whose sentences share rare grams, by an inverted index (numpy).

The index is a sorted array of distinct ``(gram, document)`` rows. Grams in one document
only, or in more than ``max_df`` documents, are dropped; every other gram pairs up the
documents that hold it. A pair is a candidate when the two share at least ``min_grams``
distinct grams (in any sentences), as a source retrieved by ``trace`` must share
``RetrievalConfig.min_hits`` grams with the suspect; or (the second tier, for reworded text
that keeps few grams) at least ``min_words`` distinct content words held by at most
``word_max_df`` documents, and at least ``word_share`` of the smaller document's such words,
from the same kind of index over ``(word, document)`` rows.
The third tier, for reworded passages, works on sentences: two sentences are *related* when
they share at least ``sentence_words`` distinct content words held by at most
``sentence_max_df`` documents, and two documents are a candidate pair when at least
``min_sentences`` sentences of each are related to the other's, and these are at least
``sentence_share`` of the sentences of the document with fewer (a reworded copy of a short
source relates much of it; two reports that share a few names, or a few shuffled sentences,
relate little of either). Its rows are distinct ``(word, document, sentence)`` triples.

:func:`candidate_pairs_duckdb` computes the first two tiers with DuckDB's joins, the third with
the same numpy functions (``benchmarks/scan_bench.py`` measures both).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from unspun.fingerprint import content_word_tokens, content_words, sorted_unique
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared

#: Most pair rows built at once; the pairs of larger gram groups are built in several chunks.
CHUNK_ROWS = 4_000_000
#: The sentence tier numbers at most this many sentences of a document (later ones share the
#: last number), so that a pair of sentence numbers fits one int32.
SENTENCE_CAP = 1 << 12


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
    pairs: list[np.ndarray] = [np.empty(0, np.int64)]
    counts: list[np.ndarray] = [np.empty(0, np.int64)]
    for left, right in _chunks(*_groups(keys, docnos, max_df)):
        # rows are sorted by docno inside a gram and distinct, so a < b
        uniq, n = np.unique(docnos[left] * n_docs + docnos[right], return_counts=True)
        pairs.append(uniq)
        counts.append(n)
    return _sum_counts(np.concatenate(pairs), np.concatenate(counts))


def _chunks(starts: np.ndarray, ends: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """:func:`_chunk_pairs` of the groups ``[start, end)``, about ``CHUNK_ROWS`` pairs at a
    time (a larger group is one chunk)."""
    cost = (ends - starts) * (ends - starts - 1) // 2
    bounds = np.cumsum(cost)
    lo = 0
    while lo < len(starts):
        hi = max(lo + 1, int(np.searchsorted(bounds, bounds[lo] - cost[lo] + CHUNK_ROWS)))
        yield _chunk_pairs(starts[lo:hi], ends[lo:hi])
        lo = hi


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
    return union_pairs([*found, sentence_tier(docs, config, n_docs=n)])


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
    return union_pairs([*found, sentence_tier(docs, config, n_docs=n)])


def doc_word_sentences(doc: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(content word, sentence number)`` rows of a document's compared
    sentences (the sentence tier; numbers capped at ``SENTENCE_CAP - 1``)."""
    hashes, sentence = content_word_tokens(doc.doc.text, doc.sentences)
    code = sorted_unique(hashes.astype(np.int64) * SENTENCE_CAP
                         + np.minimum(sentence, SENTENCE_CAP - 1))
    return code // SENTENCE_CAP, code % SENTENCE_CAP


def sentence_rows(docs: Sequence[Prepared]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``(word, docno, sentence)`` rows of ``docs``, unsorted (each row once)."""
    rows = [doc_word_sentences(d) for d in docs]
    empty = np.empty(0, np.int64)
    return (np.concatenate([empty, *(k for k, _ in rows)]),
            np.concatenate([empty, *(np.full(len(k), d.docno, np.int64)
                                     for (k, _), d in zip(rows, docs, strict=True))]),
            np.concatenate([empty, *(s for _, s in rows)]))


def sort_sentence_rows(keys: np.ndarray, docnos: np.ndarray,
                       sentences: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of :func:`sentence_rows` sorted by word, docno and sentence."""
    order = np.lexsort((sentences, docnos, keys))
    return keys[order], docnos[order], sentences[order]


def _word_groups(keys: np.ndarray, docnos: np.ndarray,
                 max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end rows of each word held by 2 to ``max_df`` documents (rows sorted by
    word and docno; a document may hold a word in several rows)."""
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


def _sum_sentence_pairs(pairs: np.ndarray, sentence_pairs: np.ndarray,
                        counts: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``(pair, sentence pair)`` rows, sorted, with the sums of their ``counts``
    (each row counts 1 when None). Sorted as one int64 key: the pair, or its rank among the
    distinct pairs when the pair codes are too large (a lexsort of the two is five times
    slower)."""
    ranked = len(pairs) and int(pairs.max()) >= np.iinfo(np.int64).max // SENTENCE_CAP**2
    uniq = sorted_unique(pairs) if ranked else pairs
    key = (np.searchsorted(uniq, pairs) if ranked else pairs) * SENTENCE_CAP**2 + sentence_pairs
    if counts is None:
        key = np.sort(key)
    else:
        order = np.argsort(key)
        key, counts = key[order], counts[order]
    new = np.ones(len(key), bool)
    new[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(new)
    if counts is None:
        sums = np.diff(np.append(starts, len(key)))
    else:
        sums = np.add.reduceat(counts, starts) if len(starts) else counts[:0]
    key = key[starts]
    high = key // SENTENCE_CAP**2
    return (uniq[high] if ranked else high, (key % SENTENCE_CAP**2).astype(np.int32),
            sums.astype(np.int32))


def sentence_pair_counts(keys: np.ndarray, docnos: np.ndarray, sentences: np.ndarray, *,
                         max_df: int, n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows of :func:`sort_sentence_rows` (whole word groups), every pair of sentences of
    two documents that share a word held by at most ``max_df`` documents: the document pair
    (``a * n_docs + b``, ``a < b``), the sentence pair (``sa * SENTENCE_CAP + sb``, int32)
    and how many distinct words they share. Calls over disjoint sets of words are combined by
    :func:`pairs_from_sentence_counts` (the Spark engine splits the work so)."""
    parts = [(np.empty(0, np.int64), np.empty(0, np.int32), np.empty(0, np.int32))]
    for left, right in _chunks(*_word_groups(keys, docnos, max_df)):
        other = docnos[left] != docnos[right]  # rows sorted by docno inside a word: a < b
        left, right = left[other], right[other]
        parts.append(_sum_sentence_pairs(
            docnos[left] * n_docs + docnos[right],
            (sentences[left] * SENTENCE_CAP + sentences[right]).astype(np.int32), None))
    return _sum_sentence_pairs(*(np.concatenate([p[i] for p in parts]) for i in range(3)))


def _distinct_per_pair(pairs: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct pair (sorted) with how many distinct ``values`` it has."""
    order = np.lexsort((values, pairs))
    pairs, values = pairs[order], values[order]
    new = np.ones(len(pairs), bool)
    new[1:] = (pairs[1:] != pairs[:-1]) | (values[1:] != values[:-1])
    uniq, counts = np.unique(pairs[new], return_counts=True)
    return uniq, counts


def pairs_from_sentence_counts(parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], *,
                               n_docs: int, sentences: np.ndarray,
                               config: ScanConfig) -> np.ndarray:
    """The sentence tier's candidate pairs from the results of :func:`sentence_pair_counts`
    (from one or many calls); ``sentences`` holds each docno's number of sentences.

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    pairs, sentence_pairs, counts = _sum_sentence_pairs(
        *(np.concatenate([np.empty(0, t), *(p[i] for p in parts)])
          for i, t in enumerate((np.int64, np.int32, np.int32))))
    related = counts >= config.sentence_words
    pairs, sentence_pairs = pairs[related], sentence_pairs[related]
    codes, in_a = _distinct_per_pair(pairs, sentence_pairs // SENTENCE_CAP)
    _, in_b = _distinct_per_pair(pairs, sentence_pairs % SENTENCE_CAP)
    len_a, len_b = sentences[codes // n_docs], sentences[codes % n_docs]
    in_fewer = np.where(len_a <= len_b, in_a, in_b)
    keep = ((np.minimum(in_a, in_b) >= config.min_sentences)
            & (in_fewer >= config.sentence_share * np.minimum(len_a, len_b)))
    found = codes[keep]
    return np.stack((found // n_docs, found % n_docs), axis=1)


def sentence_counts(docs: Sequence[Prepared], n_docs: int) -> np.ndarray:
    """Each docno's number of compared sentences."""
    out = np.zeros(n_docs, np.int64)
    out[[d.docno for d in docs]] = [len(d.sentences) for d in docs]
    return out


def sentence_tier(docs: Sequence[Prepared], config: ScanConfig, *, n_docs: int) -> np.ndarray:
    """The sentence tier's candidate pairs of ``docs`` (none when ``config.min_sentences``
    is 0); an ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted."""
    if not config.min_sentences:
        return np.empty((0, 2), np.int64)
    counts = sentence_pair_counts(*sort_sentence_rows(*sentence_rows(docs)),
                                  max_df=config.sentence_max_df, n_docs=n_docs)
    return pairs_from_sentence_counts([counts], n_docs=n_docs,
                                      sentences=sentence_counts(docs, n_docs), config=config)
