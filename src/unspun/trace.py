"""Trace: clean a suspect article, find its sources, align its sentences, explain and judge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from unspun import __version__
from unspun.align import Candidate, align_sentences
from unspun.align.headline import match_headline
from unspun.align.loose import loose_align, loose_passages
from unspun.align.passages import passages
from unspun.align.vectors import bags
from unspun.clean import SiteProfile, clean
from unspun.config import TraceConfig
from unspun.data import (
    Alignment,
    CleanResult,
    Document,
    Quote,
    Sentence,
    Span,
    TraceResult,
)
from unspun.errors import BadInput
from unspun.explain import check_quotes, explain_alignment
from unspun.explain.quote_check import QuoteCache, quote_source_findings, quote_sources
from unspun.fingerprint import sentence_grams, text_grams
from unspun.gcpause import gc_paused
from unspun.index.retrieve import candidate_docnos, evidence_docnos
from unspun.index.store import Index
from unspun.judge import judge
from unspun.judge.sources import source_shares
from unspun.text import split_sentences
from unspun.text.sentences import body_sentences


def _suspect(doc: Document, profile: SiteProfile | None,
             cfg: TraceConfig) -> tuple[CleanResult, list[Sentence]]:
    """Clean and split the suspect; its headline is not body text."""
    if not doc.text.strip():
        raise BadInput(doc.source or doc.id, "empty article")
    cleaned = clean(doc, profile=profile, config=cfg.clean)
    sentences = body_sentences(doc.text, cleaned.kept, cleaned.title,
                               max_chars=cfg.sentence_max_chars)
    if not sentences:
        raise BadInput(doc.source or doc.id, "no article text is left after cleaning")
    return cleaned, sentences


@dataclass(slots=True)
class _Evidence:
    """The suspect's own quotes and headline, each traced apart from the body; ``cache``
    keeps the quotes found for :func:`quote_sources` for :func:`check_quotes` too."""

    quotes: list[Quote]
    headline: str | None
    headline_span: Span | None
    cache: QuoteCache

    @classmethod
    def of(cls, cleaned: CleanResult, cfg: TraceConfig) -> _Evidence:
        text = cleaned.doc.text
        cache = QuoteCache()
        quotes = [q for q in cache.quotes(text, cleaned.kept or None).all()
                  if len(q.text.split()) >= cfg.evidence.quote_min_words]
        title = cleaned.title or cleaned.doc.title
        span = None
        if title:
            at = text.find(title.strip())
            span = Span(at, at + len(title.strip())) if at >= 0 else None
        return cls(quotes, title, span, cache)

    def texts(self) -> list[str]:
        return [q.text for q in self.quotes] + ([self.headline] if self.headline else [])


@gc_paused()
def trace_document(doc: Document, *, index: Index, config: TraceConfig | None = None,
                   profile: SiteProfile | None = None, exclude_self: bool = False) -> TraceResult:
    """Trace one suspect article against an index of reference documents.

    Args:
        doc: The suspect article.
        index: An open index of the originals.
        config: Retrieval and alignment settings.
        profile: Site boilerplate learnt from a corpus, for cleaning.
        exclude_self: Leave out indexed documents that are this article (same id, or the same
            text), so an article can be traced against an index that contains it.

    Returns:
        The traced article: sentences with alignments, sources with shares, the documents its
        quotes and headline come from, edits, quote findings and a verdict.

    Raises:
        BadInput: the article is empty, or nothing is left after cleaning.
    """
    cfg = config or TraceConfig()
    cleaned, sentences = _suspect(doc, profile, cfg)
    evidence = _Evidence.of(cleaned, cfg)
    grams = sentence_grams(doc.text, sentences, index.config, sample_only=False)
    docnos = candidate_docnos(index, grams, cfg.retrieval)
    parts = evidence.texts()
    per_part = (evidence_docnos(index, text_grams(parts, index.config), cfg.evidence,
                                len(parts)) if parts else [])
    fetched = index.fetch(set(docnos).union(*per_part), split=set(docnos))
    candidates = index_candidates(fetched, docnos)
    part_docs = [[fetched[d][0] for d in p if d in fetched] for p in per_part]
    if exclude_self:
        def other(d: Document) -> bool:
            return d.id != doc.id and d.text != doc.text

        candidates = [c for c in candidates if other(c.doc)]
        part_docs = [[d for d in p if other(d)] for p in part_docs]
    return _finish(cleaned, sentences, candidates, cfg, evidence, part_docs)


def index_candidates(fetched: dict[int, tuple[Document, Sequence[Sentence]]],
                     docnos: Sequence[int]) -> list[Candidate]:
    """The candidates ``docnos`` (those fetched), in order: each is a source for this one
    suspect only, so its source half goes straight into the kernel (``Candidate.once``)."""
    return [Candidate(*fetched[d], once=True) for d in docnos if d in fetched]


@gc_paused()
def trace_against(doc: Document, others: Sequence[Document], *,
                  config: TraceConfig | None = None,
                  prepared: Sequence[Candidate] | None = None) -> TraceResult:
    """Trace one suspect article directly against other documents, with no index.

    Every document in ``others`` is a candidate source; each is cleaned like an indexed one.
    A batch passes ``prepared`` (from :func:`prepare_sources`) so that the sources are
    cleaned and split once, not once per suspect.
    """
    cfg = config or TraceConfig()
    cleaned, sentences = _suspect(doc, None, cfg)
    evidence = _Evidence.of(cleaned, cfg)
    part_docs = [list(others) for _ in evidence.texts()]
    candidates = list(prepared) if prepared is not None else prepare_sources(others, cfg)
    return _finish(cleaned, sentences, candidates, cfg, evidence, part_docs)


def prepare_sources(others: Sequence[Document], config: TraceConfig | None = None
                    ) -> list[Candidate]:
    """Clean and split each source once, for :func:`trace_against` over many suspects."""
    cfg = config or TraceConfig()
    return [_candidate(o, cfg) for o in others]


def _candidate(doc: Document, cfg: TraceConfig) -> Candidate:
    """A source document cleaned and split as ``unspun index add`` does it."""
    return Candidate(doc, split_sentences(doc.text, clean(doc, config=cfg.clean).kept,
                                          max_chars=cfg.sentence_max_chars))


def align_pair(suspect: Document, source: Document, *,
               config: TraceConfig | None = None) -> list[Alignment]:
    """The passages of ``suspect`` reused from ``source`` (``unspun align``).

    The same steps as :func:`trace_against` with one source (clean, split, sentence
    alignment), then runs of aligned sentences are joined into passages with token-exact
    edges. When ``config.passages.loose_fallback`` is set and the strict aligner finds nothing,
    the loose aligner looks for heavily obfuscated reuse (shuffled, translated or spun).

    Args:
        suspect: The document that may reuse text.
        source: The document it may come from.
        config: Alignment and passage settings.

    Returns:
        Passages in suspect order, each with offsets into both original texts.

    Raises:
        BadInput: the suspect is empty, or nothing is left after cleaning.
    """
    cfg = config or TraceConfig()
    _, sentences = _suspect(suspect, None, cfg)
    cand = _candidate(source, cfg)
    traces = align_sentences(suspect.text, sentences, [cand], cfg.align)
    found = passages(suspect.text, source.text, source.id, traces, config=cfg.passages,
                     min_chars=cfg.passages.min_chars)
    if found or not cfg.passages.loose_fallback:
        return found
    loose = loose_align(sentences, bags(suspect.text, sentences, cfg.align), source.id,
                        cand.sentences, cand.get_bags(cfg.align), cfg.loose)
    return loose_passages(suspect.text, source, loose, cfg.passages)


def _finish(cleaned: CleanResult, sentences: list[Sentence], candidates: list[Candidate],
            cfg: TraceConfig, evidence: _Evidence, part_docs: list[list[Document]]
            ) -> TraceResult:
    doc = cleaned.doc
    nq = len(evidence.quotes)
    headline = (match_headline(evidence.headline, evidence.headline_span, part_docs[nq],
                               min_score=cfg.evidence.headline_min_score,
                               min_words=cfg.evidence.headline_min_words)
                if evidence.headline and len(part_docs) > nq else None)
    traces = align_sentences(doc.text, sentences, candidates, cfg.align,
                             borrows=headline is not None)
    by_id = {c.doc.id: c.doc for c in candidates}
    for docs in part_docs:
        by_id.update((d.id, d) for d in docs)
    sources = source_shares(traces, by_id, cfg.judge)
    quoted = quote_sources(doc.text, evidence.quotes, part_docs[:nq],
                           min_share=cfg.evidence.quote_min_share, cache=evidence.cache)
    used_ids = {t.alignment.source_id for t in traces if t.alignment is not None}
    used_ids |= {q.doc_id for q in quoted} | ({headline.doc_id} if headline else set())
    used = {i: by_id[i] for i in sorted(used_ids)}
    result = TraceResult(clean=cleaned, sentences=traces, sources=sources, source_docs=used,
                         quote_sources=quoted, headline=headline,
                         run={"unspun": __version__, "config": cfg.to_dict()})
    if cfg.explain.enabled:
        for t in traces:
            if t.alignment is not None:
                src = used[t.alignment.source_id]
                t.alignment.edits = explain_alignment(doc.text, src.text, t.alignment,
                                                      config=cfg.explain)
        found = check_quotes(result, config=cfg.explain, cache=evidence.cache)
        found += quote_source_findings(quoted, found)
        result.quote_findings = sorted(found, key=lambda f: (f.suspect.span.start, f.kind))
    result.verdict = judge(result, config=cfg.judge, spins=cfg.spins)
    return result
