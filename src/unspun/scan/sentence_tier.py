"""The sentence candidate tier: documents with several reworded sentences in common.

Shuffled or translated passages keep few whole grams, but each of their sentences keeps some of
its source sentence's rare words. Two sentences of two documents are *related* when they share
at least ``ScanConfig.sentence_words`` distinct content words each held by 2 to
``sentence_max_df`` documents. Two documents are a candidate pair when at least
``min_sentences`` sentences of each are related to the other's, and these are at least
``sentence_share`` of the sentences of the document with fewer.

Memory stays linear in the text: a sentence is indexed by the *pairs* of its rare words (two
sentences share 2 words exactly when they share a word pair, and ``s`` words when they share
``s * (s - 1) / 2`` pairs), so only related sentences meet, never every two sentences that
share one word. Sentence pairs are built ``CHUNK_ROWS`` at a time, pairs that are candidates
already are dropped at once, and the rest are reduced to distinct related sentence pairs in
passes over ranges of documents of at most ``PASS_ROWS`` rows. Every engine runs these
functions over the whole corpus, so all give the same pairs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from unspun.fingerprint import content_word_tokens, run_starts, sorted_unique
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared

#: Sentence numbers are capped here (later sentences of a longer document share the last
#: number), so that a sentence pair fits 24 bits.
SENTENCE_CAP = 1 << 12
#: Most sentence-pair rows built at once (about 50 bytes each while they are reduced).
CHUNK_ROWS = 250_000
#: Most sentence-pair rows one pass over a range of first documents builds, about (its
#: distinct related sentence pairs are kept until the pass ends: 8 bytes each).
PASS_ROWS = 8_000_000
_LOW = np.uint64(0xFFFFFFFF)


def word_sentences(doc: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(content word, sentence)`` rows of a document's compared sentences,
    sorted by sentence then word: words (uint32) and sentence numbers (int32)."""
    words, sentences = content_word_tokens(doc.doc.text, doc.sentences)
    code = sorted_unique((np.minimum(sentences, SENTENCE_CAP - 1).astype(np.uint64) << 32)
                         | words.astype(np.uint64))
    return (code & _LOW).astype(np.uint32), (code >> np.uint64(32)).astype(np.int32)


def _counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs."""
    starts = run_starts(values)
    return values[starts], np.diff(np.append(starts, len(values)))


def _after(first: np.ndarray, last: np.ndarray,
           ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row index pairs ``(i, j)``: ``i`` in ``[first, last)`` and ``i < j < end`` of each
    group (``_after(starts, ends, ends)``: every pair inside each group)."""
    sizes = last - first
    rows = np.arange(int(sizes.sum())) + np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
    later = np.repeat(ends, sizes) - rows - 1
    left = np.repeat(rows, later)
    start = np.cumsum(later) - later
    return left, left + 1 + (np.arange(len(left)) - np.repeat(start, later))


def _cost(first: np.ndarray, last: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many pairs :func:`_after` builds for each group."""
    # sum over i in [first, last) of (end - i - 1)
    k = last - first
    return k * (ends - first - 1) - k * (k - 1) // 2


def _chunks(first: np.ndarray, last: np.ndarray,
            ends: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """:func:`_after` of the groups, about ``CHUNK_ROWS`` pairs at a time."""
    cost = _cost(first, last, ends)
    bounds = np.cumsum(cost)
    lo = 0
    while lo < len(first):
        hi = max(lo + 1, int(np.searchsorted(bounds, bounds[lo] - cost[lo] + CHUNK_ROWS)))
        yield _after(first[lo:hi], last[lo:hi], ends[lo:hi])
        lo = hi


def pair_rows(docs: Sequence[Prepared], max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each sentence's pairs of rare words (held by 2 to ``max_df`` documents), for the word
    pairs found in 2 or more documents: ``(word pair, docno, sentence)`` rows (uint64, int64,
    int64), sorted by word pair, docno and sentence."""
    ordered = sorted(docs, key=lambda d: d.docno)
    parts = [word_sentences(d) for d in ordered]
    # document frequency of each word: how many documents' distinct words hold it
    vocab, df = _counts(np.sort(np.concatenate(
        [np.empty(0, np.uint32), *(sorted_unique(w) for w, _ in parts)])))
    rare = vocab[(df >= 2) & (df <= max_df)]
    del vocab, df
    words = np.concatenate([np.empty(0, np.uint32), *(w for w, _ in parts)])
    keep = np.zeros(len(words), bool)
    if len(rare):
        at = np.minimum(np.searchsorted(rare, words), len(rare) - 1)
        keep = rare[at] == words
        del at
    docnos = np.repeat(np.array([d.docno for d in ordered], np.int64),
                       [len(w) for w, _ in parts])[keep]
    sentences = np.concatenate([np.empty(0, np.int32), *(s for _, s in parts)])[keep]
    words = words[keep]
    del parts, keep
    if not len(words):
        return np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.int64)
    starts = run_starts(docnos, sentences)
    ends = np.append(starts[1:], len(words))
    left, right = _after(starts, ends, ends)
    # words are sorted inside a sentence, so left < right: the pair is one uint64
    key = (words[left].astype(np.uint64) << np.uint64(32)) | words[right].astype(np.uint64)
    del right, words
    order = left[np.argsort(key, kind="stable")]  # rows were in docno, sentence order
    key = np.sort(key)
    docnos, sentences = docnos[order], sentences[order].astype(np.int64)
    del order, left
    starts = run_starts(key)
    ends = np.append(starts[1:], len(key))
    shared = docnos[starts] != docnos[ends - 1]  # held by 2+ documents
    sizes = (ends - starts)[shared]
    rows = np.arange(int(sizes.sum())) + np.repeat(
        starts[shared] - (np.cumsum(sizes) - sizes), sizes)
    return key[rows], docnos[rows], sentences[rows]


def related_sentences(key: np.ndarray, docnos: np.ndarray, sentences: np.ndarray, *,
                      words: int, n_docs: int,
                      known: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, int]]:
    """The related sentence pairs of the rows of :func:`pair_rows` (sharing ``words`` or more
    distinct rare words), by ranges of first documents: each range's sorted distinct codes
    ``((a - lo) * n_docs + b) * SENTENCE_CAP**2 + sa * SENTENCE_CAP + sb`` (``a < b``
    docnos, ``sa`` and ``sb`` their sentences), with its ``lo``. Document pairs whose code
    ``a * n_docs + b`` is in the sorted array ``known`` are left out."""
    starts = run_starts(key)
    ends = np.append(starts[1:], len(key))
    # rows are sorted by group then docno: a range of first documents is a range of rows
    order = np.repeat(np.arange(len(starts), dtype=np.int64), ends - starts) * n_docs + docnos
    total = int(_cost(starts, ends, ends).sum())
    passes = max(1, -(-total // PASS_ROWS))
    step = max(1, min(-(-n_docs // passes),
                      np.iinfo(np.int64).max // SENTENCE_CAP**2 // max(1, n_docs)))
    least = words * (words - 1) // 2  # s shared words are s * (s - 1) / 2 shared word pairs
    groups = np.arange(len(starts), dtype=np.int64) * n_docs
    for lo in range(0, n_docs, step):
        first = np.searchsorted(order, groups + lo)
        last = np.searchsorted(order, groups + min(lo + step, n_docs))
        some = last > first
        parts = [np.empty(0, np.int64)]
        for left, right in _chunks(first[some], last[some], ends[some]):
            a, b = docnos[left], docnos[right]
            other = a != b
            pair = a[other] * n_docs + b[other]
            code = ((pair - lo * n_docs) * SENTENCE_CAP + sentences[left[other]]) \
                * SENTENCE_CAP + sentences[right[other]]
            # with 2 words, each related pair is kept once; with more, once per word pair
            code = sorted_unique(code) if least <= 1 else np.sort(code)
            if known is not None and len(known) and len(code):
                pair = code // SENTENCE_CAP**2 + lo * n_docs  # sorted: a cheap search
                at = np.minimum(np.searchsorted(known, pair), len(known) - 1)
                code = code[known[at] != pair]
            parts.append(code)
        code = np.concatenate(parts)
        del parts
        if least > 1:
            code, shared = _counts(np.sort(code))
            code = code[shared >= least]
        else:
            code = sorted_unique(code)
        yield code, lo


class PairStats(NamedTuple):
    """Document pairs with related sentences: docnos ``a < b`` (sorted pairs), and how many
    distinct sentences of each are related to the other's."""

    a: np.ndarray
    b: np.ndarray
    in_a: np.ndarray
    in_b: np.ndarray


def pass_stats(docs: Sequence[Prepared], config: ScanConfig, *, n_docs: int,
               known: np.ndarray | None = None) -> Iterator[PairStats]:
    """:class:`PairStats` of every document pair (not in ``known``, pair codes
    ``a * n_docs + b``, sorted) with a related sentence pair, one range of first documents at
    a time (the ranges of :func:`related_sentences`, in order: together they are sorted)."""
    rows = pair_rows(docs, config.sentence_max_df)
    for code, lo in related_sentences(*rows, words=config.sentence_words, n_docs=n_docs,
                                      known=known):
        pair = code // SENTENCE_CAP**2
        # distinct related sentences of a (codes are sorted by pair, then sa) and of b
        first = run_starts(code // SENTENCE_CAP)
        pairs, in_a = _counts(pair[first])
        _, in_b = _counts(sorted_unique(pair * SENTENCE_CAP + code % SENTENCE_CAP)
                          // SENTENCE_CAP)
        yield PairStats(pairs // n_docs + lo, pairs % n_docs, in_a, in_b)


def sentence_tier(docs: Sequence[Prepared], config: ScanConfig, *, n_docs: int,
                  known: np.ndarray | None = None) -> np.ndarray:
    """The sentence tier's candidate pairs of ``docs`` (none when ``config.min_sentences`` is
    0).

    Each range of first documents is filtered as it comes: every pair with a related sentence
    pair, kept to the end (four numbers each), was most of the tier's memory on a large corpus
    (tens of millions of pairs, 2.3 GB more at the peak on planted 100k; 2026-12-05).

    Args:
        docs: Prepared documents (any order).
        config: ``sentence_max_df``, ``sentence_words``, ``min_sentences`` and
            ``sentence_share``.
        n_docs: One more than the largest docno.
        known: Pairs that are candidates already (``(n, 2)`` docnos, sorted); they are left
            out early, which saves memory where many documents are copies.

    Returns:
        An ``(n, 2)`` int64 array of ``(a, b)`` docnos, ``a < b``, sorted.
    """
    if not config.min_sentences or not docs:
        return np.empty((0, 2), np.int64)
    codes = None if known is None else known[:, 0] * n_docs + known[:, 1]
    lengths = np.zeros(n_docs, np.int64)
    lengths[[d.docno for d in docs]] = [len(d.sentences) for d in docs]
    found = [np.empty((0, 2), np.int64)]
    for st in pass_stats(docs, config, n_docs=n_docs, known=codes):
        len_a, len_b = lengths[st.a], lengths[st.b]
        in_fewer = np.where(len_a <= len_b, st.in_a, st.in_b)
        keep = ((np.minimum(st.in_a, st.in_b) >= config.min_sentences)
                & (in_fewer >= config.sentence_share * np.minimum(len_a, len_b)))
        found.append(np.stack((st.a[keep], st.b[keep]), axis=1))
    return np.concatenate(found)


def union_pairs(a: np.ndarray, b: np.ndarray, *, n_docs: int) -> np.ndarray:
    """The distinct pairs of two ``(n, 2)`` docno arrays, sorted."""
    codes = np.union1d(a[:, 0] * n_docs + a[:, 1], b[:, 0] * n_docs + b[:, 1])
    return np.stack((codes // n_docs, codes % n_docs), axis=1)


def add_sentence_tier(docs: Sequence[Prepared], config: ScanConfig, known: np.ndarray, *,
                      n_docs: int) -> np.ndarray:
    """``known`` (the other tiers' candidate pairs: ``(n, 2)`` docnos, sorted, distinct) with
    the sentence tier's pairs added, sorted (what every engine's candidate stage returns)."""
    extra = sentence_tier(docs, config, n_docs=n_docs, known=known)
    return union_pairs(known, extra, n_docs=n_docs) if len(extra) else known
