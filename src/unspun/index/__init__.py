"""Index: fingerprint reference documents into an on-disk index that grows incrementally."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from unspun.clean import SiteProfile
from unspun.clean.core import clean_lines
from unspun.config import EVIDENCE_CLEAN, SENTENCE_MAX_CHARS, FingerprintConfig
from unspun.data import Document, Sentence
from unspun.fingerprint import batch_document_keys, document_keys
from unspun.fingerprint.evidence import evidence_texts
from unspun.index.records import folded_hash
from unspun.index.store import AddStats, Index, Prepared
from unspun.text import split_sentences

__all__ = ["AddStats", "Index", "Prepared", "add_documents", "prepare"]

# Cosmetic findings are reports for readers; an index only needs the kept spans and the title.
# Page furniture (captions, bylines, embedded posts, date lines) is never evidence of copying.
_INDEX_CLEAN = replace(EVIDENCE_CLEAN, cosmetic=False)
# Documents fingerprinted together in one numpy pass by add_documents (per-call overhead).
# 64 rather than 128: the token arrays of 128 articles (about 3.7 MB of uint64) are mapped
# and unmapped by malloc at every pass, 4x the page faults; fingerprinting 64 at a time took
# 0.8x the CPU time (3,000 synthetic articles, numpy 2.4, glibc 2.36).
_CHUNK = 64


def _split(doc: Document, profile: SiteProfile | None) -> tuple[list[Sentence], str]:
    """Clean and split one document (filling in a missing title); its sentences to index and
    its content hash (:func:`~unspun.index.records.content_hash`, from cleaning's lines)."""
    cleaned, lines = clean_lines(doc, profile=profile, config=_INDEX_CLEAN)
    sentences = split_sentences(doc.text, cleaned.kept, max_chars=SENTENCE_MAX_CHARS)
    if sentences and doc.title is None and cleaned.title:
        doc.title = cleaned.title
    return sentences, folded_hash(" ".join([ln.folded for ln in lines]))


def prepare(doc: Document, config: FingerprintConfig, *,
            profile: SiteProfile | None = None) -> Prepared | None:
    """Clean, split and fingerprint one document; None when nothing indexable is left."""
    sentences, digest = _split(doc, profile)
    if not sentences:
        return None
    keys = document_keys(doc.text, sentences, config, extras=evidence_texts(doc, sentences))
    return Prepared(doc, sentences, keys, digest)


def _fingerprint(split: list[tuple[Document, list[Sentence], str]],
                 config: FingerprintConfig) -> list[Prepared]:
    """Fingerprint split documents together; the same keys as :func:`prepare` gives each."""
    keys = batch_document_keys([(doc.text, sentences) for doc, sentences, _ in split], config,
                               extras=[evidence_texts(doc, sentences)
                                       for doc, sentences, _ in split])
    return [Prepared(doc, sentences, k, digest)
            for (doc, sentences, digest), k in zip(split, keys, strict=True)]


def add_documents(index: Index, docs: Iterable[Document], *, batch_size: int = 2000,
                  profile: SiteProfile | None = None,
                  on_document: Callable[[], None] | None = None) -> AddStats:
    """Add documents to ``index``, committing every ``batch_size`` documents.

    Documents whose id or normalised content is already indexed are skipped and counted.
    Each batch is committed atomically, so an interrupted run keeps every finished batch.
    Segments are merged as their tiers fill up (:mod:`unspun.index.merge`).

    Args:
        index: An index opened for writing.
        docs: The documents to add.
        batch_size: Documents per committed batch.
        profile: Site boilerplate learnt from the corpus, passed to cleaning.
        on_document: Called once per document read (for progress bars).

    Returns:
        Counts of what was added and skipped.
    """
    stats = AddStats()
    batch: list[Prepared] = []
    split: list[tuple[Document, list[Sentence], str]] = []
    chunk = max(1, min(_CHUNK, batch_size))
    with _collect_per_batch():
        for doc in docs:
            sentences, digest = _split(doc, profile)
            if on_document is not None:
                on_document()
            if not sentences:
                stats.empty += 1
                continue
            split.append((doc, sentences, digest))
            if len(split) >= chunk or len(batch) + len(split) >= batch_size:
                batch += _fingerprint(split, index.config)
                split = []
            if len(batch) >= batch_size:
                index.commit_batch(batch, stats)
                index.compact()  # merges a tier only when it is full: see unspun.index.merge
                batch = []
                gc.collect(1)  # the objects made since the last collection (see below)
        if split:
            batch += _fingerprint(split, index.config)
        if batch:
            index.commit_batch(batch, stats)
    index.compact()
    return stats


@contextmanager
def _collect_per_batch() -> Iterator[None]:
    """Pause the cyclic garbage collector; the loop collects once per committed batch.

    A batch holds thousands of live objects, which the collector would otherwise rescan many
    times per batch (10-25% of build time, measured); articles create no reference cycles.
    While the collector is paused every new object stays in the young generations, so the
    loop collects those only (``gc.collect(1)``): a full collection rescans every object of
    the process, 10-20 ms a batch (0.9 % of a 100k build, py-spy), to find nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
