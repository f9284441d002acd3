"""The records scan passes between its stages: prepared documents and document pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from unspun.data import Document, Sentence, sentence_at


@dataclass(slots=True)
class Prepared:
    """One cleaned corpus document: its sentences, what cleaning removed, and its grams.

    ``docno`` is the document's position in the corpus (0-based, in reading order); pairs,
    clusters and lineage refer to documents by it, so every engine numbers them alike.
    """

    docno: int
    doc: Document
    site: str
    sentences: list[Sentence]
    removed: list[tuple[str, str, str]]  # (kind, detail, text) of each removed line
    keys: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint32))  # uint32 grams
    owners: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))  # their unit
    # The whole sentence each sentence belongs to: the splitter cuts long sentences into
    # pieces, and pieces of one sentence are one unit of evidence.
    units: list[int] = field(default_factory=list)
    # The distinct content words of its sentences (uint32 hashes, sorted): the word tier's
    # rows, found by the cleaning workers rather than serially by the candidate stage.
    words: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint32))

    @property
    def chars(self) -> int:
        """Characters of text kept for comparison."""
        sents = self.sentences  # two sums in C, not a length call per sentence
        return sum([s.span.end for s in sents]) - sum([s.span.start for s in sents])

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as flat fields: the frozen dataclasses' own pickling (a state dict per
        # sentence and per span, through ``dataclasses.fields``) made the 10,000 prepared
        # documents of a 10k scan cost about 2 CPU-s to write and 2 to read.
        d, sents = self.doc, self.sentences
        return (_prepared, (self.docno, d.id, d.text, d.title, d.url, d.site, d.date, d.source,
                            d.meta, self.site, [s.index for s in sents],
                            [s.span.start for s in sents], [s.span.end for s in sents],
                            [s.text for s in sents], self.removed, self.keys, self.owners,
                            self.units, self.words))


def _prepared(docno: int, doc_id: str, text: str, title: str | None, url: str | None,
              site_field: str | None, date: str | None, source: str | None,
              meta: dict[str, Any], site: str, indexes: list[int], starts: list[int],
              ends: list[int], texts: list[str], removed: list[tuple[str, str, str]],
              keys: np.ndarray, owners: np.ndarray, units: list[int],
              words: np.ndarray) -> Prepared:
    """A :class:`Prepared` from the fields of its ``__reduce__``."""
    return Prepared(docno, Document(doc_id, text, title, url, site_field, date, source, meta),
                    site, list(map(sentence_at, indexes, starts, ends, texts)), removed, keys,
                    owners, units, words)


@dataclass(slots=True)
class Passage:
    """A sentence of document ``a`` aligned to a span of document ``b``."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    quote: bool  # the match rests on quoted words only

    def to_list(self) -> list[Any]:
        return [self.a_start, self.a_end, self.b_start, self.b_end, round(self.score, 4),
                self.quote]

    def __reduce__(self) -> tuple[Any, ...]:
        # Its fields in order: far cheaper to pickle than the slots' default state.
        return (Passage, (self.a_start, self.a_end, self.b_start, self.b_end, self.score,
                          self.quote))


@dataclass(slots=True)
class Pair:
    """Two documents that share text, ``a < b`` by docno.

    ``relation`` is "copy" when at least ``min_body`` aligned sentences rest on words outside
    quotes, "quote-sharing" when they share only quotes or a single sentence, "reworded" when
    only the loose aligner relates them or they share too few grams for a copy.
    """

    a: int
    b: int
    relation: str
    passages: list[Passage]
    share_a: float
    share_b: float
    body: int
    quotes: int
    edits: dict[str, int]
    # Each synonym swap: (start in a, start in b, a's words, b's words).
    substitutions: list[tuple[int, int, str, str]]
    altered_quotes: int

    def __reduce__(self) -> tuple[Any, ...]:
        # Its fields in order (the comparison workers pickle every pair to a checkpoint,
        # and the main process reads them all back).
        return (Pair, (self.a, self.b, self.relation, self.passages, self.share_a, self.share_b,
                       self.body, self.quotes, self.edits, self.substitutions,
                       self.altered_quotes))

    @property
    def spin(self) -> int:
        """Number of synonym swaps between the two texts."""
        return len(self.substitutions)
