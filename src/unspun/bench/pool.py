"""What the generator knows about each reference article: usable sentences, names, quotes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from unspun.bench.rewrite import Src
from unspun.data import Document
from unspun.text import split_sentences
from unspun.text.tokens import is_content, tokenize

_DATELINE_RE = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+\w+\s+\d{1,2},?\s+\d{4}$"
)
_NAME_RE = re.compile(r"\b[A-Z][a-z]+(?: (?:[A-Z]\.|[A-Z][a-z]+))*(?: [A-Z][a-z]+)\b")
_QUOTE_RE = re.compile(r'(?:^|(?<=\s))"([A-Z][^"\n]{24,300}?)[,.]?"')
_SPEAKER_AFTER = re.compile(r"\b(?:said|told|says|added)\s+((?:[A-Z][\w.'-]+\s?){1,3})")
_SPEAKER_BEFORE = re.compile(r"((?:[A-Z][\w.'-]+ ){1,3})(?:said|told|says|added)\b")


_GENERIC = frozenset(["percent", "people", "first", "years", "year", "time", "also", "could", "would", "since", "while", "other", "another", "where", "there", "their", "about", "after", "before", "around", "being", "still", "three", "several", "number", "report", "reported", "local", "according", "including"])


def _topical(word: str) -> bool:
    """A word that can name a topic: long enough, not an inflected verb or adverb."""
    return (len(word) > 4 and word not in _GENERIC and "'" not in word
            and not word.endswith(("ed", "ing", "ly")))


@dataclass(slots=True)
class Article:
    """One reference (or held-out) article, pre-digested for the generator."""

    doc: Document
    sentences: list[Src]
    keywords: set[str]
    names: list[str]
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (quote words, speaker)


def usable(text: str) -> bool:
    """A sentence worth copying: not a dateline, at least 6 words, not a list fragment."""
    words = text.split()
    return 6 <= len(words) <= 80 and not _DATELINE_RE.match(text) and text[-1:] in '.!?"'


def speaker_of(sentence: str) -> str | None:
    """The capitalised name next to said/told in a sentence, if any."""
    for pattern in (_SPEAKER_AFTER, _SPEAKER_BEFORE):
        m = pattern.search(sentence)
        if m:
            name = m.group(1).strip()
            if name.split(" ", 1)[0] not in {"The", "He", "She", "It", "They", "This"}:
                return name
    return None


def digest(doc: Document) -> Article:
    """Split, index and mine one article.

    Args:
        doc: The article.

    Returns:
        Its usable sentences, top keywords, multi-word names and speaker-attributed quotes.
    """
    sents = [Src(doc, s) for s in split_sentences(doc.text) if usable(s.text)]
    counts = Counter(t.norm for t in tokenize(doc.text) if is_content(t) and _topical(t.norm)
                     and doc.text[t.start].islower())
    keywords = {w for w, _ in counts.most_common(25)}
    names = list(dict.fromkeys(m.group() for s in sents for m in _NAME_RE.finditer(s.text)
                               if m.start() > 0))
    quotes: list[tuple[str, str]] = []
    for s in sents:
        speaker = speaker_of(s.text)
        for m in _QUOTE_RE.finditer(s.text):
            quotes.append((m.group(1).rstrip(",. "), speaker or "a spokesperson"))
    return Article(doc, sents, keywords, names, quotes)


def neighbours(article: Article, pool: list[Article], k: int) -> list[Article]:
    """The ``k`` articles of ``pool`` sharing most keywords with ``article`` (itself excluded)."""
    scored = sorted(
        (a for a in pool if a.doc.id != article.doc.id),
        key=lambda a: (-len(a.keywords & article.keywords), a.doc.id),
    )
    return scored[:k]
