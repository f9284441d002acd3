"""Compare one candidate pair: align its sentences, tell copying from quote-sharing, label edits;
fall back to the loose aligner, as ``unspun align`` does, when no sentence aligns."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, OrderedDict
from dataclasses import dataclass

import numpy as np

from unspun.align import Candidate, align_sentences
from unspun.align.loose import loose_align, loose_passages
from unspun.align.vectors import SentenceBag, SuspectSide, bags
from unspun.config import AlignConfig
from unspun.data import Document, Sentence, Span
from unspun.explain import explain_alignment
from unspun.scan.config import ScanConfig
from unspun.scan.records import Pair, Passage, Prepared
from unspun.text.quotes import closed_quotes
from unspun.text.tokens import Token, fold_whitespace, tokenize, word_forms

#: The relation of a pair that shares reworded text (shuffled, translated, spun): only the loose
#: aligner relates it, or its aligned sentences keep too few grams for a copy.
REWORDED = "reworded"
_CHANGED = ("synonym", "factual", "paraphrase")
_KEPT = ("verbatim", "cosmetic")


def _inside(quoted: list[tuple[int, int]], span: Span) -> list[tuple[int, int]]:
    """The parts of ``quoted`` (a document's closed quotes, in order) within ``span``."""
    return [(max(s, span.start), min(e, span.end)) for s, e in quoted
            if s < span.end and span.start < e]


def _is_quote(text: str, span: Span, quoted: list[tuple[int, int]], other: str,
              config: ScanConfig) -> bool:
    """Text that is mostly quotation, unless the words around its quotes are copied too
    (``quoted``: its document's closed quotes; ``other``: the aligned text of the other
    document)."""
    regions = _inside(quoted, span)
    inside = sum(e - s for s, e in regions)
    if inside < config.quote_share * max(1, len(span)):
        return False
    outside, pos = [], span.start
    for s, e in [*regions, (span.end, span.end)]:
        outside += word_forms(text, pos, max(pos, s - 1))
        pos = e + 1
    if len(outside) < config.frame_words:  # too short a frame to be copied (the other side's
        return True                         # words are not needed)
    theirs = set(word_forms(other))
    kept = sum(1 for w in outside if w in theirs)
    return kept < config.frame_share * len(outside)


def _quote_match(a: Prepared, a_span: Span, a_quotes: list[tuple[int, int]], b: Prepared,
                 b_span: Span, b_quotes: list[tuple[int, int]], config: ScanConfig) -> bool:
    """A quote match on either side's quote marks: a copy may cut or drop the marks that the
    other page keeps, and which page is ``a`` (the lower docno) must not matter."""
    return (_is_quote(a.doc.text, a_span, a_quotes, b_span.of(b.doc.text), config)
            or _is_quote(b.doc.text, b_span, b_quotes, a_span.of(a.doc.text), config))


def _covered(spans: list[tuple[int, int]], sentences: list[Sentence]) -> int:
    """Characters of ``sentences`` inside any of ``spans``."""
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(itertools.accumulate((b for _, b in ordered), max))  # furthest end so far
    total = 0
    for s in sentences:
        k = bisect.bisect_right(starts, s.span.start)  # the spans starting at or before it
        if k and reach[k - 1] >= s.span.end:
            total += len(s.span)
    return total


def _quotes(doc: Prepared) -> list[tuple[int, int]]:
    """The closed quotes of a whole document (one may run over several sentences)."""
    return closed_quotes(doc.doc.text, [s.span for s in doc.sentences])


#: No document: what a cached :class:`Known` is bound to between pairs (see :meth:`Known.bind`).
NO_DOC = Prepared(-1, Document("", ""), "", [], [])


@dataclass(slots=True)
class Known:
    """A document as a scan meets it in many pairs: its aligner candidate (sentence bags and
    kernel halves, built on demand) and facts of the whole document found once (its closed
    quotes, its distinct grams) instead of once per pair."""

    doc: Prepared
    candidate: Candidate
    _quotes: list[tuple[int, int]] | None = None
    _grams: np.ndarray | None = None
    _chars: int = -1

    @classmethod
    def of(cls, doc: Prepared) -> Known:
        return cls(doc, Candidate(doc.doc, doc.sentences))

    def bind(self, doc: Prepared) -> None:
        """Read the document from ``doc`` (the same document, or :data:`NO_DOC` between
        pairs): a cache keeps what was found of a source, not its text."""
        self.doc = doc
        self.candidate.doc, self.candidate.sentences = doc.doc, doc.sentences

    def quotes(self) -> list[tuple[int, int]]:
        if self._quotes is None:
            self._quotes = _quotes(self.doc)
        return self._quotes

    def bags(self, config: AlignConfig) -> list[SentenceBag]:
        """The sentences' bags (see :meth:`Candidate.get_bags`), built from the quotes found
        once for both (a suspect needs both)."""
        cand = self.candidate
        if cand.bags is None:
            cand.bags = bags(self.doc.doc.text, self.doc.sentences, config, quoted=self.quotes())
        return cand.bags

    def side(self, config: AlignConfig) -> SuspectSide:
        """The document as the suspect half of a kernel (see :meth:`Candidate.get_side`)."""
        self.bags(config)
        return self.candidate.get_side(config)

    def chars(self) -> int:
        """The document's characters kept for comparison (``Prepared.chars``, summed once)."""
        if self._chars < 0:
            self._chars = self.doc.chars
        return self._chars

    def grams(self) -> np.ndarray:
        """The document's sampled grams, each once, sorted."""
        if self._grams is None:
            self._grams = np.unique(self.doc.keys)
        return self._grams


class TokenCache:
    """The tokens of the spans edit labelling met last (see :func:`unspun.text.tokens.tokenize`).

    Labelling an aligned sentence tokenises both sides; a scan meets one sentence in many
    pairs (on the planted 10k corpus, 40 % of a worker's spans were met among its last 8,192),
    so the lists are kept by ``(text, start, end)``, ``limit`` of them (about 3 KB each).
    """

    def __init__(self, limit: int = 8192) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple[str, int, int], list[Token]] = OrderedDict()

    def __call__(self, text: str, start: int, end: int) -> list[Token]:
        key = (text, start, end)
        toks = self._items.get(key)
        if toks is None:
            toks = self._items[key] = tokenize(text, start, end)
            if len(self._items) > self.limit:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return toks


def _unit(doc: Prepared, index: int) -> int:
    """The whole sentence that sentence ``index`` of ``doc`` is part of."""
    return doc.units[index] if doc.units else index


def _parts(kept: dict[int, set[int]], config: ScanConfig) -> int:
    """How many of the ``a`` sentences aligned with one ``b`` sentence keep words of it that
    the others do not (``kept``: each one's characters of ``b`` kept verbatim): a sentence
    joined from two counts twice, two sentences sharing one phrase of it count once."""
    seen: set[int] = set()
    parts = 0
    # Longest first: a sentence that keeps only a phrase of one already counted (a headline
    # echoing the lead) adds nothing, whichever page order the two came in.
    for chars in sorted(kept.values(), key=len, reverse=True):
        if not parts or len(chars - seen) > config.join_overlap * len(chars):
            parts += 1
        seen |= chars
    return parts


def _reworded(a: Known, b: Known, config: ScanConfig) -> Pair | None:
    """When no sentence aligns strictly, the loose aligner's sentences, when ``unspun align``
    would find passages in them (``config.passages.loose_fallback``): a "reworded" pair, never
    a copy (quote-sharing when every sentence is a quote match)."""
    if not config.passages.loose_fallback:
        return None
    pa, pb = a.doc, b.doc
    a_bags = a.bags(config.align)
    # b's kernel half (the source cache's) is all the loose aligner needs of its bags.
    traces = loose_align(pa.sentences, a_bags, pb.doc.id, pb.sentences,
                         b.candidate.get_source_side(config.align), config.loose)
    # No sentence in a run makes no passage (checked first: finding passages tokenises
    # both whole documents).
    if not any(t.alignment for t in traces) \
            or not loose_passages(pa.doc.text, pb.doc, traces, config.passages):
        return None
    passages = [Passage(al.suspect.start, al.suspect.end, al.source.start, al.source.end,
                        al.score, _quote_match(pa, t.sentence.span, a.quotes(), pb, al.source,
                                               b.quotes(), config))
                for t in traces if (al := t.alignment) is not None]
    quotes = sum(p.quote for p in passages)
    relation = "quote-sharing" if quotes == len(passages) else REWORDED
    return Pair(pa.docno, pb.docno, relation, passages, *_shares(a, b, passages), 0, quotes,
                {}, [], 0)


def _shares(a: Known, b: Known, passages: list[Passage]) -> tuple[float, float]:
    """The share of each side's compared characters in the passages."""
    share_a = sum(p.a_end - p.a_start for p in passages) / max(1, a.chars())
    share_b = (_covered([(p.b_start, p.b_end) for p in passages], b.doc.sentences)
               / max(1, b.chars()))
    return min(1.0, share_a), min(1.0, share_b)


def shared_grams(a: Known, b: Known) -> int:
    """How many distinct sampled grams the two documents share (a copy keeps some words in
    order; the word tier's candidates may share none)."""
    small, large = a.grams(), b.grams()
    if len(small) > len(large):
        small, large = large, small
    if not len(small):
        return 0
    # Both sorted and distinct: look the shorter one's up in the longer (no merged sort).
    return int(np.count_nonzero(large.take(large.searchsorted(small), mode="clip") == small))


def compare_pair(a: Prepared, b: Prepared, *, config: ScanConfig,
                 a_known: Known | None = None, b_known: Known | None = None,
                 tokens: TokenCache | None = None) -> Pair | None:
    """Align the sentences of ``a`` to ``b`` and summarise what the two share.

    Args:
        a: The first document (the lower docno).
        b: The second document.
        config: Alignment thresholds and the least number of body sentences of a copy.
        a_known: ``a`` as met before, to reuse its sentence bags, its half of the similarity
            kernel, its quotes and grams.
        b_known: ``b`` as met before, to reuse its half of the kernel, its quotes and grams.
        tokens: The tokens of spans met before.

    Returns:
        The pair, or None when no sentence aligns.
    """
    if not a.sentences or not b.sentences:
        return None
    ka = a_known or Known.of(a)
    kb = b_known or Known.of(b)
    traces = align_sentences(a.doc.text, a.sentences, [kb.candidate], config.align,
                             suspect_bags=ka.bags(config.align),
                             suspect_side=ka.side(config.align))
    if not any(t.alignment for t in traces):
        return _reworded(ka, kb, config)
    a_quotes, b_quotes = ka.quotes(), kb.quotes()
    any_quotes = bool(a_quotes or b_quotes) or config.quote_share <= 0
    passages: list[Passage] = []
    body_a: set[int] = set()
    body_b: dict[int, dict[int, set[int]]] = {}  # b sentence -> a unit -> b characters kept
    edits: Counter[str] = Counter()
    subs: list[tuple[int, int, str, str]] = []
    altered = 0
    for t in traces:
        al = t.alignment
        if al is None:
            continue
        # No quote on either page: nothing is mostly quotation (see _is_quote).
        quote = (any_quotes
                 and _quote_match(a, t.sentence.span, a_quotes, b, al.source, b_quotes, config))
        passages.append(Passage(al.suspect.start, al.suspect.end, al.source.start,
                                al.source.end, al.score, quote))
        found = explain_alignment(a.doc.text, b.doc.text, al, config=config.explain,
                                  tokenizer=tokens or tokenize)
        if not quote:
            unit = _unit(a, t.sentence.index)
            body_a.add(unit)
            kept = body_b.setdefault(al.source.start, {}).setdefault(unit, set())
            for e in found:
                if e.op in _KEPT:
                    kept.update(range(e.source.start, e.source.end))
        regions = _inside(a_quotes, t.sentence.span)
        touched = False
        for e in found:
            edits[e.op] += 1
            if e.op == "synonym":
                subs.append((e.suspect.start, e.source.start,
                             fold_whitespace(e.suspect_text).lower(),
                             fold_whitespace(e.source_text).lower()))
            if e.op in _CHANGED and any(s <= e.suspect.start < t2 for s, t2 in regions):
                touched = True
        altered += touched
    # Whole sentences of ``a`` (the pieces of one long sentence count once), matched to as
    # many sentences of ``b`` (or parts of one that joined them).
    body = min(len(body_a), sum(_parts(kept, config) for kept in body_b.values()))
    relation = "quote-sharing" if body < config.min_body else \
        "copy" if shared_grams(ka, kb) >= config.min_grams else REWORDED
    quotes = sum(1 for p in passages if p.quote)
    return Pair(a.docno, b.docno, relation, passages, *_shares(ka, kb, passages), body,
                quotes, dict(sorted(edits.items())), subs, altered)
