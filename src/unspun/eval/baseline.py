"""A trivial detector to measure against: exact matching of normalised sentences."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from unspun.clean import clean
from unspun.data import (
    Alignment,
    Document,
    Sentence,
    SentenceTrace,
    Span,
    TraceResult,
)
from unspun.judge.sources import source_shares
from unspun.text import split_sentences

_SPACE_RE = re.compile(r"\s+")


def normalize_sentence(text: str) -> str:
    """Lowercase and collapse whitespace: the only leniency the baseline allows."""
    return _SPACE_RE.sub(" ", text).strip().lower()


def _sentence_index(
    sentences: list[Sentence], min_chars: int
) -> dict[str, list[int]]:
    """Map each long enough normalised sentence to its sentence indexes."""
    index: dict[str, list[int]] = defaultdict(list)
    for s in sentences:
        key = normalize_sentence(s.text)
        if len(key) >= min_chars:
            index[key].append(s.index)
    return index


@dataclass
class BaselineDetector:
    """Exact-sentence matching; adjacent matches on both sides merge into one passage.

    Sentences shorter than ``min_chars`` (after normalising) are ignored, so that "Yes." or
    "CHAPTER I." do not count as reuse.
    """

    min_chars: int = 30
    name: str = "baseline"
    _index: dict[str, list[tuple[str, int]]] = field(default_factory=dict, repr=False)
    _sentences: dict[str, list[Sentence]] = field(default_factory=dict, repr=False)
    _docs: dict[str, Document] = field(default_factory=dict, repr=False)

    def align_pair(self, suspect: Document, source: Document) -> list[Alignment]:
        """Align every exactly repeated sentence, merged into maximal passages.

        Args:
            suspect: The suspect document.
            source: The source document.

        Returns:
            Passages in suspect order; ``kind`` is "passage" for merged runs of sentences.
        """
        src_sents = split_sentences(source.text)
        index = _sentence_index(src_sents, self.min_chars)
        runs: list[list[tuple[Sentence, Sentence]]] = []
        for sent in split_sentences(suspect.text):
            candidates = index.get(normalize_sentence(sent.text))
            if not candidates:
                continue
            last = runs[-1][-1] if runs else None
            if last and last[0].index == sent.index - 1 and last[1].index + 1 in candidates:
                runs[-1].append((sent, src_sents[last[1].index + 1]))
            else:
                runs.append([(sent, src_sents[candidates[0]])])
        return [
            Alignment(
                suspect=Span(run[0][0].span.start, run[-1][0].span.end),
                source_id=source.id,
                source=Span(run[0][1].span.start, run[-1][1].span.end),
                score=1.0,
                kind="passage" if len(run) > 1 else "sentence",
            )
            for run in runs
        ]

    def fit(self, references: Iterable[Document]) -> None:
        """Index every long enough sentence of the references (replacing any earlier index).

        Args:
            references: The reference documents.
        """
        self._index, self._sentences, self._docs = {}, {}, {}
        index: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc in references:
            sents = split_sentences(doc.text)
            self._docs[doc.id] = doc
            self._sentences[doc.id] = sents
            for key, positions in _sentence_index(sents, self.min_chars).items():
                index[key].extend((doc.id, i) for i in positions)
        self._index = dict(index)

    def trace(self, suspect: Document) -> TraceResult:
        """Trace each sentence of the cleaned suspect to an identical reference sentence.

        When several references hold a sentence, the one matching most suspect sentences wins.

        Args:
            suspect: The suspect document.

        Returns:
            The trace, with one :class:`SentenceTrace` per kept sentence.
        """
        cleaned = clean(suspect)
        sents = split_sentences(suspect.text, cleaned.kept)
        hits = [self._index.get(normalize_sentence(s.text), []) for s in sents]
        votes = Counter(doc_id for h in hits for doc_id in {d for d, _ in h})
        traces: list[SentenceTrace] = []
        for sent, cands in zip(sents, hits, strict=True):
            if not cands:
                traces.append(SentenceTrace(sentence=sent))
                continue
            doc_id, pos = max(cands, key=lambda c: votes[c[0]])
            src = self._sentences[doc_id][pos]
            align = Alignment(suspect=sent.span, source_id=doc_id, source=src.span, score=1.0)
            traces.append(SentenceTrace(sentence=sent, alignment=align, order=pos))
        used = {t.alignment.source_id: self._docs[t.alignment.source_id] for t in traces
                if t.alignment is not None}
        return TraceResult(clean=cleaned, sentences=traces, sources=source_shares(traces, used),
                           source_docs=used)
