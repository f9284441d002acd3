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
    quotes that many reports share cannot flood the candidates. Two ways in:

    * **whole-document votes**: a document sharing ``min_hits`` distinct grams and at least
      ``min_share`` of the best document's count (a copy, or a source of several sentences);
    * **per-sentence votes**: for every suspect sentence, the ``per_sentence`` documents that
      share most grams with that sentence alone (at least ``min_sentence_hits``), so that a
      page stitched from fifteen stories, one sentence each, still reaches every story.

    At most ``max_candidates`` documents go on to alignment: whole-document winners first,
    then the per-sentence winners by their best sentence's count.
    """
    doc, part, hits = _votes(index, grams, config.max_df)
    if not len(doc):
        return []
    uniq, inverse = np.unique(doc, return_inverse=True)
    total = np.bincount(inverse, weights=hits).astype(np.int64)
    spread = np.bincount(inverse)
    floor = max(config.min_hits, config.min_share * int(total.max()))
    ranked = sorted(((int(t), int(s), int(d)) for d, t, s in zip(uniq, total, spread, strict=True)
                     if t >= floor), reverse=True)
    chosen = [d for _, _, d in ranked]
    seen = set(chosen)
    # Per sentence: the documents with the most hits in that sentence, ties kept together
    # (carriers of one wire story tie exactly).
    best: dict[int, int] = {}
    order = np.lexsort((-hits, part))
    start = 0
    for end in [*np.flatnonzero(np.diff(part[order])) + 1, len(order)]:
        rows = order[start:end]
        start = end
        top = hits[rows]
        cut = top[min(len(top), config.per_sentence) - 1]
        for r in rows:
            h = int(hits[r])
            if h < max(cut, config.min_sentence_hits):
                break
            d = int(doc[r])
            best[d] = max(best.get(d, 0), h)
    extra = sorted(((h, d) for d, h in best.items() if d not in seen), reverse=True)
    chosen += [d for _, d in extra]
    return chosen[: config.max_candidates]


def evidence_docnos(index: Index, grams: SentenceGrams, config: EvidenceConfig,
                    parts: int) -> list[list[int]]:
    """For each quote or headline (a "part" of ``grams``), the documents that may carry it.

    Indexed documents store every gram of their quotes and headline, so a part shares most of
    its grams with a document that prints it, even with a word spun. A document needs
    ``config.min_hits`` of a part's grams (all of them for a part that has fewer); grams in more
    than ``config.max_df`` documents are ignored. At most ``config.max_docs`` documents in all,
    those with the most hits first.
    """
    out: list[list[int]] = [[] for _ in range(parts)]
    doc, part, hits = _votes(index, grams, config.max_df)
    if not len(doc):
        return out
    size = np.bincount(grams.sentence, minlength=parts)
    need = np.minimum(size[part], config.min_hits)
    keep = hits >= need
    ranked = sorted(zip((-hits[keep]).tolist(), doc[keep].tolist(), part[keep].tolist(),
                        strict=True))
    chosen: set[int] = set()
    for _, d, p in ranked:
        if d not in chosen and len(chosen) >= config.max_docs:
            continue
        chosen.add(d)
        out[p].append(d)
    return out
