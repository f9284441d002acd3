"""Candidate pairs: documents whose sentences share rare grams, by an inverted index (numpy).

The index is a sorted array of distinct ``(gram, document)`` rows, each with the first and
last sentence (unit) of the document that holds the gram. Grams in one document only, or in
more than ``max_df`` documents, are dropped; every other gram pairs up the documents that
hold it. A pair is a candidate when the two share at least ``min_grams`` distinct grams, as a
source retrieved by ``trace`` must share ``RetrievalConfig.min_hits`` grams with the suspect,
and, when those grams all fall in one sentence of either document (one common sentence: quote
sharing at most), one of them is held by at most ``narrow_max_df`` documents and they are at
least ``narrow_min_grams`` (or the two share ``narrow_words`` rare words: :func:`rescued`); or
(the second tier, for reworded text that keeps few grams) at least ``min_words`` distinct
content words held by at most ``word_max_df`` documents, and at least ``word_share`` of the
smaller document's such words, from the same kind of index over ``(word, document)`` rows.
:func:`candidate_pairs_duckdb` computes the same with DuckDB's joins
(``benchmarks/scan_bench.py`` measures both).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from unspun.fingerprint import run_starts
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared
from unspun.scan.sentence_tier import add_sentence_tier

#: Most pair rows built at once (seven numbers each); the pairs of larger gram groups are built
#: in several chunks.
CHUNK_ROWS = 1_000_000
#: Most raw gram rows :func:`shared_rows` sorts at once (about 40 bytes each while sorted):
#: larger tables are sorted by ranges of gram hashes.
PART_ROWS = 2_000_000
#: DuckDB's memory limit for the gram tiers' joins; past it they spill to a temporary
#: directory. Without one DuckDB took 1.2 GB on planted 100k (its default is 80% of RAM).
DUCKDB_MEMORY = "500MB"


class Rows(NamedTuple):
    """Gram (or word) rows: the key, the docno, and the document's first and last unit (whole
    sentence) holding the key (0 for words: the word tier does not look at sentences)."""

    keys: np.ndarray
    docnos: np.ndarray
    first: np.ndarray
    last: np.ndarray


def raw_rows(docs: Sequence[Prepared], *, words: bool = False) -> Rows:
    """The ``(gram, docno, unit, unit)`` rows of ``docs`` (``(word, docno, 0, 0)`` with
    ``words``), unsorted."""
    if not docs:
        empty = np.empty(0, np.int64)
        return Rows(empty, empty, empty, empty)
    keys = [d.words if words else d.keys for d in docs]
    docnos = np.concatenate([np.full(len(k), d.docno, np.int64)
                             for k, d in zip(keys, docs, strict=True)])
    units = np.zeros(len(docnos), np.int64) if words else \
        np.concatenate([d.owners for d in docs]).astype(np.int64)
    return Rows(np.concatenate(keys).astype(np.int64), docnos, units, units)


def gram_table(docs: Sequence[Prepared], *, words: bool = False) -> Rows:
    """The distinct ``(gram, docno)`` rows of ``docs`` (``(word, docno)`` with ``words``),
    sorted by gram then docno."""
    return sort_rows(raw_rows(docs, words=words))


def concat_rows(parts: Sequence[Rows]) -> Rows:
    """The rows of several :class:`Rows`, in order."""
    return Rows(*(np.concatenate([p[i] for p in parts]) for i in range(4)))


def sort_rows(rows: Rows) -> Rows:
    """Rows sorted by gram and docno, one per gram and document (a gram in several sentences
    of one document keeps the first and last of them)."""
    order = np.lexsort((rows.first, rows.docnos, rows.keys))
    keys, docnos = rows.keys[order], rows.docnos[order]
    starts = run_starts(keys, docnos)
    last = np.maximum.reduceat(rows.last[order], starts) if len(keys) else rows.last
    return Rows(keys[starts], docnos[starts], rows.first[order][starts], last)


class SharedRows(NamedTuple):
    """The rows of :func:`shared_rows`: :class:`Rows` in narrow types (uint32 keys, int32
    docnos and units) with each key's document frequency ``df`` (int32)."""

    keys: np.ndarray
    docnos: np.ndarray
    first: np.ndarray
    last: np.ndarray
    df: np.ndarray


def shared_rows(docs: Sequence[Prepared], *, words: bool = False, max_df: int) -> SharedRows:
    """The rows of :func:`gram_table` whose key is held by 2 to ``max_df`` documents (the
    only rows that pair documents), with its document frequency, in a fraction of the memory.

    The raw rows are kept in 12 bytes each and sorted by ranges of key values, about
    ``PART_ROWS`` at a time (keys are hashes, so equal ranges hold about equal shares); on
    planted 100k, :func:`gram_table` peaked at 1.6 GB and kept 480 MB for 15 million rows,
    of which 6.9 million pair documents.
    """
    keys = np.concatenate([np.empty(0, np.uint32),
                           *(d.words if words else d.keys for d in docs)]).astype(np.uint32,
                                                                                 copy=False)
    docnos = np.repeat(np.array([d.docno for d in docs], np.int32),
                       [len(d.words if words else d.keys) for d in docs])
    units = np.zeros(len(keys), np.int32) if words else \
        np.concatenate([np.empty(0, np.int32), *(d.owners for d in docs)]).astype(np.int32)
    parts = max(1, -(-len(keys) // PART_ROWS))
    out: list[list[np.ndarray]] = [[np.empty(0, t)] for t in
                                   (np.uint32, np.int32, np.int32, np.int32, np.int32)]
    for i in range(parts):
        lo, hi = (i << 32) // parts, ((i + 1) << 32) // parts
        sel = np.flatnonzero((keys >= lo) & (keys < hi)) if parts > 1 else slice(None)
        code = (keys[sel].astype(np.uint64) << np.uint64(32)) | docnos[sel].astype(np.uint64)
        order = np.argsort(code)
        code, unit = code[order], units[sel][order]
        del order, sel
        starts = run_starts(code)  # one row per key and document
        first = np.minimum.reduceat(unit, starts) if len(starts) else unit
        last = np.maximum.reduceat(unit, starts) if len(starts) else unit
        code = code[starts]
        del unit, starts
        key = (code >> np.uint64(32)).astype(np.uint32)
        group = run_starts(key)
        df = np.diff(np.append(group, len(key)))
        keep = np.repeat((df >= 2) & (df <= max_df), df)
        for acc, col in zip(out, (key[keep], (code[keep] & np.uint64(0xFFFFFFFF)).astype(np.int32),
                                  first[keep], last[keep],
                                  np.repeat(df, df)[keep].astype(np.int32)), strict=True):
            acc.append(col)
        del code, key, first, last, keep
    return SharedRows(*(np.concatenate(acc) for acc in out))


def _groups(keys: np.ndarray, docnos: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end rows of each gram held by 2 to ``max_df`` documents (one row each)."""
    if not len(keys):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    starts = run_starts(keys)
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


class PairCounts(NamedTuple):
    """Document pairs (``a * n_docs + b``, sorted, distinct) with what they share: how many
    distinct grams, the first and last unit of each side holding one, and the least document
    frequency among the shared grams. Counts over disjoint sets of grams combine by
    :func:`combine_counts`."""

    codes: np.ndarray
    grams: np.ndarray
    a_first: np.ndarray
    a_last: np.ndarray
    b_first: np.ndarray
    b_last: np.ndarray
    least_df: np.ndarray


def combine_counts(parts: Sequence[PairCounts]) -> PairCounts:
    """One :class:`PairCounts` from several (over disjoint grams): counts add, the first
    units and document frequencies take the least, the last units the most."""
    empty = np.empty(0, np.int64)
    cols = [np.concatenate([empty, *(p[i] for p in parts)]) for i in range(len(PairCounts._fields))]
    order = np.argsort(cols[0], kind="stable")
    codes = cols[0][order]
    starts = run_starts(codes)
    if not len(starts):
        return PairCounts(*cols)
    low, high = np.minimum.reduceat, np.maximum.reduceat
    return PairCounts(codes[starts], np.add.reduceat(cols[1][order], starts),
                      *(fn(col[order], starts) for fn, col in
                        zip((low, high, low, high, low), cols[2:], strict=True)))


def pair_gram_counts(rows: Rows, *, max_df: int, n_docs: int) -> PairCounts:
    """For rows of :func:`sort_rows` (whole gram groups), every document pair sharing a gram
    held by at most ``max_df`` documents, and what it shares (:class:`PairCounts`).

    Every row of a gram must be in the same call; calls over disjoint sets of grams are
    combined by :func:`combine_counts` (this is how the Spark engine splits the work).
    """
    keys, docnos = rows.keys, rows.docnos
    starts, ends = _groups(keys, docnos, max_df)
    cost = (ends - starts) * (ends - starts - 1) // 2
    parts: list[PairCounts] = []
    lo = 0
    bounds = np.cumsum(cost)
    while lo < len(starts):
        hi = max(lo + 1, int(np.searchsorted(bounds, bounds[lo] - cost[lo] + CHUNK_ROWS)))
        left, right = _chunk_pairs(starts[lo:hi], ends[lo:hi])
        freq = np.repeat(ends[lo:hi] - starts[lo:hi], cost[lo:hi])
        lo = hi
        # rows are sorted by docno inside a gram and distinct, so a < b
        parts.append(combine_counts([PairCounts(
            docnos[left] * n_docs + docnos[right], np.ones(len(left), np.int64),
            rows.first[left], rows.last[left], rows.first[right], rows.last[right], freq)]))
    return combine_counts(parts)


def doc_totals(keys: np.ndarray, docnos: np.ndarray, *, max_df: int,
               n_docs: int) -> np.ndarray:
    """For rows of :func:`sort_rows` (whole gram groups), how many grams held by 2 to
    ``max_df`` documents each document has (calls over disjoint grams add up)."""
    starts, ends = _groups(keys, docnos, max_df)
    sizes = ends - starts
    rows = np.arange(int(sizes.sum())) + np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return np.bincount(docnos[rows], minlength=n_docs).astype(np.int64)


class TierPairs(NamedTuple):
    """A tier's candidate pairs, and its *thin* pairs: pairs sharing grams in one sentence of
    either document (rare enough) but fewer than ``narrow_least`` of them, which are
    candidates only when :func:`rescued` finds they share more rare words than one sentence
    holds. Both ``(n, 2)`` int64 arrays of ``(a, b)`` docnos, ``a < b``."""

    pairs: np.ndarray
    thin: np.ndarray


def pairs_from_counts(parts: Sequence[PairCounts], tier: Tier, *, n_docs: int,
                      totals: np.ndarray | None = None) -> TierPairs:
    """The candidate pairs of ``tier`` from the results of :func:`pair_gram_counts` (from one
    or many calls).

    Args:
        parts: What each pair shares.
        tier: The rule: least shared grams, least share of the smaller document's ``totals``
            (the sums of :func:`doc_totals`; needed when the tier has a share), and the
            rarity and the number of shared grams a one-sentence pair needs.
        n_docs: One more than the largest docno.

    Returns:
        The candidate pairs and the thin pairs, each sorted.
    """
    c = combine_counts(parts)
    keep = c.grams >= tier.least
    if tier.share:
        assert totals is not None
        keep &= c.grams >= tier.share * np.minimum(totals[c.codes // n_docs],
                                                   totals[c.codes % n_docs])
    thin = np.zeros(len(keep), bool)
    if tier.narrow_max_df or tier.narrow_least > tier.least:
        one = (c.a_first == c.a_last) | (c.b_first == c.b_last)
        if tier.narrow_max_df:
            keep &= ~one | (c.least_df <= tier.narrow_max_df)
        thin = keep & one & (c.grams < tier.narrow_least)
        keep &= ~thin
    return TierPairs(*(np.stack((codes // n_docs, codes % n_docs), axis=1)
                       for codes in (c.codes[keep], c.codes[thin])))


def rescued(docs: Sequence[Prepared], thin: np.ndarray, config: ScanConfig) -> np.ndarray:
    """The thin pairs (:class:`TierPairs`) whose documents share at least
    ``config.narrow_words`` distinct content words held by at most ``config.max_df``
    documents: more than one sentence holds, so the few grams they share are not all they
    have in common (a reworded passage keeps its rare words, not its word order)."""
    if not len(thin):
        return thin
    by_docno = {d.docno: d.words for d in docs}
    words, df = np.unique(np.concatenate(list(by_docno.values())), return_counts=True)
    rare: dict[int, np.ndarray] = {}
    for docno in np.unique(thin).tolist():  # only the thin pairs' documents
        w = by_docno[docno]
        rare[docno] = w[df[np.searchsorted(words, w)] <= config.max_df]
    keep = [len(np.intersect1d(rare[a], rare[b], assume_unique=True)) >= config.narrow_words
            for a, b in thin.tolist()]
    return thin[np.array(keep, bool)]


def tier_union(docs: Sequence[Prepared], config: ScanConfig,
               found: Sequence[TierPairs]) -> np.ndarray:
    """The candidate pairs of every tier: their pairs, and their thin pairs :func:`rescued`."""
    thin = union_pairs([f.thin for f in found])
    return union_pairs([*(f.pairs for f in found), rescued(docs, thin, config)])


class Tier(NamedTuple):
    """One rule that makes candidate pairs: documents sharing ``least`` distinct grams (or
    content words, with ``words``) held by at most ``max_df`` documents, and at least
    ``share`` of the smaller one's such grams; when the shared grams all lie in one sentence
    of either document, one of them held by at most ``narrow_max_df`` documents (0: no such
    rule), and at least ``narrow_least`` of them."""

    words: bool
    max_df: int
    least: int
    share: float
    narrow_max_df: int = 0
    narrow_least: int = 0


def tiers(config: ScanConfig) -> list[Tier]:
    """The candidate tiers of ``config``; a pair is a candidate when any tier makes it one
    (no word tier when ``min_words`` is 0)."""
    out = [Tier(False, config.max_df, config.min_grams, 0.0, config.narrow_max_df,
                config.narrow_min_grams)]
    if config.min_words:
        out.append(Tier(True, config.word_max_df, config.min_words, config.word_share))
    return out


def union_pairs(parts: Sequence[np.ndarray]) -> np.ndarray:
    """The distinct rows of several ``(n, 2)`` pair arrays, sorted."""
    rows = np.concatenate([np.empty((0, 2), np.int64), *parts])
    return np.unique(rows, axis=0) if len(rows) else rows


def candidate_pairs(docs: Sequence[Prepared], config: ScanConfig, *,
                    n_docs: int | None = None, sentences: bool = True) -> np.ndarray:
    """The candidate pairs of ``docs`` by every tier of ``config`` (see :func:`tiers`).

    Args:
        docs: Prepared documents with their grams.
        config: The tiers' thresholds.
        n_docs: One more than the largest docno (computed when omitted).
        sentences: Add the sentence tier's pairs (the scan adds them in a process of their
            own: see ``run.save_candidates``).

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    n = int(n_docs if n_docs is not None else max((d.docno for d in docs), default=0) + 1)
    found: list[TierPairs] = []
    for tier in tiers(config):
        rows = gram_table(docs, words=tier.words)
        counts = pair_gram_counts(rows, max_df=tier.max_df, n_docs=n)
        found.append(pairs_from_counts(
            [counts], tier, n_docs=n,
            totals=doc_totals(rows.keys, rows.docnos, max_df=tier.max_df, n_docs=n)
            if tier.share else None))
    known = tier_union(docs, config, found)
    return add_sentence_tier(docs, config, known, n_docs=n) if sentences else known


def candidate_pairs_duckdb(docs: Sequence[Prepared], config: ScanConfig, *,
                           sentences: bool = True, spill: Path | None = None) -> np.ndarray:
    """:func:`candidate_pairs` computed by DuckDB joins over an Arrow table (same result; the
    sentence tier is numpy's, as ``sentences`` says).

    The table holds only the rows that pair documents (:func:`shared_rows`), and DuckDB works
    in ``DUCKDB_MEMORY``, spilling to a temporary directory made in ``spill`` (the system's
    when omitted) past it.

    Raises:
        MissingExtra: duckdb or pyarrow is not installed.
    """
    from unspun.errors import require

    duckdb = require("duckdb", "duckdb")
    pa = require("pyarrow", "parquet")
    found: list[TierPairs] = []
    with tempfile.TemporaryDirectory(prefix="duckdb-", dir=spill) as tmp:
        con = duckdb.connect(config={  # type: ignore[attr-defined]
            "memory_limit": DUCKDB_MEMORY, "temp_directory": tmp})
        for tier in tiers(config):
            rows = shared_rows(docs, words=tier.words, max_df=tier.max_df)
            con.register("e", pa.table(  # type: ignore[attr-defined]
                {"k": rows.keys, "d": rows.docnos, "lo": rows.first, "hi": rows.last,
                 "f": rows.df}))
            del rows
            narrow, narrow_least = int(tier.narrow_max_df), int(tier.narrow_least)
            found_rows = con.execute(f"""
                WITH n AS (SELECT d, count(*) AS n FROM e GROUP BY d),
                     p AS (SELECT x.d AS a, y.d AS b, count(*) AS c, min(x.f) AS f,
                                  min(x.lo) < max(x.hi) AND min(y.lo) < max(y.hi) AS wide
                           FROM e x JOIN e y ON x.k = y.k AND x.d < y.d
                           GROUP BY x.d, y.d HAVING count(*) >= {int(tier.least)})
                SELECT a, b, NOT wide AND p.c < {narrow_least} AS thin
                FROM p JOIN n na ON na.d = a JOIN n nb ON nb.d = b
                WHERE p.c >= {float(tier.share)!r}::DOUBLE * least(na.n, nb.n)
                  AND ({narrow} = 0 OR wide OR f <= {narrow})""").fetchnumpy()
            con.unregister("e")
            both = np.stack((found_rows["a"].astype(np.int64),
                             found_rows["b"].astype(np.int64)), axis=1)
            thin = found_rows["thin"].astype(bool)
            found.append(TierPairs(both[~thin], both[thin]))
            del found_rows
        con.close()
    n = max((d.docno for d in docs), default=-1) + 1
    known = tier_union(docs, config, found)
    return add_sentence_tier(docs, config, known, n_docs=n) if sentences else known
