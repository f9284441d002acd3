"""Retrieve candidate sources for a suspect from the index by voting on shared grams."""

from __future__ import annotations

import numpy as np

from unspun.config import RetrievalConfig
from unspun.fingerprint import SentenceGrams
from unspun.index.store import Index


def candidate_docnos(index: Index, grams: SentenceGrams, config: RetrievalConfig) -> list[int]:
    """Document numbers of the best candidate sources, best first.

    Each indexed document scores the number of distinct suspect grams it shares, counted only
    for grams found in at most ``config.max_df`` documents, so common phrases and quotes that
    many reports share cannot flood the candidates. A candidate needs ``min_hits`` grams and
    ``min_share`` of the best candidate's count. Ties go to documents that share grams with
    more distinct suspect sentences.
    """
    if not len(grams.keys):
        return []
    keys, first = np.unique(grams.keys, return_index=True)
    q, docs = index.lookup(keys, max_df=config.max_df)
    if not len(docs):
        return []
    sent = grams.sentence[first][q]
    uniq_docs, hits = np.unique(docs, return_counts=True)
    pair = np.unique(docs.astype(np.int64) << 32 | sent.astype(np.int64))
    sent_docs, sent_hits = np.unique(pair >> 32, return_counts=True)
    spread = dict(zip(sent_docs.tolist(), sent_hits.tolist(), strict=True))
    floor = max(config.min_hits, config.min_share * int(hits.max()))
    ranked = sorted(
        ((int(h), spread.get(int(d), 0), int(d)) for d, h in zip(uniq_docs, hits, strict=True)
         if h >= floor),
        reverse=True,
    )
    return [d for _, _, d in ranked[: config.max_candidates]]
