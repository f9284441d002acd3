"""The short texts of a document whose every gram is indexed: its headline and its quotes."""

from __future__ import annotations

from unspun.config import EvidenceConfig
from unspun.data import Document, Sentence
from unspun.text.quotes import quoted_regions

#: Quotes of this many words or more are fingerprinted in full (the tracer's default).
MIN_QUOTE_WORDS = EvidenceConfig().quote_min_words


def evidence_texts(doc: Document, sentences: list[Sentence]) -> list[str]:
    """The headline and each direct quote of ``MIN_QUOTE_WORDS`` or more words in ``sentences``.

    A farm lifts a single quote or a headline from a source; sampled grams alone would miss
    most of them (a ten-word quote has a handful of grams, of which one in five is sampled).
    """
    out = [doc.title] if doc.title and len(doc.title.split()) >= 3 else []
    if not sentences:
        return out
    text = doc.text
    for a, b in quoted_regions(text, sentences[0].span.start, sentences[-1].span.end):
        quote = text[a:b]
        # At most MIN_QUOTE_WORDS pieces: as many as the words when there are fewer.
        if len(quote.split(None, MIN_QUOTE_WORDS - 1)) >= MIN_QUOTE_WORDS:
            out.append(quote)
    return out
