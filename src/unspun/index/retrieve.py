"""Retrieve candidate sources for a suspect from the index by voting on shared grams."""

from __future__ import annotations

import numpy as np

from unspun.config import EvidenceConfig, RetrievalConfig
from unspun.fingerprint import SentenceGrams
from unspun.index.store import Index


def _votes(index: Index, grams: SentenceGrams, max_df: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(doc, part, hits)``: distinct grams each document shares with each suspect part."""
    if not len(grams.keys):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    keys, first = np.unique(grams.keys, return_index=True)
    q, docs = index.lookup(keys, max_df=max_df)
    if not len(docs):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    part = grams.sentence[first][q].astype(np.int64)
    pairs, hits = np.unique(docs.astype(np.int64) << 32 | part, return_counts=True)
    return pairs >> 32, pairs & 0xFFFFFFFF, hits


def candidate_docnos(index: Index, grams: SentenceGrams, config: RetrievalConfig) -> list[int]:
    """Document numbers of the best candidate sources, best first.

    Grams found in more than ``config.max_df`` documents are ignored, so common phrases and
    quotes that many reports share cannot flood the candidates; :func:`rank_candidates`
    ranks the documents that share the others.
    """
    return rank_candidates(*_votes(index, grams, config.max_df), config)


def rank_candidates(doc: np.ndarray, part: np.ndarray, hits: np.ndarray,
                    config: RetrievalConfig) -> list[int]:
    """The candidates among the documents that share ``hits`` distinct grams with suspect
    sentence ``part`` (one row per pair, as :func:`_votes` gives them), best first.

    Two ways in:

    * **whole-document votes**: a document sharing ``min_hits`` distinct grams and at least
      ``min_share`` of the best document's count (a copy, or a source of several sentences),
      ranked by that count;
    * **per-sentence votes**: for every suspect sentence, the ``per_sentence`` documents that
      share most grams with that sentence alone (at least ``min_sentence_hits``; ties kept,
      since carriers of one wire story tie exactly), so that a page stitched from fifteen
      stories, one sentence each, still reaches every story.

    At most ``max_candidates`` documents go on to alignment: the whole-document winners first,
    then the per-sentence winners by **how many suspect sentences they win**, then by how many
    they share a gram with, then by their total. A source of several sentences, spun, wins
    or touches several of them with a few grams each, where a document that repeats one
    sentence of the suspect wins one; ranking by the best sentence's count alone put
    hundreds of such one-sentence documents of a 1M index ahead of true sources
    (docs/performance.md, "Candidate ranking").
    """
    if not len(doc):
        return []
    uniq, inverse = np.unique(doc, return_inverse=True)
    total = np.bincount(inverse, weights=hits).astype(np.int64)
    spread = np.bincount(inverse)
    whole = total >= max(config.min_hits, config.min_share * int(total.max()))
    wins, best = _sentence_wins(inverse, part, hits, len(uniq), config)
    ranked = np.lexsort((-uniq, -spread, -total))
    extra = np.lexsort((-uniq, -best, -total, -spread, -wins))
    chosen = np.concatenate((ranked[whole[ranked]], extra[(wins[extra] > 0) & ~whole[extra]]))
    return uniq[chosen[: config.max_candidates]].tolist()


def _sentence_wins(inverse: np.ndarray, part: np.ndarray, hits: np.ndarray, n: int,
                   config: RetrievalConfig) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``n`` documents (``inverse`` numbers them), in how many suspect sentences
    it is among the ``per_sentence`` with most hits (ties kept, at least
    ``min_sentence_hits``), and its most hits in such a sentence."""
    order = np.lexsort((-hits, part))
    p, h = part[order], hits[order]
    starts = np.flatnonzero(np.concatenate(([True], p[1:] != p[:-1])))
    sizes = np.diff(np.append(starts, len(p)))
    cut = h[starts + np.minimum(sizes, max(config.per_sentence, 1)) - 1]
    won = h >= np.repeat(np.maximum(cut, config.min_sentence_hits), sizes)
    who = inverse[order][won]
    best = np.zeros(n, np.int64)
    np.maximum.at(best, who, h[won])
    return np.bincount(who, minlength=n), best


def evidence_docnos(index: Index, grams: SentenceGrams, config: EvidenceConfig,
                    parts: int) -> list[list[int]]:
    """For each quote or headline (a "part" of ``grams``), the documents that may carry it.

    Indexed documents store every gram of their quotes and headline, so a part shares most of
    its grams with a document that prints it, even with a word spun. A document needs
    ``config.min_hits`` of a part's grams (all of them for a part that has fewer); grams in more
    than ``config.max_df`` documents are ignored. At most ``config.max_docs`` documents in all,
    those with the most hits first.
    """
    doc, part, hits = _votes(index, grams, config.max_df)
    size = np.bincount(grams.sentence, minlength=parts)
    return choose_evidence(doc, part, hits, size, config, parts)


def choose_evidence(doc: np.ndarray, part: np.ndarray, hits: np.ndarray, size: np.ndarray,
                    config: EvidenceConfig, parts: int) -> list[list[int]]:
    """:func:`evidence_docnos` of the votes ``(doc, part, hits)`` (one row per distinct pair,
    as :func:`_votes` gives them) for ``parts`` parts of ``size`` grams each: per part, the documents
    with enough of its grams, by most hits, then docno; once ``max_docs`` documents are
    chosen, only their rows still count.

    In numpy, not a loop over the sorted rows: a trace's ~400 rows cost ~0.2 ms that way."""
    out: list[list[int]] = [[] for _ in range(parts)]
    if not len(doc):
        return out
    keep = hits >= np.minimum(size[part], config.min_hits)
    h, d, p = hits[keep], doc[keep], part[keep]
    order = np.lexsort((p, d, -h))  # the order of sorted((-hits, doc, part))
    d, p = d[order], p[order]
    firsts = np.unique(d, return_index=True)[1]
    if len(firsts) > config.max_docs:  # the first max_docs documents met in that order
        chosen = d[np.sort(firsts)[: max(config.max_docs, 0)]]
        ok = np.isin(d, chosen)
        d, p = d[ok], p[ok]
    for doc_no, at in zip(d.tolist(), p.tolist(), strict=True):
        out[at].append(doc_no)
    return out
