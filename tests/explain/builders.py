"""Hand-built TraceResults for explain and judge tests (until trace builds them for real)."""

from __future__ import annotations

from dataclasses import dataclass

from unspun.data import (
    Alignment,
    CleanResult,
    Document,
    SentenceTrace,
    SourceShare,
    Span,
    TraceResult,
)
from unspun.explain import explain_alignment
from unspun.text import split_sentences


@dataclass
class Pair:
    """One aligned passage: a piece of the suspect text and the piece of a source it came from."""

    suspect: str
    source_id: str
    source: str
    order: int | None = None
    kind: str = "sentence"


def make_trace(
    suspect: str,
    sources: dict[str, str],
    pairs: list[Pair],
    *,
    site: str | None = "farm.example",
    doc_id: str = "suspect",
    explain: bool = True,
) -> TraceResult:
    """Build a trace: every suspect sentence inside a pair's suspect text gets its alignment."""
    doc = Document(doc_id, suspect, site=site)
    source_docs = {k: Document(k, v, site=f"{k}.example") for k, v in sources.items()}
    sentences = [SentenceTrace(s) for s in split_sentences(suspect)]
    chars: dict[str, int] = {}
    for pair in pairs:
        s0 = suspect.index(pair.suspect)
        b0 = sources[pair.source_id].index(pair.source)
        al = Alignment(Span(s0, s0 + len(pair.suspect)), pair.source_id,
                       Span(b0, b0 + len(pair.source)), 0.9, kind=pair.kind)  # type: ignore[arg-type]
        if explain:
            al.edits = explain_alignment(suspect, sources[pair.source_id], al)
        for st in sentences:
            if st.sentence.span.overlap(al.suspect):
                st.alignment = al
                st.order = pair.order
    for st in sentences:
        if st.alignment is not None:
            sid = st.alignment.source_id
            chars[sid] = chars.get(sid, 0) + len(st.sentence.span)
    total = sum(len(st.sentence.span) for st in sentences) or 1
    shares = [SourceShare(k, v / total, 1) for k, v in chars.items()]
    clean = CleanResult(doc, kept=[Span(0, len(suspect))], findings=[])
    return TraceResult(clean, sentences, shares, source_docs)
