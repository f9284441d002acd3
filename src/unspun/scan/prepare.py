"""Prepare one corpus document: clean it, split its sentences and hash its grams (pure)."""

from __future__ import annotations

import numpy as np

from unspun.clean import CleanConfig, SiteProfile, clean, site_key
from unspun.config import SENTENCE_MAX_CHARS
from unspun.data import Document, Sentence
from unspun.fingerprint import content_words, sentence_grams
from unspun.scan.config import ScanConfig
from unspun.scan.records import Prepared
from unspun.text.sentences import body_sentences

#: The site of documents with neither a site nor a URL.
UNKNOWN_SITE = "unknown"


def prepare_document(doc: Document, docno: int, *, config: ScanConfig,
                     profile: SiteProfile | None = None) -> Prepared:
    """Clean ``doc`` and fingerprint the sentences cleaning kept.

    The headline kept once is not body text, so a first sentence equal to the title is left
    out of comparison (two pages with one headline are not copies for it).

    Args:
        doc: The document.
        docno: Its position in the corpus.
        config: Scan settings (gram sizes, furniture rules).
        profile: Site boilerplate learnt from the corpus.

    Returns:
        The prepared document; it may have no sentences (nothing to compare).
    """
    cleaned = clean(doc, profile=profile,
                    config=CleanConfig(cosmetic=False, furniture=config.furniture))
    sentences = body_sentences(doc.text, cleaned.kept, cleaned.title, max_chars=SENTENCE_MAX_CHARS)
    grams = sentence_grams(doc.text, sentences, config.fingerprint, sample_only=True)
    units = sentence_units(doc.text, sentences)
    removed: list[tuple[str, str, str]] = [(f.kind, f.detail, f.text) for f in cleaned.findings
                                           if f.removed]
    site = site_key(doc, default=profile.default_site if profile else None) or UNKNOWN_SITE
    owners = np.asarray(units, dtype=np.int32)[grams.sentence] if units else grams.sentence
    return Prepared(docno, doc, site, sentences, removed, grams.keys, owners, units,
                    content_words(doc.text, sentences))


def sentence_units(text: str, sentences: list[Sentence]) -> list[int]:
    """Number each sentence by the whole sentence it is part of: a piece that does not end a
    sentence (no terminal mark) and is followed on the same line is joined to the next."""
    units: list[int] = []
    for i, s in enumerate(sentences):
        if i and not _ends(sentences[i - 1].text) \
                and "\n" not in text[sentences[i - 1].span.end : s.span.start]:
            units.append(units[-1])
        else:
            units.append(units[-1] + 1 if units else 0)
    return units


def _ends(sentence: str) -> bool:
    return sentence.rstrip("\"'\u201d\u2019)] ").endswith((".", "!", "?", "\u2026"))
