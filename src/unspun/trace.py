"""Trace: clean a suspect article, find its sources, align its sentences, explain and judge."""

from __future__ import annotations

from collections.abc import Sequence

from unspun import __version__
from unspun.align import Candidate, align_sentences
from unspun.align.loose import loose_align
from unspun.align.passages import passages
from unspun.align.vectors import bags
from unspun.clean import SiteProfile, clean
from unspun.config import TraceConfig
from unspun.data import (
    Alignment,
    CleanResult,
    Document,
    Sentence,
    SentenceTrace,
    SourceShare,
    TraceResult,
)
from unspun.errors import BadInput
from unspun.explain import check_quotes, explain_alignment
from unspun.fingerprint import sentence_grams
from unspun.index.retrieve import candidate_docnos
from unspun.index.store import Index
from unspun.judge import judge
from unspun.text import split_sentences


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _suspect(doc: Document, profile: SiteProfile | None,
             cfg: TraceConfig) -> tuple[CleanResult, list[Sentence]]:
    """Clean and split the suspect; its headline is not body text."""
    if not doc.text.strip():
        raise BadInput(doc.source or doc.id, "empty article")
    cleaned = clean(doc, profile=profile)
    sentences = split_sentences(doc.text, cleaned.kept, max_chars=cfg.sentence_max_chars)
    if sentences and cleaned.title and _same(sentences[0].text, cleaned.title):
        # The headline kept once is the title, not body text to trace.
        sentences = [Sentence(i, s.span, s.text) for i, s in enumerate(sentences[1:])]
    if not sentences:
        raise BadInput(doc.source or doc.id, "no article text is left after cleaning")
    return cleaned, sentences


def trace_document(doc: Document, *, index: Index, config: TraceConfig | None = None,
                   profile: SiteProfile | None = None) -> TraceResult:
    """Trace one suspect article against an index of reference documents.

    Args:
        doc: The suspect article.
        index: An open index of the originals.
        config: Retrieval and alignment settings.
        profile: Site boilerplate learnt from a corpus, for cleaning.

    Returns:
        The traced article: sentences with alignments, sources with shares, edits, quote
        findings and a verdict.

    Raises:
        BadInput: the article is empty, or nothing is left after cleaning.
    """
    cfg = config or TraceConfig()
    cleaned, sentences = _suspect(doc, profile, cfg)
    grams = sentence_grams(doc.text, sentences, index.config, sample_only=False)
    docnos = candidate_docnos(index, grams, cfg.retrieval)
    fetched = index.fetch(docnos)
    candidates = [Candidate(*fetched[d]) for d in docnos if d in fetched]
    return _finish(cleaned, sentences, candidates, cfg)


def trace_against(doc: Document, others: Sequence[Document], *,
                  config: TraceConfig | None = None) -> TraceResult:
    """Trace one suspect article directly against other documents, with no index.

    Every document in ``others`` is a candidate source; each is cleaned like an indexed one.
    """
    cfg = config or TraceConfig()
    cleaned, sentences = _suspect(doc, None, cfg)
    return _finish(cleaned, sentences, [_candidate(o, cfg) for o in others], cfg)


def _candidate(doc: Document, cfg: TraceConfig) -> Candidate:
    """A source document cleaned and split as ``unspun index add`` does it."""
    return Candidate(doc, split_sentences(doc.text, clean(doc).kept,
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
    loose = loose_align(sentences, bags(suspect.text, sentences), source.id, cand.sentences,
                        cand.get_bags(), cfg.loose)
    return passages(suspect.text, source.text, source.id, loose, config=cfg.passages,
                    min_chars=cfg.passages.loose_min_chars, fit=False)


def _finish(cleaned: CleanResult, sentences: list[Sentence], candidates: list[Candidate],
            cfg: TraceConfig) -> TraceResult:
    doc = cleaned.doc
    traces = align_sentences(doc.text, sentences, candidates, cfg.align)
    by_id = {c.doc.id: c.doc for c in candidates}
    sources = _shares(traces, by_id)
    used = {s.doc_id: by_id[s.doc_id] for s in sources}
    result = TraceResult(clean=cleaned, sentences=traces, sources=sources, source_docs=used,
                         run={"unspun": __version__, "config": cfg.to_dict()})
    if cfg.explain:
        for t in traces:
            if t.alignment is not None:
                src = used[t.alignment.source_id]
                t.alignment.edits = explain_alignment(doc.text, src.text, t.alignment)
        result.quote_findings = check_quotes(result)
    result.verdict = judge(result)
    return result


def _shares(traces: list[SentenceTrace], docs: dict[str, Document]) -> list[SourceShare]:
    """Each source's share of the suspect's kept characters, largest first."""
    total = sum(len(t.sentence.span) for t in traces) or 1
    chars: dict[str, int] = {}
    count: dict[str, int] = {}
    for t in traces:
        if t.alignment is not None:
            sid = t.alignment.source_id
            chars[sid] = chars.get(sid, 0) + len(t.sentence.span)
            count[sid] = count.get(sid, 0) + 1
    shares = [
        SourceShare(doc_id=sid, share=n / total, sentences=count[sid], title=docs[sid].title,
                    url=docs[sid].url, site=docs[sid].site, date=docs[sid].date)
        for sid, n in chars.items()
    ]
    return sorted(shares, key=lambda s: (-s.share, s.date or "", s.doc_id))
