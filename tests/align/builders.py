"""Builders for alignment and trace tests: clean source sentences, spinning and paraphrase."""

from __future__ import annotations

import re
from random import Random

from unspun.align import Candidate, align_sentences
from unspun.config import AlignConfig
from unspun.data import Document, Sentence, SentenceTrace
from unspun.text import split_sentences
from unspun.text.tokens import STOPWORDS

#: A few synonyms of the kind spinners use; other words get an invented replacement.
SYNONYMS = {
    "said": "stated", "international": "worldwide", "meeting": "assembly", "team": "squad",
    "people": "individuals", "country": "nation", "government": "administration",
    "announced": "declared", "killed": "slain", "help": "assist", "began": "commenced",
    "found": "discovered", "large": "huge", "week": "seven days", "children": "kids",
}


def plain(doc: Document, *, min_words: int = 12, max_words: int = 45) -> list[Sentence]:
    """Sentences of ``doc`` with no quotation marks and a news-like length."""
    return [s for s in split_sentences(doc.text)
            if not re.search("[\"\u201c\u201d]", s.text)
            and min_words <= len(s.text.split()) <= max_words]


def _replacement(word: str) -> str:
    low = word.lower()
    new = SYNONYMS.get(low, "vel" + low[::-1])
    return new[0].upper() + new[1:] if word[0].isupper() else new


def spin(text: str, rate: float, rng: Random) -> str:
    """Replace ``rate`` of the lowercase content words (quotes too, as spinners do)."""
    spots = [m for m in re.finditer(r"\b[a-z][a-z'-]{2,}\b", text)
             if m.group().lower() not in STOPWORDS]
    chosen = sorted(rng.sample(spots, round(rate * len(spots))), key=lambda m: m.start())
    out, pos = [], 0
    for m in chosen:
        out += [text[pos : m.start()], _replacement(m.group())]
        pos = m.end()
    return "".join(out) + text[pos:]


def paraphrase(sentence: str) -> str:
    """A light paraphrase: one synonym, the last clause's words dropped, a connective added."""
    words = sentence.rstrip(".").split()
    cut = max(8, len(words) - 3)
    words = words[:cut]
    for i, w in enumerate(words):
        if i and w.isalpha() and w.islower() and w not in STOPWORDS and len(w) > 3:
            words[i] = _replacement(w)
            break
    return "Reportedly, " + words[0][0].lower() + " ".join(words)[1:] + "."


def align(text: str, sources: list[Document], config: AlignConfig | None = None
          ) -> list[SentenceTrace]:
    """Align the sentences of ``text`` against whole source documents."""
    cands = [Candidate(d, split_sentences(d.text)) for d in sources]
    return align_sentences(text, split_sentences(text), cands, config or AlignConfig())
